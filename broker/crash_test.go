package broker

import (
	"strings"
	"testing"
	"time"

	"github.com/mochi-mqtt/server/v2/packets"
)

// killerSubscribe is an MQTT 5 SUBSCRIBE whose only filter lacks its
// options byte: mochi v2.7.9's SubscribeDecode indexes past the end of the
// packet and panics, which without our recover ends the process.
var killerSubscribe = []byte{0x82, 0x06, 0x00, 0x01, 0x00, 0x00, 0x01, 0x61}

// canary is a device connection used to prove the broker still serves
// others: its QoS 1 publish must be acknowledged within a second.
type canary struct {
	c *rawClient
	n uint16
}

func newCanary(t testing.TB, b *testBroker) *canary {
	b.auth.device("canary")
	c := dialRaw(t, b.TCPAddress(), 4)
	c.login("canary")
	return &canary{c: c}
}

func (k *canary) check(t testing.TB, after string) {
	t.Helper()
	k.n++
	k.c.send(publishPacket("devices/canary/up", []byte(`{"ok":true}`), 1, k.n))
	pk, err := k.c.read(time.Second)
	if err != nil || pk.FixedHeader.Type != packets.Puback || pk.PacketID != k.n {
		t.Fatalf("after %s: canary QoS 1 publish not acknowledged within 1s: %v %+v", after, err, pk.FixedHeader)
	}
}

func TestCrashContainment(t *testing.T) {
	for _, transport := range []string{"tcp", "ws"} {
		t.Run(transport, func(t *testing.T) {
			auth := newFakeAuth().device("crash-1").integration("spy", nil, []string{"#"})
			b := startBroker(t, Config{}, auth)
			k := newCanary(t, b)
			spy := dialRaw(t, b.TCPAddress(), 4)
			spy.send(connectPacket("spy", "spy", "tok-spy", 30))
			spy.expect(packets.Connack)
			spy.send(subscribePacket(1, "devices/crash-1/status"))
			spy.expect(packets.Suback)

			var v *rawClient
			if transport == "ws" {
				v = dialRawWS(t, b.wsURL(), 5)
			} else {
				v = dialRaw(t, b.TCPAddress(), 5)
			}
			v.login("crash-1")
			v.send(subscribePacket(1, "devices/crash-1/cmd"))
			if ack := v.expect(packets.Suback); ack.ReasonCodes[0] > 2 {
				t.Fatalf("own cmd subscription refused: %#x", ack.ReasonCodes[0])
			}
			v.write(killerSubscribe)
			v.expectClosed()

			// The process is alive (we are still running) and the client is gone.
			eventually(t, "panic counted", func() bool { return b.Stats().PanicsRecovered == 1 })
			eventually(t, "client removed", func() bool { _, ok := b.mochi.Clients.Get("crash-1"); return !ok })
			if subs := b.mochi.Topics.Subscribers("devices/crash-1/cmd"); len(subs.Subscriptions) != 0 {
				t.Errorf("subscriptions left behind: %v", subs.Subscriptions)
			}
			ev := b.sink.waitPresence(t, "offline event", func(ev PresenceEvent) bool { return ev.Account.ID == "crash-1" && !ev.Online })
			if !strings.HasPrefix(ev.Reason, "panic: ") {
				t.Errorf("offline reason %q, want panic: …", ev.Reason)
			}
			// Its will (forced to its status topic) went out like on any drop.
			will := spy.expect(packets.Publish)
			if will.TopicName != "devices/crash-1/status" || string(will.Payload) != "offline" {
				t.Errorf("will %q %q", will.TopicName, will.Payload)
			}
			if got := b.Stats().ClientsConnected; got != 2 {
				t.Errorf("clients connected %d, want 2 (canary, spy)", got)
			}
			k.check(t, "the 8-byte SUBSCRIBE")

			// The same device can come back.
			v2 := dialRaw(t, b.TCPAddress(), 5)
			v2.login("crash-1")
			v2.publishAck("devices/crash-1/up", `{"sos":true}`, 9)
		})
	}
}

// Panics in the parts around mochi (the Authenticator, the Sink) are
// contained as well and end only the client concerned.
func TestHookPanicsContained(t *testing.T) {
	auth := newFakeAuth().device("dev-a", "boom")
	auth.panicOn = "boom"
	b := startBroker(t, Config{}, auth)
	k := newCanary(t, b)

	c := dialRaw(t, b.TCPAddress(), 5)
	c.send(connectPacket("boom", "boom", "tok-boom", 30))
	if ack := c.expect(packets.Connack); ack.ReasonCode != packets.ErrBadUsernameOrPassword.Code {
		t.Errorf("login with panicking authenticator: %#x", ack.ReasonCode)
	}
	k.check(t, "authenticator panic")

	d := dialRaw(t, b.TCPAddress(), 5)
	d.login("dev-a")
	b.sink.mu.Lock()
	b.sink.panicNext = true
	b.sink.mu.Unlock()
	d.send(publishPacket("devices/dev-a/up", []byte(`{}`), 1, 1))
	for _, pk := range d.expectClosed() {
		if pk.FixedHeader.Type == packets.Puback {
			t.Fatal("PUBACK for a publish whose commit panicked")
		}
	}
	k.check(t, "sink panic")
	if got := b.Stats().PanicsRecovered; got != 2 {
		t.Errorf("panics recovered %d, want 2", got)
	}
}
