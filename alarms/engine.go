package alarms

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/rules"
	"github.com/fengqiao/fengqiao/telemetry"
)

// Publisher sends device commands (devices/{id}/cmd); the broker
// implements it.
type Publisher interface {
	Publish(topic string, payload []byte, retain bool, qos byte) error
}

// SeamStats is what the engine needs to know of the pipeline's queue to
// the rules: how many events it dropped so far, and how many wait now.
type SeamStats struct {
	Dropped int64
	Depth   int
}

// Config tunes the engine; zero values take the defaults in brackets.
type Config struct {
	// Location is the community's time zone: rules see now, hours and
	// days in it, and schedule rules run by it [time.Local].
	Location *time.Location
	// Publisher sends command actions [none: commands are logged].
	Publisher Publisher
	// Seam reports the pipeline's drops and depth [none].
	Seam func() SeamStats
	// FlushInterval is how often repeats and rule statistics are written
	// [1s]; CursorInterval how often silence-timer resets and then the
	// replay cursor are [10s]. A crash replays the readings since the
	// cursor: about CursorInterval of them.
	FlushInterval, CursorInterval time.Duration
	// AlarmTick is how often alarm rules look at aging alarms [30s].
	AlarmTick time.Duration
	// Slack is how far before the cursor a replay starts, for readings
	// committed a moment out of order [5s].
	Slack time.Duration
	// Logger [app.Logger(), when used].
	Logger *slog.Logger
}

func (c *Config) defaults(app core.App) {
	if c.Location == nil {
		c.Location = time.Local
	}
	if c.FlushInterval <= 0 {
		c.FlushInterval = time.Second
	}
	if c.CursorInterval <= 0 {
		c.CursorInterval = 10 * time.Second
	}
	if c.AlarmTick <= 0 {
		c.AlarmTick = 30 * time.Second
	}
	if c.Slack <= 0 {
		c.Slack = 5 * time.Second
	}
	if c.Logger != nil {
		c.Logger = c.Logger.With(slog.String("component", "alarms"))
	}
}

// logger is Config.Logger, else the app's logger (read when used: before
// the app bootstraps, app.Logger() is not the one it will log to).
func (e *Engine) logger() *slog.Logger {
	if e.cfg.Logger != nil {
		return e.cfg.Logger
	}
	return e.app.Logger().With(slog.String("component", "alarms"))
}

// Engine is the alarm engine of one app: see the package documentation.
// Create it with New when binding hooks (so record hooks can feed it),
// Start it in OnServe after the telemetry pipeline, Stop it in
// OnTerminate; both are safe to call more than once.
type Engine struct {
	app core.App
	cfg Config

	ctx     *contextCache
	counter *counter
	index   *alarmIndex
	book    atomic.Pointer[rulebook]
	ladders atomic.Pointer[policies]
	jobs    atomic.Pointer[[]scheduleJob]

	// mu serialises rule evaluation and guards the state below; never
	// held while waiting for anything but the database.
	mu     sync.Mutex
	timers map[string]*timer     // alarmKey(rule, device) → silence timer
	gone   map[string]bool       // timer keys to delete from the database
	marks  map[string]*mark      // alarmKey(rule, alarm) → alarm-rule mark
	stats  map[string]*ruleStat  // rule id → counts since the last flush
	reps   map[string]*repeatAcc // alarm id → repeats since the last flush
	fires  map[string]time.Time  // alarmKey(rule, device) → last notify/command (cooldown)
	cur    cursorState

	// Running state, set by Start and cleared by Stop.
	life    sync.Mutex
	running bool
	live    atomic.Bool
	gate    sync.Mutex // guards active.Add against Stop's Wait
	active  sync.WaitGroup
	done    sync.WaitGroup
	ready   chan struct{}
	rs      atomic.Pointer[runState]
	// created: no reading stored before the engine existed can have been
	// missed by it (see loadCursorLocked).
	created time.Time
}

// runState is what one Start creates: read without locks by hooks.
type runState struct {
	stop    chan struct{}
	sched   *scheduler
	changed chan string // alarm ids whose alarm rules need a look
}

// sched returns the running scheduler, nil when stopped.
func (e *Engine) sched() *scheduler {
	if rs := e.rs.Load(); rs != nil {
		return rs.sched
	}
	return nil
}

var _ telemetry.Handler = (*Engine)(nil)

// New returns a stopped engine for app.
func New(app core.App, cfg Config) *Engine {
	cfg.defaults(app)
	e := &Engine{app: app, cfg: cfg, ctx: newContextCache(), counter: newCounter(),
		index: newAlarmIndex(), ready: make(chan struct{}), created: time.Now()}
	e.resetState()
	e.book.Store(&rulebook{set: rules.NewRuleSet(), byID: map[string]*rules.Compiled{}, byKey: map[string]*rules.Compiled{}})
	e.ladders.Store(&policies{})
	e.jobs.Store(&[]scheduleJob{})
	return e
}

func (e *Engine) resetState() {
	e.timers, e.gone, e.marks = map[string]*timer{}, map[string]bool{}, map[string]*mark{}
	e.stats, e.reps, e.fires = map[string]*ruleStat{}, map[string]*repeatAcc{}, map[string]time.Time{}
	e.cur = cursorState{slack: e.cfg.Slack}
}

// Ready is closed once the engine has replayed what it missed and its
// silence timers run (for tests and the start-up log).
func (e *Engine) Ready() <-chan struct{} {
	e.life.Lock()
	defer e.life.Unlock()
	return e.ready
}

// Start loads rules, policies, the context cache, open alarms, timers
// and the cursor, then goes live: events are handled from now on, the
// readings the engine missed are replayed in the background, and timers,
// escalations and schedules run. A second call is a no-op.
func (e *Engine) Start() error {
	e.life.Lock()
	defer e.life.Unlock()
	if e.running {
		return nil
	}
	now := time.Now()
	e.mu.Lock()
	e.resetState()
	e.mu.Unlock()
	if err := e.load(now); err != nil {
		return fmt.Errorf("start alarm engine: %w", err)
	}
	rs := &runState{stop: make(chan struct{}), sched: newScheduler(e.runDue), changed: make(chan string, 1024)}
	e.rs.Store(rs)
	e.syncSchedules(e.book.Load())
	e.mu.Lock()
	e.armTimersLocked(now)
	e.mu.Unlock()
	e.armEscalations()
	if e.ready == nil || isClosed(e.ready) {
		e.ready = make(chan struct{})
	}
	e.running = true
	e.live.Store(true)

	e.done.Add(4)
	go func() { defer e.done.Done(); rs.sched.loop(rs.stop) }()
	go func() { defer e.done.Done(); e.flushLoop(rs.stop) }()
	go func() { defer e.done.Done(); e.alarmLoop(rs) }()
	go func(ready chan struct{}) {
		defer e.done.Done()
		if !e.startupReplay(rs.stop) {
			return
		}
		rs.sched.release()
		e.done.Add(1) // this goroutine holds a count: Stop's Wait is not at zero
		go func() { defer e.done.Done(); e.cronLoop(rs.stop) }()
		close(ready)
		e.logger().Info("alarm engine ready", slog.Int("rules", len(e.book.Load().byID)),
			slog.Int("open_alarms", len(e.index.openAlarms())), slog.Int("timers", e.timerCount()))
	}(e.ready)
	return nil
}

// load reads everything the engine keeps in memory.
func (e *Engine) load(now time.Time) error {
	book, err := loadRulebook(e.app, e.logger())
	if err != nil {
		return err
	}
	e.book.Store(book)
	ladders, err := loadPolicies(e.app, e.logger())
	if err != nil {
		return err
	}
	e.ladders.Store(&ladders)
	if err := e.ctx.load(e.app); err != nil {
		return err
	}
	if err := e.index.load(e.app, now); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.loadTimersLocked(); err != nil {
		return err
	}
	return e.loadCursorLocked()
}

// Stop stops handling events, timers and schedules, waits for the work in
// progress and writes the batched state and the cursor. Safe to call more
// than once.
func (e *Engine) Stop() error {
	e.life.Lock()
	defer e.life.Unlock()
	if !e.running {
		return nil
	}
	e.gate.Lock()
	e.live.Store(false)
	e.gate.Unlock()
	rs := e.rs.Load()
	close(rs.stop)
	e.done.Wait()
	e.active.Wait()
	err := e.flush()
	e.rs.Store(nil)
	e.running = false
	if !isClosed(e.ready) {
		close(e.ready) // nobody waits forever on a stopped engine
	}
	e.logger().Info("alarm engine stopped")
	if err != nil {
		return fmt.Errorf("stop alarm engine: %w", err)
	}
	return nil
}

// enter registers work started from outside the engine's goroutines (a
// device message, a cron job, a hook); false once the engine is stopping.
func (e *Engine) enter() bool {
	e.gate.Lock()
	defer e.gate.Unlock()
	if !e.live.Load() {
		return false
	}
	e.active.Add(1)
	return true
}

func (e *Engine) leave() { e.active.Done() }

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// ErrNotRunning is returned by operations that need a started engine.
var ErrNotRunning = errors.New("alarm engine not running")
