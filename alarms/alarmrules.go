package alarms

import (
	"log/slog"
	"time"

	"github.com/fengqiao/fengqiao/rules"
)

// mark says an alarm rule acted on an alarm at a time: it acts once per
// alarm, or again after its cooldown. Marks are rows (alarm_timers, kind
// alarm), so a restart does not make it act twice.
type mark struct {
	rule, alarm string
	at          time.Time
	dirty       bool
}

// alarmLoop gives alarm rules a look at alarms that changed (at once)
// and at every open alarm every AlarmTick (they age: "not acknowledged
// within 5 minutes").
func (e *Engine) alarmLoop(rs *runState) {
	t := time.NewTicker(e.cfg.AlarmTick)
	defer t.Stop()
	for {
		select {
		case <-rs.stop:
			return
		case <-t.C:
			e.evalAlarmRules(nil)
		case id := <-rs.changed:
			ids := map[string]bool{id: true}
		more:
			for {
				select {
				case id := <-rs.changed:
					ids[id] = true
				default:
					break more
				}
			}
			e.evalAlarmRules(ids)
		}
	}
}

// evalAlarmRules evaluates the alarm rules against the open alarms (only
// those in ids, when given). A rule never looks at its own alarms.
func (e *Engine) evalAlarmRules(ids map[string]bool) {
	book := e.book.Load()
	if len(book.ofWhen(rules.WhenAlarm)) == 0 {
		return
	}
	keys := map[string]string{} // rule id → key, as alarm.rule shows it
	for _, c := range book.set.Rules() {
		keys[c.ID()] = ruleLabel(c)
	}
	now := time.Now()
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, ref := range e.index.openAlarms() {
		if ids != nil && !ids[ref.id] {
			continue
		}
		env := rules.Env{Event: rules.EventAlarm, Now: now.In(e.cfg.Location), Counter: e.counter}
		e.ctx.subject(&env, ref.device)
		env.Alarm = ref.rulesAlarm(keys[ref.rule])
		src := origin{alarm: ref.id, payload: map[string]any{"alarm": ref.id, "title": ref.title}}
		for _, r := range book.set.Evaluate(&env) {
			if r.Rule.ID() == ref.rule {
				continue
			}
			if r.Fired {
				key := alarmKey(r.Rule.ID(), ref.id)
				if m := e.marks[key]; m != nil && (r.Rule.Cooldown == 0 || now.Sub(m.at) < r.Rule.Cooldown) {
					continue // acted on this alarm already
				}
				e.marks[key] = &mark{rule: r.Rule.ID(), alarm: ref.id, at: now, dirty: true}
				delete(e.gone, key)
			}
			if err := e.applyLocked(&r, &env, src); err != nil {
				e.logger().Error("alarm rule failed to act", slog.String("rule", ruleLabel(r.Rule)),
					slog.String("alarm", ref.id), slog.String("error", err.Error()))
			}
		}
	}
}
