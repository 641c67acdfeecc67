package broker

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

func TestConfigDefaults(t *testing.T) {
	c := DefaultConfig()
	if c.TCPAddr != ":1883" || c.TLSAddr != "" || c.MaxPacketSize != DefaultMaxPacketSize || c.MaxConnections != DefaultMaxClients+1024 {
		t.Errorf("defaults %+v", c)
	}
	if err := c.validate(); err != nil {
		t.Errorf("defaults invalid: %v", err)
	}
	c = Config{TLSCertFile: "c.pem", TLSKeyFile: "k.pem"}.withDefaults()
	if c.TLSAddr != ":8883" {
		t.Errorf("TLS address %q", c.TLSAddr)
	}
	// mochi's permissive defaults are replaced.
	caps := capabilities(DefaultConfig())
	mochi := mqtt.NewDefaultServerCapabilities()
	if caps.MaximumPacketSize == mochi.MaximumPacketSize || caps.MaximumClients == mochi.MaximumClients ||
		caps.MaximumMessageExpiryInterval != 0 || caps.TopicAliasMaximum != 0 || !caps.Compatibilities.NoInheritedPropertiesOnAck ||
		caps.MaximumClientWritesPending >= mochi.MaximumClientWritesPending || caps.MaximumSessionExpiryInterval != 86400 {
		t.Errorf("capabilities %+v", caps)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		mod  func(*Config)
		want string
	}{
		{func(c *Config) { c.MaxPacketSize = 100 }, "MaxPacketSize"},
		{func(c *Config) { c.MaxConnections = 10; c.MaxClients = 20 }, "MaxConnections"},
		{func(c *Config) { c.ServerKeepAlive = 100000 * time.Second }, "ServerKeepAlive"},
		{func(c *Config) { c.MaxMessageExpiry = -time.Second }, "MaxMessageExpiry"},
		{func(c *Config) { c.TLSCertFile = "x.pem" }, "TLSCertFile"},
		{func(c *Config) { c.MaxTopicLength = 8 }, "MaxTopicLength"},
		{func(c *Config) { c.IntegrationQueue = 100 }, "IntegrationQueue"},
	} {
		c := Config{}
		tc.mod(&c)
		_, err := New(c, newFakeAuth(), newFakeSink(), quietLogger())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("want error naming %s, got %v", tc.want, err)
		}
	}
	if _, err := New(Config{TLSCertFile: "/nonexistent.pem", TLSKeyFile: "/nonexistent.key"}, newFakeAuth(), newFakeSink(), nil); err == nil {
		t.Error("missing certificate accepted")
	}
}

// Start, Close twice, Start after Close, Close without Start, Publish
// when stopped, and the WebSocket handler's 503s.
func TestLifecycle(t *testing.T) {
	s, err := New(Config{TCPAddr: "127.0.0.1:0"}, newFakeAuth(), newFakeSink(), quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Publish("alarms/critical/1", nil, false, 1); err == nil {
		t.Error("publish before start")
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err == nil {
		t.Error("second Start accepted")
	}
	if err := s.Publish("alarms/critical/1", []byte("{}"), true, 1); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"alarms/+", "$SYS/x", "", "a/\x00"} {
		if err := s.Publish(bad, nil, false, 0); err == nil {
			t.Errorf("Publish(%q) accepted", bad)
		}
	}
	ctx := context.Background()
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal("second Close:", err)
	}
	if err := s.Start(); err == nil {
		t.Error("Start after Close accepted")
	}
	never, err := New(Config{}, newFakeAuth(), newFakeSink(), quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	if err := never.Close(ctx); err != nil {
		t.Error("Close without Start:", err)
	}
	if s.Stats().Published != 1 {
		t.Errorf("published %d", s.Stats().Published)
	}
}

// Close gives up when ctx ends while a commit hangs, and cancels it.
func TestCloseBounded(t *testing.T) {
	sink := newFakeSink()
	sink.block = make(chan struct{}) // never released; Commit honours ctx
	s, err := New(Config{TCPAddr: "127.0.0.1:0"}, newFakeAuth().device("dev-a"), sink, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	c := dialRaw(t, s.TCPAddress(), 4)
	c.login("dev-a")
	c.send(publishPacket("devices/dev-a/up", []byte("{}"), 1, 1))
	eventually(t, "commit started", func() bool { sink.mu.Lock(); defer sink.mu.Unlock(); return sink.attempts == 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := s.Close(ctx); err == nil {
		t.Error("Close returned nil while a commit was stuck")
	}
	for _, pk := range c.expectClosed() {
		if pk.FixedHeader.Type == packets.Puback {
			t.Error("PUBACK for a commit cancelled by shutdown")
		}
	}
	if err := s.Close(context.Background()); err == nil {
		t.Error("second Close forgot the first one's error")
	}
}

func TestTLSListener(t *testing.T) {
	cert := selfSignedCert(t)
	b := startBroker(t, Config{TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}}, TLSAddr: "127.0.0.1:0"},
		newFakeAuth().device("dev-a"))
	tc, err := tls.Dial("tcp", b.TLSAddress(), &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		t.Fatal(err)
	}
	c := &rawClient{t: t, c: tc, r: bufio.NewReader(tc), ver: 4}
	c.login("dev-a")
	c.publishAck("devices/dev-a/up", "{}", 1)
	c.write(killerSubscribe) // v4 decoder: not the v5 bug, but malformed all the same
	c.expectClosed()
}

// Close must not hang while clients come and go: mochi's own listener
// close path takes its clients map's read lock recursively and deadlocks
// when a client is added or removed in between; ours does not use it.
func TestCloseDuringChurn(t *testing.T) {
	const n = 500
	auth := newFakeAuth()
	for i := range n {
		auth.device(fmt.Sprintf("churn-%d", i))
	}
	s, err := New(Config{TCPAddr: "127.0.0.1:0"}, auth, newFakeSink(), quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	conns := make([]net.Conn, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("churn-%d", i)
			c, err := net.Dial("tcp", s.TCPAddress())
			if err != nil {
				return
			}
			_ = c.(*net.TCPConn).SetLinger(0)
			_, _ = c.Write(encode(connectPacket(id, id, "tok-"+id, 30), 4))
			_, _ = c.Read(make([]byte, 4))
			conns[i] = c
		}()
	}
	wg.Wait()
	for _, c := range conns { // every client leaves while the broker closes
		if c != nil {
			go c.Close()
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Fatalf("Close during churn: %v", err)
	}
}

// A device's retained status outlives mochi's default 24-hour expiry: by
// default nothing expires; with MaxMessageExpiry set, old messages go.
func TestRetainedStatusDoesNotExpire(t *testing.T) {
	for _, tc := range []struct {
		name   string
		expiry time.Duration
		kept   bool
	}{{"default", 0, true}, {"1h maximum", time.Hour, false}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := startBroker(t, Config{MaxMessageExpiry: tc.expiry}, newFakeAuth())
			old := packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Publish, Retain: true},
				TopicName: "devices/door-1/status", Payload: []byte("online"), Created: time.Now().Add(-72 * time.Hour).Unix()}
			b.mochi.Topics.RetainMessage(old)
			time.Sleep(1500 * time.Millisecond) // mochi sweeps retained messages every second
			if _, ok := b.mochi.Topics.Retained.Get(old.TopicName); ok != tc.kept {
				t.Errorf("3-day-old retained status kept = %v, want %v", ok, tc.kept)
			}
		})
	}
}
