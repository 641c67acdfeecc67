package hooks

import (
	"encoding/json"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/subscriptions"

	"github.com/fengqiao/fengqiao/alarms"
	"github.com/fengqiao/fengqiao/model"
)

// TestAlarmFeedSlowClient: a client that never reads does not hold up the
// broadcast; once it is feedQueueSize messages behind it is disconnected
// (so its browser reconnects and reloads), while a client that reads gets
// every message in order.
func TestAlarmFeedSlowClient(t *testing.T) {
	app := newBrokerTestApp(t)
	app.Store().Set(storeKeyAlarms, alarms.New(app, alarms.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	save := func(collection string, data map[string]any) *core.Record {
		t.Helper()
		col, err := app.FindCachedCollectionByNameOrId(collection)
		if err != nil {
			t.Fatal(err)
		}
		r := core.NewRecord(col)
		for k, v := range data {
			r.Set(k, v)
		}
		if collection == model.CollectionUsers {
			r.SetPassword("pw-123456789")
		}
		if err := app.Save(r); err != nil {
			t.Fatalf("save %s: %v", collection, err)
		}
		return r
	}
	grid := save(model.CollectionGrids, map[string]any{"name": "第一网格", "code": "G01"})
	worker := save(model.CollectionUsers, map[string]any{"name": "grid", "phone": "13800000011", "roles": []string{"grid_worker"},
		"grids": []string{grid.Id}})
	now := time.Now()
	alarm := save(model.CollectionAlarms, map[string]any{"grid": grid.Id, "severity": "critical", "title": "t", "status": "active",
		"count": 1, "first_seen": now, "last_seen": now})

	f := &alarmFeed{subscribers: map[string]subscriptions.Client{}}
	subscribe := func() *subscriptions.DefaultClient {
		c := subscriptions.NewDefaultClient()
		app.SubscriptionsBroker().Register(c)
		c.Subscribe(model.TopicAlarms)
		c.Set(apis.RealtimeClientAuthKey, worker)
		f.follow(c)
		return c
	}
	stuck, healthy := subscribe(), subscribe() // nobody reads stuck's channel
	counts := make(chan int, 4096)
	go func() {
		for m := range healthy.Channel() {
			var ev struct{ Record struct{ Count int } }
			if err := json.Unmarshal(m.Data, &ev); err != nil {
				t.Error(err)
			}
			counts <- ev.Record.Count
		}
	}()

	total, chunk := feedQueueSize+100, 250
	next := 1
	for sent := 1; sent <= total; sent++ {
		alarm.Set("count", sent)
		f.broadcast(app, "update", alarm) // returns although stuck never reads
		if sent%chunk != 0 && sent != total {
			continue
		}
		// the healthy client keeps up (its own queue never fills)
		for ; next <= sent; next++ {
			select {
			case n := <-counts:
				if n != next {
					t.Fatalf("healthy client: message %d has count %d (out of order)", next, n)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("healthy client: message %d never came", next)
			}
		}
	}
	if !stuck.IsDiscarded() {
		t.Error("the stuck client was not disconnected")
	}
	if _, err := app.SubscriptionsBroker().ClientById(stuck.Id()); err == nil {
		t.Error("the stuck client is still registered")
	}
	if healthy.IsDiscarded() {
		t.Error("the healthy client was disconnected")
	}
	if got := len(f.snapshot()); got != 1 {
		t.Errorf("%d subscribers followed, want 1 (the healthy one)", got)
	}
}
