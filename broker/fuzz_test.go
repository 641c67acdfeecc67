package broker

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/mochi-mqtt/server/v2/packets"
)

// FuzzInbound writes arbitrary bytes after a device's CONNECT to a live
// broker connection. Whatever the bytes, the broker must not crash (an
// uncontained panic ends the fuzzing process), must end the connection
// once the stream turns invalid (the input is followed by more zero bytes
// than the largest packet, which complete any packet the input began and
// then form a packet of reserved type 0), and must leave no session or
// connection behind. Seeds: every packet in mochi's own test table, for
// 3.1.1 and for 5.
func FuzzInbound(f *testing.F) {
	for _, cases := range packets.TPacketData {
		for _, c := range cases {
			if len(c.RawBytes) > 0 {
				f.Add(byte(4), c.RawBytes)
				f.Add(byte(5), c.RawBytes)
			}
		}
	}
	f.Add(byte(5), killerSubscribe)
	const maxPacket = 512
	b := startBroker(f, Config{MaxPacketSize: maxPacket, Throttle: ThrottleConfig{AddrBurst: 1 << 30, UserBurst: 1 << 30}},
		newFakeAuth().device("fz"))
	login := map[byte][]byte{4: encode(connectPacket("fz", "fz", "tok-fz", 30), 4), 5: encode(connectPacket("fz", "fz", "tok-fz", 30), 5)}
	tail := make([]byte, maxPacket+8)
	f.Fuzz(func(t *testing.T, ver byte, data []byte) {
		ver = 4 + ver%2
		c, err := net.DialTimeout("tcp", b.TCPAddress(), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		// End with a reset, not a FIN: tens of thousands of connections
		// left in TIME_WAIT would exhaust the loopback's ephemeral ports.
		_ = c.(*net.TCPConn).SetLinger(0)
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Write(login[ver]); err != nil {
			t.Fatal(err)
		}
		if ack := make([]byte, 4); !readConnack(c, ack) {
			t.Fatalf("login failed: % x", ack)
		}
		if _, err := c.Write(data); err == nil {
			_, _ = c.Write(tail) // may fail: the broker may have closed already
		}
		var ne net.Error
		if _, err := io.Copy(io.Discard, c); errors.As(err, &ne) && ne.Timeout() {
			t.Fatal("the broker kept a connection open on an invalid stream")
		}
		_ = c.Close()
		deadline := time.Now().Add(5 * time.Second)
		for {
			_, left := b.mochi.Clients.Get("fz")
			if !left && b.Stats().Connections == 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("session or connection left behind: %+v", b.Stats())
			}
			time.Sleep(100 * time.Microsecond)
		}
	})
}

// readConnack reads a successful CONNACK's first bytes (3.1.1: 20 02 00 00;
// MQTT 5 adds properties, which are drained by the caller's io.Copy).
func readConnack(c net.Conn, buf []byte) bool {
	if _, err := io.ReadFull(c, buf[:4]); err != nil {
		return false
	}
	if buf[0] != 0x20 || buf[3] != 0 {
		return false
	}
	_, _ = io.CopyN(io.Discard, c, int64(buf[1])-2) // the MQTT 5 properties
	return true
}
