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
//
// When the client's SSE loop is idle (waiting on its channel) and nothing
// is queued, push hands the message over directly: no goroutine of the
// feed is woken, which matters when fifty boards hear of an SOS at once
// on a busy two-core machine.

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
	wake   chan struct{} // capacity 1: "items changed"
	stop   chan struct{} // closed by close: abandon a hand-over in progress
	done   chan struct{} // closed when the goroutine has ended

	mu     sync.Mutex
	items  []subscriptions.Message
	busy   bool // the goroutine holds a message it is handing over
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
	q := &feedQueue{client: c, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	c.Set(feedQueueKey, q)
	go q.run(feedIdleCheck)
	return q
}

// push delivers or queues m without waiting; false when the queue is
// full. A closed queue takes nothing and reports true: its client is gone.
func (q *feedQueue) push(m subscriptions.Message) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return true
	}
	if !q.busy && len(q.items) == 0 && q.handOver(m) {
		return true
	}
	if len(q.items) >= feedQueueSize {
		return false
	}
	q.items = append(q.items, m)
	q.signal()
	return true
}

// handOver gives m to the client's SSE loop if it is waiting for one.
func (q *feedQueue) handOver(m subscriptions.Message) (ok bool) {
	if q.client.IsDiscarded() {
		return true // gone: nothing to deliver
	}
	defer func() {
		if recover() != nil { // discarded meanwhile: its channel is closed
			ok = true
		}
	}()
	select {
	case q.client.Channel() <- m:
		return true
	default:
		return false
	}
}

func (q *feedQueue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// close stops the queue; safe to call more than once.
func (q *feedQueue) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.closed {
		q.closed = true
		q.items = nil
		close(q.stop)
	}
}

// next takes the first queued message and marks the queue busy; false
// when there is none.
func (q *feedQueue) next() (subscriptions.Message, bool, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.busy = false
	if q.closed {
		return subscriptions.Message{}, false, true
	}
	if len(q.items) == 0 {
		return subscriptions.Message{}, false, false
	}
	m := q.items[0]
	q.items[0] = subscriptions.Message{}
	q.items = q.items[1:]
	q.busy = true
	return m, true, false
}

// run hands the queued messages over in order until the queue is closed.
func (q *feedQueue) run(idleCheck time.Duration) {
	defer close(q.done)
	tick := time.NewTicker(idleCheck)
	defer tick.Stop()
	for {
		m, ok, closed := q.next()
		if closed {
			return
		}
		if ok {
			q.send(m)
			continue
		}
		select {
		case <-q.wake:
		case <-q.stop:
		case <-tick.C:
			if q.client.IsDiscarded() {
				q.close()
			}
		}
	}
}

// send waits until the client's SSE loop takes m, or the queue is closed.
// Like PocketBase's client.Send it returns at once for a discarded client
// and recovers if the client is discarded (its channel closed) meanwhile.
func (q *feedQueue) send(m subscriptions.Message) {
	if q.client.IsDiscarded() {
		return
	}
	defer func() { _ = recover() }()
	select {
	case q.client.Channel() <- m:
	case <-q.stop:
	}
}

// overflow disconnects a client that fell feedQueueSize messages behind.
func (f *alarmFeed) overflow(app core.App, c subscriptions.Client, q *feedQueue) {
	app.Logger().Warn("alarm feed: client too far behind, disconnecting it (it reconnects and reloads)",
		slog.String("client", c.Id()), slog.Int("queued", feedQueueSize))
	q.close()
	<-q.done // its goroutine no longer sends to the channel Unregister closes
	f.mu.Lock()
	delete(f.subscribers, c.Id())
	f.mu.Unlock()
	app.SubscriptionsBroker().Unregister(c.Id())
}
