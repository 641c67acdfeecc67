package alarms

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/fengqiao/fengqiao/model"
)

// TestCooldown: door_open_night_alone (23:00–05:00, cooldown 30m): a
// second opening within 30 minutes of the last raise neither repeats nor
// raises; after it, it repeats the open alarm; after the alarm is
// resolved, a new one is raised only once the cooldown has passed.
func TestCooldown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.start()
		defer f.eng.Stop()
		open := map[string]any{"open": true}
		sleepUntil(at(0, 22, 50))
		f.send("door-1", open) // outside the window
		if n := len(f.alarms("door_open_night_alone")); n != 0 {
			t.Fatalf("%d alarms at 22:50", n)
		}
		sleepUntil(at(0, 23, 5))
		f.send("door-1", open)
		a := f.one("door_open_night_alone")
		sleepUntil(at(0, 23, 20))
		f.send("door-1", open) // within 30m: nothing
		sleepUntil(at(0, 23, 40))
		f.send("door-1", open) // repeat
		time.Sleep(2 * time.Second)
		synctest.Wait()
		if a = f.reload(a); a.Count() != 2 || !a.LastSeen().Time().Equal(at(0, 23, 40)) {
			t.Fatalf("count %d last seen %v, want 2 at 23:40", a.Count(), a.LastSeen())
		}
		r, err := Resolve(f.app, a.Id, f.actor("staff"), "she went to the bathroom", true)
		if err != nil {
			t.Fatal(err)
		}
		f.eng.ObserveAlarm(r.Record)
		sleepUntil(at(0, 23, 55))
		f.send("door-1", open) // within 30m of 23:40
		if n := len(f.alarms("door_open_night_alone")); n != 1 {
			t.Fatalf("%d alarms at 23:55, want 1", n)
		}
		sleepUntil(at(1, 0, 15))
		f.send("door-1", open)
		if n := len(f.alarms("door_open_night_alone")); n != 2 {
			t.Errorf("%d alarms at 00:15, want 2", n)
		}
	})
}

// TestCounter: count() counts the events of a kind in the window, per
// elder (else device), and a replayed event once.
func TestCounter(t *testing.T) {
	c := newCounter()
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, m := range []int{0, 10, 20, 50, 59} {
		c.record("e:1", "sos", t0.Add(time.Duration(m)*time.Minute))
	}
	c.record("e:1", "sos", t0.Add(59*time.Minute)) // the same event again
	c.record("e:2", "sos", t0.Add(30*time.Minute))
	env := newEnvAt(t0.Add(time.Hour), "1")
	for _, tc := range []struct {
		window time.Duration
		want   int
	}{{time.Hour, 4}, {15 * time.Minute, 2}, {2 * time.Hour, 5}, {time.Second, 0}} {
		if n, _ := c.Count(env, "sos", tc.window); n != tc.want {
			t.Errorf("count(sos, %v) = %d, want %d", tc.window, n, tc.want)
		}
	}
	if n, _ := c.Count(env, "open", time.Hour); n != 0 {
		t.Errorf("count(open) = %d", n)
	}
	c.prune(t0.Add(48 * time.Hour))
	if len(c.keys) != 0 {
		t.Errorf("prune left %d keys", len(c.keys))
	}
}

// TestCounterSurvivesRestart: count() sees the presses before a restart
// (warmed from readings and alarms) when a rule uses it.
func TestCounterSurvivesRestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.create("rule.door3", model.CollectionRules, map[string]any{"key": "door_three", "name": "door 3x", "enabled": true,
			"when": "telemetry", "device_kinds": []string{"door_magnet"}, "condition": `payload.open == true && count("open", duration("1h")) >= 3`,
			"actions": types.JSONRaw(`[{"type":"raise","severity":"minor","title":"门频繁开关"}]`)})
		f.start()
		f.send("door-1", map[string]any{"open": true})
		time.Sleep(time.Minute)
		f.send("door-1", map[string]any{"open": true})
		time.Sleep(20 * time.Second) // a cursor flush: the opens are before the cursor
		if err := f.eng.Stop(); err != nil {
			t.Fatal(err)
		}
		f.eng = f.newEngine()
		time.Sleep(time.Minute)
		f.start()
		defer f.eng.Stop()
		if n := len(f.alarms("door_three")); n != 0 {
			t.Fatalf("%d alarms after two opens", n)
		}
		f.send("door-1", map[string]any{"open": true})
		f.one("door_three")
	})
}
