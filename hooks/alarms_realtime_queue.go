package hooks

import (
	"log/slog"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

// Each subscriber of the alarm feed has a queue and one goroutine that
// hands its messages, in order, to the client's channel.
//
// PocketBase's client.Send blocks until the client's SSE loop takes the
// message (the channel is unbuffered), so PocketBase sends each message
// from a goroutine of its own: nothing waits, but two changes of one
// alarm may arrive in either order, and a stuck client collects
// goroutines. The feed's queue keeps the order, never blocks the
// broadcast, and bounds what a stuck client can hold: when its queue is
// full the client is disconnected (PocketBase's Unregister), its browser
// reconnects, and the board reloads its list on the new connection — an
// alarm is never silently dropped from a connected board.

const (
	// feedQueueKey stores a client's queue on the client.
	feedQueueKey = "fengqiao.alarmFeedQueue"
	// feedQueueSize is how many messages a client may fall behind.
	feedQueueSize = 1024
	// feedIdleCheck is how often an idle queue looks whether its client
	// is gone (drop normally stops it at once).
	feedIdleCheck = 10 * time.Second
)

// feedQueue is one client's queue.
type feedQueue struct {
	client subscriptions.Client
	mu     sync.Mutex
	ch     chan subscriptions.Message
	closed bool
}

// queueOf returns the client's queue, starting it on first use; nil for
// a client already gone.
func (f *alarmFeed) queueOf(c subscriptions.Client) *feedQueue {
	if q, ok := c.Get(feedQueueKey).(*feedQueue); ok {
		return q
	}
	f.queues.Lock()
	defer f.queues.Unlock()
	if q, ok := c.Get(feedQueueKey).(*feedQueue); ok {
		return q
	}
	if c.IsDiscarded() {
		return nil
	}
	q := &feedQueue{client: c, ch: make(chan subscriptions.Message, feedQueueSize)}
	c.Set(feedQueueKey, q)
	go q.run(feedIdleCheck)
	return q
}

// push queues m without waiting; false when the queue is full. A closed
// queue takes nothing and reports true: its client is gone.
func (q *feedQueue) push(m subscriptions.Message) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return true
	}
	select {
	case q.ch <- m:
		return true
	default:
		return false
	}
}

// close stops the queue; safe to call more than once.
func (q *feedQueue) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.closed {
		q.closed = true
		close(q.ch)
	}
}

// run delivers the queue in order until it is closed. Send returns at once
// for a discarded client (and recovers from its closed channel).
func (q *feedQueue) run(idleCheck time.Duration) {
	tick := time.NewTicker(idleCheck)
	defer tick.Stop()
	for {
		select {
		case m, ok := <-q.ch:
			if !ok {
				return
			}
			q.client.Send(m)
		case <-tick.C:
			if q.client.IsDiscarded() {
				q.close()
			}
		}
	}
}

// overflow disconnects a client that fell feedQueueSize messages behind.
func (f *alarmFeed) overflow(app core.App, c subscriptions.Client, q *feedQueue) {
	app.Logger().Warn("alarm feed: client too far behind, disconnecting it (it reconnects and reloads)",
		slog.String("client", c.Id()), slog.Int("queued", feedQueueSize))
	q.close()
	f.mu.Lock()
	delete(f.subscribers, c.Id())
	f.mu.Unlock()
	app.SubscriptionsBroker().Unregister(c.Id())
}
