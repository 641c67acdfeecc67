package pb_migrations_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	_ "github.com/fengqiao/fengqiao/pb_migrations"
)

// designCollections is every collection DESIGN.md lists (plus alarm_events,
// the alarm log the rules issue asks for).
var designCollections = []string{"users", "grids", "buildings", "households", "departments", "categories",
	"cases", "case_events", "elders", "pairings", "visits", "devices", "readings", "rules",
	"escalation_policies", "alarms", "alarm_events", "deliveries", "channels", "notices", "parking_spaces",
	"places", "data_sources", "duty_roster"}

// secrets must never leave the server through the API.
var secrets = map[string]string{"devices": "token_hash", "data_sources": "key_hash", "channels": "secret"}

func TestMigrationsApplyOnEmptyDataDir(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatalf("migrations on an empty data dir: %v", err)
	}
	defer app.Cleanup()

	for _, name := range designCollections {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			t.Errorf("collection %s missing: %v", name, err)
			continue
		}
		// users has PocketBase's own indexes; channels holds a handful of rows.
		if c.Name != "users" && c.Name != "channels" && len(c.Indexes) == 0 {
			t.Errorf("collection %s has no index", name)
		}
	}
	for col, field := range secrets {
		c, err := app.FindCollectionByNameOrId(col)
		if err != nil {
			t.Fatal(err)
		}
		if f := c.Fields.GetByName(field); f == nil || !f.GetHidden() {
			t.Errorf("%s.%s must exist and be hidden", col, field)
		}
	}
	if !app.Settings().RateLimits.Enabled {
		t.Error("the rate limiter must be on by default")
	}
	if n, _ := app.CountRecords("categories"); n < 20 {
		t.Errorf("catalogue has %d categories", n)
	}
}

// TestMigrationsAreIdempotent restarts on the same data dir: nothing is
// applied twice and nothing seeded is duplicated.
func TestMigrationsAreIdempotent(t *testing.T) {
	dir := t.TempDir()
	first := core.NewBaseApp(core.BaseAppConfig{DataDir: dir})
	if err := first.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	if err := first.RunAllMigrations(); err != nil {
		t.Fatalf("first run: %v", err)
	}
	cats, _ := first.CountRecords("categories")
	depts, _ := first.CountRecords("departments")
	if err := first.ResetBootstrapState(); err != nil {
		t.Fatal(err)
	}

	second := core.NewBaseApp(core.BaseAppConfig{DataDir: dir})
	if err := second.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	defer second.ResetBootstrapState()
	if err := second.RunAllMigrations(); err != nil {
		t.Fatalf("second run: %v", err)
	}
	if n, _ := second.CountRecords("categories"); n != cats {
		t.Errorf("categories: %d then %d", cats, n)
	}
	if n, _ := second.CountRecords("departments"); n != depts {
		t.Errorf("departments: %d then %d", depts, n)
	}
}
