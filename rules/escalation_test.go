package rules

import (
	"strings"
	"testing"
	"time"
)

func TestParseSteps(t *testing.T) {
	steps, err := ParseSteps([]byte(`[
		{"after":"0s","audiences":["grid_worker","on_duty"],"channels":["inapp","sms"]},
		{"after":"2m","audiences":["volunteer"],"channels":["inapp"]},
		{"after":"5m","audiences":["emergency_contacts"],"channels":["sms"],"targets":["值班群"]},
		{"after":"10m","targets":["东门岗亭"]}]`))
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{0, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute}
	for i, s := range steps {
		if s.Delay != want[i] {
			t.Errorf("step %d delay %v, want %v", i, s.Delay, want[i])
		}
	}
	for _, tt := range []struct{ in, msg string }{
		{`{}`, "JSON list"},
		{`[]`, "1 to 20 steps"},
		{`[{"after":"soon","audiences":["on_duty"],"channels":["inapp"]}]`, "steps[0].after"},
		{`[{"after":"5m","audiences":["on_duty"],"channels":["inapp"]},{"after":"2m","audiences":["secretary"],"channels":["inapp"]}]`, "comes before"},
		{`[{"after":"0s"}]`, "needs audiences"},
		{`[{"after":"0s","audiences":["mayor"],"channels":["inapp"]}]`, `unknown audience "mayor"`},
		{`[{"after":"0s","audiences":["on_duty"]}]`, "say how to reach"},
		{`[{"after":"0s","audiences":["on_duty"],"channels":["pigeon"]}]`, `unknown channel "pigeon"`},
		{`[{"after":"0s","audiences":["on_duty"],"channels":["inapp"],"delay":"1m"}]`, `unknown field "delay"`},
	} {
		if _, err := ParseSteps([]byte(tt.in)); err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("ParseSteps(%s) = %v, want an error containing %q", tt.in, err, tt.msg)
		}
	}
}
