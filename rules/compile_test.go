package rules

import (
	"errors"
	"strings"
	"testing"
)

// raise is a valid action list for rules whose actions are not under test.
const raise = `[{"type":"raise","severity":"critical","title":"SOS"}]`

func TestCompileAccepts(t *testing.T) {
	tests := []Rule{
		{When: "telemetry", Condition: `payload.sos == true`, Actions: []byte(raise)},
		{When: "telemetry"}, // no condition, no actions: allowed (fires on every message)
		{When: "telemetry", Topic: "devices/+/up", DeviceKinds: []string{"sos_button", "pir"}},
		{When: "telemetry", Topic: "#"},
		{When: "telemetry", Condition: "payload.temp > 45 &&\n  elder.age >= 80", Cooldown: "10m"},
		{When: "silence", SilenceFor: "12h", ResetCondition: `payload.motion == true`, ActiveFrom: "07:00", ActiveTo: "21:00"},
		{When: "silence", SilenceFor: "2d", Days: []string{"mon", "fri"}},
		{When: "alarm", Condition: `alarm.severity == "critical" && since(alarm.first_seen) > duration("10m")`},
		{When: "schedule", Schedule: "@monthly"},
		{When: "schedule", Schedule: "*/5 * * * *", Condition: `!device.online`, ClearCondition: `device.online`},
		{When: "telemetry", ActiveFrom: "23:00", ActiveTo: "05:00", Days: []string{"sat", "sun"}},
		{When: "telemetry", Actions: []byte(`[
			{"type":"raise","severity":"info","kind":"battery","title":"电量 {{ payload.battery }}% {{ device.name }}"},
			{"type":"clear","rule":"sos_pressed"},
			{"type":"notify","channel":"值班群","audience":["grid_worker","on_duty"],"title":"{{ elder.name }}"},
			{"type":"command","device":"siren-gate","command":{"beep":3}}]`)},
		{When: "telemetry", Actions: []byte(`null`)},
		{When: "telemetry", Condition: `map(filter(payload.list ?? [], # > 1), # * 2)[0] > 2`},
		{When: "telemetry", Condition: `len(payload.name ?? "") > 0 && hasPrefix(device.client_id, "sos-")`},
		// The examples of docs/rules.md.
		{When: "telemetry", Condition: `payload.open == true && elder.lives_alone && between(hour(now), 23, 5)`},
		{When: "telemetry", Condition: `payload.sos == true && count("sos", duration("1h")) >= 3`},
		{When: "telemetry", Condition: `weekday(now) in ["sat", "sun"] && since(device.last_seen) > duration("2d")`},
		{When: "telemetry", Condition: `any(payload.readings ?? [], # > 45)`},
		{When: "telemetry", Condition: `now - device.last_seen > duration("1h") && now > elder.mode_until && device.last_seen.IsZero()`},
		{When: "telemetry", Condition: `"sos_button" in household.tags || payload.msg contains "SOS" || device.name startsWith "床"`},
		{When: "alarm", Condition: `alarm.status == "active" && since(alarm.first_seen) > duration("10m")`},
	}
	for _, r := range tests {
		if _, err := Compile(r); err != nil {
			t.Errorf("Compile(%+v) refused: %v", r, err)
		}
	}
}

func TestCompileRefuses(t *testing.T) {
	tests := []struct {
		name      string
		rule      Rule
		path      string // first error's path
		line, col int
		msg       string
	}{
		{"no trigger", Rule{}, "when", 0, 0, "trigger is required"},
		{"unknown trigger", Rule{When: "hourly"}, "when", 0, 0, `unknown trigger "hourly"`},
		{"case rules not yet", Rule{When: "case"}, "when", 0, 0, "case rules"},
		{"syntax", Rule{When: "telemetry", Condition: `payload.sos == `}, "condition", 1, 15, "unexpected token EOF"},
		{"unknown name", Rule{When: "telemetry", Condition: `payload.sos && sos2`}, "condition", 1, 16, "unknown name sos2"},
		{"second line", Rule{When: "telemetry", Condition: "payload.x == 1 &&\n  elder.shoe_size > 3"}, "condition", 2, 9, "elder has no field shoe_size"},
		{"not boolean", Rule{When: "telemetry", Condition: `elder.age + 1`}, "condition", 0, 0, "expected bool"},
		{"type mismatch", Rule{When: "telemetry", Condition: `elder.name > 3`}, "condition", 1, 12, "invalid operation"},
		{"helper argument", Rule{When: "telemetry", Condition: `since("yesterday") > duration("1h")`}, "condition", 1, 7, "cannot use string"},
		{"helper arity", Rule{When: "telemetry", Condition: `hour() > 3`}, "condition", 1, 1, "not enough arguments"},
		{"bad duration literal", Rule{When: "telemetry", Condition: `since(device.last_seen) > duration("12 hours")`}, "condition", 1, 36, "invalid duration"},
		{"now() is disabled", Rule{When: "telemetry", Condition: `hour(now()) > 3`}, "condition", 1, 6, "not callable"},
		{"builtin count replaced", Rule{When: "telemetry", Condition: `count([1,2], # > 1) > 0`}, "condition", 1, 0, ""},
		{"repeat is off", Rule{When: "telemetry", Condition: `repeat("x", 3) == "xxx"`}, "condition", 1, 1, "unknown name repeat"},
		{"date is off", Rule{When: "telemetry", Condition: `date("2026-01-01") < now`}, "condition", 1, 1, "unknown name date"},
		{"node limit", Rule{When: "telemetry", Condition: strings.Repeat("payload.a == 1 || ", 200) + "true"}, "condition", 0, 0, "exceeds maximum allowed nodes"},
		{"reset condition", Rule{When: "silence", SilenceFor: "1h", ResetCondition: `payload.motion ==`}, "reset_condition", 1, 17, "unexpected token EOF"},
		{"clear condition", Rule{When: "telemetry", ClearCondition: `batery < 30`}, "clear_condition", 1, 1, "unknown name batery"},
		{"bad device kind", Rule{When: "telemetry", DeviceKinds: []string{"SOS Button"}}, "device_kinds[0]", 0, 0, "invalid device kind"},
		{"topic # not last", Rule{When: "telemetry", Topic: "devices/#/up"}, "topic", 0, 0, "last level"},
		{"topic wildcard inside level", Rule{When: "telemetry", Topic: "devices/sos+/up"}, "topic", 0, 0, "stand alone"},
		{"silence without duration", Rule{When: "silence"}, "silence_for", 0, 0, "silence rule needs"},
		{"silence condition on the message", Rule{When: "silence", SilenceFor: "12h", Condition: `payload.motion == true`}, "condition", 0, 0, "reset_condition"},
		{"bad silence", Rule{When: "silence", SilenceFor: "12 hours"}, "silence_for", 0, 0, "invalid duration"},
		{"silence too long", Rule{When: "silence", SilenceFor: "40d"}, "silence_for", 0, 0, "between 1s and 720h"},
		{"negative cooldown", Rule{When: "telemetry", Cooldown: "-5m"}, "cooldown", 0, 0, "invalid duration"},
		{"schedule without spec", Rule{When: "schedule"}, "schedule", 0, 0, "needs a cron spec"},
		{"bad cron", Rule{When: "schedule", Schedule: "every monday"}, "schedule", 0, 0, "invalid cron spec"},
		{"cron out of range", Rule{When: "schedule", Schedule: "0 25 * * *"}, "schedule", 0, 0, "invalid cron spec"},
		{"window half", Rule{When: "telemetry", ActiveFrom: "07:00"}, "active_to", 0, 0, "both"},
		{"window bad time", Rule{When: "telemetry", ActiveFrom: "7:00", ActiveTo: "21:00"}, "active_from", 0, 0, "HH:MM"},
		{"window 24:00", Rule{When: "telemetry", ActiveFrom: "07:00", ActiveTo: "24:00"}, "active_to", 0, 0, "HH:MM"},
		{"window empty", Rule{When: "telemetry", ActiveFrom: "07:00", ActiveTo: "07:00"}, "active_to", 0, 0, "equals"},
		{"bad day", Rule{When: "telemetry", Days: []string{"mon", "funday"}}, "days[1]", 0, 0, "unknown day"},
		{"actions not a list", Rule{When: "telemetry", Actions: []byte(`{"type":"raise"}`)}, "actions", 0, 0, "JSON list"},
		{"unknown action field", Rule{When: "telemetry", Actions: []byte(`[{"type":"raise","severty":"critical","title":"x"}]`)}, "actions", 0, 0, `unknown field "severty"`},
		{"unknown action type", Rule{When: "telemetry", Actions: []byte(`[{"type":"call_police"}]`)}, "actions[0].type", 0, 0, "unknown action type"},
		{"missing action type", Rule{When: "telemetry", Actions: []byte(`[{"title":"x"}]`)}, "actions[0].type", 0, 0, "needs a type"},
		{"bad severity", Rule{When: "telemetry", Actions: []byte(`[{"type":"raise","severity":"urgent","title":"x"}]`)}, "actions[0].severity", 0, 0, `severity "urgent"`},
		{"raise without title", Rule{When: "telemetry", Actions: []byte(`[{"type":"raise","severity":"info"}]`)}, "actions[0].title", 0, 0, "title is required"},
		{"bad alarm kind", Rule{When: "telemetry", Actions: []byte(`[{"type":"raise","severity":"info","title":"x","kind":"Low Battery"}]`)}, "actions[0].kind", 0, 0, "alarm kind"},
		{"notify nobody", Rule{When: "telemetry", Actions: []byte(`[{"type":"notify","title":"x"}]`)}, "actions[0]", 0, 0, "channel, an audience"},
		{"unknown audience", Rule{When: "telemetry", Actions: []byte(`[{"type":"notify","title":"x","audience":["mayor"]}]`)}, "actions[0].audience[0]", 0, 0, `unknown audience "mayor"`},
		{"command without body", Rule{When: "telemetry", Actions: []byte(`[{"type":"command"}]`)}, "actions[0].command", 0, 0, "needs a command"},
		{"command bad device", Rule{When: "telemetry", Actions: []byte(`[{"type":"command","device":"a/b","command":{"x":1}}]`)}, "actions[0].device", 0, 0, "not a client id"},
		{"too many actions", Rule{When: "telemetry", Actions: []byte("[" + strings.Repeat(`{"type":"clear"},`, MaxActions) + `{"type":"clear"}]`)}, "actions", 0, 0, "at most"},
		{"title unknown name", Rule{When: "telemetry", Actions: []byte(`[{"type":"raise","severity":"info","title":"SOS {{ elder.nmae }}"}]`)}, "actions[0].title", 1, 14, "elder has no field nmae"},
		{"title unclosed", Rule{When: "telemetry", Actions: []byte(`[{"type":"raise","severity":"info","title":"SOS {{ elder.name"}]`)}, "actions[0].title", 1, 5, "unclosed"},
		{"title empty placeholder", Rule{When: "telemetry", Actions: []byte(`[{"type":"raise","severity":"info","title":"SOS {{ }}"}]`)}, "actions[0].title", 1, 5, "empty"},
		{"title after chinese", Rule{When: "telemetry", Actions: []byte(`[{"type":"raise","severity":"info","title":"呼救：{{ elder.x }}"}]`)}, "actions[0].title", 1, 13, "elder has no field x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Compile(tt.rule)
			if err == nil {
				t.Fatalf("Compile accepted %+v", tt.rule)
			}
			if c != nil {
				t.Fatal("Compile returned a rule with an error")
			}
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("error %v is not Errors", err)
			}
			e := errs[0]
			if e.Path != tt.path || !strings.HasPrefix(e.Path, e.Field) {
				t.Errorf("field/path = %s/%s, want path %s (%v)", e.Field, e.Path, tt.path, err)
			}
			if tt.line != 0 && e.Line != tt.line {
				t.Errorf("line = %d, want %d (%v)", e.Line, tt.line, err)
			}
			if tt.col != 0 && e.Column != tt.col {
				t.Errorf("column = %d, want %d (%v)", e.Column, tt.col, err)
			}
			if !strings.Contains(e.Message, tt.msg) {
				t.Errorf("message %q does not contain %q", e.Message, tt.msg)
			}
		})
	}
}

// TestCompileErrorFormat: the message the admin UI shows.
func TestCompileErrorFormat(t *testing.T) {
	_, err := Compile(Rule{When: "telemetry", Condition: `payload.sos && sos2`, Cooldown: "soon"})
	want := `condition: line 1, column 16: unknown name sos2; cooldown: invalid duration "soon" (use units like 90s, 10m, 12h, 2d)`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v\nwant    %s", err, want)
	}
	var errs Errors
	errors.As(err, &errs)
	if want := "\n | payload.sos && sos2\n | ...............^"; errs[0].Snippet != want {
		t.Errorf("snippet = %q, want %q", errs[0].Snippet, want)
	}
}
