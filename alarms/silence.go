package alarms

import (
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/rules"
)

// timer is one silence rule watching one device: the silence started at
// last (the last message that reset it, or when the watch began) and runs
// out at the rule's SilenceDeadline(last).
type timer struct {
	rule, device string
	last         time.Time
	// fired: the rule was evaluated at the deadline (and acted); nothing
	// more until the next reset. suspended: the elder was away at the
	// deadline; the watch resumes when the mode ends.
	fired, suspended bool
	dirty            bool // changed since the last flush
}

func (e *Engine) timerCount() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.timers)
}

// timerRow is an alarm_timers row.
type timerRow struct {
	Rule      string `db:"rule"`
	Subject   string `db:"subject"`
	Kind      string `db:"kind"`
	LastAt    string `db:"last_at"`
	Fired     bool   `db:"fired"`
	Suspended bool   `db:"suspended"`
}

// loadTimersLocked reads the stored timers and alarm-rule marks.
func (e *Engine) loadTimersLocked() error {
	var rows []timerRow
	err := e.app.DB().Select("rule", "subject", "kind", "last_at", "fired", "suspended").
		From(model.CollectionAlarmTimers).All(&rows)
	if err != nil {
		return fmt.Errorf("load alarm timers: %w", err)
	}
	for _, r := range rows {
		last := parseDBDate(r.LastAt)
		key := alarmKey(r.Rule, r.Subject)
		switch r.Kind {
		case model.TimerSilence:
			e.timers[key] = &timer{rule: r.Rule, device: r.Subject, last: last, fired: r.Fired, suspended: r.Suspended}
		case model.TimerAlarm:
			e.marks[key] = &mark{rule: r.Rule, alarm: r.Subject, at: last}
		}
	}
	return nil
}

// armTimersLocked makes the timers match the silence rules and devices:
// a device a silence rule watches without a timer starts its silence now;
// timers of rules or devices gone are dropped. Every armed timer is
// scheduled (held until the start-up replay is done).
func (e *Engine) armTimersLocked(now time.Time) {
	book := e.book.Load()
	want := map[string]bool{}
	for _, c := range book.ofWhen(rules.WhenSilence) {
		for _, dev := range e.ctx.devicesOf(c.Rule.DeviceKinds) {
			key := alarmKey(c.ID(), dev)
			want[key] = true
			if e.timers[key] == nil {
				e.timers[key] = &timer{rule: c.ID(), device: dev, last: now, dirty: true}
			}
		}
	}
	for key, tm := range e.timers {
		if !want[key] {
			delete(e.timers, key)
			e.gone[key] = true
			continue
		}
		delete(e.gone, key)
		e.scheduleTimerLocked(key, tm, book)
	}
	for key, m := range e.marks {
		if _, open := e.index.get(m.alarm); !open {
			delete(e.marks, key)
			e.gone[key] = true
		}
	}
}

// scheduleTimerLocked puts a timer's next check on the scheduler.
func (e *Engine) scheduleTimerLocked(key string, tm *timer, book *rulebook) {
	c := book.byID[tm.rule]
	if c == nil {
		return
	}
	switch {
	case tm.suspended:
		e.sched().add(dueItem{at: e.resumeAt(tm.device), kind: dueSilence, key: key})
	case !tm.fired:
		if due := c.SilenceDeadline(tm.last); !due.IsZero() {
			e.sched().add(dueItem{at: due, kind: dueSilence, key: key})
		}
	}
}

// resumeAt is when to look again at a timer suspended for its elder: when
// the elder's mode ends (mode_until), else an hour from now (a mode
// change in the admin UI also wakes it, see ObserveRecord).
func (e *Engine) resumeAt(device string) time.Time {
	var env rules.Env
	e.ctx.subject(&env, device)
	if u := env.Elder.ModeUntil; !u.IsZero() {
		return u
	}
	return time.Now().Add(time.Hour)
}

// resetTimerLocked restarts a device's silence at t (a matching message).
// Only a later message moves it, so a replayed one changes nothing.
func (e *Engine) resetTimerLocked(rule, device string, t time.Time) {
	key := alarmKey(rule, device)
	tm := e.timers[key]
	if tm == nil {
		tm = &timer{rule: rule, device: device}
		e.timers[key] = tm
		delete(e.gone, key)
	} else if !t.After(tm.last) {
		return
	}
	wasWaiting := tm.last.IsZero() || tm.fired || tm.suspended
	tm.last, tm.fired, tm.suspended, tm.dirty = t, false, false, true
	if wasWaiting && e.sched() != nil {
		// Not on the scheduler (fired, suspended or new): put it there. An
		// armed timer already has an entry no later than its new deadline.
		e.scheduleTimerLocked(key, tm, e.book.Load())
	}
}

// checkSilence runs when a timer may have run out.
func (e *Engine) checkSilence(key string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	tm := e.timers[key]
	book := e.book.Load()
	if tm == nil || tm.fired {
		return
	}
	c := book.byID[tm.rule]
	if c == nil || c.Rule.When != rules.WhenSilence {
		return
	}
	now := time.Now()
	env := rules.Env{Event: rules.EventSilence, Counter: e.counter}
	if tm.suspended {
		env.Now = now.In(e.cfg.Location)
		if !e.ctx.subject(&env, tm.device) {
			return
		}
		if env.Elder.Away(now) {
			e.sched().add(dueItem{at: e.resumeAt(tm.device), kind: dueSilence, key: key})
			return
		}
		// The mode ended: the silence counts from then.
		from := now
		if u := env.Elder.ModeUntil; !u.IsZero() && u.Before(now) && u.After(tm.last) {
			from = u
		}
		tm.last, tm.suspended, tm.dirty = from, false, true
		e.scheduleTimerLocked(key, tm, book)
		return
	}
	due := c.SilenceDeadline(tm.last)
	if due.IsZero() {
		return
	}
	if due.After(now) {
		e.sched().add(dueItem{at: due, kind: dueSilence, key: key})
		return
	}
	env.Now = due.In(e.cfg.Location)
	if !e.ctx.subject(&env, tm.device) {
		return
	}
	r := c.Evaluate(&env)
	tm.dirty = true
	if r.Suspended {
		tm.suspended = true
		e.sched().add(dueItem{at: e.resumeAt(tm.device), kind: dueSilence, key: key})
		return
	}
	tm.fired = true
	src := origin{payload: map[string]any{"silence_since": tm.last.UTC(), "silence_for": c.Rule.SilenceFor, "due": due.UTC()}}
	if err := e.applyLocked(&r, &env, src); err != nil {
		e.logger().Error("silence rule failed to act", slog.String("rule", ruleLabel(c)),
			slog.String("device", env.Device.ClientID), slog.String("error", err.Error()))
		tm.fired = false // try again
		e.sched().add(dueItem{at: now.Add(30 * time.Second), kind: dueSilence, key: key})
	}
}

// elderChanged wakes the suspended timers of an elder's devices, whose
// mode may have ended.
func (e *Engine) elderChanged(elderID string) {
	if !e.enter() {
		return
	}
	defer e.leave()
	devices := e.ctx.devicesOfElder(elderID)
	e.mu.Lock()
	defer e.mu.Unlock()
	for key, tm := range e.timers {
		if tm.suspended && slices.Contains(devices, tm.device) {
			e.sched().add(dueItem{at: time.Now(), kind: dueSilence, key: key})
		}
	}
}

// parseDBDate reads a date column ("" is the zero time).
func parseDBDate(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	d, err := types.ParseDateTime(s)
	if err != nil {
		return time.Time{}
	}
	return d.Time()
}

// timerParams are the columns of a timer's row.
func timerParams(rule, subject, kind string, last, due time.Time, fired, suspended bool) dbx.Params {
	return dbx.Params{"rule": rule, "subject": subject, "kind": kind, "last": dbDate(last), "due": dbDate(due),
		"fired": fired, "suspended": suspended}
}
