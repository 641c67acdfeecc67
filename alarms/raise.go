package alarms

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/rules"
)

// repeatAcc is the repeats of one alarm since the last flush.
type repeatAcc struct {
	n    int
	last time.Time
}

// raiseLocked raises rule c's alarm for env's device at env.Now, or
// repeats the open one, or does nothing when the moment is already
// covered (a replayed reading) or within the cooldown. It returns the
// alarm's id ("" when none). e.mu is held.
//
// The decision only depends on the latest alarm of (rule, device), which
// makes it idempotent: a firing at a time that alarm already covers — up
// to its last_seen while open, up to its resolution once resolved — is
// not applied twice.
func (e *Engine) raiseLocked(c *rules.Compiled, a rules.Action, env *rules.Env, src origin) (string, error) {
	dev, t := env.Device.ID, env.Now
	last, ok := e.index.last(c.ID(), dev)
	cool := c.Cooldown
	switch {
	case ok && last.open():
		if t.Before(last.firstSeen) || !t.After(last.lastSeen) {
			return last.id, nil // covered: this firing was counted
		}
		if cool > 0 && t.Sub(last.lastSeen) < cool {
			return last.id, nil // cooled down: no repeat yet
		}
		e.index.repeat(last.id, t)
		acc := e.reps[last.id]
		if acc == nil {
			acc = &repeatAcc{}
			e.reps[last.id] = acc
		}
		acc.n++
		if t.After(acc.last) {
			acc.last = t
		}
		if a.Kind != "" {
			e.counter.record(subjectOf(env), a.Kind, t)
		}
		return last.id, nil
	case ok && !last.resolvedAt.IsZero() && !t.After(last.resolvedAt):
		return "", nil // covered by an alarm resolved since
	case ok && cool > 0 && !t.Before(last.lastSeen) && t.Sub(last.lastSeen) < cool:
		return "", nil // cooldown after the last alarm
	}
	id, err := e.createAlarm(c, a, env, src)
	if err != nil && isUniqueViolation(err) {
		// An open alarm of (rule, device) the index did not know (made by
		// hand, or by another process): adopt it and repeat it.
		if rec, ferr := e.findOpen(c.ID(), dev); ferr == nil {
			e.index.put(refOf(rec))
			return e.raiseLocked(c, a, env, src)
		}
	}
	if err != nil {
		return "", err
	}
	if a.Kind != "" {
		e.counter.record(subjectOf(env), a.Kind, t)
	}
	return id, nil
}

// createAlarm writes a new alarm with its raise event and the deliveries
// of every escalation step due by now, in one transaction; realtime
// subscribers hear of it after the commit.
func (e *Engine) createAlarm(c *rules.Compiled, a rules.Action, env *rules.Env, src origin) (string, error) {
	t, now := env.Now, time.Now()
	elder, household, grid := e.ctx.ids(env.Device.ID)
	title := strings.TrimSpace(a.Title)
	if title == "" {
		title = c.Rule.Name
	}
	var lad *ladder
	if ls := e.ladders.Load(); ls != nil {
		lad = (*ls)[a.Severity]
	}
	// The alarm is committed (and its dashboards told) before its first
	// step's deliveries are written: it is saved with the ladder's first
	// step due, and escalate runs what is due right after the commit. A
	// crash in between loses nothing: the step is still due on the alarm
	// row, and the restart's re-arming runs it.
	var next time.Time
	if lad != nil {
		next = t.Add(lad.steps[0].Delay)
	}
	var rec *model.Alarm
	err := e.app.RunInTransaction(func(tx core.App) error {
		var err error
		if rec, err = model.NewAlarm(tx); err != nil {
			return err
		}
		rec.SetRule(c.ID())
		rec.SetDevice(env.Device.ID)
		rec.SetElder(elder)
		rec.SetHousehold(household)
		rec.SetGrid(grid)
		rec.SetSeverity(a.Severity)
		rec.SetKind(a.Kind)
		rec.SetTitle(truncate(title, 300))
		rec.SetStatus(model.AlarmActive)
		rec.SetCount(1)
		rec.SetFirstSeen(t)
		rec.SetLastSeen(t)
		rec.SetEscalationLevel(0)
		rec.SetNextEscalationAt(next)
		if src.payload != nil {
			rec.SetPayload(src.payload)
		}
		if err := tx.Save(rec); err != nil {
			return fmt.Errorf("save alarm: %w", err)
		}
		data := map[string]any{"rule": ruleLabel(c), "event": env.Event}
		if src.reading != "" {
			data["reading"] = src.reading
		}
		if src.topic != "" {
			data["topic"] = src.topic
		}
		if src.alarm != "" {
			data["alarm"] = src.alarm
		}
		return appendEvent(tx, rec, model.AlarmEventRaise, Actor{}, "", model.AlarmActive, "", data)
	})
	if err != nil {
		return "", fmt.Errorf("raise %s for device %s: %w", ruleLabel(c), env.Device.ID, err)
	}
	e.ObserveAlarm(rec.Record) // the hook does it too; the index must know before the next event
	e.logger().Info("alarm raised", slog.String("alarm", rec.Id), slog.String("rule", ruleLabel(c)),
		slog.String("severity", a.Severity), slog.String("device", env.Device.ClientID),
		slog.Duration("after", now.Sub(t)))
	if lad != nil && !next.After(now) {
		if err := e.escalate(rec.Id, now); err != nil {
			// The step stays due on the alarm row: the scheduler retries.
			e.logger().Error("first escalation step failed; retrying", slog.String("alarm", rec.Id), slog.String("error", err.Error()))
			e.sched().add(dueItem{at: time.Now().Add(escalationRetry), kind: dueEscalation, key: rec.Id})
		}
	}
	return rec.Id, nil
}

// alarmBody is the one-line text of an alarm's notifications.
func alarmBody(env *rules.Env) string {
	return bodyOf(env.Elder.Name, env.Household.Address, env.Device.Name, env.Device.Location)
}

// bodyOf joins the non-empty parts of a notification's one-line text.
func bodyOf(parts ...string) string {
	parts = slices.DeleteFunc(parts, func(s string) bool { return s == "" })
	return strings.Join(parts, " · ")
}

// clearLocked resolves rule c's open alarm for a device as cleared (the
// rule's clear condition or a clear action). An event older than the
// alarm does not clear it. e.mu is held.
func (e *Engine) clearLocked(c *rules.Compiled, device string, env *rules.Env, why string, src origin) error {
	last, ok := e.index.last(c.ID(), device)
	if !ok || !last.open() || env.Now.Before(last.firstSeen) {
		return nil
	}
	acc := e.reps[last.id]
	delete(e.reps, last.id)
	var rec *model.Alarm
	err := e.app.RunInTransaction(func(tx core.App) error {
		r, err := tx.FindRecordById(model.CollectionAlarms, last.id)
		if err != nil {
			return fmt.Errorf("find alarm %s: %w", last.id, err)
		}
		rec = model.AsAlarm(r)
		if !rec.Open() {
			return nil
		}
		from := rec.Status()
		applyRepeats(rec, acc)
		rec.SetStatus(model.AlarmResolved)
		rec.SetCleared(true)
		rec.SetResolvedAt(env.Now)
		rec.SetResolution(truncate(why, 2000))
		rec.SetNextEscalationAt(time.Time{})
		rec.SetSnoozedUntil(time.Time{})
		if err := tx.Save(rec); err != nil {
			return fmt.Errorf("clear alarm: %w", err)
		}
		data := map[string]any{"rule": ruleLabel(c), "event": env.Event}
		if src.reading != "" {
			data["reading"] = src.reading
		}
		return appendEvent(tx, rec, model.AlarmEventClear, Actor{}, from, model.AlarmResolved, why, data)
	})
	if err != nil {
		if acc != nil {
			e.reps[last.id] = acc // keep the repeats for the next flush
		}
		return fmt.Errorf("clear %s for device %s: %w", ruleLabel(c), device, err)
	}
	e.ObserveAlarm(rec.Record)
	return nil
}

// applyRepeats adds pending repeats to an alarm record.
func applyRepeats(rec *model.Alarm, acc *repeatAcc) {
	if acc == nil || acc.n == 0 {
		return
	}
	rec.SetCount(rec.Count() + acc.n)
	if acc.last.After(rec.LastSeen().Time()) {
		rec.SetLastSeen(acc.last)
	}
}

// findOpen loads the open alarm of (rule, device).
func (e *Engine) findOpen(rule, device string) (*core.Record, error) {
	return e.app.FindFirstRecordByFilter(model.CollectionAlarms, "rule = {:r} && device = {:d} && status != 'resolved'",
		dbx.Params{"r": rule, "d": device})
}

func isUniqueViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// errNoDevice is returned by actions that need a device when there is none.
var errNoDevice = errors.New("the event has no device")
