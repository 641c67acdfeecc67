package alarms

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/model"
	_ "github.com/fengqiao/fengqiao/pb_migrations" // the schema and the default rules and policies
	"github.com/fengqiao/fengqiao/rules"
	"github.com/fengqiao/fengqiao/telemetry"
)

// fixture is an app with fengqiao's schema and a small community, and an
// engine on it. It binds no hooks: tests tell the engine of changes the
// way hooks/alarms.go does (ObserveAlarm, ObserveRecord…) where it
// matters, or restart it.
type fixture struct {
	t   testing.TB
	app *tests.TestApp
	eng *Engine
	ids map[string]string
	// drops is what the fake seam reports.
	drops atomic.Int64
}

// newFixture seeds: grid g1 → building b1 → household h1 → elder e1
// (lives alone, one emergency contact); devices sos-1, pir-1, door-1,
// smoke-1 of e1; users staff (on duty), secretary, grid worker of g1,
// grid worker of g2, volunteer paired with e1, a resident of h1.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	f := &fixture{t: t, app: app, ids: map[string]string{}}
	now := time.Now()
	f.create("grid.g1", model.CollectionGrids, map[string]any{"name": "第一网格", "code": "G01"})
	f.create("grid.g2", model.CollectionGrids, map[string]any{"name": "第二网格", "code": "G02"})
	f.create("building.b1", model.CollectionBuildings, map[string]any{"grid": f.ids["grid.g1"], "name": "1栋", "address": "枫桥花园1栋"})
	f.create("household.h1", model.CollectionHouseholds, map[string]any{"building": f.ids["building.b1"], "room": "302",
		"address": "枫桥花园1栋302", "tags": []string{"elder_alone"}})
	f.create("elder.e1", model.CollectionElders, map[string]any{"name": "陈阿婆", "birth_year": 1938,
		"household": f.ids["household.h1"], "lives_alone": true,
		"emergency_contacts": []map[string]string{{"name": "陈女儿", "relation": "女儿", "phone": "13700000001"}}})
	for _, d := range []struct{ key, kind string }{{"sos-1", "sos_button"}, {"pir-1", "pir"}, {"door-1", "door_magnet"}, {"smoke-1", "smoke"}} {
		f.create("device."+d.key, model.CollectionDevices, map[string]any{"kind": d.kind, "name": d.key + " 设备",
			"client_id": d.key, "elder": f.ids["elder.e1"], "household": f.ids["household.h1"]})
	}
	user := func(key, phone string, roles []string, extra map[string]any) {
		data := map[string]any{"name": key, "phone": phone, "roles": roles, "password": "pw-123456789"}
		for k, v := range extra {
			data[k] = v
		}
		f.create("user."+key, model.CollectionUsers, data)
	}
	user("staff", "13800000002", []string{"staff"}, nil)
	user("secretary", "13800000001", []string{"secretary"}, nil)
	user("grid1", "13800000011", []string{"grid_worker"}, map[string]any{"grids": []string{f.ids["grid.g1"]}})
	user("grid2", "13800000012", []string{"grid_worker"}, map[string]any{"grids": []string{f.ids["grid.g2"]}})
	user("volunteer", "13800000041", []string{"volunteer"}, nil)
	user("resident", "13900000001", []string{"resident"}, map[string]any{"household": f.ids["household.h1"], "household_verified": true})
	f.create("pairing", model.CollectionPairings, map[string]any{"volunteer": f.ids["user.volunteer"], "elder": f.ids["elder.e1"],
		"interval_days": 15, "active": true})
	f.create("duty", model.CollectionDutyRoster, map[string]any{"user": f.ids["user.staff"], "starts_at": now.Add(-time.Hour),
		"ends_at": now.Add(30 * 24 * time.Hour), "shift": "full"})
	f.eng = f.newEngine()
	return f
}

func (f *fixture) newEngine() *Engine {
	return New(f.app, Config{Location: time.UTC, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Seam: func() SeamStats { return SeamStats{Dropped: f.drops.Load()} }})
}

// create saves a record and remembers its id under key.
func (f *fixture) create(key, collection string, data map[string]any) *core.Record {
	f.t.Helper()
	col, err := f.app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		f.t.Fatal(err)
	}
	r := core.NewRecord(col)
	for k, v := range data {
		if k == "password" {
			r.SetPassword(v.(string))
			continue
		}
		r.Set(k, v)
	}
	if err := f.app.Save(r); err != nil {
		f.t.Fatalf("create %s: %v", key, err)
	}
	f.ids[key] = r.Id
	return r
}

// start starts the engine and waits until it is ready.
func (f *fixture) start() {
	f.t.Helper()
	if err := f.eng.Start(); err != nil {
		f.t.Fatal(err)
	}
	<-f.eng.Ready()
}

// crash stops the engine the way kill -9 would: its goroutines end and
// nothing batched is written. A new engine is put in its place.
func (f *fixture) crash() {
	f.t.Helper()
	e := f.eng
	e.life.Lock()
	e.gate.Lock()
	e.live.Store(false)
	e.gate.Unlock()
	rs := e.rs.Load()
	close(rs.stop)
	e.done.Wait()
	e.active.Wait()
	e.rs.Store(nil)
	e.running = false
	e.life.Unlock()
	f.eng = f.newEngine()
}

// readingID makes a reading id the way the pipeline does: 10 base-36
// digits of Unix microseconds, then 5 random ones.
func readingID(at time.Time) string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	var b [15]byte
	us := at.UnixMicro()
	for i := 9; i >= 0; i-- {
		b[i] = digits[us%36]
		us /= 36
	}
	for i := 10; i < 15; i++ {
		b[i] = digits[rand.IntN(36)]
	}
	return string(b[:])
}

// store commits a reading as the pipeline does and returns the event it
// would hand on (not handed on: see send).
func (f *fixture) store(client string, payload map[string]any, at time.Time) telemetry.Event {
	f.t.Helper()
	dev, err := f.app.FindFirstRecordByData(model.CollectionDevices, "client_id", client)
	if err != nil {
		f.t.Fatal(err)
	}
	data, _ := json.Marshal(payload)
	id := readingID(at)
	_, err = f.app.DB().NewQuery("INSERT INTO readings (id, device, topic, data, created) VALUES ({:id}, {:d}, {:t}, {:data}, {:c})").
		Bind(dbx.Params{"id": id, "d": dev.Id, "t": "devices/" + client + "/up", "data": string(data), "c": dbDate(at)}).Execute()
	if err != nil {
		f.t.Fatal(err)
	}
	return telemetry.Event{DeviceID: dev.Id, ClientID: client, Kind: dev.GetString("kind"), Elder: dev.GetString("elder"),
		Household: dev.GetString("household"), Topic: "devices/" + client + "/up", Suffix: "up", Payload: payload,
		Raw: data, Received: at, ReadingID: id}
}

// send stores a reading and hands it to the engine, as the pipeline does.
func (f *fixture) send(client string, payload map[string]any) telemetry.Event {
	f.t.Helper()
	ev := f.store(client, payload, time.Now())
	if err := f.eng.HandleEvent(context.Background(), ev); err != nil {
		f.t.Fatalf("handle %s %v: %v", client, payload, err)
	}
	return ev
}

// alarms returns the alarms of a rule key, oldest first.
func (f *fixture) alarms(ruleKey string) []*model.Alarm {
	f.t.Helper()
	rule, err := f.app.FindFirstRecordByData(model.CollectionRules, "key", ruleKey)
	if err != nil {
		f.t.Fatal(err)
	}
	recs, err := f.app.FindRecordsByFilter(model.CollectionAlarms, "rule = {:r}", "first_seen", 0, 0, dbx.Params{"r": rule.Id})
	if err != nil {
		f.t.Fatal(err)
	}
	out := make([]*model.Alarm, len(recs))
	for i, r := range recs {
		out[i] = model.AsAlarm(r)
	}
	return out
}

// one returns the only alarm of a rule key, failing otherwise.
func (f *fixture) one(ruleKey string) *model.Alarm {
	f.t.Helper()
	list := f.alarms(ruleKey)
	if len(list) != 1 {
		f.t.Fatalf("%s: %d alarms, want 1", ruleKey, len(list))
	}
	return list[0]
}

// reload reads an alarm again.
func (f *fixture) reload(a *model.Alarm) *model.Alarm {
	f.t.Helper()
	r, err := f.app.FindRecordById(model.CollectionAlarms, a.Id)
	if err != nil {
		f.t.Fatal(err)
	}
	return model.AsAlarm(r)
}

// events lists the actions of an alarm's log, in order.
func (f *fixture) events(a *model.Alarm) []string {
	f.t.Helper()
	var recs []*core.Record
	err := f.app.RecordQuery(model.CollectionAlarmEvents).AndWhere(dbx.HashExp{"alarm": a.Id}).
		OrderBy("created ASC", "rowid ASC").All(&recs)
	if err != nil {
		f.t.Fatal(err)
	}
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = r.GetString("action")
	}
	return out
}

// deliveries counts an alarm's deliveries by "kind:step".
func (f *fixture) deliveries(a *model.Alarm) map[string]int {
	f.t.Helper()
	recs, err := f.app.FindRecordsByFilter(model.CollectionDeliveries, "alarm = {:a}", "", 0, 0, dbx.Params{"a": a.Id})
	if err != nil {
		f.t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range recs {
		out[fmt.Sprintf("%s:%d", r.GetString("kind"), r.GetInt("step"))]++
	}
	return out
}

// setRule changes fields of a shipped rule (and reloads the engine's rules).
func (f *fixture) setRule(key string, fields map[string]any) {
	f.t.Helper()
	r, err := f.app.FindFirstRecordByData(model.CollectionRules, "key", key)
	if err != nil {
		f.t.Fatal(err)
	}
	for k, v := range fields {
		r.Set(k, v)
	}
	if err := f.app.Save(r); err != nil {
		f.t.Fatal(err)
	}
	if err := f.eng.ReloadRules(); err != nil {
		f.t.Fatal(err)
	}
}

// actor is a seeded user as an Actor.
func (f *fixture) actor(key string) Actor {
	f.t.Helper()
	r, err := f.app.FindRecordById(model.CollectionUsers, f.ids["user."+key])
	if err != nil {
		f.t.Fatal(err)
	}
	return ActorOf(r)
}

// setRuleNoReload changes a shipped rule before the engine starts.
func (f *fixture) setRuleNoReload(key string, fields map[string]any) {
	f.t.Helper()
	r, err := f.app.FindFirstRecordByData(model.CollectionRules, "key", key)
	if err != nil {
		f.t.Fatal(err)
	}
	for k, v := range fields {
		r.Set(k, v)
	}
	if err := f.app.Save(r); err != nil {
		f.t.Fatal(err)
	}
}

// newEnvAt is an Env for elder id at now.
func newEnvAt(now time.Time, elder string) *rules.Env {
	env := &rules.Env{Now: now}
	env.Elder.ID = elder
	return env
}
