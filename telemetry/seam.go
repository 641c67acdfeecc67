package telemetry

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fengqiao/fengqiao/model"
)

// seam hands committed events to the Handler on its own goroutine through
// two bounded queues: urgent (life-safety sensors: SOS buttons, smoke,
// gas and water-leak detectors; unreadable messages) and
// normal. The writer offers events without ever blocking; when a queue is
// full the event is dropped and counted (its reading is stored anyway).
// The dispatcher always empties the urgent queue first, so a flood of
// ordinary telemetry cannot starve an SOS.
type seam struct {
	handler Handler
	logger  *slog.Logger
	urgent  chan Event
	normal  chan Event

	ctx    context.Context
	cancel context.CancelFunc
	stop   chan struct{}
	once   sync.Once
	done   chan struct{}

	queued, dropped, handled, failed atomic.Int64
}

func newSeam(h Handler, depth int, logger *slog.Logger) *seam {
	if h == nil {
		h = NopHandler{}
	}
	ctx, cancel := context.WithCancel(context.Background())
	urgentDepth := max(depth/8, 64)
	s := &seam{handler: h, logger: logger, urgent: make(chan Event, urgentDepth), normal: make(chan Event, depth),
		ctx: ctx, cancel: cancel, stop: make(chan struct{}), done: make(chan struct{})}
	go s.loop()
	return s
}

// isUrgent: events that must reach the rule engine before any telemetry.
func isUrgent(ev *Event) bool {
	return ev.Unreadable || slices.Contains(model.LifeSafetyKinds, ev.Kind)
}

// offer queues ev without blocking; false if it was dropped.
func (s *seam) offer(ev Event) bool {
	q := s.normal
	if isUrgent(&ev) {
		q = s.urgent
	}
	select {
	case q <- ev:
		s.queued.Add(1)
		return true
	default:
		if n := s.dropped.Add(1); n == 1 || n%1000 == 0 { // a full queue must not flood the log too
			s.logger.Warn("telemetry seam full: event dropped (its reading is stored)",
				slog.String("device", ev.ClientID), slog.String("topic", ev.Topic),
				slog.Int("capacity", cap(q)), slog.Int64("dropped_total", n))
		}
		return false
	}
}

// depth is the number of events waiting.
func (s *seam) depth() int { return len(s.urgent) + len(s.normal) }

func (s *seam) loop() {
	defer close(s.done)
	for {
		select {
		case ev := <-s.urgent:
			s.handle(ev)
			continue
		default:
		}
		select {
		case ev := <-s.urgent:
			s.handle(ev)
		case ev := <-s.normal:
			s.handle(ev)
		case <-s.stop:
			s.drain()
			return
		}
	}
}

// drain hands on what is still queued at shutdown, urgent first.
func (s *seam) drain() {
	for {
		select {
		case ev := <-s.urgent:
			s.handle(ev)
			continue
		default:
		}
		select {
		case ev := <-s.urgent:
			s.handle(ev)
		case ev := <-s.normal:
			s.handle(ev)
		default:
			return
		}
	}
}

// handle calls the handler, containing its panics: a broken rule must not
// stop the seam.
func (s *seam) handle(ev Event) {
	defer func() {
		if r := recover(); r != nil {
			s.failed.Add(1)
			s.logger.Error("telemetry handler panicked", slog.String("device", ev.ClientID), slog.Any("panic", r))
		}
	}()
	if err := s.handler.HandleEvent(s.ctx, ev); err != nil {
		s.failed.Add(1)
		s.logger.Error("telemetry handler failed", slog.String("device", ev.ClientID),
			slog.String("topic", ev.Topic), slog.String("error", err.Error()))
		return
	}
	s.handled.Add(1)
}

// close stops the seam after the queued events are handled; when ctx ends
// first, the handler's context is cancelled and close waits a moment more
// for the current event.
func (s *seam) close(ctx context.Context) {
	s.once.Do(func() { close(s.stop) })
	select {
	case <-s.done:
	case <-ctx.Done():
		s.cancel()
		select {
		case <-s.done:
		case <-time.After(time.Second):
		}
	}
	s.cancel()
}
