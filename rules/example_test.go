package rules_test

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/fengqiao/fengqiao/payload"
	"github.com/fengqiao/fengqiao/rules"
)

var cst = time.FixedZone("CST", 8*3600)

// A rule is data: a trigger, a match, one expression and typed actions. It
// is compiled once, when saved, and evaluated against every event.
func Example() {
	rule, err := rules.Compile(rules.Rule{
		Key: "sos_pressed", Enabled: true, When: rules.WhenTelemetry,
		DeviceKinds: []string{"sos_button"},
		Condition:   `payload.sos == true`,
		Actions:     []byte(`[{"type":"raise","severity":"critical","kind":"sos","title":"SOS: {{ elder.name }}, {{ household.address }}"}]`),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	msg, _ := payload.Decode([]byte(`{"sos":true,"battery":87}`))
	r := rule.Evaluate(&rules.Env{
		Event: rules.EventTelemetry, Topic: "devices/sos-3-2-401/up", Payload: msg,
		Device:    rules.Device{Kind: "sos_button", ClientID: "sos-3-2-401"},
		Elder:     rules.Elder{Name: "Wang Xiuying", LivesAlone: true},
		Household: rules.Household{Address: "Building 3, 2-401"},
		Now:       time.Date(2026, 3, 14, 3, 12, 0, 0, cst),
	})
	fmt.Println(r.Fired, r.Actions[0].Severity, r.Actions[0].Title)
	// Output: true critical SOS: Wang Xiuying, Building 3, 2-401
}

// A rule that does not compile or type-check is refused with the field,
// line, column and expr's message, for the admin UI to show.
func ExampleCompile_errors() {
	_, err := rules.Compile(rules.Rule{
		When:      rules.WhenTelemetry,
		Condition: "payload.open == true &&\n  elder.lives_alon",
		Actions:   []byte(`[{"type":"raise","severity":"urgent","title":"door"}]`),
	})
	var errs rules.Errors
	if errors.As(err, &errs) {
		for _, e := range errs {
			fmt.Printf("%s | line %d col %d | %s\n", e.Path, e.Line, e.Column, e.Message)
		}
		fmt.Println(errs[0].Snippet)
	}
	// Output:
	// condition | line 2 col 9 | elder has no field lives_alon
	// actions[0].severity | line 0 col 0 | severity "urgent": use critical, major, minor, warning or info
	//
	//  |   elder.lives_alon
	//  | ........^
}

// The helpers: now is the event's time (the builtin now() is off, so rules
// are deterministic); hour and weekday read times in now's time zone;
// between wraps around midnight; durations accept d for days; since takes
// a time or the Unix seconds devices send as "ts".
func Example_helpers() {
	env := &rules.Env{
		Event:   rules.EventTelemetry,
		Now:     time.Date(2026, 3, 14, 23, 30, 0, 0, cst), // a Saturday
		Payload: map[string]any{"ts": float64(time.Date(2026, 3, 14, 23, 25, 0, 0, cst).Unix())},
		Device:  rules.Device{LastSeen: time.Date(2026, 3, 14, 21, 0, 0, 0, cst)},
	}
	for _, src := range []string{
		`hour(now) == 23`,
		`weekday(now) in ["sat", "sun"]`,
		`between(hour(now), 22, 6)`,
		`between(hour(now), 7, 21)`,
		`since(device.last_seen) > duration("2h")`,
		`since(payload.ts) == duration("5m")`,
		`duration("1d") == duration("24h")`,
	} {
		c, err := rules.Compile(rules.Rule{When: rules.WhenTelemetry, Condition: src})
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(src, "→", c.Evaluate(env).Fired)
	}
	// Output:
	// hour(now) == 23 → true
	// weekday(now) in ["sat", "sun"] → true
	// between(hour(now), 22, 6) → true
	// between(hour(now), 7, 21) → false
	// since(device.last_seen) > duration("2h") → true
	// since(payload.ts) == duration("5m") → true
	// duration("1d") == duration("24h") → true
}

type alarmLog map[string]int

// Count implements rules.Counter from the engine's own records.
func (l alarmLog) Count(env *rules.Env, kind string, window time.Duration) (int, error) {
	return l[env.Device.ID+"/"+kind], nil
}

// count(kind, window) asks the engine how many events of a kind the device
// (or its elder) had in the window ending now.
func Example_count() {
	c, _ := rules.Compile(rules.Rule{When: rules.WhenTelemetry,
		Condition: `payload.open == true && count("open", duration("1h")) >= 10`,
		Actions:   []byte(`[{"type":"raise","severity":"minor","title":"door opened {{ payload.n }} times"}]`)})
	env := &rules.Env{Event: rules.EventTelemetry, Payload: map[string]any{"open": true, "n": 12.0},
		Device: rules.Device{ID: "door-1"}, Counter: alarmLog{"door-1/open": 12}}
	r := c.Evaluate(env)
	fmt.Println(r.Fired, r.Actions[0].Title)
	// Output: true door opened 12 times
}

// An active window restricts when a rule fires; it may cross midnight, and
// is checked against the event's now.
func Example_activeWindow() {
	c, _ := rules.Compile(rules.Rule{When: rules.WhenTelemetry, DeviceKinds: []string{"door_magnet"},
		Condition: `payload.open == true && elder.lives_alone`, ActiveFrom: "23:00", ActiveTo: "05:00"})
	for _, hh := range []int{22, 23, 2, 5} {
		env := &rules.Env{Event: rules.EventTelemetry, Payload: map[string]any{"open": true},
			Device: rules.Device{Kind: "door_magnet"}, Elder: rules.Elder{LivesAlone: true},
			Now: time.Date(2026, 3, 14, hh, 0, 0, 0, cst)}
		r := c.Evaluate(env)
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%02d:00 fired=%v %s", hh, r.Fired, r.Skipped)))
	}
	// Output:
	// 22:00 fired=false outside the active window
	// 23:00 fired=true
	// 02:00 fired=true
	// 05:00 fired=false outside the active window
}

// A message the decoder could not read reaches rules with unreadable set
// and an empty payload, so an SOS button's garbled press still raises an
// alarm.
func Example_unreadable() {
	c, _ := rules.Compile(rules.Rule{When: rules.WhenTelemetry, DeviceKinds: []string{"sos_button"},
		Condition: `unreadable`,
		Actions:   []byte(`[{"type":"raise","severity":"critical","title":"unreadable alarm from {{ device.name }} ({{ unreadable_reason }})"}]`)})
	_, err := payload.Decode([]byte("\x01\x02SOS"))
	var perr *payload.Error
	errors.As(err, &perr)
	r := c.Evaluate(&rules.Env{Event: rules.EventTelemetry, Unreadable: true, UnreadableReason: perr.Reason,
		Device: rules.Device{Kind: "sos_button", Name: "bedside SOS"}})
	fmt.Println(r.Fired, r.Actions[0].Title)
	// Output: true unreadable alarm from bedside SOS (not_json)
}

// A silence rule fires when nothing matching arrived for SilenceFor,
// counting only time inside its active window. Messages that make
// reset_condition true restart the timer; the engine stores the deadline.
func ExampleCompiled_SilenceDeadline() {
	c, _ := rules.Compile(rules.Rule{When: rules.WhenSilence, DeviceKinds: []string{"pir"},
		ResetCondition: `payload.motion == true`, SilenceFor: "12h", ActiveFrom: "07:00", ActiveTo: "21:00",
		Condition: `elder.id != ""`,
		Actions:   []byte(`[{"type":"raise","severity":"major","title":"no motion from {{ elder.name }}"}]`)})

	motion := &rules.Env{Event: rules.EventTelemetry, Payload: map[string]any{"motion": true},
		Device: rules.Device{Kind: "pir"}, Now: time.Date(2026, 3, 14, 20, 0, 0, 0, cst)}
	r := c.Evaluate(motion)
	fmt.Println("rearm:", r.Rearm, "due:", c.SilenceDeadline(motion.Now).Format("Jan 2 15:04"))

	due := &rules.Env{Event: rules.EventSilence, Device: rules.Device{Kind: "pir"},
		Elder: rules.Elder{ID: "e1", Name: "Wang"}, Now: time.Date(2026, 3, 15, 18, 0, 0, 0, cst)}
	r = c.Evaluate(due)
	fmt.Println("fired:", r.Fired, r.Actions[0].Title)

	due.Elder.Mode = rules.ModeHospital
	r = c.Evaluate(due)
	fmt.Println("fired:", r.Fired, "suspended:", r.Suspended)
	// Output:
	// rearm: true due: Mar 15 18:00
	// fired: true no motion from Wang
	// fired: false suspended: true
}

// Trace is the dry run: the result plus the values the rule read.
func ExampleCompiled_Trace() {
	c, _ := rules.Compile(rules.Rule{When: rules.WhenTelemetry,
		Condition: `payload.open == true && elder.lives_alone && between(hour(now), 23, 5)`})
	r := c.Trace(&rules.Env{Event: rules.EventTelemetry, Payload: map[string]any{"open": true},
		Elder: rules.Elder{LivesAlone: true}, Now: time.Date(2026, 3, 14, 23, 40, 0, 0, cst)})
	fmt.Println(r.Fired)
	for _, k := range []string{"payload.open", "elder.lives_alone", "hour(now)", "between(hour(now), 23, 5)"} {
		fmt.Printf("%s = %v\n", k, r.Seen[k])
	}
	// Output:
	// true
	// payload.open = true
	// elder.lives_alone = true
	// hour(now) = 23
	// between(hour(now), 23, 5) = true
}

// A RuleSet offers an event only to the rules whose trigger, device kind
// and topic fit it. A rule that fails reports its error; the others go on.
func ExampleRuleSet_Evaluate() {
	var compiled []*rules.Compiled
	for _, r := range []rules.Rule{
		{ID: "sos", Enabled: true, When: "telemetry", DeviceKinds: []string{"sos_button"}, Condition: `payload.sos == true`,
			Actions: []byte(`[{"type":"raise","severity":"critical","title":"SOS"}]`)},
		{ID: "door", Enabled: true, When: "telemetry", DeviceKinds: []string{"door_magnet"}, Condition: `payload.open == true`},
		{ID: "battery", Enabled: true, When: "telemetry", Condition: `payload.battery < 15`},
		{ID: "status", Enabled: true, When: "telemetry", Topic: "devices/+/status", Condition: `payload.online == false`},
	} {
		c, err := rules.Compile(r)
		if err != nil {
			fmt.Println(err)
			return
		}
		compiled = append(compiled, c)
	}
	set := rules.NewRuleSet(compiled...)
	res := set.Evaluate(&rules.Env{Event: rules.EventTelemetry, Topic: "devices/sos-1/up",
		Device: rules.Device{Kind: "sos_button"}, Payload: map[string]any{"sos": true}})
	for _, r := range res {
		fmt.Printf("%s fired=%v err=%v\n", r.Rule.ID(), r.Fired, r.Err != nil)
	}
	// Output:
	// sos fired=true err=false
	// battery fired=false err=true
}

// Escalation policies are ladders of steps; After counts from the raise.
func ExampleParseSteps() {
	steps, err := rules.ParseSteps([]byte(`[
		{"after":"0s","audiences":["grid_worker","on_duty"],"channels":["inapp","sms"]},
		{"after":"2m","audiences":["volunteer"],"channels":["inapp","sms"]},
		{"after":"5m","audiences":["emergency_contacts"],"channels":["sms"]},
		{"after":"10m","audiences":["secretary"],"channels":["inapp","sms"]}]`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range steps {
		fmt.Println(s.Delay, s.Audiences)
	}
	// Output:
	// 0s [grid_worker on_duty]
	// 2m0s [volunteer]
	// 5m0s [emergency_contacts]
	// 10m0s [secretary]
}
