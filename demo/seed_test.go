package demo_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/demo"
	"github.com/fengqiao/fengqiao/hooks"
	"github.com/fengqiao/fengqiao/model"
	_ "github.com/fengqiao/fengqiao/pb_migrations"
)

var counted = []string{
	model.CollectionGrids, model.CollectionBuildings, model.CollectionHouseholds, model.CollectionUsers,
	model.CollectionElders, model.CollectionPairings, model.CollectionVisits, model.CollectionDevices,
	model.CollectionParkingSpaces, model.CollectionDutyRoster, model.CollectionNotices, model.CollectionPlaces,
	model.CollectionDataSources, model.CollectionCases, model.CollectionCaseEvents, model.CollectionDepartments,
	model.CollectionCategories,
}

func counts(t *testing.T, app *tests.TestApp) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, c := range counted {
		n, err := app.CountRecords(c)
		if err != nil {
			t.Fatalf("count %s: %v", c, err)
		}
		out[c] = n
	}
	return out
}

// TestSeedIsIdempotent seeds the demo community twice on a fresh data dir
// built from the real migrations and hooks: the second run adds nothing.
func TestSeedIsIdempotent(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	if err := hooks.Register(app, hooks.DefaultConfig()); err != nil {
		t.Fatal(err)
	}

	logins, err := demo.Seed(app)
	if err != nil {
		t.Fatalf("first seed: %v", err)
	}
	first := counts(t, app)
	if _, err := demo.Seed(app); err != nil {
		t.Fatalf("second seed: %v", err)
	}
	second := counts(t, app)
	for c, n := range first {
		if n == 0 {
			t.Errorf("%s: seeded nothing", c)
		}
		if second[c] != n {
			t.Errorf("%s: %d records after the first seed, %d after the second", c, n, second[c])
		}
	}

	roles := map[string]bool{}
	for _, l := range logins {
		roles[l.Role] = true
		if _, err := app.FindAuthRecordByEmail(model.CollectionUsers, l.Phone); err == nil {
			t.Errorf("login %s should be a phone, not an e-mail", l.Phone)
		}
		u, err := app.FindFirstRecordByData(model.CollectionUsers, "phone", l.Phone)
		if err != nil {
			t.Fatalf("login %s: %v", l.Phone, err)
		}
		if !u.ValidatePassword(l.Password) {
			t.Errorf("login %s: password does not match", l.Phone)
		}
	}
	for _, r := range model.AllRoles {
		if !roles[r] {
			t.Errorf("no demo login for role %s", r)
		}
	}
}

// TestDemoDevicesHaveWorkingTokens checks that every demo sensor simulate
// connects with is stored with the hash of its derived token.
func TestDemoDevicesHaveWorkingTokens(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	if _, err := demo.Seed(app); err != nil {
		t.Fatal(err)
	}
	ids := demo.DemoClientIDs()
	if len(ids) < 30 {
		t.Fatalf("only %d demo sensors", len(ids))
	}
	for _, id := range ids {
		d, err := app.FindFirstRecordByData(model.CollectionDevices, "client_id", id)
		if err != nil {
			t.Fatalf("device %s: %v", id, err)
		}
		if got, want := model.AsDevice(d).TokenHash(), model.HashToken(demo.DeviceToken(id)); got != want {
			t.Errorf("device %s: token hash %s, want %s", id, got, want)
		}
	}
}
