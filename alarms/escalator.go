package alarms

import (
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
)

// escalationRetry is how soon a step that failed (the database refused)
// is tried again.
const escalationRetry = 30 * time.Second

// runDue dispatches scheduled work (the scheduler's goroutine).
func (e *Engine) runDue(it dueItem) {
	switch it.kind {
	case dueSilence:
		e.checkSilence(it.key)
	case dueEscalation:
		if err := e.escalate(it.key, time.Now()); err != nil {
			e.logger().Error("escalation failed; retrying", slog.String("alarm", it.key), slog.String("error", err.Error()))
			e.sched().add(dueItem{at: time.Now().Add(escalationRetry), kind: dueEscalation, key: it.key})
		}
	}
}

// armEscalations schedules every open alarm's next step or snooze end
// (at start: escalations survive restarts on the alarm rows).
func (e *Engine) armEscalations() {
	for _, r := range e.index.openAlarms() {
		e.scheduleAlarm(&r)
	}
}

// scheduleAlarm puts an alarm's next escalation step, or the end of its
// snooze, on the scheduler.
func (e *Engine) scheduleAlarm(r *alarmRef) {
	switch {
	case r.status == model.AlarmActive && !r.nextEscalation.IsZero():
		e.sched().add(dueItem{at: r.nextEscalation, kind: dueEscalation, key: r.id})
	case r.status == model.AlarmSnoozed && !r.snoozedUntil.IsZero():
		e.sched().add(dueItem{at: r.snoozedUntil, kind: dueEscalation, key: r.id})
	}
}

// escalate carries out what is due for one alarm at now: a snooze that
// ended wakes the alarm (active again, the ladder resumes at once), and
// the escalation steps due run, each with its deliveries and an
// "escalate" event, in one transaction with the alarm's new level. An
// alarm acknowledged or resolved meanwhile is left alone: the
// acknowledgement stopped the ladder.
func (e *Engine) escalate(id string, now time.Time) error {
	var saved *core.Record
	err := e.app.RunInTransaction(func(tx core.App) error {
		r, err := tx.FindRecordById(model.CollectionAlarms, id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("find alarm: %w", err)
		}
		a := model.AsAlarm(r)
		lad := e.ladderFor(a.Severity())
		woke := false
		switch a.Status() {
		case model.AlarmSnoozed:
			until := a.SnoozedUntil().Time()
			if until.IsZero() || until.After(now) {
				return nil // snoozed again meanwhile: its own entry is scheduled
			}
			a.SetStatus(model.AlarmActive)
			a.SetSnoozedUntil(time.Time{})
			if lad != nil && a.EscalationLevel() < lad.levels() {
				a.SetNextEscalationAt(now)
			}
			woke = true
		case model.AlarmActive:
		default:
			return nil
		}
		next := a.NextEscalationAt().Time()
		var fire []int
		if next.IsZero() || next.After(now) {
			if !woke {
				return nil // not due (an early or stale hint)
			}
		} else if lad == nil {
			a.SetNextEscalationAt(time.Time{})
		} else {
			var level int
			fire, level, next = lad.plan(a.EscalationLevel(), next, now)
			a.SetEscalationLevel(level)
			a.SetNextEscalationAt(next)
		}
		if err := tx.Save(a); err != nil {
			return fmt.Errorf("save alarm: %w", err)
		}
		if woke {
			if err := appendEvent(tx, a, model.AlarmEventReopen, Actor{}, model.AlarmSnoozed, model.AlarmActive,
				"snooze ended", nil); err != nil {
				return err
			}
		}
		saved = a.Record
		if len(fire) == 0 {
			return nil
		}
		return runSteps(tx, a, lad, fire, e.infoOf(a), now)
	})
	if err != nil {
		return err
	}
	if saved != nil {
		e.ObserveAlarm(saved)
	}
	return nil
}

// ladderFor returns the escalation ladder of a severity (nil: none).
func (e *Engine) ladderFor(severity string) *ladder {
	if ls := e.ladders.Load(); ls != nil {
		return (*ls)[severity]
	}
	return nil
}

// infoOf is what notifications say about an alarm's elder and place.
func (e *Engine) infoOf(a *model.Alarm) notifyInfo {
	info := notifyInfo{elder: a.Elder(), household: a.Household(), grid: a.Grid(), at: a.FirstSeen().Time()}
	e.ctx.mu.RLock()
	defer e.ctx.mu.RUnlock()
	if el := e.ctx.elders[info.elder]; el != nil {
		info.elderName = el.elder.Name
	}
	if h := e.ctx.households[info.household]; h != nil {
		info.address = h.household.Address
	}
	var name, location string
	if d := e.ctx.devices[a.Device()]; d != nil {
		name, location = d.dev.Name, d.dev.Location
	}
	info.body = bodyOf(info.elderName, info.address, name, location) // as alarmBody says it at the raise
	return info
}
