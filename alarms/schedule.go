package alarms

import (
	"log/slog"
	"slices"
	"time"

	"github.com/pocketbase/pocketbase/tools/cron"

	"github.com/fengqiao/fengqiao/rules"
)

// scheduleJob is one schedule rule's cron spec, parsed by PocketBase's
// cron package.
type scheduleJob struct {
	rule     string
	schedule *cron.Schedule
}

// syncSchedules rebuilds the schedule jobs from the schedule rules.
func (e *Engine) syncSchedules(book *rulebook) {
	var jobs []scheduleJob
	for _, c := range book.ofWhen(rules.WhenSchedule) {
		s, err := cron.NewSchedule(c.Rule.Schedule)
		if err != nil {
			e.logger().Error("schedule rule not scheduled", slog.String("rule", ruleLabel(c)), slog.String("error", err.Error()))
			continue
		}
		jobs = append(jobs, scheduleJob{rule: c.ID(), schedule: s})
	}
	e.jobs.Store(&jobs)
}

// cronLoop runs the schedule rules that are due at the top of each minute,
// in the community's time zone, until stop. (PocketBase's cron ticker is
// not used: its Stop can race its start and leave a goroutine behind.)
func (e *Engine) cronLoop(stop <-chan struct{}) {
	for {
		next := time.Now().Truncate(time.Minute).Add(time.Minute)
		t := time.NewTimer(time.Until(next))
		select {
		case <-stop:
			t.Stop()
			return
		case <-t.C:
		}
		moment := cron.NewMoment(next.In(e.cfg.Location))
		for _, j := range *e.jobs.Load() {
			if j.schedule.IsDue(moment) {
				e.runSchedule(j.rule, next)
			}
		}
	}
}

// runSchedule evaluates a schedule rule that is due at now: once per
// enabled device of its kinds (in a stable order), or once without a
// device when it names no kinds.
func (e *Engine) runSchedule(ruleID string, now time.Time) {
	c, ok := e.book.Load().byID[ruleID]
	if !ok || c.Rule.When != rules.WhenSchedule {
		return
	}
	now = now.In(e.cfg.Location)
	devices := []string{""}
	if len(c.Rule.DeviceKinds) > 0 {
		devices = e.ctx.devicesOf(c.Rule.DeviceKinds)
		slices.Sort(devices)
	}
	for _, dev := range devices {
		e.evaluateOne(c, rules.EventSchedule, dev, now)
	}
}

// evaluateOne evaluates one rule for one device at now and acts.
func (e *Engine) evaluateOne(c *rules.Compiled, event, device string, now time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	env := rules.Env{Event: event, Now: now, Counter: e.counter}
	if !e.ctx.subject(&env, device) {
		return
	}
	r := c.Evaluate(&env)
	src := origin{payload: map[string]any{"event": event, "at": now.UTC()}}
	if err := e.applyLocked(&r, &env, src); err != nil {
		e.logger().Error("schedule rule failed to act", slog.String("rule", ruleLabel(c)),
			slog.String("device", env.Device.ClientID), slog.String("error", err.Error()))
	}
}
