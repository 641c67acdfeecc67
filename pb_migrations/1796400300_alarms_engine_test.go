package pb_migrations_test

import (
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	_ "github.com/fengqiao/fengqiao/pb_migrations"
)

// TestAlarmEngineCollections: the engine's timers and state are system
// collections for superusers only, one timer per (rule, subject), and
// the migration goes down and up again.
func TestAlarmEngineCollections(t *testing.T) {
	app := defaultRulesApp(t)
	for _, name := range []string{"alarm_timers", "alarm_engine_state"} {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !c.System || c.ListRule != nil || c.ViewRule != nil || c.CreateRule != nil || c.UpdateRule != nil || c.DeleteRule != nil {
			t.Errorf("%s: system %v, rules must all be nil (superusers only)", name, c.System)
		}
	}
	rule, err := app.FindFirstRecordByData("rules", "key", "no_motion_daytime")
	if err != nil {
		t.Fatal(err)
	}
	insert := func() error {
		_, err := app.DB().Insert("alarm_timers", dbx.Params{"id": core.GenerateDefaultRandomId(), "rule": rule.Id,
			"subject": "abc123", "kind": "silence"}).Execute()
		return err
	}
	if err := insert(); err != nil {
		t.Fatal(err)
	}
	if err := insert(); err == nil {
		t.Error("two timers for one (rule, subject)")
	}
	var mig *core.Migration
	for _, m := range core.AppMigrations.Items() {
		if m.File == "1796400300_alarms_engine.go" {
			mig = m
		}
	}
	if mig == nil {
		t.Fatal("migration 1796400300_alarms_engine.go is not registered")
	}
	if err := mig.Down(app); err != nil {
		t.Fatalf("down: %v", err)
	}
	if _, err := app.FindCollectionByNameOrId("alarm_timers"); err == nil {
		t.Error("alarm_timers left after down")
	}
	if err := mig.Up(app); err != nil {
		t.Fatalf("up after down: %v", err)
	}
}
