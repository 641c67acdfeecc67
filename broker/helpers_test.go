package broker

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
)

// fakeAuth is a test Authenticator: a map of client id → token and account.
type fakeAuth struct {
	mu       sync.Mutex
	accounts map[string]fakeAccount
	panicOn  string
	calls    int
}

type fakeAccount struct {
	token string
	acct  Account
}

func newFakeAuth() *fakeAuth { return &fakeAuth{accounts: map[string]fakeAccount{}} }

// device adds a device whose token is "tok-"+id.
func (a *fakeAuth) device(ids ...string) *fakeAuth {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, id := range ids {
		a.accounts[id] = fakeAccount{token: "tok-" + id, acct: Account{ID: id, Kind: "sos_button"}}
	}
	return a
}

// integration adds an integration account whose token is "tok-"+id.
func (a *fakeAuth) integration(id string, pub, sub []string) *fakeAuth {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.accounts[id] = fakeAccount{token: "tok-" + id, acct: Account{ID: id, Kind: "siren", Integration: true, Publish: pub, Subscribe: sub}}
	return a
}

func (a *fakeAuth) revoke(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.accounts, id)
}

func (a *fakeAuth) Authenticate(id string, token []byte) (Account, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls++
	if id == a.panicOn {
		panic("authenticator exploded")
	}
	acc, ok := a.accounts[id]
	if !ok || acc.token != string(token) {
		return Account{}, false
	}
	return acc.acct, true
}

// fakeSink is a test Sink that records what it is given. It can fail,
// block or panic on Commit.
type fakeSink struct {
	mu        sync.Mutex
	commits   []Message
	attempts  int
	failNext  int   // fail this many more commits
	failErr   error // fail every commit while set
	panicNext bool
	block     chan struct{} // when set, Commit waits for it to close
	presence  []PresenceEvent
	notify    chan struct{}
}

func newFakeSink() *fakeSink { return &fakeSink{notify: make(chan struct{}, 1)} }

func (k *fakeSink) Commit(ctx context.Context, m Message) error {
	k.mu.Lock()
	k.attempts++
	block, fail := k.block, k.failErr
	if k.failNext > 0 {
		k.failNext--
		fail = errors.New("disk full")
	}
	doPanic := k.panicNext
	k.panicNext = false
	k.mu.Unlock()
	if doPanic {
		panic("sink exploded")
	}
	if block != nil {
		select {
		case <-block:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if fail != nil {
		return fail
	}
	m.Payload = bytes.Clone(m.Payload)
	k.mu.Lock()
	k.commits = append(k.commits, m)
	k.mu.Unlock()
	k.poke()
	return nil
}

func (k *fakeSink) Presence(ev PresenceEvent) {
	k.mu.Lock()
	k.presence = append(k.presence, ev)
	k.mu.Unlock()
	k.poke()
}

func (k *fakeSink) poke() {
	select {
	case k.notify <- struct{}{}:
	default:
	}
}

func (k *fakeSink) committed() []Message {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]Message(nil), k.commits...)
}

func (k *fakeSink) events() []PresenceEvent {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]PresenceEvent(nil), k.presence...)
}

// waitPresence waits for an event matching f and returns it.
func (k *fakeSink) waitPresence(t testing.TB, what string, f func(PresenceEvent) bool) PresenceEvent {
	t.Helper()
	var found PresenceEvent
	eventually(t, what, func() bool {
		for _, ev := range k.events() {
			if f(ev) {
				found = ev
				return true
			}
		}
		return false
	})
	return found
}

// eventually polls cond for up to 5 s (a liveness bound, not a speed one).
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// logBuffer collects the broker's log lines for assertions.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testBroker is a started broker on 127.0.0.1:0 with a WebSocket endpoint.
type testBroker struct {
	*Server
	auth *fakeAuth
	sink *fakeSink
	logs *logBuffer
	http *httptest.Server
}

func (b *testBroker) wsURL() string { return "ws" + strings.TrimPrefix(b.http.URL, "http") + "/mqtt" }

// startBroker starts a broker for one test and stops it at the end.
func startBroker(t testing.TB, cfg Config, auth *fakeAuth) *testBroker {
	t.Helper()
	cfg.TCPAddr = "127.0.0.1:0"
	logs := &logBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	sink := newFakeSink()
	s, err := New(cfg, auth, sink, logger)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := s.Start(); err != nil {
		t.Fatalf("Start: %v", err)
	}
	b := &testBroker{Server: s, auth: auth, sink: sink, logs: logs, http: httptest.NewServer(s.WebSocketHandler())}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
		b.http.Close()
	})
	return b
}

// refusals returns the count for one refusal reason.
func (b *testBroker) refusals(reason string) uint64 { return b.Stats().Refusals[reason] }

func (b *testBroker) String() string { return fmt.Sprintf("broker %s", b.TCPAddress()) }

func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

func willOf(topic, payload string, qos byte, retain bool) mqtt.Will {
	if topic == "" {
		return mqtt.Will{}
	}
	return mqtt.Will{TopicName: topic, Payload: []byte(payload), Qos: qos, Retain: retain, Flag: 1}
}

func (a *fakeAuth) callCount() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.calls
}

// selfSignedCert makes a throwaway certificate for the TLS listener test.
func selfSignedCert(t testing.TB) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}
