package broker

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/mochi-mqtt/server/v2/packets"
)

// TestIntegrationOutboundQueue: a subscriber on devices/+/up that stops
// reading for a while gets every message once it reads again, as long as
// its write queue holds them, although mochi's per-client channel is
// short; with the queue at its minimum, the same burst is dropped (so the
// difference is the queue). Devices get no queue.
//
// The publisher paces itself a little: mochi's channel also overflows when
// its write loop is not scheduled for a while (a busy 2-core machine), and
// that is not what this test is about.
func TestIntegrationOutboundQueue(t *testing.T) {
	const n, size = 4000, 2000 // 8 MB: more than loopback's socket buffers hold unread (4 MiB and more)
	for _, tc := range []struct {
		name      string
		queue     int
		wantDrops bool
	}{
		{"deep queue", 16 << 20, false},
		{"minimal queue", 4096, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			auth := newFakeAuth().device("dev-1").integration("board", nil, []string{"devices/+/up"})
			b := startBroker(t, Config{IntegrationQueue: tc.queue}, auth)
			sub := dialRaw(t, b.TCPAddress(), 4)
			sub.login("board")
			sub.send(packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Subscribe, Qos: 1}, PacketID: 1,
				Filters: []packets.Subscription{{Filter: "devices/+/up", Qos: 0}}})
			sub.expect(packets.Suback)
			dev := dialRaw(t, b.TCPAddress(), 4)
			dev.login("dev-1")

			if q := connOf(b.sessions.current("dev-1").client).out.Load(); q != nil {
				t.Error("a device got a write queue")
			}
			if q := connOf(b.sessions.current("board").client).out.Load(); q == nil {
				t.Fatal("the integration account has no write queue")
			}

			payload := bytes.Repeat([]byte("x"), size)
			for i := range n { // the subscriber reads nothing meanwhile
				dev.publishAck("devices/dev-1/up", fmt.Sprintf("%05d%s", i, payload[5:]), uint16(i%65535+1))
				if i%8 == 0 {
					time.Sleep(100 * time.Microsecond)
				}
			}
			got, skipped := 0, 0
			for got < n {
				pk, err := sub.read(time.Second)
				if err != nil {
					var ne net.Error
					if !errors.As(err, &ne) || !ne.Timeout() {
						t.Fatalf("subscriber: %v", err)
					}
					break
				}
				if pk.FixedHeader.Type != packets.Publish {
					continue
				}
				if want := fmt.Sprintf("%05d", got+skipped); !tc.wantDrops && string(pk.Payload[:5]) != want {
					if skipped == 0 {
						t.Errorf("message %q arrived as number %s: missing or out of order", pk.Payload[:5], want)
					}
					var at int
					_, _ = fmt.Sscanf(string(pk.Payload[:5]), "%d", &at)
					skipped = at - got
				}
				got++
			}
			dropped := b.Stats().OutboundDropped
			t.Logf("queue %d bytes: %d of %d delivered, %d dropped", tc.queue, got, n, dropped)
			if tc.wantDrops {
				if dropped == 0 || got == n {
					t.Errorf("expected drops without a queue; got %d, dropped %d", got, dropped)
				}
				return
			}
			if got != n || dropped != 0 {
				t.Errorf("delivered %d of %d, dropped %d", got, n, dropped)
			}
		})
	}
}

// TestWriteQueue covers the queue on its own: order, the bound, the flush
// on close, and the first socket error failing every later write.
func TestWriteQueue(t *testing.T) {
	t.Run("order and flush on close", func(t *testing.T) {
		a, b := net.Pipe()
		q := newWriteQueue(a, 64)
		var want bytes.Buffer
		got := make(chan []byte)
		go func() { all, _ := io.ReadAll(b); got <- all }()
		for i := range 100 {
			p := fmt.Appendf(nil, "packet %03d;", i)
			want.Write(p)
			if _, err := q.write(p); err != nil {
				t.Fatal(err)
			}
		}
		q.close()
		_ = a.Close()
		if g := <-got; !bytes.Equal(g, want.Bytes()) {
			t.Fatalf("read %q", g)
		}
		if _, err := q.write([]byte("late")); !errors.Is(err, net.ErrClosed) {
			t.Fatalf("write after close: %v", err)
		}
	})
	t.Run("bounded", func(t *testing.T) {
		a, b := net.Pipe() // nothing reads b: the first write blocks in the socket
		defer b.Close()
		q := newWriteQueue(a, 64)
		if _, err := q.write(make([]byte, 10)); err != nil { // taken by the flusher, stuck in the pipe
			t.Fatal(err)
		}
		eventually(t, "flusher took the first write", func() bool { return q.queued() == 0 })
		if _, err := q.write(make([]byte, 60)); err != nil {
			t.Fatal(err)
		}
		blocked := make(chan error, 1)
		go func() { _, err := q.write(make([]byte, 10)); blocked <- err }()
		select {
		case err := <-blocked:
			t.Fatalf("a write past the bound returned at once (%v)", err)
		case <-time.After(100 * time.Millisecond):
		}
		_ = a.Close() // the flusher's write fails: every writer learns it
		if err := <-blocked; err == nil {
			t.Fatal("write after the socket failed succeeded")
		}
		if _, err := q.write([]byte("x")); err == nil {
			t.Fatal("write after the socket failed succeeded")
		}
		q.close()
	})
}
