package rules

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var cst = time.FixedZone("CST", 8*3600)

// at is 2026-03-14 (a Saturday) at hh:mm in CST.
func at(hh, mm int) time.Time { return time.Date(2026, 3, 14, hh, mm, 0, 0, cst) }

func mustCompile(t testing.TB, r Rule) *Compiled {
	t.Helper()
	if r.When == "" {
		r.When = WhenTelemetry
	}
	c, err := Compile(r)
	if err != nil {
		t.Fatalf("Compile: %v", err)
	}
	return c
}

func telemetry(p map[string]any, now time.Time) *Env {
	return &Env{Event: EventTelemetry, Topic: "devices/sos-1/up", Payload: p, Now: now,
		Device: Device{ID: "d1", ClientID: "sos-1", Kind: "sos_button", Name: "呼救按钮"},
		Elder:  Elder{ID: "e1", Name: "王秀英", Age: 82, LivesAlone: true}, Household: Household{Address: "3-2-401"}}
}

func TestEvaluateCondition(t *testing.T) {
	tests := []struct {
		name    string
		rule    Rule
		env     *Env
		fired   bool
		clear   bool
		skipped string
		err     string
	}{
		{"sos fires", Rule{Condition: `payload.sos == true`}, telemetry(map[string]any{"sos": true}, at(10, 0)), true, false, "", ""},
		{"sos as number", Rule{Condition: `payload.sos == true || payload.sos == 1`}, telemetry(map[string]any{"sos": 1.0}, at(10, 0)), true, false, "", ""},
		{"no sos", Rule{Condition: `payload.sos == true`}, telemetry(map[string]any{"battery": 80.0}, at(10, 0)), false, false, "", ""},
		{"empty condition always fires", Rule{}, telemetry(nil, at(10, 0)), true, false, "", ""},
		{"inside night window", Rule{Condition: `payload.open == true && elder.lives_alone`, ActiveFrom: "23:00", ActiveTo: "05:00"},
			telemetry(map[string]any{"open": true}, at(2, 30)), true, false, "", ""},
		{"outside night window", Rule{Condition: `payload.open == true`, ActiveFrom: "23:00", ActiveTo: "05:00"},
			telemetry(map[string]any{"open": true}, at(12, 0)), false, false, "outside the active window", ""},
		{"window end is exclusive", Rule{ActiveFrom: "23:00", ActiveTo: "05:00"}, telemetry(nil, at(5, 0)), false, false, "outside the active window", ""},
		{"weekday not active", Rule{Days: []string{"mon", "tue"}}, telemetry(nil, at(10, 0)), false, false, "outside the active window", ""},
		{"clear when not fired", Rule{Condition: `payload.battery < 15`, ClearCondition: `payload.battery >= 30`},
			telemetry(map[string]any{"battery": 45.0}, at(10, 0)), false, true, "", ""},
		{"clear outside the window too", Rule{Condition: `true`, ClearCondition: `payload.ok == true`, ActiveFrom: "23:00", ActiveTo: "05:00"},
			telemetry(map[string]any{"ok": true}, at(12, 0)), false, true, "outside the active window", ""},
		{"run-time error", Rule{Condition: `payload.battery < 15`}, telemetry(map[string]any{}, at(10, 0)), false, false, "",
			"condition: invalid operation: <nil> < int"},
		{"non-bool at run time", Rule{Condition: `payload.sos`}, telemetry(map[string]any{"sos": "yes"}, at(10, 0)), false, false, "", "condition"},
		{"unreadable", Rule{Condition: `unreadable && device.kind == "sos_button"`},
			&Env{Event: EventTelemetry, Unreadable: true, UnreadableReason: "not_json", Device: Device{Kind: "sos_button"}, Now: at(3, 0)}, true, false, "", ""},
		{"count without counter", Rule{Condition: `count("sos", duration("1h")) > 2`}, telemetry(nil, at(10, 0)), false, false, "", "no event counter"},
		{"memory budget", Rule{Condition: `len(map(1..100000000, #)) > 0`}, telemetry(nil, at(10, 0)), false, false, "", "memory budget exceeded"},
		{"string budget", Rule{Condition: `let a = payload.s + payload.s; let b = a + a; let c = b + b; let d = c + c; let e = d + d; let f = e + e; let g = f + f; len(g) > 0`},
			telemetry(map[string]any{"s": strings.Repeat("x", 16000)}, at(10, 0)), false, false, "", "string budget exceeded"},
		{"step budget", Rule{Condition: `let r = 1..1000; all(r, all(r, all(r, true)))`}, telemetry(nil, at(10, 0)), false, false, "", "step budget exceeded"},
		{"string join within budget", Rule{Condition: `payload.a + "-" + payload.b == "x-y"`}, telemetry(map[string]any{"a": "x", "b": "y"}, at(10, 0)), true, false, "", ""},
		{"numbers still add", Rule{Condition: `payload.a + payload.b == 3`}, telemetry(map[string]any{"a": 1.0, "b": 2.0}, at(10, 0)), true, false, "", ""},
		{"time plus duration", Rule{Condition: `device.last_seen + duration("1h") < now`},
			&Env{Event: EventTelemetry, Now: at(10, 0), Device: Device{LastSeen: at(8, 0)}}, true, false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustCompile(t, tt.rule)
			r := c.Evaluate(tt.env)
			if r.Fired != tt.fired || r.Clear != tt.clear || r.Skipped != tt.skipped {
				t.Errorf("fired/clear/skipped = %v/%v/%q, want %v/%v/%q (err %v)", r.Fired, r.Clear, r.Skipped, tt.fired, tt.clear, tt.skipped, r.Err)
			}
			switch {
			case tt.err == "" && r.Err != nil:
				t.Errorf("unexpected error %v", r.Err)
			case tt.err != "" && (r.Err == nil || !strings.Contains(r.Err.Error(), tt.err)):
				t.Errorf("error %v, want it to contain %q", r.Err, tt.err)
			}
		})
	}
}

type panickyCounter struct{}

func (panickyCounter) Count(*Env, string, time.Duration) (int, error) { panic("counter bug") }

type failingCounter struct{}

func (failingCounter) Count(*Env, string, time.Duration) (int, error) {
	return 0, errors.New("database is closed")
}

type recordingCounter struct {
	kind   string
	window time.Duration
	n      int
}

func (c *recordingCounter) Count(env *Env, kind string, window time.Duration) (int, error) {
	c.kind, c.window = kind, window
	return c.n, nil
}

func TestCountHelper(t *testing.T) {
	c := mustCompile(t, Rule{Condition: `count("sos", duration("1h")) >= 3`})
	rec := &recordingCounter{n: 3}
	env := telemetry(nil, at(10, 0))
	env.Counter = rec
	if r := c.Evaluate(env); !r.Fired || r.Err != nil {
		t.Fatalf("3 SOS in an hour: fired=%v err=%v", r.Fired, r.Err)
	}
	if rec.kind != "sos" || rec.window != time.Hour {
		t.Errorf("counter asked for %q over %v", rec.kind, rec.window)
	}
	env.Counter = panickyCounter{}
	if r := c.Evaluate(env); r.Fired || r.Err == nil || !strings.Contains(r.Err.Error(), "counter panicked: counter bug") {
		t.Errorf("panicking counter: fired=%v err=%v", r.Fired, r.Err)
	}
	env.Counter = failingCounter{}
	if r := c.Evaluate(env); r.Err == nil || !strings.Contains(r.Err.Error(), "database is closed") {
		t.Errorf("failing counter: err=%v", r.Err)
	}
}

func TestTimeHelpers(t *testing.T) {
	env := telemetry(map[string]any{"ts": float64(at(9, 30).Unix())}, at(10, 0))
	env.Device.LastSeen = at(8, 45).UTC() // stored in UTC, read in now's zone
	for _, src := range []string{
		`hour(now) == 10`,
		`hour(device.last_seen) == 8`,
		`weekday(now) == "sat"`,
		`weekday(now) in ["sat", "sun"]`,
		`since(device.last_seen) == duration("1h15m")`,
		`since(payload.ts) == duration("30m")`,
		`between(hour(now), 7, 21)`,
		`!between(hour(now), 22, 6)`,
		`between(23, 22, 6) && between(0, 22, 6) && between(5.5, 22, 6) && !between(6, 22, 6)`,
		`duration("2d") == duration("48h")`,
		`duration("1d12h") == duration("36h")`,
		`now - device.last_seen > duration("1h")`,
	} {
		c := mustCompile(t, Rule{Condition: src})
		if r := c.Evaluate(env); !r.Fired || r.Err != nil {
			t.Errorf("%s: fired=%v err=%v", src, r.Fired, r.Err)
		}
	}
	bad := mustCompile(t, Rule{Condition: `since(payload.ts) > duration("1h")`})
	env.Payload["ts"] = "yesterday"
	if r := bad.Evaluate(env); r.Err == nil || !strings.Contains(r.Err.Error(), "since: want a time or Unix seconds, got string") {
		t.Errorf("since(string): err=%v", r.Err)
	}
}

func TestTitles(t *testing.T) {
	c := mustCompile(t, Rule{Condition: `true`, Actions: []byte(`[
		{"type":"raise","severity":"critical","kind":"sos","title":"一键呼救：{{ elder.name }}，{{household.address}}（{{ elder.age }} 岁）"},
		{"type":"notify","audience":["grid_worker"],"title":"{{ hour(now) }} 点 {{ payload.battery }}% {{ payload.missing }}|{{ since(device.last_seen) }}|{{ unreadable }}"},
		{"type":"raise","severity":"info","title":"{{ payload.battery + 1 }}"},
		{"type":"command","command":{"beep":3}}]`)})
	env := telemetry(map[string]any{"battery": 12.5}, at(23, 5))
	env.Device.LastSeen = at(21, 35)
	r := c.Evaluate(env)
	if !r.Fired || r.Err != nil || len(r.Actions) != 4 {
		t.Fatalf("fired=%v err=%v actions=%d", r.Fired, r.Err, len(r.Actions))
	}
	want := []string{"一键呼救：王秀英，3-2-401（82 岁）", "23 点 12.5% |1h30m|false", "13.5", ""}
	for i, w := range want {
		if r.Actions[i].Title != w {
			t.Errorf("title %d = %q, want %q", i, r.Actions[i].Title, w)
		}
	}
	if r.Actions[0].Severity != "critical" || r.Actions[0].Kind != "sos" || r.Actions[3].Command["beep"] != 3.0 {
		t.Errorf("actions not carried: %+v", r.Actions)
	}
	if c.Actions[0].Title == r.Actions[0].Title {
		t.Error("rendering changed the compiled template")
	}
	// A failing placeholder still fires, with "?" and the error.
	env.Payload = map[string]any{"battery": "low"}
	r = c.Evaluate(env)
	if !r.Fired || r.Actions[2].Title != "?" || r.Err == nil || !strings.Contains(r.Err.Error(), "actions[2].title {{ payload.battery + 1 }}") {
		t.Errorf("failing title: fired=%v title=%q err=%v", r.Fired, r.Actions[2].Title, r.Err)
	}
	// Long titles are cut to MaxTitle characters.
	long := mustCompile(t, Rule{Actions: []byte(`[{"type":"raise","severity":"info","title":"{{ payload.s }}"}]`)})
	r = long.Evaluate(telemetry(map[string]any{"s": strings.Repeat("长", 500)}, at(1, 0)))
	if got := []rune(r.Actions[0].Title); len(got) != MaxTitle || got[MaxTitle-1] != '…' {
		t.Errorf("long title has %d characters", len(got))
	}
}

func TestSilenceRule(t *testing.T) {
	c := mustCompile(t, Rule{When: WhenSilence, DeviceKinds: []string{"pir"}, SilenceFor: "12h",
		ResetCondition: `payload.motion == true`, Condition: `elder.id != ""`, ClearCondition: `payload.motion == true`,
		ActiveFrom: "07:00", ActiveTo: "21:00",
		Actions: []byte(`[{"type":"raise","severity":"major","kind":"inactivity","title":"{{ elder.name }} 无活动"}]`)})
	pir := func(p map[string]any, now time.Time) *Env {
		e := telemetry(p, now)
		e.Device.Kind = "pir"
		return e
	}
	// A message: motion restarts the timer (and clears an open alarm), any
	// other message from the sensor does not.
	r := c.Evaluate(pir(map[string]any{"motion": true}, at(22, 30)))
	if !r.Rearm || !r.Clear || r.Fired {
		t.Errorf("motion: rearm=%v clear=%v fired=%v", r.Rearm, r.Clear, r.Fired)
	}
	if r := c.Evaluate(pir(map[string]any{"battery": 50.0}, at(22, 30))); r.Rearm || r.Clear {
		t.Errorf("battery report rearmed the timer")
	}
	// Motion at 20:00: 1 h of daytime left, then 11 h the next day: due 18:00.
	if got, want := c.SilenceDeadline(at(20, 0)), time.Date(2026, 3, 15, 18, 0, 0, 0, cst); !got.Equal(want) {
		t.Errorf("deadline = %v, want %v", got, want)
	}
	// The timer ran out: the rule fires, even at the window's edge.
	due := &Env{Event: EventSilence, Now: time.Date(2026, 3, 15, 21, 0, 0, 0, cst), Device: Device{Kind: "pir"}, Elder: Elder{ID: "e1", Name: "王秀英"}}
	r = c.Evaluate(due)
	if !r.Fired || r.Actions[0].Title != "王秀英 无活动" {
		t.Errorf("silence due: fired=%v actions=%+v err=%v", r.Fired, r.Actions, r.Err)
	}
	// Not for a sensor without an elder (the condition).
	due.Elder = Elder{}
	if r := c.Evaluate(due); r.Fired {
		t.Error("fired for a sensor without an elder")
	}
	// Suspended while the elder is in hospital, until mode_until.
	due.Elder = Elder{ID: "e1", Mode: ModeHospital, ModeUntil: time.Date(2026, 3, 20, 0, 0, 0, 0, cst)}
	if r := c.Evaluate(due); r.Fired || !r.Suspended || r.Skipped != "the elder is hospital" {
		t.Errorf("hospital: fired=%v suspended=%v skipped=%q", r.Fired, r.Suspended, r.Skipped)
	}
	due.Now = time.Date(2026, 3, 21, 9, 0, 0, 0, cst)
	if r := c.Evaluate(due); !r.Fired || r.Suspended {
		t.Errorf("after mode_until: fired=%v suspended=%v", r.Fired, r.Suspended)
	}
	due.Elder.Mode, due.Elder.ModeUntil = ModeAway, time.Time{}
	if r := c.Evaluate(due); !r.Suspended {
		t.Error("away without an end did not suspend")
	}
	// Events for other triggers and kinds do not concern it.
	for _, env := range []*Env{
		{Event: EventSchedule, Device: Device{Kind: "pir"}},
		{Event: EventTelemetry, Device: Device{Kind: "door_magnet"}},
		{Event: "case", Device: Device{Kind: "pir"}},
	} {
		if r := c.Evaluate(env); r.Fired || r.Rearm || r.Skipped == "" {
			t.Errorf("event %s/%s concerned the rule: %+v", env.Event, env.Device.Kind, r)
		}
	}
}

func TestPanicInRuleIsRecovered(t *testing.T) {
	c := mustCompile(t, Rule{Condition: `true`, Actions: []byte(`[{"type":"raise","severity":"info","title":"x"}]`)})
	c.titles[0] = nil
	c.titles = c.titles[:0] // corrupt the rule: rendering indexes past the end
	r := c.Evaluate(telemetry(nil, at(1, 0)))
	if r.Fired || r.Err == nil || !strings.Contains(r.Err.Error(), "panic") {
		t.Errorf("fired=%v err=%v", r.Fired, r.Err)
	}
}

func TestTrace(t *testing.T) {
	c := mustCompile(t, Rule{
		Condition:      `payload.open == true && elder.lives_alone && between(hour(now), 22, 6) && all(payload.list ?? [], # > 0)`,
		ClearCondition: `!device.online || since(device.last_seen) > duration("1h") || device.last_seen.IsZero()`,
	})
	env := telemetry(map[string]any{"open": true}, at(23, 30))
	env.Device.LastSeen = at(23, 0)
	r := c.Trace(env)
	want := map[string]any{
		"payload.open": true, "elder.lives_alone": true, "hour(now)": 23, "between(hour(now), 22, 6)": true,
		"payload.list": nil, "now": at(23, 30), "device.online": false, "since(device.last_seen)": "30m",
		"device.last_seen": at(23, 0), "device.last_seen.IsZero()": false,
	}
	for k, v := range want {
		got, ok := r.Seen[k]
		if !ok {
			t.Errorf("Seen lacks %s (has %v)", k, r.Seen)
			continue
		}
		if tv, isTime := v.(time.Time); isTime {
			if !got.(time.Time).Equal(tv) {
				t.Errorf("Seen[%s] = %v, want %v", k, got, v)
			}
		} else if got != v {
			t.Errorf("Seen[%s] = %#v, want %#v", k, got, v)
		}
	}
	for k := range r.Seen {
		if k == "payload" || k == "elder" || k == "#" || strings.HasPrefix(k, "duration") {
			t.Errorf("Seen has noise %q", k)
		}
	}
	if r := c.Evaluate(env); r.Seen != nil {
		t.Error("Evaluate filled Seen")
	}
}
