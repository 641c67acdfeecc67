package telemetry

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/broker"
	"github.com/fengqiao/fengqiao/model"
	_ "github.com/fengqiao/fengqiao/pb_migrations"
)

// newTestApp returns a PocketBase app with fengqiao's schema in a fresh
// data dir, cleaned up with the test.
func newTestApp(tb testing.TB) *tests.TestApp {
	tb.Helper()
	app, err := tests.NewTestApp(tb.TempDir())
	if err != nil {
		tb.Fatalf("test app: %v", err)
	}
	tb.Cleanup(app.Cleanup)
	return app
}

// addDevice creates a device whose token is "tok-"+clientID.
func addDevice(tb testing.TB, app core.App, clientID, kind string, set map[string]any) *model.Device {
	tb.Helper()
	d, err := model.NewDevice(app)
	if err != nil {
		tb.Fatal(err)
	}
	d.SetClientID(clientID)
	d.SetKind(kind)
	d.SetName("test " + clientID)
	d.SetTokenHash(model.HashToken("tok-" + clientID))
	for k, v := range set {
		d.Set(k, v)
	}
	if err := app.Save(d); err != nil {
		tb.Fatalf("save device %s: %v", clientID, err)
	}
	return d
}

// addSpace creates a parking space.
func addSpace(tb testing.TB, app core.App, code string, occupied bool) string {
	tb.Helper()
	c, err := app.FindCachedCollectionByNameOrId(model.CollectionParkingSpaces)
	if err != nil {
		tb.Fatal(err)
	}
	r := core.NewRecord(c)
	r.Load(map[string]any{"code": code, "zone": "A", "kind": "resident", "occupied": occupied})
	if err := app.Save(r); err != nil {
		tb.Fatal(err)
	}
	return r.Id
}

// recorder is a Handler that keeps what it receives.
type recorder struct {
	mu     sync.Mutex
	events []Event
}

func (r *recorder) HandleEvent(_ context.Context, ev Event) error {
	r.mu.Lock()
	r.events = append(r.events, ev)
	r.mu.Unlock()
	return nil
}

func (r *recorder) all() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

// waitFor polls cond for up to 5 s.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// newPipeline starts a pipeline with a loaded directory on app.
func newPipeline(tb testing.TB, app core.App, cfg Config) (*Pipeline, *Directory) {
	tb.Helper()
	dir := NewDirectory(nil)
	if err := dir.Load(app); err != nil {
		tb.Fatal(err)
	}
	if cfg.PresenceInterval == 0 {
		cfg.PresenceInterval = time.Hour // tests flush by hand
	}
	p, err := New(app, dir, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = p.Close(context.Background()) })
	return p, dir
}

// msg is a publish from clientID on devices/{clientID}/{suffix}.
func msg(clientID, suffix, body string) broker.Message {
	return broker.Message{Account: broker.Account{ID: clientID}, Topic: "devices/" + clientID + "/" + suffix,
		Suffix: suffix, Payload: []byte(body), QoS: 1, Received: time.Now()}
}

// countReadings counts the readings of a device record.
func countReadings(tb testing.TB, app core.App, deviceID string) int {
	tb.Helper()
	var n int
	if err := app.DB().NewQuery("SELECT COUNT(*) FROM readings WHERE device = {:d}").
		Bind(map[string]any{"d": deviceID}).Row(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}
