package rules

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
	"github.com/pocketbase/pocketbase/tools/cron"
)

// Compiled is a rule checked and compiled, ready to evaluate. It is safe
// for concurrent use; treat its fields as read-only.
type Compiled struct {
	// Rule is the rule as given to Compile.
	Rule Rule
	// Cooldown, SilenceFor: the parsed durations (0 when not set). The
	// engine enforces the cooldown: no repeat raise for the same device
	// within it.
	Cooldown   time.Duration
	SilenceFor time.Duration
	// Window is the active time window and weekdays (always active when
	// none was set).
	Window Window
	// Actions are the rule's actions with their templates unrendered.
	Actions []Action

	kinds                   []string
	topic                   []string // topic filter split on "/"; nil matches any
	condition, reset, clear cond
	titles                  []*template // per action; nil when it has no title
	probes                  []probe
}

// ID returns the rule's record id.
func (c *Compiled) ID() string { return c.Rule.ID }

// Key returns the rule's key ("" for a rule an admin wrote).
func (c *Compiled) Key() string { return c.Rule.Key }

// Compile checks a rule and compiles its expressions and templates. It is
// meant to run when a rule is saved, and again when rules are loaded. On
// failure it returns Errors listing every problem with its field and
// position.
func Compile(r Rule) (*Compiled, error) {
	var errs Errors
	r.DeviceKinds, r.Days = slices.Clone(r.DeviceKinds), slices.Clone(r.Days)
	r.Actions = slices.Clone(r.Actions)
	c := &Compiled{Rule: r, kinds: r.DeviceKinds}

	switch r.When {
	case WhenTelemetry, WhenSilence, WhenAlarm, WhenSchedule:
	case WhenCase:
		errs.add("when", "", "case rules arrive with case routing and are not available yet")
	case "":
		errs.add("when", "", "a trigger is required: telemetry, silence, alarm or schedule")
	default:
		errs.add("when", "", fmt.Sprintf("unknown trigger %q: use telemetry, silence, alarm or schedule", r.When))
	}
	for i, k := range r.DeviceKinds {
		if !isIdent(k, 32) {
			errs.add("device_kinds", fmt.Sprintf("device_kinds[%d]", i), fmt.Sprintf("invalid device kind %q", k))
		}
	}
	if r.Topic != "" {
		if err := validTopicFilter(r.Topic); err != nil {
			errs.add("topic", "", err.Error())
		} else {
			c.topic = strings.Split(r.Topic, "/")
		}
	}

	c.condition = compileField(&errs, "condition", r.Condition, &c.probes)
	c.reset = compileField(&errs, "reset_condition", r.ResetCondition, &c.probes)
	c.clear = compileField(&errs, "clear_condition", r.ClearCondition, &c.probes)

	if r.When == WhenSilence && c.condition.prog != nil && readsMessage(r.Condition) {
		errs.add("condition", "", "a silence rule's condition is checked when the silence has lasted, "+
			"when there is no message: test messages in reset_condition (e.g. payload.motion == true)")
	}
	c.SilenceFor = durationField(&errs, "silence_for", r.SilenceFor, MaxSilence)
	c.Cooldown = durationField(&errs, "cooldown", r.Cooldown, MaxCooldown)
	if r.When == WhenSilence && r.SilenceFor == "" {
		errs.add("silence_for", "", `a silence rule needs how long the silence lasts, e.g. "12h"`)
	}
	if r.Schedule != "" {
		if _, err := cron.NewSchedule(r.Schedule); err != nil {
			errs.add("schedule", "", fmt.Sprintf("invalid cron spec %q: %v", r.Schedule, err))
		}
	} else if r.When == WhenSchedule {
		errs.add("schedule", "", `a schedule rule needs a cron spec, e.g. "0 10 1 * *" or "@daily"`)
	}
	w, werr := ParseWindow(r.ActiveFrom, r.ActiveTo, r.Days)
	errs = append(errs, werr...)
	c.Window = w
	if r.When == WhenSilence && c.SilenceFor > 0 && len(werr) == 0 {
		if c.Window.AddActive(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), c.SilenceFor).IsZero() {
			errs.add("silence_for", "", "the silence can never last that long inside the active window and days")
		}
	}

	c.Actions, c.titles = compileActions(&errs, r.Actions)
	if len(errs) > 0 {
		return nil, errs
	}
	return c, nil
}

// cond is a compiled boolean field: the program, and a fast evaluator when
// the expression has a simple shape. The zero cond (an empty field) is
// always true.
type cond struct {
	prog *vm.Program
	fast fastCond
}

// compileField compiles one boolean expression field.
func compileField(errs *Errors, field, src string, probes *[]probe) cond {
	if strings.TrimSpace(src) == "" {
		return cond{}
	}
	p, err := compileExpr(src, expr.AsBool())
	if err != nil {
		errs.addExpr(field, "", err, 0)
		return cond{}
	}
	*probes = appendProbes(*probes, src)
	return cond{prog: p, fast: compileFast(src)}
}

// compileExpr compiles one expression with the rule language's
// environment, helpers and limits.
func compileExpr(src string, expect expr.Option) (prog *vm.Program, err error) {
	defer func() {
		if r := recover(); r != nil { // a fault in expr must not take down the save
			prog, err = nil, fmt.Errorf("expression could not be compiled: %v", r)
		}
	}()
	p := &patcher{}
	prog, err = expr.Compile(src, append(exprOptions(expect), expr.Patch(p))...)
	if err != nil {
		return nil, err
	}
	if p.err != nil {
		return nil, p.err.Bind(prog.Source())
	}
	return prog, nil
}

// exprOptions are the expr options of the rule language, without the
// per-compile patcher.
func exprOptions(expect expr.Option) []expr.Option {
	opts := make([]expr.Option, 0, 8+len(builtins)+8)
	opts = append(opts, expr.Env(Env{}), expr.MaxNodes(MaxNodes), expect, expr.DisableAllBuiltins())
	for _, b := range builtins {
		opts = append(opts, expr.EnableBuiltin(b))
	}
	return append(opts, helperOptions()...)
}

func durationField(errs *Errors, field, s string, max time.Duration) time.Duration {
	if s == "" {
		return 0
	}
	d, err := parseDuration(s)
	if err != nil {
		errs.add(field, "", err.Error())
		return 0
	}
	if d <= 0 || d > max {
		errs.add(field, "", fmt.Sprintf("%s must be between 1s and %s", field, formatDuration(max)))
		return 0
	}
	return d
}

// messageNames are the environment names that only a message fills.
var messageNames = map[string]bool{"payload": true, "unreadable": true, "unreadable_reason": true, "topic": true}

type nameFinder struct{ found bool }

func (f *nameFinder) Visit(node *ast.Node) {
	if id, ok := (*node).(*ast.IdentifierNode); ok && messageNames[id.Value] {
		f.found = true
	}
}

// readsMessage reports whether an expression reads the message (payload,
// unreadable, topic).
func readsMessage(src string) bool {
	tree, err := parser.ParseWithConfig(src, parseConfig())
	if err != nil {
		return false
	}
	f := &nameFinder{}
	ast.Walk(&tree.Node, f)
	return f.found
}
