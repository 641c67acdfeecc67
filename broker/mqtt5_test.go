package broker

import (
	"bytes"
	"testing"
	"time"

	"github.com/mochi-mqtt/server/v2/packets"
)

// MQTT 5 specifics, with raw packets: reason codes, announced limits, no
// user properties echoed, topic aliases and oversized packets refused.
func TestMQTT5Login(t *testing.T) {
	b := startBroker(t, Config{}, newFakeAuth().device("dev-a"))
	for _, tc := range []struct {
		name           string
		ver            byte
		id, user, pass string
		want           byte
	}{
		{"v5 ok", 5, "dev-a", "dev-a", "tok-dev-a", 0},
		{"v5 wrong token", 5, "dev-a", "dev-a", "nope", 0x86},
		{"v5 username is not the client id", 5, "dev-a", "x", "tok-dev-a", 0x86},
		{"v5 bad client id", 5, "dev a", "dev a", "tok-dev-a", 0x85},
		{"v5 reserved client id", 5, "inline", "inline", "x", 0x85},
		{"v5 empty client id", 5, "", "", "", 0x85},
		{"v5 no token", 5, "dev-a", "dev-a", "", 0x86},
		{"3.1.1 wrong token", 4, "dev-a", "dev-a", "nope", 0x05},
		{"3.1.1 bad client id", 4, "dev/a", "dev/a", "x", 0x02},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := dialRaw(t, b.TCPAddress(), tc.ver)
			c.send(connectPacket(tc.id, tc.user, tc.pass, 30))
			if ack := c.expect(packets.Connack); ack.ReasonCode != tc.want {
				t.Fatalf("CONNACK %#x, want %#x", ack.ReasonCode, tc.want)
			}
		})
	}
}

func TestMQTT5Limits(t *testing.T) {
	b := startBroker(t, Config{MaxPacketSize: 1024}, newFakeAuth().device("dev-a", "dev-b"))
	c := dialRaw(t, b.TCPAddress(), 5)
	c.send(connectPacket("dev-a", "dev-a", "tok-dev-a", 0)) // asks for no keep-alive
	ack := c.expect(packets.Connack)
	p := ack.Properties
	if p.MaximumPacketSize != 1024 || !p.ServerKeepAliveFlag || p.ServerKeepAlive != uint16(DefaultServerKeepAlive/time.Second) ||
		!p.SharedSubAvailableFlag || p.SharedSubAvailable != 0 || p.ReceiveMaximum != DefaultReceiveMaximum {
		t.Errorf("CONNACK properties %+v", p)
	}

	// User properties are not echoed on PUBACK or SUBACK.
	pub := publishPacket("devices/dev-a/up", []byte(`{"x":1}`), 1, 1)
	pub.Properties.User = []packets.UserProperty{{Key: "trace", Val: "abc"}}
	c.send(pub)
	if pa := c.expect(packets.Puback); len(pa.Properties.User) != 0 || pa.ReasonCode != 0 {
		t.Errorf("PUBACK %+v", pa)
	}
	sub := subscribePacket(2, "devices/dev-a/cmd")
	sub.Properties.User = []packets.UserProperty{{Key: "trace", Val: "abc"}}
	c.send(sub)
	if sa := c.expect(packets.Suback); len(sa.Properties.User) != 0 || sa.ReasonCodes[0] != 1 {
		t.Errorf("SUBACK %+v", sa)
	}

	// Refusals get MQTT 5 reason codes and keep the connection.
	c.send(publishPacket("devices/dev-b/up", []byte("x"), 1, 3))
	if pa := c.expect(packets.Puback); pa.ReasonCode != packets.ErrNotAuthorized.Code {
		t.Errorf("foreign publish PUBACK %#x", pa.ReasonCode)
	}
	c.send(subscribePacket(4, "$share/g/devices/dev-a/cmd", "devices/dev-b/cmd", "$SYS/#"))
	if sa := c.expect(packets.Suback); !bytes.Equal(sa.ReasonCodes, []byte{0x87, 0x87, 0x87}) {
		t.Errorf("SUBACK codes % x", sa.ReasonCodes)
	}

	// A topic alias (none offered) ends the connection.
	alias := publishPacket("devices/dev-a/up", []byte("x"), 0, 0)
	alias.Properties.TopicAlias, alias.Properties.TopicAliasFlag = 1, true
	c.send(alias)
	if got := c.expectClosed(); len(got) != 1 || got[0].ReasonCode != packets.ErrTopicAliasInvalid.Code {
		t.Errorf("after topic alias: %+v", got)
	}
	if b.refusals("publish: topic alias") != 1 {
		t.Errorf("refusals %v", b.Stats().Refusals)
	}

	// A packet over the limit closes the connection before its body is read.
	d := dialRaw(t, b.TCPAddress(), 5)
	d.login("dev-b")
	d.send(publishPacket("devices/dev-b/up", bytes.Repeat([]byte("x"), 2000), 0, 0))
	d.expectClosed()
	eventually(t, "oversize counted", func() bool { return b.refusals("packet: packet too large") == 1 })

	// Also before CONNECT: 5 bytes claiming 256 MiB.
	e := dialRaw(t, b.TCPAddress(), 5)
	e.write([]byte{0x10, 0xff, 0xff, 0xff, 0x7f})
	e.expectClosed()
	eventually(t, "pre-auth oversize counted", func() bool { return b.refusals("connect: packet too large") == 1 })
}

// A connection that never sends CONNECT is closed after ConnectTimeout.
func TestConnectTimeout(t *testing.T) {
	b := startBroker(t, Config{ConnectTimeout: time.Second}, newFakeAuth())
	c := dialRaw(t, b.TCPAddress(), 4)
	c.expectClosed()
	eventually(t, "counted", func() bool { return b.refusals("connect: no CONNECT in time") == 1 })
}

// A device reconnecting before its old connection died takes over without
// a stale "offline": its old will is not published and the Sink hears no
// offline event for the replaced connection.
func TestTakeoverKeepsDeviceOnline(t *testing.T) {
	b := startBroker(t, Config{}, newFakeAuth().device("dev-a").integration("spy", nil, []string{"devices/+/status"}))
	spy := dialRaw(t, b.TCPAddress(), 4)
	spy.send(connectPacket("spy", "spy", "tok-spy", 30))
	spy.expect(packets.Connack)
	spy.send(subscribePacket(1, "devices/+/status"))
	spy.expect(packets.Suback)

	old := dialRaw(t, b.TCPAddress(), 4)
	old.login("dev-a")
	fresh := dialRaw(t, b.TCPAddress(), 4)
	fresh.login("dev-a")
	old.expectClosed()
	fresh.publishAck("devices/dev-a/up", "{}", 1)
	spy.expectNothing(200 * time.Millisecond)
	for _, ev := range b.sink.events() {
		if !ev.Online {
			t.Errorf("offline event for a device that reconnected: %+v", ev)
		}
	}
	if n := b.Stats().ClientsConnected; n != 2 {
		t.Errorf("clients %d", n)
	}
}

// Kick also drops a persistent session, and a login racing with it fails.
func TestKickPersistentSession(t *testing.T) {
	auth := newFakeAuth().device("dev-a")
	b := startBroker(t, Config{}, auth)
	c := dialRaw(t, b.TCPAddress(), 4)
	pk := connectPacket("dev-a", "dev-a", "tok-dev-a", 30)
	pk.Connect.Clean = false
	c.send(pk)
	c.expect(packets.Connack)
	c.send(subscribePacket(1, "devices/dev-a/cmd"))
	c.expect(packets.Suback)
	auth.revoke("dev-a")
	b.Kick("dev-a", "deleted")
	c.expectClosed()
	eventually(t, "session dropped", func() bool { _, ok := b.mochi.Clients.Get("dev-a"); return !ok })
	if subs := b.mochi.Topics.Subscribers("devices/dev-a/cmd"); len(subs.Subscriptions) != 0 {
		t.Errorf("subscription kept: %v", subs.Subscriptions)
	}
	if b.Stats().Kicks != 1 {
		t.Errorf("kicks %d", b.Stats().Kicks)
	}

	// A login whose token check started before a Kick does not survive it.
	gen := b.sessions.kickGeneration("dev-b")
	b.Kick("dev-b", "deleted")
	sess := &session{policy: newPolicy(Account{ID: "dev-b"}, 256)}
	if _, ok := b.sessions.register(sess, gen); ok {
		t.Error("login registered after a racing Kick")
	}
}
