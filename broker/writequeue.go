package broker

import (
	"net"
	"sync"
	"time"
)

// writeQueue gives an integration account (a siren, an LED board, a feed
// subscribed to devices/+/up) a deep outbound queue without giving one to
// every device. mochi queues each client's outbound publishes in a channel
// whose length (MaxPendingWrites) is the same for all clients and allocated
// when the connection opens, before anyone knows who it is: 8 bytes a slot
// for ten thousand idle devices. Its write loop then writes packet by
// packet, and whatever arrives while the subscriber's socket is slow finds
// the channel full and is dropped.
//
// An integration's connection writes into this queue instead: mochi's
// write loop only copies bytes and so keeps its short channel empty, and
// one goroutine per integration writes whatever has gathered to the socket
// in one system call. The queue is bounded in bytes (Config.IntegrationQueue);
// a writer that finds it full waits, and the channel behind it fills and
// drops as before, so a subscriber that stops reading costs the broker at
// most that many bytes. The first socket error closes the connection.
type writeQueue struct {
	raw net.Conn
	max int

	mu     sync.Mutex
	more   sync.Cond // bytes queued, or closing: the flusher waits on it
	room   sync.Cond // bytes taken, an error, or closing: writers wait on it
	buf    []byte    // queued, not yet handed to the socket
	spare  []byte    // the previous buffer, reused
	err    error     // the first socket error; later writes fail with it
	closed bool
	done   chan struct{} // the flusher has returned
}

// queueCloseTimeout bounds the flush of what is still queued when the
// connection closes (e.g. a DISCONNECT to an MQTT 5 client).
const queueCloseTimeout = time.Second

// maxSpareBuffer is the largest buffer kept for reuse: past a burst, an
// idle integration holds no more than this.
const maxSpareBuffer = 64 << 10

func newWriteQueue(raw net.Conn, max int) *writeQueue {
	q := &writeQueue{raw: raw, max: max, done: make(chan struct{})}
	q.more.L, q.room.L = &q.mu, &q.mu
	go q.flush()
	return q
}

// write queues p, waiting while the queue holds max bytes or more (a
// single write larger than max goes through once the queue is empty).
func (q *writeQueue) write(p []byte) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.err == nil && !q.closed && len(q.buf) > 0 && len(q.buf)+len(p) > q.max {
		q.room.Wait()
	}
	switch {
	case q.err != nil:
		return 0, q.err
	case q.closed:
		return 0, net.ErrClosed
	}
	q.buf = append(q.buf, p...)
	q.more.Signal()
	return len(p), nil
}

// flush writes what gathers, one system call per batch, until the queue
// is closed and empty or the socket fails.
func (q *writeQueue) flush() {
	defer close(q.done)
	for {
		q.mu.Lock()
		for len(q.buf) == 0 && !q.closed {
			q.more.Wait()
		}
		if len(q.buf) == 0 {
			q.mu.Unlock()
			return
		}
		out := q.buf
		q.buf, q.spare = q.spare[:0], nil
		q.room.Broadcast()
		q.mu.Unlock()

		_, err := q.raw.Write(out)

		q.mu.Lock()
		if cap(out) <= maxSpareBuffer {
			q.spare = out[:0]
		}
		if err != nil {
			q.err, q.buf = err, nil
			q.room.Broadcast()
		}
		q.mu.Unlock()
		if err != nil {
			_ = q.raw.Close() // the read loop sees the end and mochi cleans up
			return
		}
	}
}

// close stops accepting writes and waits (at most queueCloseTimeout) for
// what is queued to be written; the caller then closes the socket.
func (q *writeQueue) close() {
	q.mu.Lock()
	if !q.closed {
		q.closed = true
		_ = q.raw.SetWriteDeadline(time.Now().Add(queueCloseTimeout))
	}
	q.more.Broadcast()
	q.room.Broadcast()
	q.mu.Unlock()
	t := time.NewTimer(queueCloseTimeout)
	defer t.Stop()
	select {
	case <-q.done:
	case <-t.C:
	}
}

// queued returns how many bytes wait for the socket.
func (q *writeQueue) queued() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.buf)
}
