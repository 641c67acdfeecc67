package broker

import (
	"errors"
	"net"
	"testing"
	"time"

	pahomqtt "github.com/eclipse/paho.mqtt.golang"
	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"
)

// A failed commit must leave the publish unacknowledged, for MQTT 3.1.1 as
// for 5, and the device's retransmission after reconnecting is stored once.
func TestCommitFailureWithholdsAck(t *testing.T) {
	for _, tc := range []struct {
		name string
		ver  byte
		qos  byte
		ack  byte
	}{
		{"3.1.1 QoS 1", 4, 1, packets.Puback},
		{"5 QoS 1", 5, 1, packets.Puback},
		{"3.1.1 QoS 2", 4, 2, packets.Pubrec},
		{"5 QoS 2", 5, 2, packets.Pubrec},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := startBroker(t, Config{}, newFakeAuth().device("sos-1"))
			b.sink.mu.Lock()
			b.sink.failErr = errors.New("disk full")
			b.sink.mu.Unlock()

			c := dialRaw(t, b.TCPAddress(), tc.ver)
			c.login("sos-1")
			c.send(publishPacket("devices/sos-1/up", []byte(`{"sos":true}`), tc.qos, 7))
			got := c.expectClosed()
			for _, pk := range got {
				if pk.FixedHeader.Type == tc.ack {
					t.Fatalf("%s sent although the commit failed", packets.PacketNames[tc.ack])
				}
			}
			if tc.ver == 5 && (len(got) != 1 || got[0].FixedHeader.Type != packets.Disconnect || got[0].ReasonCode != packets.ErrServerBusy.Code) {
				t.Errorf("MQTT 5 client should get DISCONNECT 0x89, got %+v", got)
			}
			if n := len(b.sink.committed()); n != 0 {
				t.Fatalf("%d messages stored", n)
			}
			st := b.Stats()
			if st.CommitFailures != 1 || st.MessagesRejected != 1 || st.Refusals["publish: commit failed"] != 1 {
				t.Errorf("stats: %+v", st)
			}
			b.sink.waitPresence(t, "offline with reason", func(ev PresenceEvent) bool {
				return !ev.Online && ev.Reason == "commit failed: commit devices/sos-1/up: disk full"
			})

			// The store recovers; the device reconnects and retransmits.
			b.sink.mu.Lock()
			b.sink.failErr = nil
			b.sink.mu.Unlock()
			c2 := dialRaw(t, b.TCPAddress(), tc.ver)
			c2.login("sos-1")
			pk := publishPacket("devices/sos-1/up", []byte(`{"sos":true}`), tc.qos, 7)
			pk.FixedHeader.Dup = true
			c2.send(pk)
			if ack := c2.expect(tc.ack); ack.PacketID != 7 || ack.ReasonCode >= 0x80 {
				t.Fatalf("retransmission: %+v", ack)
			}
			if n := len(b.sink.committed()); n != 1 {
				t.Fatalf("%d messages stored, want 1", n)
			}
		})
	}
}

// The acknowledgement is written only after Commit has returned.
func TestAckWaitsForCommit(t *testing.T) {
	b := startBroker(t, Config{}, newFakeAuth().device("sos-1"))
	release := make(chan struct{})
	b.sink.mu.Lock()
	b.sink.block = release
	b.sink.mu.Unlock()
	c := dialRaw(t, b.TCPAddress(), 4)
	c.login("sos-1")
	c.send(publishPacket("devices/sos-1/up", []byte(`{"sos":true}`), 1, 3))
	c.expectNothing(300 * time.Millisecond)
	close(release)
	if ack := c.expect(packets.Puback); ack.PacketID != 3 {
		t.Fatalf("PUBACK for %d", ack.PacketID)
	}
	if n := len(b.sink.committed()); n != 1 {
		t.Fatalf("%d stored", n)
	}
}

// A real 3.1.1 client (paho, auto-reconnect) gets its QoS 1 publish
// through once the store recovers, without any help from the application:
// the broker's disconnect makes it reconnect and resend.
func TestDeviceRetriesAfterFailedCommit(t *testing.T) {
	b := startBroker(t, Config{}, newFakeAuth().device("sos-1"))
	b.sink.mu.Lock()
	b.sink.failNext = 2
	b.sink.mu.Unlock()
	opts := pahomqtt.NewClientOptions().AddBroker("tcp://" + b.TCPAddress()).
		SetClientID("sos-1").SetUsername("sos-1").SetPassword("tok-sos-1").
		SetAutoReconnect(true).SetMaxReconnectInterval(time.Second).SetConnectRetry(true)
	cl := pahomqtt.NewClient(opts)
	if tok := cl.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("connect: %v", tok.Error())
	}
	defer cl.Disconnect(0)
	// paho completes the token when it resends from its store, so the
	// proof of delivery is the store, not the token.
	cl.Publish("devices/sos-1/up", 1, false, `{"sos":true}`)
	eventually(t, "the retransmission stored", func() bool { return len(b.sink.committed()) == 1 })
	b.sink.mu.Lock()
	attempts := b.sink.attempts
	b.sink.mu.Unlock()
	if attempts != 3 {
		t.Fatalf("stored after %d attempts, want 3 (two failed)", attempts)
	}
}

// Why ErrRejectPacket: mochi acknowledges an MQTT 3.1.1 publish whose
// OnPublish hook returned a plain error. This pins that behaviour of
// mochi v2.7.9, the reason the ingest hook must not return one.
func TestMochiAcksPlainHookError(t *testing.T) {
	s := mqtt.New(&mqtt.Options{Logger: quietLogger()})
	if err := s.AddHook(&failingHook{}, nil); err != nil { // allows everything, fails every publish
		t.Fatal(err)
	}
	ln := listeners.NewTCP(listeners.Config{ID: "t", Address: "127.0.0.1:0"})
	if err := s.AddListener(ln); err != nil {
		t.Fatal(err)
	}
	if err := s.Serve(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := dialRaw(t, ln.Address(), 4)
	c.send(connectPacket("x", "", "", 30))
	if ack := c.expect(packets.Connack); ack.ReasonCode != 0 {
		t.Fatalf("CONNACK %#x", ack.ReasonCode)
	}
	c.send(publishPacket("a", []byte("b"), 1, 5))
	if ack := c.expect(packets.Puback); ack.PacketID != 5 {
		t.Fatalf("PUBACK %d", ack.PacketID)
	}
}

type failingHook struct{ mqtt.HookBase }

func (h *failingHook) ID() string { return "failing" }
func (h *failingHook) Provides(b byte) bool {
	return b == mqtt.OnPublish || b == mqtt.OnConnectAuthenticate || b == mqtt.OnACLCheck
}
func (h *failingHook) OnConnectAuthenticate(*mqtt.Client, packets.Packet) bool { return true }
func (h *failingHook) OnACLCheck(*mqtt.Client, string, bool) bool              { return true }
func (h *failingHook) OnPublish(*mqtt.Client, packets.Packet) (packets.Packet, error) {
	return packets.Packet{}, errors.New("store failed")
}

// QoS 0 never waits for the store: with Commit blocked, the device's
// later packets are still answered; a full queue drops and counts.
func TestQoS0DoesNotBlock(t *testing.T) {
	b := startBroker(t, Config{QoS0Queue: 4}, newFakeAuth().device("pir-1"))
	release := make(chan struct{})
	b.sink.mu.Lock()
	b.sink.block = release
	b.sink.mu.Unlock()
	c := dialRaw(t, b.TCPAddress(), 4)
	c.login("pir-1")
	for range 20 {
		c.send(publishPacket("devices/pir-1/up", []byte(`{"motion":true}`), 0, 0))
	}
	c.send(packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Pingreq}})
	c.expect(packets.Pingresp)
	// At most 6 are taken: 2 by the (blocked) workers, 4 by the queue.
	eventually(t, "drops counted", func() bool { return b.Stats().QoS0Dropped >= 14 })
	close(release)
	eventually(t, "the queued ones stored, the others dropped", func() bool {
		return uint64(len(b.sink.committed()))+b.Stats().QoS0Dropped == 20
	})
}

// A device's status publish is a presence event, not a stored message.
func TestStatusIsPresence(t *testing.T) {
	b := startBroker(t, Config{}, newFakeAuth().device("door-1"))
	c := dialRaw(t, b.TCPAddress(), 4)
	c.login("door-1")
	c.publishAck("devices/door-1/status", `{"online":false}`, 1)
	ev := b.sink.waitPresence(t, "status event", func(ev PresenceEvent) bool { return ev.Reason == "status" })
	if ev.Online || ev.Account.ID != "door-1" {
		t.Errorf("event %+v", ev)
	}
	if n := len(b.sink.committed()); n != 0 {
		t.Errorf("status stored as a message")
	}
}

func TestParseStatus(t *testing.T) {
	for _, tc := range []struct {
		in         string
		online, ok bool
	}{
		{"online", true, true}, {"OFFLINE", false, true}, {`"online"`, true, true}, {"1", true, true},
		{`{"online":false}`, false, true}, {`{"status":"online"}`, true, true}, {`{"status":{"x":1}}`, false, false},
		{"", false, false}, {"maybe", false, false}, {`{"battery":3}`, false, false}, {"{", false, false},
	} {
		online, ok := parseStatus([]byte(tc.in))
		if online != tc.online || ok != tc.ok {
			t.Errorf("parseStatus(%q) = %v, %v", tc.in, online, ok)
		}
	}
}

var _ net.Conn = (*conn)(nil)
