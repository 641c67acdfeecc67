package telemetry

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/tools/subscriptions"

	"github.com/fengqiao/fengqiao/model"
)

// TestPresenceReachesRealtime: the batched raw updates are announced, so
// a resident's realtime subscription to parking spaces (no login: public
// spaces) sees the space turn occupied.
func TestPresenceReachesRealtime(t *testing.T) {
	app := newTestApp(t)
	if _, err := apis.NewRouter(app); err != nil { // binds PocketBase's realtime events
		t.Fatal(err)
	}
	space := addSpace(t, app, "A01", false)
	r, _ := app.FindRecordById(model.CollectionParkingSpaces, space)
	r.Set("public", true)
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	addDevice(t, app, "park-a01", model.KindParking, map[string]any{"parking_space": space})
	p, _ := newPipeline(t, app, Config{})

	client := subscriptions.NewDefaultClient()
	client.Subscribe(model.CollectionParkingSpaces + "/*")
	app.SubscriptionsBroker().Register(client)
	defer app.SubscriptionsBroker().Unregister(client.Id())

	if err := p.Commit(context.Background(), msg("park-a01", "up", `{"occupied":true}`)); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "pending space", func() bool { _, s := p.presence.pending(); return s == 1 })
	if err := p.FlushPresence(); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-client.Channel():
		var ev struct {
			Action string         `json:"action"`
			Record map[string]any `json:"record"`
		}
		if err := json.Unmarshal(m.Data, &ev); err != nil || ev.Action != "update" || ev.Record["occupied"] != true {
			t.Fatalf("realtime message %s %s (%v)", m.Name, m.Data, err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("no realtime message for the space")
	}
}
