package loadgen

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCredsRoundTrip(t *testing.T) {
	in := []Cred{{"bench-00001", "ABC"}, {"sos-1-1-102", "x,y"}}
	var b bytes.Buffer
	if err := WriteCreds(&b, in); err != nil {
		t.Fatal(err)
	}
	out, err := ReadCreds(strings.NewReader("# comment\n\n" + b.String()))
	if err != nil || !slices.Equal(out, in) {
		t.Fatalf("ReadCreds = %v, %v; want %v", out, err, in)
	}
	for _, bad := range []string{"only-an-id\n", ",token\n", "a,b,c\n"} {
		if _, err := ReadCreds(strings.NewReader(bad)); err == nil {
			t.Errorf("ReadCreds(%q) accepted", bad)
		}
	}
}

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in   string
		want Target
		ok   bool
	}{
		{"name=m,url=mqtt://127.0.0.1:1,pid=7", Target{Name: "m", URL: "mqtt://127.0.0.1:1", PID: 7, Sub: Cred{ClientID: "bench-sub"}}, true},
		{"url=mqtt://h:2,db=/x/data.db,sub=s:tok", Target{Name: "mqtt://h:2", URL: "mqtt://h:2", DB: "/x/data.db", Sub: Cred{"s", "tok"}}, true},
		{"name=m", Target{}, false},
		{"url=mqtt://h:1,pid=x", Target{}, false},
		{"url=mqtt://h:1,colour=red", Target{}, false},
		{"url", Target{}, false},
	}
	for _, tt := range tests {
		got, err := ParseTarget(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("ParseTarget(%q) = %+v, %v", tt.in, got, err)
		}
	}
}

func TestBrokerAddr(t *testing.T) {
	for in, want := range map[string]string{"mqtt://127.0.0.1:1883": "127.0.0.1:1883", "tcp://h": "h:1883", "ws://h/mqtt": ""} {
		got, err := brokerAddr(in)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("brokerAddr(%q) = %q, %v", in, got, err)
		}
	}
}

func TestSeqSetAndPercentiles(t *testing.T) {
	s := seqSet{}
	for _, n := range []uint32{1, 63, 64, 1000} {
		s.add("a", n)
	}
	for n, want := range map[uint32]bool{1: true, 63: true, 64: true, 1000: true, 2: false, 65: false, 5000: false} {
		if s.has("a", n) != want || s.has("b", n) {
			t.Errorf("has(%d) wrong", n)
		}
	}
	ds := make([]time.Duration, 100)
	for i := range ds {
		ds[i] = time.Duration(100-i) * time.Millisecond
	}
	p50, p99, mx := percentiles(ds)
	if p50 != 51*time.Millisecond || p99 != 100*time.Millisecond || mx != 100*time.Millisecond {
		t.Fatalf("percentiles = %v %v %v", p50, p99, mx)
	}
}

// TestBehaviour: every kind produces JSON objects with a plausible battery
// and waits that are positive; the sensors' own keys appear.
func TestBehaviour(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	keys := map[string]string{kindPIR: "motion", kindDoor: "open", kindParking: "occupied", kindSmoke: "smoke",
		kindGas: "gas", kindLeak: "leak", kindSOS: "sos"}
	for kind, key := range keys {
		st := newState(kind, r)
		seen := false
		for i := range 500 {
			at := time.Date(2026, 5, 1, i%24, 0, 0, 0, time.Local)
			wait, body := st.next(at, r)
			var m map[string]any
			if err := json.Unmarshal([]byte(body), &m); err != nil || wait <= 0 {
				t.Fatalf("%s: %q (%v), wait %v", kind, body, err, wait)
			}
			if b, ok := m["battery"].(float64); !ok || b < 0 || b > 100 {
				t.Fatalf("%s: battery in %q", kind, body)
			}
			_, has := m[key]
			seen = seen || has
		}
		if !seen {
			t.Errorf("%s never sent %q", kind, key)
		}
	}
	for id, want := range map[string]string{"sos-3-2-401": kindSOS, "park-a01": kindParking, "door-1": kindDoor, "x": ""} {
		if got := KindFromClientID(id); got != want {
			t.Errorf("KindFromClientID(%q) = %q", id, got)
		}
	}
}

// lockedWriter is a bytes.Buffer safe for the simulator's writers.
type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.String()
}

func TestSettledRSS(t *testing.T) {
	rss, waited, ok := settledRSS(t.Context(), os.Getpid(), 0, time.Second)
	if !ok || rss <= 0 || waited > 3*time.Second {
		t.Fatalf("settledRSS(self) = %d, %v, %v", rss, waited, ok)
	}
	if _, _, ok := settledRSS(t.Context(), 0, 0, time.Second); ok {
		t.Fatal("settledRSS(pid 0) claims a sample")
	}
	if got := spread([]int64{5, 9, 7}); got != 4 {
		t.Fatalf("spread = %d", got)
	}
	p := startPeakSampler(os.Getpid())
	if peak := p.end(); peak <= 0 {
		t.Fatalf("peak of self = %d", peak)
	}
}
