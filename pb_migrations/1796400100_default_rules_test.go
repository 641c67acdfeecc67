package pb_migrations_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	_ "github.com/fengqiao/fengqiao/pb_migrations"
	"github.com/fengqiao/fengqiao/rules"
)

// defaultRulesApp is a test app with every fengqiao migration applied to an empty
// data directory.
func defaultRulesApp(t *testing.T) *tests.TestApp {
	t.Helper()
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatalf("test app: %v", err)
	}
	t.Cleanup(app.Cleanup)
	return app
}

// compileShippedRules compiles every shipped rule (one with a key), failing
// on any compile error.
func compileShippedRules(t *testing.T, app core.App) map[string]*rules.Compiled {
	t.Helper()
	recs, err := app.FindAllRecords("rules")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*rules.Compiled{}
	for _, rec := range recs {
		if rec.GetString("key") == "" || rec.GetString("when") == rules.WhenCase {
			continue // an admin's own rule; case rules belong to case routing
		}
		b, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		var r rules.Rule
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("rule %s: decode: %v", rec.GetString("key"), err)
		}
		c, err := rules.Compile(r)
		if err != nil {
			t.Errorf("shipped rule %s does not compile: %v", r.Key, err)
			continue
		}
		out[r.Key] = c
	}
	return out
}

func TestDefaultRulesCompile(t *testing.T) {
	app := defaultRulesApp(t)
	got := compileShippedRules(t, app)
	want := []string{"sos_pressed", "sos_unreadable", "smoke_alarm", "gas_alarm", "water_leak_alarm",
		"door_open_night_alone", "no_motion_daytime", "device_offline", "battery_low", "sos_monthly_test"}
	for _, k := range want {
		c, ok := got[k]
		if !ok {
			t.Errorf("default rule %s missing", k)
			continue
		}
		if !c.Rule.Enabled {
			t.Errorf("default rule %s is not enabled", k)
		}
	}
}

func TestDefaultPolicies(t *testing.T) {
	app := defaultRulesApp(t)
	recs, err := app.FindAllRecords("escalation_policies")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, rec := range recs {
		steps, err := rules.ParseSteps([]byte(rec.GetString("steps")))
		if err != nil {
			t.Errorf("policy %s: %v", rec.GetString("key"), err)
			continue
		}
		seen[rec.GetString("severity")] = true
		if rec.GetString("key") != rec.GetString("severity") || !rec.GetBool("enabled") {
			t.Errorf("policy %s: key/severity/enabled = %s/%s/%v", rec.Id, rec.GetString("key"), rec.GetString("severity"), rec.GetBool("enabled"))
		}
		if rec.GetInt("repeat") > 0 && rec.GetString("repeat_every") == "" {
			t.Errorf("policy %s repeats without repeat_every", rec.GetString("key"))
		}
		if rec.GetString("severity") == "critical" {
			wantAfter := []time.Duration{0, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute}
			wantWho := []string{"grid_worker", "volunteer", "emergency_contacts", "secretary"}
			for i, s := range steps {
				if s.Delay != wantAfter[i] || s.Audiences[0] != wantWho[i] {
					t.Errorf("critical step %d = %v %v, want %v %s", i, s.Delay, s.Audiences, wantAfter[i], wantWho[i])
				}
			}
			if rec.GetInt("repeat") < 1 {
				t.Error("critical policy must repeat until acknowledged")
			}
		}
	}
	for _, sev := range rules.Severities {
		if !seen[sev] {
			t.Errorf("no escalation policy for %s", sev)
		}
	}
}

// TestDefaultRulesIdempotent runs the migration again over an admin's edit
// and over a deletion: nothing is duplicated, the edit stays, and down then
// up restores the shipped data.
func TestDefaultRulesIdempotent(t *testing.T) {
	app := defaultRulesApp(t)
	var mig *core.Migration
	for _, m := range core.AppMigrations.Items() {
		if m.File == "1796400100_default_rules.go" {
			mig = m
		}
	}
	if mig == nil {
		t.Fatal("migration 1796400100_default_rules.go is not registered")
	}
	sos, err := app.FindFirstRecordByData("rules", "key", "sos_pressed")
	if err != nil {
		t.Fatal(err)
	}
	const edited = `payload.sos == true || payload.button == "sos"`
	sos.Set("condition", edited)
	if err := app.Save(sos); err != nil {
		t.Fatal(err)
	}
	shipped := func() (int, int) {
		r, err := app.CountRecords("rules", dbx.NewExp("key != ''"))
		if err != nil {
			t.Fatal(err)
		}
		p, err := app.CountRecords("escalation_policies", dbx.NewExp("key != ''"))
		if err != nil {
			t.Fatal(err)
		}
		return int(r), int(p)
	}
	rulesBefore, policiesBefore := shipped()
	if err := mig.Up(app); err != nil {
		t.Fatalf("second up: %v", err)
	}
	if r, p := shipped(); r != rulesBefore || p != policiesBefore || r < 10 || p < 5 {
		t.Errorf("after a second up: %d rules and %d policies with keys, before %d and %d", r, p, rulesBefore, policiesBefore)
	}
	again, _ := app.FindFirstRecordByData("rules", "key", "sos_pressed")
	if again.GetString("condition") != edited {
		t.Errorf("the admin's edit was overwritten: %q", again.GetString("condition"))
	}
	if err := mig.Down(app); err != nil {
		t.Fatalf("down: %v", err)
	}
	for _, key := range []string{"sos_pressed", "no_motion_daytime", "sos_monthly_test"} {
		if _, err := app.FindFirstRecordByData("rules", "key", key); err == nil {
			t.Errorf("rule %s left after down", key)
		}
	}
	if _, err := app.FindFirstRecordByData("escalation_policies", "key", "critical"); err == nil {
		t.Error("critical policy left after down")
	}
	if err := mig.Up(app); err != nil {
		t.Fatalf("up after down: %v", err)
	}
	if r, p := shipped(); r != rulesBefore || p != policiesBefore {
		t.Errorf("after down and up: %d rules and %d policies, want %d and %d", r, p, rulesBefore, policiesBefore)
	}
	if got := compileShippedRules(t, app); len(got) != rulesBefore {
		t.Errorf("after down and up: %d rules compile, want %d", len(got), rulesBefore)
	}
}
