package broker

import (
	"context"
	"fmt"
	"sync"
)

// asyncCommits hands QoS 0 publishes to Sink.Commit on a few goroutines so
// that a device's read loop never waits for the database for a message it
// expects no acknowledgement for. The queue is bounded; when it is full the
// message is dropped and counted (QoS 0 is at most once by definition).
type asyncCommits struct {
	s       *Server
	ch      chan Message
	stop    chan struct{}
	wg      sync.WaitGroup
	startMu sync.Once
	stopMu  sync.Once
}

const asyncWorkers = 2

func newAsyncCommits(s *Server, depth int) *asyncCommits {
	return &asyncCommits{s: s, ch: make(chan Message, depth), stop: make(chan struct{})}
}

// offer queues m without blocking.
func (a *asyncCommits) offer(m Message) {
	select {
	case a.ch <- m:
	default:
		a.s.stats.qos0Dropped.Add(1)
	}
}

// start runs the workers.
func (a *asyncCommits) start() {
	a.startMu.Do(func() {
		for range asyncWorkers {
			a.wg.Add(1)
			go a.work()
		}
	})
}

func (a *asyncCommits) work() {
	defer a.wg.Done()
	for {
		select {
		case m := <-a.ch:
			a.commit(m)
		case <-a.stop:
			for { // drain what was queued before the broker stopped
				select {
				case m := <-a.ch:
					a.commit(m)
				default:
					return
				}
			}
		}
	}
}

func (a *asyncCommits) commit(m Message) {
	if err := a.s.commit(m); err != nil {
		a.s.stats.commitFailures.Add(1)
		a.s.refuse("publish", "commit failed (QoS 0)", m.Account.ID, "", "topic", m.Topic, "error", err)
	}
}

// shutdown stops the workers once the queue is drained, or when ctx ends.
// The channel is never closed, so a late offer cannot panic.
func (a *asyncCommits) shutdown(ctx context.Context) error {
	a.stopMu.Do(func() { close(a.stop) })
	done := make(chan struct{})
	go func() { a.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("drain QoS 0 queue (%d left): %w", len(a.ch), ctx.Err())
	}
}
