package alarms

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	validation "github.com/go-ozzo/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/rules"
)

// rulebook is the rules in force: the RuleSet the engine evaluates, and
// lookups by id and key. It is immutable; the engine swaps in a new one
// when rules change.
type rulebook struct {
	set   *rules.RuleSet
	byID  map[string]*rules.Compiled // enabled rules
	byKey map[string]*rules.Compiled
	// broken are stored rules that do not compile (saved before a rule
	// language change, or written around the admin UI): id → error.
	broken map[string]error
}

// RuleOf reads a rules record into the rule language's Rule.
func RuleOf(r *core.Record) rules.Rule {
	x := model.AsRule(r)
	return rules.Rule{ID: r.Id, Key: x.Key(), Name: x.Name(), Enabled: x.Enabled(), When: x.When(),
		DeviceKinds: x.DeviceKinds(), Topic: x.Topic(), Condition: x.Condition(),
		ResetCondition: x.ResetCondition(), ClearCondition: x.ClearCondition(), SilenceFor: x.SilenceFor(),
		Cooldown: x.Cooldown(), Schedule: x.Schedule(), ActiveFrom: x.ActiveFrom(), ActiveTo: x.ActiveTo(),
		Days: x.Days(), Actions: x.Actions()}
}

// ValidateRule compiles a rules record as it is about to be saved. A rule
// that does not compile or type-check is refused with a validation error
// on each offending field, carrying expr's message, line and column (the
// admin UI shows it under the field).
func ValidateRule(r *core.Record) error {
	_, err := rules.Compile(RuleOf(r))
	return RuleErrors(err)
}

// RuleErrors turns rules.Compile's error into validation errors by field
// ("condition", "actions"…); nil stays nil.
func RuleErrors(err error) error {
	if err == nil {
		return nil
	}
	var list rules.Errors
	if !errors.As(err, &list) {
		return validation.Errors{"condition": validation.NewError("validation_rule", err.Error())}
	}
	msgs := map[string][]string{}
	var order []string
	for _, e := range list {
		if _, ok := msgs[e.Field]; !ok {
			order = append(order, e.Field)
		}
		msgs[e.Field] = append(msgs[e.Field], errorMessage(e))
	}
	out := validation.Errors{}
	for _, f := range order {
		out[f] = validation.NewError("validation_rule_"+f, strings.Join(msgs[f], "; "))
	}
	return out
}

// errorMessage is one compile error as the admin UI shows it under its
// field: the path when it narrows the field down, the position, expr's
// message ("actions[0].title: line 1, column 9: unknown name x").
func errorMessage(e *rules.Error) string {
	var b strings.Builder
	if e.Path != "" && e.Path != e.Field {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d, column %d: ", e.Line, e.Column)
	}
	b.WriteString(e.Message)
	return b.String()
}

// loadRulebook compiles every stored rule.
func loadRulebook(app core.App, log *slog.Logger) (*rulebook, error) {
	records, err := app.FindAllRecords(model.CollectionRules)
	if err != nil {
		return nil, fmt.Errorf("load rules: %w", err)
	}
	b := &rulebook{byID: map[string]*rules.Compiled{}, byKey: map[string]*rules.Compiled{}, broken: map[string]error{}}
	var compiled []*rules.Compiled
	for _, r := range records {
		c, err := rules.Compile(RuleOf(r))
		if err != nil {
			b.broken[r.Id] = err
			log.Error("stored rule does not compile: it is not evaluated", slog.String("rule", r.Id),
				slog.String("name", r.GetString("name")), slog.String("error", err.Error()))
			continue
		}
		compiled = append(compiled, c)
		if c.Rule.Enabled {
			b.byID[c.ID()] = c
			if c.Key() != "" {
				b.byKey[c.Key()] = c
			}
		}
	}
	b.set = rules.NewRuleSet(compiled...)
	return b, nil
}

// ofWhen lists the enabled rules of one trigger.
func (b *rulebook) ofWhen(when string) []*rules.Compiled {
	var out []*rules.Compiled
	for _, c := range b.set.Rules() {
		if c.Rule.When == when {
			out = append(out, c)
		}
	}
	return out
}
