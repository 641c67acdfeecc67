package hooks

import (
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/subscriptions"

	"github.com/fengqiao/fengqiao/model"
)

// BenchmarkAlarmChangeTo50Dashboards measures one alarm change (a save,
// its after-commit hooks and the realtime broadcast) with 50 staff
// dashboards connected, each draining its channel:
//
//   - feed: subscribed to the alarm feed (decision in memory, payload with
//     the board's expand built once);
//   - record: subscribed to alarms/* with the board's expand, as the board
//     was before the feed (PocketBase checks the view rule and expands per
//     client, in turn);
//   - none: nobody subscribed (the save alone).
//
// go test ./hooks/ -run '^$' -bench AlarmChangeTo50Dashboards -benchtime 200x
func BenchmarkAlarmChangeTo50Dashboards(b *testing.B) {
	expand := `{"query":{"expand":"elder,household,device,grid,assignee,acknowledged_by"}}`
	for _, mode := range []struct{ name, topic string }{
		{"feed", model.TopicAlarms},
		{"record", "alarms/*?options=" + expand},
		{"none", ""},
	} {
		b.Run(mode.name, func(b *testing.B) {
			app, alarm := perfApp(b)
			if mode.topic != "" {
				perfDashboards(b, app, 50, mode.topic)
			}
			b.ResetTimer()
			for i := range b.N {
				alarm.Set("count", i+2)
				if err := app.Save(alarm); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// perfApp is a test app with fengqiao's hooks, a staff member, and an
// alarm of an elder in a household of a grid, with its device.
func perfApp(b *testing.B) (*tests.TestApp, *core.Record) {
	b.Helper()
	app, err := tests.NewTestApp(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(app.Cleanup)
	if err := Register(app, Config{}); err != nil {
		b.Fatal(err)
	}
	if _, err := apis.NewRouter(app); err != nil { // binds PocketBase's realtime broadcast
		b.Fatal(err)
	}
	eng := alarmEngine(app)
	save := func(collection string, data map[string]any) *core.Record {
		col, err := app.FindCachedCollectionByNameOrId(collection)
		if err != nil {
			b.Fatal(err)
		}
		r := core.NewRecord(col)
		r.Load(data)
		if collection == model.CollectionUsers {
			r.SetPassword("pw-123456789")
		}
		if err := app.Save(r); err != nil {
			b.Fatalf("save %s: %v", collection, err)
		}
		return r
	}
	grid := save(model.CollectionGrids, map[string]any{"name": "第一网格", "code": "G01"})
	building := save(model.CollectionBuildings, map[string]any{"grid": grid.Id, "name": "1栋", "address": "1栋"})
	household := save(model.CollectionHouseholds, map[string]any{"building": building.Id, "room": "302", "address": "1栋302"})
	elder := save(model.CollectionElders, map[string]any{"name": "陈阿婆", "birth_year": 1938, "household": household.Id})
	device := save(model.CollectionDevices, map[string]any{"kind": "sos_button", "name": "SOS", "client_id": "sos-perf",
		"token_hash": model.HashToken("x"), "elder": elder.Id, "household": household.Id})
	staff := save(model.CollectionUsers, map[string]any{"name": "王丽", "phone": "13800000002", "roles": []string{"staff"}})
	now := time.Now()
	alarm := save(model.CollectionAlarms, map[string]any{"device": device.Id, "elder": elder.Id, "household": household.Id,
		"grid": grid.Id, "severity": "critical", "title": "SOS", "status": "acknowledged", "count": 1, "first_seen": now,
		"last_seen": now, "acknowledged_by": staff.Id})
	app.Store().Set("perf.staff", staff)
	if err := eng.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = eng.Stop() })
	return app, alarm
}

// perfDashboards registers n realtime clients of the staff member
// subscribed to topic, each with a reader draining its channel, the way
// PocketBase's SSE handler does (and the feed's follow, as its subscribe
// hook would).
func perfDashboards(b *testing.B, app *tests.TestApp, n int, topic string) {
	b.Helper()
	staff := app.Store().Get("perf.staff").(*core.Record)
	feed := app.Store().Get(storeKeyAlarmFeed).(*alarmFeed)
	for range n {
		c := subscriptions.NewDefaultClient()
		c.Set(apis.RealtimeClientAuthKey, staff)
		c.Subscribe(topic)
		app.SubscriptionsBroker().Register(c)
		feed.follow(c)
		go func() {
			for range c.Channel() {
			}
		}()
		b.Cleanup(func() { app.SubscriptionsBroker().Unregister(c.Id()) })
	}
}
