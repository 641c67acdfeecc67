package rules

import (
	"fmt"
	"testing"
)

func TestRuleSetDispatch(t *testing.T) {
	rs := []Rule{
		{ID: "sos", Enabled: true, When: "telemetry", DeviceKinds: []string{"sos_button"}, Condition: `payload.sos == true`},
		{ID: "door", Enabled: true, When: "telemetry", DeviceKinds: []string{"door_magnet"}, Condition: `payload.open == true`},
		{ID: "battery", Enabled: true, When: "telemetry", Condition: `"battery" in payload && payload.battery < 15`},
		{ID: "status", Enabled: true, When: "telemetry", Topic: "devices/+/status", Condition: `payload.online == false`},
		{ID: "quiet", Enabled: true, When: "silence", SilenceFor: "1h", DeviceKinds: []string{"sos_button", "pir"}},
		{ID: "offline", Enabled: true, When: "schedule", Schedule: "*/5 * * * *", Condition: `!device.online`},
		{ID: "ack", Enabled: true, When: "alarm", Condition: `alarm.status == "active"`},
		{ID: "disabled", Enabled: false, When: "telemetry"},
	}
	set := mustRuleSet(t, rs)
	tests := []struct {
		env  *Env
		want []string // rule ids evaluated, in order
	}{
		{&Env{Event: EventTelemetry, Topic: "devices/sos-1/up", Device: Device{Kind: "sos_button"}}, []string{"sos", "battery", "quiet"}},
		{&Env{Event: EventTelemetry, Topic: "devices/sos-1/status", Device: Device{Kind: "sos_button"}}, []string{"sos", "battery", "status", "quiet"}},
		{&Env{Event: EventTelemetry, Topic: "devices/door-1/up", Device: Device{Kind: "door_magnet"}}, []string{"door", "battery"}},
		{&Env{Event: EventTelemetry, Topic: "devices/x/up", Device: Device{Kind: "smoke"}}, []string{"battery"}},
		{&Env{Event: EventTelemetry, Topic: "devices/p/up", Device: Device{Kind: "pir"}}, []string{"battery", "quiet"}},
		{&Env{Event: EventSilence, Device: Device{Kind: "pir"}}, []string{"quiet"}},
		{&Env{Event: EventSchedule, Device: Device{Kind: "gas"}}, []string{"offline"}},
		{&Env{Event: EventAlarm, Alarm: Alarm{Status: "active"}}, []string{"ack"}},
		{&Env{Event: "case"}, nil},
	}
	for _, tt := range tests {
		res := set.Evaluate(tt.env)
		var got []string
		for _, r := range res {
			got = append(got, r.Rule.ID())
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s %s from %s: evaluated %v, want %v", tt.env.Event, tt.env.Topic, tt.env.Device.Kind, got, tt.want)
		}
	}
	if c, ok := set.Rule("battery"); !ok || c.ID() != "battery" {
		t.Error("Rule(battery) not found")
	}
	if _, ok := set.Rule("disabled"); ok {
		t.Error("a disabled rule is in the set")
	}
	if n := len(set.Rules()); n != 7 {
		t.Errorf("Rules() has %d rules, want 7", n)
	}
}

// TestOneBadRuleAmongAHundred: rules that fail at run time — a missing
// value, a runaway loop, a memory bomb, a panicking counter — are reported
// in their own Results; the SOS rule still fires.
func TestOneBadRuleAmongAHundred(t *testing.T) {
	bad := []string{
		`payload.battery < 15`, // battery missing: nil < 15
		`len(map(1..100000000, #)) > 0`,
		`let r = 1..1000; all(r, all(r, all(r, true)))`,
		`count("sos", duration("1h")) > 1`,
		`payload.sos.deeper == 1`,
		`int(payload.sos) == 1`,
	}
	var rs []Rule
	for i := 0; i < 100; i++ {
		rs = append(rs, Rule{ID: fmt.Sprintf("bad%02d", i), Enabled: true, When: "telemetry", Condition: bad[i%len(bad)]})
		if i == 50 {
			rs = append(rs, Rule{ID: "sos", Enabled: true, When: "telemetry", Condition: `payload.sos == true`,
				Actions: []byte(`[{"type":"raise","severity":"critical","title":"SOS {{ elder.name }}"}]`)})
		}
	}
	set := mustRuleSet(t, rs)
	env := telemetry(map[string]any{"sos": true}, at(3, 0))
	env.Counter = panickyCounter{}
	res := set.Evaluate(env)
	if len(res) != 101 {
		t.Fatalf("%d results, want 101", len(res))
	}
	failed := 0
	for _, r := range res {
		if r.Rule.ID() == "sos" {
			if !r.Fired || r.Err != nil || r.Actions[0].Title != "SOS 王秀英" {
				t.Errorf("SOS rule: fired=%v err=%v", r.Fired, r.Err)
			}
			continue
		}
		if r.Err != nil {
			failed++
		}
		if r.Fired {
			t.Errorf("bad rule %s fired", r.Rule.ID())
		}
	}
	if failed != 100 {
		t.Errorf("%d bad rules reported an error, want 100", failed)
	}
}

func TestRuleSetConcurrent(t *testing.T) {
	set := mustRuleSet(t, realisticRules(func(int) []string { return nil }))
	done := make(chan int)
	for g := 0; g < 4; g++ {
		go func() {
			fired := 0
			for i := 0; i < 200; i++ {
				env := benchEnv()
				env.Payload = map[string]any{"sos": true, "battery": 87.0, "rssi": -71.0, "ts": 1773502200.0}
				for _, r := range set.Evaluate(env) {
					if r.Fired {
						fired++
					}
				}
			}
			done <- fired
		}()
	}
	first := <-done
	for g := 1; g < 4; g++ {
		if n := <-done; n != first {
			t.Errorf("goroutines disagree: %d vs %d fired", n, first)
		}
	}
}
