package broker

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/mochi-mqtt/server/v2/packets"
)

func TestLimiter(t *testing.T) {
	t0 := time.Unix(1_000_000, 0)
	l := newLimiter(3, 10*time.Second, 100)
	if !l.allowed("a", t0) {
		t.Fatal("unknown key throttled")
	}
	for i := range 3 {
		if l.fail("a", t0) != (i == 2) {
			t.Fatalf("failure %d: wrong throttled flag", i+1)
		}
	}
	if l.allowed("a", t0.Add(9*time.Second)) {
		t.Error("allowed before a token refilled")
	}
	if !l.allowed("a", t0.Add(10*time.Second)) {
		t.Error("not allowed after one refill interval")
	}
	if !l.allowed("b", t0) {
		t.Error("another key affected")
	}
	// Memory: refilled buckets are evicted first, then arbitrary ones.
	m := newLimiter(1, time.Second, 10)
	for i := range 1000 {
		m.fail(fmt.Sprint(i), t0)
	}
	if n := m.size(); n > 10 {
		t.Errorf("%d keys tracked, bound is 10", n)
	}
	m.fail("late", t0.Add(time.Hour))
	if n := m.size(); n != 1 {
		t.Errorf("%d keys after all refilled, want 1", n)
	}
}

// Failed logins from one address are throttled before the Authenticator
// is asked; the throttle lifts as tokens refill.
func TestThrottleFailedLogins(t *testing.T) {
	b := startBroker(t, Config{Throttle: ThrottleConfig{AddrBurst: 5, AddrEvery: time.Second, UserBurst: 100}},
		newFakeAuth().device("dev-a"))
	for i := range 5 {
		c := dialRaw(t, b.TCPAddress(), 5)
		c.send(connectPacket("dev-a", "dev-a", fmt.Sprint("guess-", i), 30))
		if ack := c.expect(packets.Connack); ack.ReasonCode != packets.ErrBadUsernameOrPassword.Code {
			t.Fatalf("guess %d: %#x", i, ack.ReasonCode)
		}
	}
	calls := b.auth.callCount()
	for _, ver := range []byte{5, 4} {
		c := dialRaw(t, b.TCPAddress(), ver)
		c.send(connectPacket("dev-a", "dev-a", "tok-dev-a", 30)) // even the right token
		want := packets.ErrConnectionRateExceeded.Code
		if ver == 4 {
			want = packets.Err3ServerUnavailable.Code
		}
		if ack := c.expect(packets.Connack); ack.ReasonCode != want {
			t.Fatalf("v%d throttled login: %#x, want %#x", ver, ack.ReasonCode, want)
		}
	}
	if b.auth.callCount() != calls {
		t.Error("the Authenticator was asked while throttled")
	}
	if b.refusals("login: throttled") != 2 {
		t.Errorf("refusals %v", b.Stats().Refusals)
	}
	time.Sleep(1100 * time.Millisecond) // one token refills
	c := dialRaw(t, b.TCPAddress(), 5)
	c.login("dev-a")
}

// Failures for one username are throttled whatever the address; other
// devices are unaffected.
func TestThrottlePerUsername(t *testing.T) {
	b := startBroker(t, Config{Throttle: ThrottleConfig{AddrBurst: 1000, UserBurst: 3, UserEvery: time.Hour}},
		newFakeAuth().device("dev-a", "dev-b"))
	for range 3 {
		c := dialRaw(t, b.TCPAddress(), 5)
		c.send(connectPacket("dev-a", "dev-a", "wrong", 30))
		c.expect(packets.Connack)
	}
	c := dialRaw(t, b.TCPAddress(), 5)
	c.send(connectPacket("dev-a", "dev-a", "tok-dev-a", 30))
	if ack := c.expect(packets.Connack); ack.ReasonCode != packets.ErrConnectionRateExceeded.Code {
		t.Fatalf("dev-a: %#x", ack.ReasonCode)
	}
	d := dialRaw(t, b.TCPAddress(), 5)
	d.login("dev-b")
}

// After a power cut every device reconnects at once from the community's
// one NAT address: correct logins never drain the buckets, and devices that
// logged in from that address before are let through even while stale
// devices (decommissioned, still powered, retrying with revoked tokens)
// keep the address's bucket empty.
func TestReconnectStormNotThrottled(t *testing.T) {
	const devices, stale = 1000, 100 // default AddrBurst is 30
	auth := newFakeAuth().device("newcomer")
	for i := range devices {
		auth.device(fmt.Sprintf("dev-%04d", i))
	}
	b := startBroker(t, Config{}, auth)
	storm := func(n int, id func(int) (string, string)) (refused int) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				user, token := id(i)
				c := dialRaw(t, b.TCPAddress(), 4)
				c.send(connectPacket(user, user, token, 30))
				pk, err := c.read(10 * time.Second)
				if err != nil || pk.ReasonCode != 0 {
					mu.Lock()
					refused++
					mu.Unlock()
				}
				_ = c.c.Close()
			}()
		}
		wg.Wait()
		return refused
	}
	device := func(i int) (string, string) { id := fmt.Sprintf("dev-%04d", i); return id, "tok-" + id }
	if n := storm(devices, device); n != 0 {
		t.Fatalf("first storm: %d of %d correct logins refused", n, devices)
	}
	if n := storm(stale, func(i int) (string, string) { return fmt.Sprintf("old-%04d", i), "revoked" }); n != stale {
		t.Fatalf("stale devices: %d of %d refused", n, stale)
	}
	if b.refusals("login: throttled") == 0 {
		t.Fatal("the stale devices did not drain the address's bucket")
	}
	if n := storm(devices, device); n != 0 {
		t.Fatalf("storm after the stale ones: %d of %d correct logins refused; %v", n, devices, b.Stats().Refusals)
	}
	// A device never seen from this address waits for the bucket to refill.
	c := dialRaw(t, b.TCPAddress(), 4)
	c.send(connectPacket("newcomer", "newcomer", "tok-newcomer", 30))
	if ack := c.expect(packets.Connack); ack.ReasonCode != packets.Err3ServerUnavailable.Code {
		t.Errorf("unknown device during throttling: %#x", ack.ReasonCode)
	}
}
