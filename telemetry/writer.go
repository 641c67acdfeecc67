package telemetry

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pocketbase/pocketbase/tools/types"
)

// ErrClosed is returned by Commit once the pipeline is shutting down; the
// broker withholds the acknowledgement and the device retries after the
// restart.
var ErrClosed = errors.New("telemetry pipeline closed")

// row is one readings row; its created time is stamped as it is inserted
// (once per statement), so created follows the commit order.
type row struct {
	id, device, topic, data string
}

// job is one message waiting for its batch to commit.
type job struct {
	row   row
	ev    Event // handed to the seam after the commit
	entry *Entry
	state map[string]any // the decoded payload, for presence
	done  chan error     // buffered: the writer never blocks on it
	// urgent jobs (isUrgent: life-safety sensors, unreadable messages) end
	// the batch's linger: an SOS is committed with what is already
	// waiting, not after it.
	urgent bool
}

// writer is the group-commit writer: one goroutine opens a transaction
// for the first job waiting, inserts every job that arrives while the
// batch gathers (raw multi-row INSERTs), commits, then wakes the callers.
// The batch size follows the load: an idle appliance commits a lone
// message at once; under load a batch lingers briefly for the devices of
// the last one (see loop). lastBatch is the last batch's time from its
// first message to its commit.
type writer struct {
	db       *sql.DB
	maxBatch int
	linger   time.Duration      // most a batch waits for the last batch's senders
	after    func(batch []*job) // runs after a successful commit

	// mu guards closed against sends racing the close of in: senders hold
	// the read lock while sending.
	mu     sync.RWMutex
	closed bool
	in     chan *job
	done   chan struct{}

	stmts map[int]*sql.Stmt // multi-row INSERTs by row count

	// beforeCommit, when set (tests), runs before each batch commits.
	beforeCommit func(n int)

	batches, rows, failures atomic.Int64
	lastBatch               atomic.Int64
}

// chunkSizes are the multi-row INSERT sizes the writer prepares, largest
// first: rows go in by whole chunks of the first as they arrive, the rest
// split greedily.
var chunkSizes = []int{16, 4, 1}

// newWriter prepares the INSERT statements (now, while no transaction
// holds the single write connection) and starts the writer goroutine.
func newWriter(db *sql.DB, maxBatch int, linger time.Duration, after func([]*job)) (*writer, error) {
	w := &writer{db: db, maxBatch: maxBatch, linger: linger, after: after,
		in: make(chan *job, maxBatch*2), done: make(chan struct{}), stmts: map[int]*sql.Stmt{}}
	for _, n := range chunkSizes {
		if err := w.prepare(n); err != nil {
			w.closeStmts()
			return nil, err
		}
	}
	go w.loop()
	return w, nil
}

// submit queues j and waits for its batch to commit. It returns the
// commit's error, ctx's error if the caller gives up first (the row may
// still be stored), or ErrClosed.
func (w *writer) submit(ctx context.Context, j *job) error {
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return ErrClosed
	}
	select {
	case w.in <- j:
	case <-ctx.Done():
		w.mu.RUnlock()
		return ctx.Err()
	}
	w.mu.RUnlock()
	select {
	case err := <-j.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close stops accepting jobs, commits every job already queued and waits
// for the writer to finish (or ctx).
func (w *writer) close(ctx context.Context) error {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.in)
	}
	w.mu.Unlock()
	select {
	case <-w.done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("flush readings: %w", ctx.Err())
	}
}

func (w *writer) loop() {
	defer close(w.done)
	defer w.closeStmts()
	var linger *time.Timer
	prev := 1
	for {
		j, ok := <-w.in
		if !ok {
			return
		}
		b := w.begin(j)
		more := w.gather(b)
		// Under load, wait a moment for the senders of the last batch: each
		// device has one message in flight, so a batch can only grow by
		// waiting for acknowledged devices to send their next one. An idle
		// appliance (last batch of one) commits at once. Rows are inserted
		// while the batch waits, so only the commit is left at the end.
		if more && w.linger > 0 && len(b.jobs) < prev && len(b.jobs) < w.maxBatch && !b.urgent {
			if linger == nil {
				linger = time.NewTimer(w.linger)
			} else {
				linger.Reset(w.linger)
			}
		wait:
			for len(b.jobs) < prev && len(b.jobs) < w.maxBatch && b.err == nil && !b.urgent {
				if b.pending() > 0 {
					select {
					case j, ok := <-w.in:
						if !ok {
							break wait
						}
						b.add(j)
					default:
						w.insert(b, false) // nothing waiting: use the time
					}
					continue
				}
				select {
				case j, ok := <-w.in:
					if !ok {
						break wait
					}
					b.add(j)
				case <-linger.C:
					break wait
				}
			}
			linger.Stop()
			w.gather(b)
		}
		prev = len(b.jobs)
		if w.beforeCommit != nil {
			w.beforeCommit(len(b.jobs))
		}
		err := w.finish(b)
		for _, j := range b.jobs {
			j.done <- err
		}
		if err == nil && w.after != nil {
			w.after(b.jobs)
		}
	}
}

// batch is one transaction being filled.
type batch struct {
	tx       *sql.Tx
	jobs     []*job
	inserted int // jobs[:inserted] are in the transaction
	err      error
	start    time.Time
	urgent   bool // holds an urgent job: commit without lingering
}

func (b *batch) add(j *job) {
	b.jobs = append(b.jobs, j)
	b.urgent = b.urgent || j.urgent
}

func (b *batch) pending() int { return len(b.jobs) - b.inserted }

// begin opens a batch's transaction with its first job.
func (w *writer) begin(j *job) *batch {
	b := &batch{jobs: make([]*job, 0, 64), start: time.Now()}
	b.add(j)
	tx, err := w.db.Begin()
	if err != nil {
		b.err = fmt.Errorf("begin readings batch: %w", err)
		return b
	}
	b.tx = tx
	return b
}

// gather adds every job already waiting (up to maxBatch) without
// blocking, inserting full chunks on the way; false once in is closed.
func (w *writer) gather(b *batch) bool {
	for len(b.jobs) < w.maxBatch {
		select {
		case j, ok := <-w.in:
			if !ok {
				return false
			}
			b.add(j)
			if b.pending() >= chunkSizes[0] {
				w.insert(b, true)
			}
		default:
			return true
		}
	}
	return true
}

// insert adds pending rows to the transaction with the multi-row
// statements, largest first; with fullOnly, only whole chunks of the
// largest size.
func (w *writer) insert(b *batch, fullOnly bool) {
	if b.err != nil || b.pending() == 0 {
		return
	}
	created := types.NowDateTime().String()
	for _, n := range chunkSizes {
		if fullOnly && n != chunkSizes[0] {
			return
		}
		for b.pending() >= n {
			rows := b.jobs[b.inserted : b.inserted+n]
			args := make([]any, 0, n*5)
			for _, j := range rows {
				r := &j.row
				args = append(args, r.id, r.device, r.topic, r.data, created)
			}
			if _, err := b.tx.Stmt(w.stmts[n]).Exec(args...); err != nil {
				b.err = fmt.Errorf("insert %d readings: %w", n, err)
				return
			}
			b.inserted += n
		}
	}
}

// finish inserts what is left and commits; on any error the batch is
// rolled back and every one of its messages fails.
func (w *writer) finish(b *batch) error {
	w.insert(b, false)
	err := b.err
	if err == nil {
		if err = b.tx.Commit(); err != nil {
			err = fmt.Errorf("commit %d readings: %w", len(b.jobs), err)
		}
	} else if b.tx != nil {
		_ = b.tx.Rollback() // the error that matters is b.err
	}
	if err != nil {
		w.failures.Add(1)
		return err
	}
	w.batches.Add(1)
	w.rows.Add(int64(len(b.jobs)))
	w.lastBatch.Store(int64(time.Since(b.start)))
	return nil
}

// prepare prepares the INSERT of n rows. database/sql re-prepares it on
// the transaction's connection when the pool has replaced the connection.
func (w *writer) prepare(n int) error {
	var b strings.Builder
	b.WriteString("INSERT INTO readings (id, device, topic, data, created) VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?)")
	}
	s, err := w.db.Prepare(b.String())
	if err != nil {
		return fmt.Errorf("prepare readings insert: %w", err)
	}
	w.stmts[n] = s
	return nil
}

func (w *writer) closeStmts() {
	for n, s := range w.stmts {
		_ = s.Close() // closing a statement of a pool being shut down
		delete(w.stmts, n)
	}
}
