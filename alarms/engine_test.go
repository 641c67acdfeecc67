package alarms

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/fengqiao/fengqiao/model"
)

// TestStartStopTwice: Start and Stop are safe to call twice (API test
// scenarios fire OnServe for each request), and the engine restarts.
func TestStartStopTwice(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.start()
		f.start()
		for range 2 {
			if err := f.eng.Stop(); err != nil {
				t.Fatal(err)
			}
		}
		ev := f.store("sos-1", map[string]any{"sos": true}, time.Now())
		if err := f.eng.HandleEvent(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
		if n := len(f.alarms("sos_pressed")); n != 0 {
			t.Fatalf("a stopped engine raised %d alarms", n)
		}
		f.start() // the replay covers what it did not handle while stopped
		defer f.eng.Stop()
		f.one("sos_pressed")
	})
}

// TestPresenceReachesRules: a device going offline reaches telemetry
// rules as a message on devices/{id}/status with {"online": false}.
func TestPresenceReachesRules(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.create("rule.gone", model.CollectionRules, map[string]any{"key": "smoke_gone", "name": "smoke offline", "enabled": true,
			"when": "telemetry", "topic": "devices/+/status", "device_kinds": []string{"smoke"}, "condition": "payload.online == false",
			"clear_condition": "payload.online == true",
			"actions":         types.JSONRaw(`[{"type":"raise","severity":"minor","title":"烟感离线：{{ device.name }}"}]`)})
		dev, err := f.app.FindRecordById(model.CollectionDevices, f.ids["device.smoke-1"])
		if err != nil {
			t.Fatal(err)
		}
		dev.Set("online", true)
		if err := f.app.Save(dev); err != nil {
			t.Fatal(err)
		}
		f.start()
		defer f.eng.Stop()
		for _, online := range []bool{false, true} {
			time.Sleep(time.Minute)
			dev.Set("online", online)
			dev.Set("last_seen", time.Now())
			if err := f.app.Save(dev); err != nil {
				t.Fatal(err)
			}
			f.eng.ObserveRecord(dev)
		}
		a := f.one("smoke_gone")
		if a.Title() != "烟感离线：smoke-1 设备" || a.Status() != model.AlarmResolved || !a.Cleared() {
			t.Errorf("offline alarm %q %s cleared %v", a.Title(), a.Status(), a.Cleared())
		}
	})
}
