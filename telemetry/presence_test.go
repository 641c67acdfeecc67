package telemetry

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/broker"
	"github.com/fengqiao/fengqiao/model"
)

func findDevice(t *testing.T, p *Pipeline, clientID string) *model.Device {
	t.Helper()
	r, err := p.app.FindFirstRecordByData(model.CollectionDevices, "client_id", clientID)
	if err != nil {
		t.Fatal(err)
	}
	return model.AsDevice(r)
}

// TestPresenceBatched: many messages from several devices become one
// save per device per flush, with the latest values and summed counts.
func TestPresenceBatched(t *testing.T) {
	app := newTestApp(t)
	for i := range 3 {
		addDevice(t, app, fmt.Sprintf("door-%d", i), model.KindDoorMagnet, map[string]any{"online": true})
	}
	p, _ := newPipeline(t, app, Config{})
	// New marked the devices left online by a previous run offline.
	if findDevice(t, p, "door-0").Online() {
		t.Fatal("a device left online by a previous run is still online")
	}
	saves, announced := 0, 0
	app.OnRecordUpdate(model.CollectionDevices).BindFunc(func(e *core.RecordEvent) error { saves++; return e.Next() })
	app.OnRecordAfterUpdateSuccess(model.CollectionDevices).BindFunc(func(e *core.RecordEvent) error {
		announced++
		return e.Next()
	})

	now := time.Now()
	for i := range 3 {
		id := fmt.Sprintf("door-%d", i)
		p.Presence(broker.PresenceEvent{Account: broker.Account{ID: id}, Online: true, Remote: "10.0.0.9:5555", At: now})
		for n := range 10 {
			m := msg(id, "up", fmt.Sprintf(`{"open":%v,"battery":%d}`, n%2 == 0, 90-n))
			m.Received = now.Add(time.Duration(n) * time.Millisecond)
			if err := p.Commit(context.Background(), m); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := p.Commit(context.Background(), msg("door-0", "up", `{"tamper":false}`)); err != nil {
		t.Fatal(err)
	}
	if announced != 0 {
		t.Fatalf("%d device updates before the flush, want 0 (batched)", announced)
	}
	waitFor(t, "pending state", func() bool { d, _ := p.presence.pending(); return d == 3 })
	if err := p.FlushPresence(); err != nil {
		t.Fatal(err)
	}
	if announced != 3 || saves != 0 {
		t.Fatalf("%d device updates announced (%d saves), want 3 (one per device, raw batched updates)", announced, saves)
	}
	d := findDevice(t, p, "door-0")
	if !d.Online() || d.Battery() != 81 || d.Messages() != 11 || d.RemoteAddr() != "10.0.0.9:5555" || d.LastSeen().IsZero() {
		t.Fatalf("door-0 = %v", d.FieldsData())
	}
	if st := d.LastState(); st["open"] != false || st["tamper"] != false || st["battery"] != 81.0 {
		t.Fatalf("last_state = %v, want the keys merged with their latest values", st)
	}

	// Offline with a reason other than an orderly disconnect becomes the
	// last error.
	p.Presence(broker.PresenceEvent{Account: broker.Account{ID: "door-1"}, Online: false, Reason: "timeout", At: time.Now()})
	p.Presence(broker.PresenceEvent{Account: broker.Account{ID: "door-2"}, Online: false, Reason: "disconnect", At: time.Now()})
	if err := p.FlushPresence(); err != nil {
		t.Fatal(err)
	}
	if d := findDevice(t, p, "door-1"); d.Online() || d.LastError() != "offline: timeout" || d.Messages() != 10 {
		t.Fatalf("door-1 = %v", d.FieldsData())
	}
	if d := findDevice(t, p, "door-2"); d.Online() || d.LastError() != "" {
		t.Fatalf("door-2 = %v", d.FieldsData())
	}
}

// TestPresenceBudget: a flush saves at most the budget, oldest first, and
// the rest waits, its counts intact.
func TestPresenceBudget(t *testing.T) {
	app := newTestApp(t)
	for i := range 5 {
		addDevice(t, app, fmt.Sprintf("pir-%d", i), model.KindPIR, nil)
	}
	p, _ := newPipeline(t, app, Config{})
	for i := range 5 {
		if err := p.Commit(context.Background(), msg(fmt.Sprintf("pir-%d", i), "up", `{"motion":true}`)); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "pending state", func() bool { d, _ := p.presence.pending(); return d == 5 })
	if n, err := p.flushPresence(2); err != nil || n != 2 {
		t.Fatalf("flush saved %d (%v), want 2", n, err)
	}
	if d, _ := p.presence.pending(); d != 3 {
		t.Fatalf("pending = %d, want 3", d)
	}
	if findDevice(t, p, "pir-0").Messages() != 1 || findDevice(t, p, "pir-4").Messages() != 0 {
		t.Fatal("the oldest devices were not saved first")
	}
	if err := p.Commit(context.Background(), msg("pir-4", "up", `{"motion":false}`)); err != nil {
		t.Fatal(err)
	}
	if err := p.FlushPresence(); err != nil {
		t.Fatal(err)
	}
	if d := findDevice(t, p, "pir-4"); d.Messages() != 2 || d.LastState()["motion"] != false {
		t.Fatalf("pir-4 = %v", d.FieldsData())
	}
}

// TestParkingOccupancy: an occupancy sensor's state reaches its parking
// space, saved only when it changes.
func TestParkingOccupancy(t *testing.T) {
	app := newTestApp(t)
	space := addSpace(t, app, "A01", false)
	addDevice(t, app, "park-a01", model.KindParking, map[string]any{"parking_space": space})
	p, _ := newPipeline(t, app, Config{})
	for _, occ := range []bool{true, false, true} {
		if err := p.Commit(context.Background(), msg("park-a01", "up", fmt.Sprintf(`{"occupied":%v}`, occ))); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "pending space", func() bool { _, s := p.presence.pending(); return s == 1 })
	if err := p.FlushPresence(); err != nil {
		t.Fatal(err)
	}
	r, err := app.FindRecordById(model.CollectionParkingSpaces, space)
	if err != nil {
		t.Fatal(err)
	}
	ps := model.AsParkingSpace(r)
	if !ps.Occupied() || ps.ChangedAt().IsZero() {
		t.Fatalf("space = %v", r.FieldsData())
	}
	changed := ps.ChangedAt()
	if err := p.Commit(context.Background(), msg("park-a01", "up", `{"occupied":true,"battery":50}`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "pending space", func() bool { _, s := p.presence.pending(); return s == 1 })
	if err := p.FlushPresence(); err != nil {
		t.Fatal(err)
	}
	r, _ = app.FindRecordById(model.CollectionParkingSpaces, space)
	if got := model.AsParkingSpace(r).ChangedAt(); !got.Equal(changed) {
		t.Fatalf("changed_at moved from %v to %v without a change", changed, got)
	}
}

// TestPresenceAnnouncementsPaced: a chatty device's routine changes are
// written every flush but announced once per AnnounceEvery; its going
// offline is announced at once.
func TestPresenceAnnouncementsPaced(t *testing.T) {
	app := newTestApp(t)
	addDevice(t, app, "pir-1", model.KindPIR, nil)
	p, _ := newPipeline(t, app, Config{AnnounceEvery: time.Hour})
	announced := 0
	app.OnRecordAfterUpdateSuccess(model.CollectionDevices).BindFunc(func(e *core.RecordEvent) error {
		announced++
		return e.Next()
	})
	flushState := func(battery int) {
		t.Helper()
		if err := p.Commit(context.Background(), msg("pir-1", "up", fmt.Sprintf(`{"motion":true,"battery":%d}`, battery))); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "pending state", func() bool { d, _ := p.presence.pending(); return d == 1 })
		if err := p.FlushPresence(); err != nil {
			t.Fatal(err)
		}
	}

	flushState(90)
	if announced != 1 {
		t.Fatalf("first change: %d announcements, want 1", announced)
	}
	flushState(80)
	if announced != 1 {
		t.Fatalf("second routine change within the hour: %d announcements, want still 1", announced)
	}
	if b := findDevice(t, p, "pir-1").Battery(); b != 80 {
		t.Fatalf("battery stored %d, want 80: the row is written even when the announcement waits", b)
	}
	p.Presence(broker.PresenceEvent{Account: broker.Account{ID: "pir-1"}, Online: false, At: time.Now()})
	waitFor(t, "pending presence", func() bool { d, _ := p.presence.pending(); return d == 1 })
	if err := p.FlushPresence(); err != nil {
		t.Fatal(err)
	}
	if announced != 2 {
		t.Fatalf("going offline: %d announcements, want 2 (at once)", announced)
	}
}
