package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

// Publisher is how mqtt deliveries reach sirens and LED boards (the
// broker implements it).
type Publisher interface {
	Publish(topic string, payload []byte, retain bool, qos byte) error
}

// Worker sends the deliveries outbox: it claims due rows, sends each with
// the sender of its kind, and records the outcome on the row. One worker
// per app. Its methods are safe for concurrent use.
type Worker struct {
	app     core.App
	cfg     Config
	log     *slog.Logger
	senders *senders

	wake  chan struct{} // a ping: something may be due now
	slots chan struct{} // one token per send in flight

	mu       sync.Mutex
	state    int // 0 new, 1 running, 2 stopped
	quit     chan struct{}
	loopDone chan struct{}
	// sendCtx is cancelled when Stop runs out of time: the sends still
	// in flight give up and their rows go back to pending.
	sendCtx     context.Context
	cancelSends context.CancelFunc
	inflight    sync.WaitGroup
	// sending holds the ids of the deliveries in flight, so the loop can
	// tell a row stuck in sending (its outcome could not be written) from
	// one being sent.
	sending sync.Map
	// lastSweep is when the loop last looked for stuck rows.
	lastSweep time.Time
}

// New returns a worker for app's outbox. publisher may be nil (mqtt
// deliveries then fail and are retried until one is set up); logger nil
// means app.Logger().
func New(app core.App, cfg Config, publisher Publisher, logger *slog.Logger) *Worker {
	cfg = cfg.withDefaults()
	if logger == nil {
		logger = app.Logger()
	}
	logger = logger.With(slog.String("component", "notify"))
	ctx, cancel := context.WithCancel(context.Background())
	return &Worker{
		app: app, cfg: cfg, log: logger,
		senders: &senders{app: app, client: cfg.HTTPClient, pub: publisher},
		wake:    make(chan struct{}, 1), slots: make(chan struct{}, cfg.Concurrency),
		quit: make(chan struct{}), loopDone: make(chan struct{}),
		sendCtx: ctx, cancelSends: cancel,
	}
}

// Start puts deliveries left in sending by a crash back to pending, then
// starts sending. A second call is a no-op; a stopped worker stays
// stopped.
func (w *Worker) Start() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch w.state {
	case 1:
		return nil
	case 2:
		return errors.New("notify: worker already stopped")
	}
	n, err := releaseStale(w.app, time.Now(), func(string) bool { return false })
	if err != nil {
		return fmt.Errorf("notify: start: %w", err)
	}
	if n > 0 {
		w.log.Warn("deliveries interrupted by a crash go out again", slog.Int("count", n))
	}
	w.state = 1
	go w.loop()
	return nil
}

// Wake tells the worker a delivery may be due now (hooks call it when a
// delivery is created), so it does not wait for the poll interval. It
// never blocks.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Stop stops claiming deliveries and waits for the sends in flight. When
// ctx ends first, those sends are cut short and their rows go back to
// pending (sent again at the next start), and Stop returns ctx's error.
// Safe to call twice, and before Start.
func (w *Worker) Stop(ctx context.Context) error {
	w.mu.Lock()
	running := w.state == 1
	w.state = 2
	w.mu.Unlock()
	if !running {
		w.cancelSends()
		return nil
	}
	close(w.quit)
	<-w.loopDone
	done := make(chan struct{})
	go func() {
		w.inflight.Wait()
		close(done)
	}()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		w.cancelSends()
		<-done // senders honour the cancellation
		err = fmt.Errorf("notify: stop: sends in flight released to pending: %w", ctx.Err())
	}
	w.cancelSends()
	w.cfg.HTTPClient.CloseIdleConnections()
	return err
}

// loop claims and starts sends whenever it is woken, a retry falls due or
// the poll interval passes.
func (w *Worker) loop() {
	defer close(w.loopDone)
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-w.quit:
			return
		case <-w.wake:
		case <-timer.C:
		}
		timer.Reset(w.dispatch())
	}
}

// dispatch claims as many due deliveries as there are free slots, starts
// their sends, and says how long to sleep.
func (w *Worker) dispatch() time.Duration {
	free := cap(w.slots) - len(w.slots) // only this goroutine takes slots
	if free == 0 {
		return w.cfg.PollInterval // a finishing send wakes the loop
	}
	limit := min(free, w.cfg.BatchSize)
	now := time.Now()
	w.sweep(now)
	claimed, err := claim(w.app, limit, now)
	if err != nil {
		w.log.Error("claiming deliveries failed", slog.String("error", err.Error()))
		return min(w.cfg.PollInterval, time.Second)
	}
	for _, r := range claimed {
		w.sending.Store(r.Id, true)
		w.slots <- struct{}{}
		w.inflight.Add(1)
		go w.run(r)
	}
	if len(claimed) == limit {
		return 0 // there may be more due
	}
	wait := w.cfg.PollInterval
	next, ok, err := nextDue(w.app, now)
	if err != nil {
		w.log.Error("reading the next retry failed", slog.String("error", err.Error()))
	}
	if ok && next.Sub(now) < wait {
		wait = max(next.Sub(now), 0)
	}
	return wait
}

// sweep, once per poll interval, puts rows stuck in sending (not in
// flight here) back to pending.
func (w *Worker) sweep(now time.Time) {
	if now.Sub(w.lastSweep) < w.cfg.PollInterval {
		return
	}
	w.lastSweep = now
	n, err := releaseStale(w.app, now, func(id string) bool { _, ok := w.sending.Load(id); return ok })
	if err != nil {
		w.log.Error("releasing stuck deliveries failed", slog.String("error", err.Error()))
	}
	if n > 0 {
		w.log.Warn("deliveries stuck in sending go out again", slog.Int("count", n))
	}
}

// run sends one claimed delivery and records the outcome.
func (w *Worker) run(r *core.Record) {
	defer func() {
		w.sending.Delete(r.Id)
		<-w.slots
		w.inflight.Done()
		w.Wake()
	}()
	err := w.senders.send(w.sendCtx, r, w.cfg.SendTimeout)
	o := outcome{err: err, now: time.Now()}
	switch {
	case err == nil:
	case w.sendCtx.Err() != nil:
		o.released = true
	case isPermanent(err):
	default:
		attempts := r.GetInt("attempts") + 1
		o.retryIn = backoff(w.cfg.BackoffBase, w.cfg.BackoffMax, attempts, retryAfterOf(err))
	}
	if err := record(w.app, r, o); err != nil {
		// The row stays in sending; the next sweep sends it again.
		w.log.Error("recording a delivery's outcome failed", slog.String("delivery", r.Id), slog.String("error", err.Error()))
		return
	}
	w.logOutcome(r, o)
}

func (w *Worker) logOutcome(r *core.Record, o outcome) {
	attrs := []any{slog.String("delivery", r.Id), slog.String("kind", r.GetString("kind")),
		slog.String("status", r.GetString("status")), slog.Int("attempts", r.GetInt("attempts"))}
	switch {
	case o.err == nil:
		w.log.Debug("delivery sent", attrs...)
	case o.released:
		w.log.Info("delivery released to pending at stop", attrs...)
	case isPermanent(o.err):
		w.log.Error("delivery dead: no retry can help, staff may retry it once fixed",
			append(attrs, slog.String("error", o.err.Error()))...)
	default:
		w.log.Warn("delivery failed", append(attrs, slog.String("error", o.err.Error()),
			slog.Duration("retry_in", o.retryIn))...)
	}
}
