package alarms

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/rules"
)

// The engine follows the records it depends on through these methods,
// which hooks call after each commit. They never take the engine's
// evaluation lock on the caller's goroutine for long, and never while the
// caller may hold it (the engine's own saves call ObserveAlarm).

// ObserveAlarm follows an alarm created or changed anywhere (the engine,
// the alarm endpoints, an admin): the dedupe index, the escalation and
// snooze schedule, and the alarm rules' look at it.
func (e *Engine) ObserveAlarm(r *core.Record) {
	ref := refOf(r)
	e.index.put(ref)
	rs := e.rs.Load()
	if rs == nil {
		return
	}
	e.scheduleAlarm(ref)
	select {
	case rs.changed <- r.Id:
	default: // the periodic look will see it
	}
}

// ForgetAlarm follows a deleted alarm.
func (e *Engine) ForgetAlarm(r *core.Record) { e.index.remove(r.Id) }

// ObserveRecord follows a device, elder, household, building or grid
// created or changed. A device's presence change reaches telemetry rules
// as a message on devices/{id}/status with {"online": …}; a new device
// (or one that changed kind or was enabled) gets its silence timers; an
// elder's mode change wakes suspended timers.
func (e *Engine) ObserveRecord(r *core.Record) {
	before := e.ctx.put(r)
	switch r.Collection().Name {
	case model.CollectionDevices:
		after := deviceOf(r)
		if before == nil || before.dev.Kind != after.dev.Kind || before.disabled != after.disabled {
			e.rearm()
		}
		if before != nil && before.dev.Online != after.dev.Online {
			e.presence(after)
		}
	case model.CollectionElders:
		e.elderChanged(r.Id)
	}
}

// ForgetRecord follows a deleted device, elder, household, building or
// grid.
func (e *Engine) ForgetRecord(r *core.Record) {
	e.ctx.remove(r)
	if r.Collection().Name == model.CollectionDevices {
		e.rearm()
	}
}

// rearm makes the silence timers match the devices and rules again.
func (e *Engine) rearm() {
	if !e.enter() {
		return
	}
	defer e.leave()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.armTimersLocked(time.Now())
}

// presence offers a device's online change to the telemetry rules, as
// the rule language documents: devices/{client id}/status with
// {"online": true|false}. (The pipeline does not store presence as
// readings: a presence change missed in a crash is not replayed.)
func (e *Engine) presence(d *deviceInfo) {
	if !e.enter() {
		return
	}
	defer e.leave()
	now := time.Now()
	at := d.dev.LastSeen
	if at.IsZero() || at.After(now) {
		at = now
	}
	m := message{device: d.dev.ID, topic: "devices/" + d.dev.ClientID + "/status",
		payload: map[string]any{"online": d.dev.Online}, at: at, presence: true}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.processLocked(m); err != nil {
		e.logger().Error("presence rules failed", "device", d.dev.ClientID, "error", err.Error())
	}
}

// ReloadRules recompiles the rules after one was created, changed or
// deleted, and brings silence timers and schedules in line.
func (e *Engine) ReloadRules() error {
	book, err := loadRulebook(e.app, e.logger())
	if err != nil {
		return fmt.Errorf("reload rules: %w", err)
	}
	e.book.Store(book)
	e.syncSchedules(book)
	if !e.enter() {
		return nil
	}
	defer e.leave()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.armTimersLocked(time.Now())
	return nil
}

// ReloadPolicies re-reads the escalation policies after a change. Alarms
// keep their level; their next steps follow the new ladder.
func (e *Engine) ReloadPolicies() error {
	ladders, err := loadPolicies(e.app, e.logger())
	if err != nil {
		return fmt.Errorf("reload escalation policies: %w", err)
	}
	e.ladders.Store(&ladders)
	return nil
}

// Rule returns a compiled rule in force by record id (for dry runs).
func (e *Engine) Rule(id string) (*rules.Compiled, bool) {
	c, ok := e.book.Load().byID[id]
	return c, ok
}
