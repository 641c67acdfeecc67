package alarms

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/rules"
	"github.com/fengqiao/fengqiao/telemetry"
)

// message is one device message, live or replayed from readings.
type message struct {
	device, topic string
	payload       map[string]any
	unreadable    bool
	reason        string
	stored        map[string]any // what the alarm keeps as its payload
	at            time.Time      // the reading's time: Now for the rules
	reading       string
	// seen: replayed, and handled before (at or before the cursor): it
	// changes state idempotently but is not counted again.
	seen bool
	// presence: a device's online change (the cache has it already).
	presence bool
}

// origin is what caused an evaluation, for the alarm's payload and log.
type origin struct {
	reading, topic string
	payload        map[string]any
	seen           bool
	alarm          string // alarm rules: the alarm looked at
}

// HandleEvent handles one committed device message (telemetry.Handler):
// the rules are evaluated with Now = the reading's time and their results
// carried out. Before Start (and after Stop) it does nothing: the
// start-up replay covers what it did not handle.
func (e *Engine) HandleEvent(_ context.Context, ev telemetry.Event) error {
	if !e.enter() {
		return nil
	}
	defer e.leave()
	m := message{device: ev.DeviceID, topic: ev.Topic, payload: ev.Payload, unreadable: ev.Unreadable,
		reason: ev.Reason, at: readingTime(ev.ReadingID, ev.Received), reading: ev.ReadingID}
	if ev.Unreadable {
		m.stored = map[string]any{"unreadable": ev.Reason, "detail": ev.Detail, "raw_bytes": len(ev.Raw)}
	}
	urgent := ev.Kind == model.KindSOSButton || ev.Unreadable
	e.mu.Lock()
	defer e.mu.Unlock()
	err := e.processLocked(m)
	e.cur.handled(m.at, urgent)
	if err != nil {
		e.cur.failed(m.at)
	}
	return err
}

// processLocked evaluates the rules for one message; e.mu is held.
func (e *Engine) processLocked(m message) error {
	env := rules.Env{Event: rules.EventTelemetry, Topic: m.topic, Payload: m.payload, Unreadable: m.unreadable,
		UnreadableReason: m.reason, Now: m.at.In(e.cfg.Location), Counter: e.counter}
	if env.Payload == nil {
		env.Payload = map[string]any{}
	}
	if !e.ctx.subject(&env, m.device) {
		return nil // deleted since: nothing to say about it
	}
	if !m.presence {
		env.Device.Online = true // it just spoke
	}
	e.counter.recordPayload(subjectOf(&env), m.payload, m.unreadable, m.at)
	if !m.presence {
		e.ctx.touch(m.device, m.at, m.payload)
	}
	stored := m.stored
	if stored == nil {
		stored = m.payload
	}
	src := origin{reading: m.reading, topic: m.topic, payload: stored, seen: m.seen}
	results := e.book.Load().set.Evaluate(&env)
	var errs []error
	for i := range results {
		if err := e.applyLocked(&results[i], &env, src); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// applyLocked carries out one rule's result; e.mu is held.
func (e *Engine) applyLocked(r *rules.Result, env *rules.Env, src origin) error {
	id := r.Rule.ID()
	if !src.seen {
		if r.Err != nil {
			e.statLocked(id).failed(r.Err, time.Now())
		}
		if r.Fired {
			e.statLocked(id).hit(env.Now)
		}
	}
	if r.Rearm {
		e.resetTimerLocked(id, env.Device.ID, env.Now)
	}
	var errs []error
	if r.Clear {
		if err := e.clearLocked(r.Rule, env.Device.ID, env, "clear_condition", src); err != nil {
			errs = append(errs, err)
		}
	}
	if r.Fired {
		if err := e.fireLocked(r, env, src); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// fireLocked carries out the actions of a rule that fired.
func (e *Engine) fireLocked(r *rules.Result, env *rules.Env, src origin) error {
	c := r.Rule
	raises := false
	for _, a := range r.Actions {
		raises = raises || a.Type == rules.ActionRaise
	}
	if !raises && c.Cooldown > 0 {
		// A rule that only notifies or commands: its cooldown is kept here.
		key := alarmKey(c.ID(), env.Device.ID+src.alarm)
		if last, ok := e.fires[key]; ok && !env.Now.Before(last) && env.Now.Sub(last) < c.Cooldown {
			return nil
		}
		e.fires[key] = env.Now
	}
	var errs []error
	alarmID := src.alarm
	for _, a := range r.Actions {
		var err error
		switch a.Type {
		case rules.ActionRaise:
			var id string
			id, err = e.raiseLocked(c, a, env, src)
			if id != "" {
				alarmID = id
			}
		case rules.ActionClear:
			target := c
			if a.Rule != "" {
				var ok bool
				if target, ok = e.book.Load().byKey[a.Rule]; !ok {
					e.logger().Warn("clear action names an unknown or disabled rule", slog.String("rule", c.ID()),
						slog.String("target", a.Rule))
					continue
				}
			}
			err = e.clearLocked(target, env.Device.ID, env, "clear action of "+ruleLabel(c), src)
		case rules.ActionNotify:
			if src.seen {
				continue // told already, before the restart
			}
			err = e.notifyAction(c, a, env, alarmID)
		case rules.ActionCommand:
			if src.seen {
				continue
			}
			err = e.command(c, a, env)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// ruleLabel names a rule in logs and alarm events: its key, else its name.
func ruleLabel(c *rules.Compiled) string {
	if c.Key() != "" {
		return c.Key()
	}
	return c.Rule.Name
}
