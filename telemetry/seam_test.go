package telemetry

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/fengqiao/fengqiao/model"
)

// TestSeamBoundedQueue: a stuck handler never blocks the offer; events
// beyond the queue are dropped and counted; urgent events (SOS) have
// their own queue and go first once the handler is free.
func TestSeamBoundedQueue(t *testing.T) {
	gate := make(chan struct{})
	var mu sync.Mutex
	var order []string
	h := HandlerFunc(func(_ context.Context, ev Event) error {
		<-gate
		mu.Lock()
		order = append(order, ev.ClientID)
		mu.Unlock()
		return nil
	})
	s := newSeam(h, 4, slog.Default())
	// The first event is taken by the handler and held at the gate.
	s.offer(Event{ClientID: "pir-0", Kind: model.KindPIR})
	waitFor(t, "the handler to take the first event", func() bool { return s.depth() == 0 })
	start := time.Now()
	for range 10 {
		s.offer(Event{ClientID: "pir", Kind: model.KindPIR})
	}
	if !s.offer(Event{ClientID: "sos", Kind: model.KindSOSButton}) {
		t.Fatal("an SOS event was dropped although its queue is empty")
	}
	if time.Since(start) > time.Second {
		t.Fatal("offer blocked on a stuck handler")
	}
	if s.dropped.Load() != 6 || s.depth() != 5 {
		t.Fatalf("dropped %d, depth %d; want 6 and 5", s.dropped.Load(), s.depth())
	}
	close(gate)
	s.close(context.Background())
	if len(order) != 6 || order[1] != "sos" {
		t.Fatalf("handled %v; want pir-0, then sos ahead of the queued telemetry", order)
	}
	if s.handled.Load() != 6 || s.queued.Load() != 6 {
		t.Fatalf("handled %d, queued %d", s.handled.Load(), s.queued.Load())
	}
}

// TestSeamContainsHandlerFailures: an error or a panic is counted and the
// next event is handled.
func TestSeamContainsHandlerFailures(t *testing.T) {
	var got []string
	h := HandlerFunc(func(_ context.Context, ev Event) error {
		switch ev.ClientID {
		case "panics":
			panic("rule bug")
		case "fails":
			return errors.New("rule failed")
		}
		got = append(got, ev.ClientID)
		return nil
	})
	s := newSeam(h, 16, slog.Default())
	for _, id := range []string{"panics", "fails", "ok"} {
		s.offer(Event{ClientID: id})
	}
	s.close(context.Background())
	if s.failed.Load() != 2 || s.handled.Load() != 1 || len(got) != 1 {
		t.Fatalf("failed %d, handled %d, got %v", s.failed.Load(), s.handled.Load(), got)
	}
}
