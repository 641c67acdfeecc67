package rules

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// FuzzCompile: Compile never panics and either refuses a rule with Errors
// or returns one that evaluates without panicking; where the fast
// evaluator decides a condition it agrees with the VM.
func FuzzCompile(f *testing.F) {
	seeds := []string{
		`payload.sos == true`, `payload.open == true && elder.lives_alone`, `"battery" in payload && payload.battery < 15`,
		`between(hour(now), 22, 6)`, `since(device.last_seen) > duration("1h")`, `count("sos", duration("1h")) > 2`,
		`weekday(now) in ["sat", "sun"]`, `all(payload.list ?? [], # > 1)`, `len(map(1..100000000, #)) > 0`,
		`let a = payload.s + payload.s; len(a) > 0`, `payload.sos ==`, `{{`, `duration("12x")`, `now()`,
		`"a" + 1`, `unreadable`, `!device.online && !device.last_seen.IsZero()`, `payload?.a?.b ?? 1 > 0`,
		`elder.mode != "away" ? true : false`, `1..3 | map(# * 2) | sum() > 5`, `payload.a matches "^x"`,
	}
	for _, s := range seeds {
		f.Add(s, "SOS {{ elder.name }}")
	}
	f.Add("true", "{{ payload.x + 1 }} {{")
	f.Add("true", "{{ hour(now) }}点")
	env := func() *Env {
		return &Env{Event: EventTelemetry, Topic: "devices/a/up", Now: time.Date(2026, 3, 14, 23, 0, 0, 0, time.UTC),
			Payload: map[string]any{"sos": true, "battery": 12.0, "list": []any{1.0, 2.0}, "s": "abc", "a": map[string]any{"b": 2.0}},
			Elder:   Elder{Name: "王", LivesAlone: true, Age: 80}, Counter: fixedCounter(3)}
	}
	f.Fuzz(func(t *testing.T, condition, title string) {
		actions, err := json.Marshal([]Action{{Type: ActionRaise, Severity: SeverityInfo, Title: title}})
		if err != nil {
			t.Fatal(err)
		}
		c, err := Compile(Rule{When: WhenTelemetry, Condition: condition, Actions: actions})
		if err != nil {
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("error %v is not Errors", err)
			}
			return
		}
		r := c.Trace(env())
		if r.Fired && len(r.Actions) != 1 {
			t.Fatalf("fired with %d actions (err %v)", len(r.Actions), r.Err)
		}
		if c.condition.fast != nil {
			got, ok := c.condition.fast(env())
			want, err := run(c.condition.prog, env())
			if ok && (err != nil || got != want) {
				t.Fatalf("fast %v, VM %v (%v)", got, want, err)
			}
		}
	})
}
