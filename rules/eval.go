package rules

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/expr-lang/expr/vm"
)

// Result is what one rule made of one event.
type Result struct {
	Rule *Compiled
	// Fired: the rule's condition held (inside its active window, for a
	// silence rule after SilenceFor of silence): carry out Actions.
	Fired bool
	// Clear: the rule did not fire and its clear condition held: resolve
	// this rule's open alarm for the device, if there is one.
	Clear bool
	// Rearm (silence rules, telemetry events): a message that resets the
	// silence arrived; restart the timer from env.Now, due at
	// Rule.SilenceDeadline(env.Now).
	Rearm bool
	// Suspended (silence rules, silence events): the elder is away or in
	// hospital; nothing fires. Re-arm when the mode ends.
	Suspended bool
	// Skipped says why the condition was not evaluated, e.g. "outside the
	// active window".
	Skipped string
	// Actions are the rule's actions with titles rendered, when Fired.
	// Their Audience and Command share memory with the rule: read only.
	Actions []Action
	// Seen holds, for Trace only, the values the rule read: "payload.sos":
	// true, "hour(now)": 23, "since(device.last_seen)": "1h30m".
	Seen map[string]any
	// Err is a run-time error of this rule (a condition on a missing
	// value, a failing helper, a recovered panic, the memory budget). The
	// engine counts it and stores it as the rule's last error; other rules
	// are unaffected. A title that fails to render still fires, with "?" in
	// its place, and reports the error here too.
	Err error
}

// Matches reports whether an event concerns the rule at all: the trigger
// fits (telemetry events also concern silence rules), the device kind is
// one of DeviceKinds, and for telemetry the topic matches Topic.
func (c *Compiled) Matches(env *Env) bool {
	switch env.Event {
	case EventTelemetry:
		if c.Rule.When != WhenTelemetry && c.Rule.When != WhenSilence {
			return false
		}
		if !matchTopic(c.topic, env.Topic) {
			return false
		}
	case EventSilence, EventAlarm, EventSchedule:
		if c.Rule.When != env.Event {
			return false
		}
	default:
		return false
	}
	return len(c.kinds) == 0 || slices.Contains(c.kinds, env.Device.Kind)
}

// SilenceDeadline is when a silence rule's timer restarted at last runs
// out: SilenceFor of time inside the active window and days (all time when
// the rule has none). The engine stores it with the timer; it is a pure
// function of last, so timers re-armed after a restart agree with those
// set before it.
func (c *Compiled) SilenceDeadline(last time.Time) time.Time {
	return c.Window.AddActive(last, c.SilenceFor)
}

// Evaluate runs the rule against one event. It never panics; failures are
// in Result.Err.
func (c *Compiled) Evaluate(env *Env) Result { return c.evaluate(env, false, true) }

// Trace is Evaluate for a dry run: Result.Seen holds the values the rule
// read.
func (c *Compiled) Trace(env *Env) Result { return c.evaluate(env, true, true) }

// evaluate runs the rule; match is false when the caller (a RuleSet) has
// already established that the event concerns the rule.
func (c *Compiled) evaluate(env *Env, trace, match bool) (r Result) {
	r.Rule = c
	defer func() {
		if p := recover(); p != nil {
			r.Fired, r.Actions = false, nil
			r.Err = fmt.Errorf("panic: %v", p)
		}
	}()
	if env.Payload == nil {
		env.Payload = map[string]any{}
	}
	if match && !c.Matches(env) {
		r.Skipped = "the event does not match the rule"
		return r
	}
	var errs []error
	check := func(c cond, what string) bool {
		ok, err := c.test(env)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", what, err))
		}
		return ok
	}
	switch {
	case c.Rule.When == WhenSilence && env.Event == EventTelemetry:
		r.Rearm = check(c.reset, "reset_condition")
	case c.Rule.When == WhenSilence && env.Elder.Away(env.Now):
		r.Suspended = true
		r.Skipped = "the elder is " + env.Elder.Mode
	case c.Rule.When == WhenSilence:
		// The deadline already counted only active time: no window check.
		r.Fired = check(c.condition, "condition")
	case !c.Window.Contains(env.Now):
		r.Skipped = "outside the active window"
	default:
		r.Fired = check(c.condition, "condition")
	}
	if !r.Fired && c.clear.prog != nil && !r.Suspended {
		r.Clear = check(c.clear, "clear_condition")
	}
	if r.Fired {
		r.Actions = make([]Action, len(c.Actions))
		for i, a := range c.Actions {
			if t := c.titles[i]; t != nil {
				title, err := t.render(env)
				if err != nil {
					errs = append(errs, fmt.Errorf("actions[%d].%w", i, err))
				}
				a.Title = title
			}
			r.Actions[i] = a
		}
	}
	if trace {
		r.Seen = c.see(env)
	}
	if len(errs) > 0 {
		r.Err = errors.Join(errs...)
	}
	return r
}

// test evaluates a condition: the fast evaluator when it can decide, else
// the program; an empty condition is true.
func (c cond) test(env *Env) (bool, error) {
	if c.prog == nil {
		return true, nil
	}
	if c.fast != nil {
		if v, ok := c.fast(env); ok {
			return v, nil
		}
	}
	out, err := run(c.prog, env)
	if err != nil {
		return false, err
	}
	b, ok := out.(bool)
	if !ok {
		return false, fmt.Errorf("condition gave %T, want true or false", out)
	}
	return b, nil
}

var vms = sync.Pool{New: func() any { return &vm.VM{MemoryBudget: MemoryBudget} }}

// run evaluates one program in a pooled VM with fresh string and step
// budgets. The VM recovers panics (in helpers too) into errors with the
// position.
func run(p *vm.Program, env *Env) (any, error) {
	v := vms.Get().(*vm.VM)
	env.budget, env.steps = StringBudget, StepBudget
	out, err := v.Run(p, env)
	vms.Put(v)
	return out, err
}
