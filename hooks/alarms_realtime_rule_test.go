package hooks_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/alarms"
	"github.com/fengqiao/fengqiao/internal/testapp"
	"github.com/fengqiao/fengqiao/model"
)

// The alarm feed decides who hears of an alarm in Go (alarms.Engine.
// CanView); PocketBase's record subscriptions and the API decide it with
// the alarms view rule. TestAlarmFeedMatchesViewRule asks both, for every
// role of the test community and a set of edge-case users, about alarms
// with every combination of elder, household and grid — with the engine's
// context cache not yet loaded (the database fallback), loaded, and after
// pairings and users changed — and fails on any difference.

// ruleViewer is one caller: a label and its auth record (nil: guest).
type ruleViewer struct {
	name string
	auth *core.Record
}

func TestAlarmFeedMatchesViewRule(t *testing.T) {
	c := testapp.Shared(t)
	app := c.Clone(t)
	col, err := app.FindCollectionByNameOrId(model.CollectionAlarms)
	if err != nil {
		t.Fatal(err)
	}
	if col.ViewRule == nil || col.ListRule == nil || *col.ViewRule != *col.ListRule {
		t.Fatal("the alarms list and view rules differ: the feed follows the view rule, alarms/* the list rule")
	}
	eng, ok := app.Store().Get("fengqiao.alarms").(*alarms.Engine)
	if !ok {
		t.Fatal("no alarm engine in the app's store")
	}

	// A second volunteer, actively paired with e2; the first volunteer's
	// pairing with e2 is inactive.
	vol2 := testapp.Create(t, app, "users", map[string]any{"name": "vol2", "phone": "13800000049", "roles": []string{"volunteer"},
		"password": testapp.Password})
	pair2 := testapp.Create(t, app, "pairings", map[string]any{"volunteer": vol2.Id, "elder": c.ID("elder.e2"), "interval_days": 15, "active": true})
	viewers := feedViewers(t, c, app)
	list := feedAlarms(t, c, app)

	compare := func(stage string) {
		t.Helper()
		seen := 0
		for _, v := range viewers {
			auth := v.auth
			if auth != nil { // the record as it is now, as PocketBase keeps it on the client
				if auth, err = app.FindRecordById(auth.Collection(), auth.Id); err != nil {
					t.Fatal(err)
				}
			}
			info := &core.RequestInfo{Context: core.RequestInfoContextRealtime, Method: "GET", Auth: auth}
			viewer := alarms.ViewerOf(auth)
			for _, a := range list {
				want, err := app.CanAccessRecord(a, info, col.ViewRule)
				if err != nil {
					t.Fatalf("%s: PocketBase's check: %v", stage, err)
				}
				got, err := eng.CanView(viewer, alarms.ScopeOf(a))
				if err != nil {
					t.Fatalf("%s: CanView: %v", stage, err)
				}
				if got != want {
					t.Errorf("%s: %s, alarm %s: feed says %v, the view rule %v", stage, v.name, a.GetString("title"), got, want)
				}
				if want {
					seen++
				}
			}
		}
		t.Logf("%s: %d viewers × %d alarms, %d visible", stage, len(viewers), len(list), seen)
	}

	compare("cache not loaded (database fallback)")
	if err := eng.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = eng.Stop() })
	compare("cache loaded")

	// Pairings change: the cache follows through the record hooks.
	active := c.Record(t, app, "pairing.active")
	active.Set("active", false)
	inactive := c.Record(t, app, "pairing.inactive")
	inactive.Set("active", true)
	for _, r := range []*core.Record{active, inactive} {
		if err := app.Save(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := app.Delete(pair2); err != nil {
		t.Fatal(err)
	}
	testapp.Create(t, app, "pairings", map[string]any{"volunteer": c.ID("user.mixed"), "elder": c.ID("elder.e1"), "interval_days": 15, "active": true})
	// Users change: a grid worker moves grid, a resident loses verification.
	grid1 := c.Record(t, app, "user.grid1")
	grid1.Set("grids", []string{c.ID("grid.g2")})
	resident := c.Record(t, app, "user.resident")
	resident.Set("household_verified", false)
	for _, r := range []*core.Record{grid1, resident} {
		if err := app.Save(r); err != nil {
			t.Fatal(err)
		}
	}
	compare("after pairing and user changes")
}

// feedViewers: every role of the test community, and users at the edges of
// the rule.
func feedViewers(t *testing.T, c *testapp.Community, app core.App) []ruleViewer {
	t.Helper()
	var out []ruleViewer
	for _, role := range testapp.Roles {
		if role == testapp.Guest {
			out = append(out, ruleViewer{name: string(role)})
			continue
		}
		out = append(out, ruleViewer{name: string(role), auth: c.Record(t, app, testapp.UserKey(role))})
	}
	out = append(out, ruleViewer{name: "mixed volunteer-resident", auth: c.Record(t, app, "user.mixed")})
	phone := 13700000000
	user := func(name string, data map[string]any) {
		phone++
		data["name"], data["phone"], data["password"] = name, fmt.Sprint(phone), testapp.Password
		out = append(out, ruleViewer{name: name, auth: testapp.Create(t, app, "users", data)})
	}
	g1, g2, h1, h3 := c.ID("grid.g1"), c.ID("grid.g2"), c.ID("household.h1"), c.ID("household.h3")
	user("grid worker without grids", map[string]any{"roles": []string{"grid_worker"}})
	user("grid worker of g1 and g2", map[string]any{"roles": []string{"grid_worker"}, "grids": []string{g1, g2}})
	user("grids but not a grid worker", map[string]any{"roles": []string{"mediator"}, "grids": []string{g1}})
	user("no roles", map[string]any{"household": h3, "household_verified": true})
	user("verified resident of h3", map[string]any{"roles": []string{"resident"}, "household": h3, "household_verified": true})
	user("unverified resident of h3", map[string]any{"roles": []string{"resident"}, "household": h3})
	user("verified, no household", map[string]any{"roles": []string{"resident"}, "household_verified": true})
	user("volunteer without pairings", map[string]any{"roles": []string{"volunteer"}})
	user("dept staff and grid worker", map[string]any{"roles": []string{"dept_staff", "grid_worker"}, "grids": []string{g2}, "household": h1})
	// Paired with e1 (actively) but without the volunteer role.
	np := testapp.Create(t, app, "users", map[string]any{"name": "paired resident", "phone": "13700009999", "roles": []string{"resident"},
		"password": testapp.Password})
	testapp.Create(t, app, "pairings", map[string]any{"volunteer": np.Id, "elder": c.ID("elder.e1"), "interval_days": 15, "active": true})
	out = append(out, ruleViewer{name: "paired resident (no volunteer role)", auth: np})
	return out
}

// feedAlarms creates an alarm for every combination of elder, household
// and grid (empty included) and returns them with the seeded ones.
func feedAlarms(t *testing.T, c *testapp.Community, app core.App) []*core.Record {
	t.Helper()
	list := []*core.Record{c.Record(t, app, "alarm.e1"), c.Record(t, app, "alarm.h2")}
	now := time.Now()
	for _, elder := range []string{"", "elder.e1", "elder.e2"} {
		for _, household := range []string{"", "household.h1", "household.h2", "household.h3"} {
			for _, grid := range []string{"", "grid.g1", "grid.g2", "grid.spare"} {
				data := map[string]any{"severity": "warning", "status": "active", "count": 1, "first_seen": now, "last_seen": now,
					"title": fmt.Sprintf("elder=%s household=%s grid=%s", elder, household, grid)}
				for field, key := range map[string]string{"elder": elder, "household": household, "grid": grid} {
					if key != "" {
						data[field] = c.ID(key)
					}
				}
				list = append(list, testapp.Create(t, app, "alarms", data))
			}
		}
	}
	return list
}
