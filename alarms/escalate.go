package alarms

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	validation "github.com/go-ozzo/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/notify"
	"github.com/fengqiao/fengqiao/rules"
)

// minPause is the shortest pause between two rounds of a ladder, so a
// policy with repeats and no repeat_every cannot fire its rounds at once.
const minPause = time.Minute

// ladder is one escalation policy, parsed: its steps (delays from the
// raise), run 1+repeat times with pause between the last step of a round
// and the first of the next. An alarm's escalation_level counts the steps
// carried out; level L is step L mod len(steps) of round L / len(steps).
type ladder struct {
	policy string
	steps  []rules.Step
	repeat int
	pause  time.Duration
}

// levels is how many steps the whole ladder has, repeats included.
func (l *ladder) levels() int { return len(l.steps) * (1 + l.repeat) }

// step returns the step carried out at level.
func (l *ladder) step(level int) rules.Step { return l.steps[level%len(l.steps)] }

// gap is the time from level's step to the next one's.
func (l *ladder) gap(level int) time.Duration {
	n := len(l.steps)
	i := level % n
	if i < n-1 {
		return l.steps[i+1].Delay - l.steps[i].Delay
	}
	return l.pause + l.steps[0].Delay
}

// plan lists the levels due by now when level is next and falls due at
// due, and returns the level and due time that follow (zero when the
// ladder is done). Times are chained from due, not from now, so a ladder
// re-armed after a restart keeps its schedule and runs what it missed.
func (l *ladder) plan(level int, due, now time.Time) (fire []int, next int, nextDue time.Time) {
	for level < l.levels() && !due.After(now) {
		fire = append(fire, level)
		due = due.Add(l.gap(level))
		level++
	}
	if level >= l.levels() {
		return fire, level, time.Time{}
	}
	return fire, level, due
}

// policies are the ladders by severity.
type policies map[string]*ladder

// loadPolicies reads the enabled escalation policies. When two cover a
// severity, the one keyed like the severity (the shipped one) wins, else
// the first created.
func loadPolicies(app core.App, log *slog.Logger) (policies, error) {
	records, err := app.FindRecordsByFilter(model.CollectionEscalationPolicies, "enabled = true", "created", 0, 0)
	if err != nil {
		return nil, fmt.Errorf("load escalation policies: %w", err)
	}
	out := policies{}
	for _, r := range records {
		p := model.AsEscalationPolicy(r)
		l, err := ladderOf(p)
		if err != nil {
			log.Error("escalation policy ignored", slog.String("policy", r.Id), slog.String("name", p.Name()),
				slog.String("error", err.Error()))
			continue
		}
		if l == nil {
			continue
		}
		if cur, ok := out[p.Severity()]; ok && (cur.policy == p.Severity() || p.Key() != p.Severity()) {
			continue
		}
		out[p.Severity()] = l
	}
	return out, nil
}

// ladderOf parses a policy; nil (no error) for one without steps.
func ladderOf(p *model.EscalationPolicy) (*ladder, error) {
	raw := p.Steps()
	if len(raw) == 0 {
		return nil, nil
	}
	steps, err := rules.ParseSteps(raw)
	if err != nil {
		return nil, err
	}
	pause, err := parseDuration(p.RepeatEvery())
	if err != nil {
		return nil, fmt.Errorf("repeat_every: %w", err)
	}
	return &ladder{policy: p.Key(), steps: steps, repeat: p.Repeat(), pause: max(pause, minPause)}, nil
}

// ValidatePolicy checks an escalation policy as it is about to be saved:
// its steps (when given) and repeat_every, with the field named.
func ValidatePolicy(r *core.Record) error {
	p := model.AsEscalationPolicy(r)
	errs := validation.Errors{}
	if raw := p.Steps(); len(raw) > 0 {
		if _, err := rules.ParseSteps(raw); err != nil {
			errs["steps"] = validation.NewError("validation_policy_steps", err.Error())
		}
	}
	if _, err := parseDuration(p.RepeatEvery()); err != nil {
		errs["repeat_every"] = validation.NewError("validation_policy_repeat_every", err.Error())
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// parseDuration reads "10m", "1h30m", "2d" ("" is 0).
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 || n > 3650 {
			return 0, fmt.Errorf("invalid duration %q (use units like 90s, 10m, 12h, 2d)", s)
		}
		days, s = time.Duration(n)*24*time.Hour, s[i+1:]
	}
	var d time.Duration
	if s != "" {
		var err error
		if d, err = time.ParseDuration(s); err != nil || d < 0 {
			return 0, fmt.Errorf("invalid duration %q (use units like 90s, 10m, 12h, 2d)", s)
		}
	}
	return days + d, nil
}

// runSteps carries out the given levels of a's ladder in tx: for each,
// the step's audiences are resolved (on-duty staff at now) and its
// deliveries written, and an "escalate" event appended. a is saved
// already (deliveries point at it).
func runSteps(tx core.App, a *model.Alarm, l *ladder, levels []int, info notifyInfo, now time.Time) error {
	for _, level := range levels {
		st := l.step(level)
		n, err := notifyPeople(tx, a.Id, a.Severity(), a.Title(), info, st.Audiences, st.Channels, st.Targets, level, now)
		if err != nil {
			return fmt.Errorf("escalation step %d: %w", level, err)
		}
		data := map[string]any{"level": level, "step": level % len(l.steps), "round": level / len(l.steps),
			"policy": l.policy, "after": st.After, "audiences": st.Audiences, "channels": st.Channels,
			"targets": st.Targets, "deliveries": n}
		if err := appendEvent(tx, a, model.AlarmEventEscalate, Actor{}, a.Status(), a.Status(), "", data); err != nil {
			return err
		}
	}
	return nil
}

// notifyInfo is what a message says about where and whom an alarm
// concerns, so notify need not look it up again.
type notifyInfo struct {
	elder, household, grid string // record ids
	elderName, address     string
	at                     time.Time
	body                   string
}

// notifyPeople resolves audiences and writes the deliveries of one
// message in tx; it returns how many rows were written.
func notifyPeople(tx core.App, alarmID, severity, title string, info notifyInfo, audiences, channels, targets []string, step int, now time.Time) (int, error) {
	var recipients []notify.Recipient
	if len(audiences) > 0 {
		var err error
		recipients, err = notify.Recipients(tx, audiences, notify.Target{Elder: info.elder, Household: info.household, Grid: info.grid}, now)
		if err != nil {
			return 0, err
		}
	}
	data := map[string]any{}
	if info.elderName != "" {
		data["elder"] = info.elderName
	}
	if info.address != "" {
		data["address"] = info.address
	}
	if !info.at.IsZero() {
		data["at"] = info.at
	}
	m := notify.Message{Alarm: alarmID, Severity: severity, Title: title, Body: info.body, Data: data, Step: step}
	return notify.Enqueue(tx, m, recipients, channels, targets)
}
