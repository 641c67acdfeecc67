package alarms

import (
	"strings"
	"testing"
	"time"

	validation "github.com/go-ozzo/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/rules"
)

// TestValidateRule: a broken rule is refused with the field and expr's
// position; a good one passes.
func TestValidateRule(t *testing.T) {
	f := newFixture(t)
	col, err := f.app.FindCachedCollectionByNameOrId(model.CollectionRules)
	if err != nil {
		t.Fatal(err)
	}
	rec := func(fields map[string]any) *core.Record {
		r := core.NewRecord(col)
		r.Load(map[string]any{"name": "t", "when": "telemetry", "enabled": true})
		r.Load(fields)
		return r
	}
	for _, c := range []struct {
		fields map[string]any
		field  string
		has    []string
	}{
		{map[string]any{"condition": "payload.sos == true &&\n  elder.lives_alon"}, "condition", []string{"line 2", "column", "lives_alon"}},
		{map[string]any{"condition": `duration("12 hours") > since(now)`}, "condition", []string{"line 1", "12 hours"}},
		{map[string]any{"actions": types.JSONRaw(`[{"type":"raise","severity":"urgent","title":"x"}]`)}, "actions", []string{"actions[0].severity"}},
		{map[string]any{"when": "silence"}, "silence_for", []string{"silence"}},
		{map[string]any{"when": "schedule", "schedule": "every monday"}, "schedule", []string{"cron"}},
		{map[string]any{"condition": "payload.sos == true", "actions": types.JSONRaw(`[{"type":"raise","severity":"critical","title":"SOS {{ elder.name }}"}]`)}, "", nil},
	} {
		err := ValidateRule(rec(c.fields))
		if c.field == "" {
			if err != nil {
				t.Errorf("%v: %v", c.fields, err)
			}
			continue
		}
		ve, ok := err.(validation.Errors)
		if !ok || ve[c.field] == nil {
			t.Errorf("%v: %v, want an error on %s", c.fields, err, c.field)
			continue
		}
		for _, s := range c.has {
			if !strings.Contains(ve[c.field].Error(), s) {
				t.Errorf("%v: %q lacks %q", c.fields, ve[c.field].Error(), s)
			}
		}
	}
	// Every shipped rule passes.
	recs, err := f.app.FindAllRecords(model.CollectionRules)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if err := ValidateRule(r); err != nil {
			t.Errorf("shipped rule %s: %v", r.GetString("key"), err)
		}
	}
}

// TestValidatePolicy: steps and repeat_every are checked when given.
func TestValidatePolicy(t *testing.T) {
	f := newFixture(t)
	col, _ := f.app.FindCachedCollectionByNameOrId(model.CollectionEscalationPolicies)
	r := core.NewRecord(col)
	r.Load(map[string]any{"name": "p", "severity": "major", "steps": types.JSONRaw(`[{"after":"2m","audiences":["nobody"],"channels":["inapp"]}]`),
		"repeat_every": "soon"})
	ve, ok := ValidatePolicy(r).(validation.Errors)
	if !ok || ve["steps"] == nil || ve["repeat_every"] == nil {
		t.Errorf("bad policy: %v", ve)
	}
	r.Set("steps", nil)
	r.Set("repeat_every", "10m")
	if err := ValidatePolicy(r); err != nil {
		t.Errorf("a policy without steps yet: %v", err)
	}
}

// TestDryRun: a stored rule and an unsaved one against a sample, with the
// device's real context; compile errors name the field.
func TestDryRun(t *testing.T) {
	f := newFixture(t)
	sos, err := f.app.FindFirstRecordByData(model.CollectionRules, "key", "sos_pressed")
	if err != nil {
		t.Fatal(err)
	}
	res, err := DryRun(f.app, DryRunRequest{Rule: RuleOf(sos), Device: "sos-1", Payload: map[string]any{"sos": true}}, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Fires || len(res.Actions) != 1 || res.Actions[0].Title != "一键呼救：陈阿婆，枫桥花园1栋302" || res.Seen["payload.sos"] != true {
		t.Errorf("sos dry run: %+v", res)
	}
	night := time.Date(2026, 3, 14, 23, 5, 0, 0, time.UTC)
	door, _ := f.app.FindFirstRecordByData(model.CollectionRules, "key", "door_open_night_alone")
	res, err = DryRun(f.app, DryRunRequest{Rule: RuleOf(door), Device: f.ids["device.door-1"], Payload: map[string]any{"open": true}, Now: night}, time.UTC)
	if err != nil || !res.Fires || res.Seen["elder.lives_alone"] != true {
		t.Errorf("door at night: %+v %v", res, err)
	}
	res, err = DryRun(f.app, DryRunRequest{Rule: RuleOf(door), Device: "door-1", Payload: map[string]any{"open": true}, Now: night.Add(-12 * time.Hour)}, time.UTC)
	if err != nil || res.Fires || res.Skipped != "outside the active window" {
		t.Errorf("door at noon: %+v %v", res, err)
	}
	_, err = DryRun(f.app, DryRunRequest{Rule: rules.Rule{Name: "x", When: "telemetry", Condition: "payload.sos = = true"}}, time.UTC)
	if fieldOf(err) != "condition" {
		t.Errorf("broken rule: %v", err)
	}
	_, err = DryRun(f.app, DryRunRequest{Rule: RuleOf(sos), Device: "nope"}, time.UTC)
	if fieldOf(err) != "device" {
		t.Errorf("unknown device: %v", err)
	}
}
