package broker

import (
	"context"
	"fmt"
	"net"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mochi-mqtt/server/v2/packets"
)

// nopSink accepts everything at once: the benchmarks measure the broker's
// own hot path (decode, ACL, ingest hook, PUBACK), not a database.
type nopSink struct{ n atomic.Int64 }

func (s *nopSink) Commit(context.Context, Message) error { s.n.Add(1); return nil }
func (s *nopSink) Presence(PresenceEvent)                {}

func benchBroker(b *testing.B, devices int) *Server {
	auth := newFakeAuth()
	for i := range devices {
		auth.device(fmt.Sprintf("bench-%d", i))
	}
	s, err := New(Config{TCPAddr: "127.0.0.1:0"}, auth, &nopSink{}, quietLogger())
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close(context.Background()) })
	return s
}

// BenchmarkPublishQoS1 is one device publishing QoS 1 and waiting for each
// PUBACK over loopback: the latency of the path "acknowledged means
// committed" adds to a publish.
func BenchmarkPublishQoS1(b *testing.B) {
	s := benchBroker(b, 1)
	c := dialRaw(b, s.TCPAddress(), 4)
	c.login("bench-0")
	payload := []byte(`{"motion":true,"battery":87}`)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		id := uint16(i%65535 + 1)
		c.send(publishPacket("devices/bench-0/up", payload, 1, id))
		if ack := c.expect(packets.Puback); ack.PacketID != id {
			b.Fatalf("PUBACK %d", ack.PacketID)
		}
	}
}

// BenchmarkPublishQoS1Parallel is many devices doing the same at once.
func BenchmarkPublishQoS1Parallel(b *testing.B) {
	const devices = 64
	s := benchBroker(b, devices)
	var next atomic.Int64
	payload := []byte(`{"motion":true,"battery":87}`)
	b.SetParallelism(max(1, devices/runtime.GOMAXPROCS(0))) // about 64 connections
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		id := fmt.Sprintf("bench-%d", next.Add(1)-1)
		c := dialRaw(b, s.TCPAddress(), 4)
		c.login(id)
		topic := "devices/" + id + "/up"
		for n := uint16(1); pb.Next(); n = n%65535 + 1 {
			c.send(publishPacket(topic, payload, 1, n))
			c.expect(packets.Puback)
		}
	})
}

// BenchmarkDevicePolicy is the ACL check every device publish passes twice.
func BenchmarkDevicePolicy(b *testing.B) {
	p := newPolicy(Account{ID: "sos-0042"}, DefaultMaxTopicLength)
	b.ReportAllocs()
	for range b.N {
		if p.publish("devices/sos-0042/up") != "" {
			b.Fatal("refused")
		}
	}
}

// BenchmarkConnectedDeviceMemory reports the memory one idle connected
// device costs the broker (heap and goroutine stacks, measured in-process;
// the client side here is a bare socket of a few hundred bytes, included).
func BenchmarkConnectedDeviceMemory(b *testing.B) {
	const devices = 2000
	s := benchBroker(b, devices)
	var before, after runtime.MemStats
	for range b.N {
		runtime.GC()
		runtime.ReadMemStats(&before)
		conns := make([]net.Conn, 0, devices)
		for i := range devices {
			id := fmt.Sprintf("bench-%d", i)
			c, err := net.Dial("tcp", s.TCPAddress())
			if err != nil {
				b.Fatal(err)
			}
			_, _ = c.Write(encode(connectPacket(id, id, "tok-"+id, 60), 4))
			if ack := make([]byte, 4); !readConnack(c, ack) {
				b.Fatalf("login %s: % x", id, ack)
			}
			conns = append(conns, c)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		used := (after.HeapInuse + after.StackInuse) - (before.HeapInuse + before.StackInuse)
		b.ReportMetric(float64(used)/devices, "bytes/device")
		for _, c := range conns {
			_ = c.(*net.TCPConn).SetLinger(0)
			_ = c.Close()
		}
		for s.Stats().Connections > 0 {
			time.Sleep(time.Millisecond)
		}
	}
}
