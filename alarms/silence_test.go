package alarms

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/fengqiao/fengqiao/model"
)

// The bubble's clock starts at 2000-01-01 00:00 UTC; the fixture's
// community lives in UTC. no_motion_daytime: no motion for 12 hours of
// 07:00–21:00.

// at returns the bubble's day d (0 = 2000-01-01) at hh:mm.
func at(d, hh, mm int) time.Time { return time.Date(2000, 1, 1+d, hh, mm, 0, 0, time.UTC) }

func sleepUntil(t time.Time) {
	time.Sleep(time.Until(t))
	synctest.Wait()
}

// TestSilenceRaisesAfter12DaytimeHours: the last motion at 08:00 makes
// the silence run out at 20:00; the next motion clears the alarm.
func TestSilenceRaisesAfter12DaytimeHours(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.start()
		defer f.eng.Stop()
		sleepUntil(at(0, 8, 0))
		f.send("pir-1", map[string]any{"motion": true})
		f.send("pir-1", map[string]any{"motion": false}) // not a reset
		sleepUntil(at(0, 19, 59))
		if n := len(f.alarms("no_motion_daytime")); n != 0 {
			t.Fatalf("%d inactivity alarms before 20:00", n)
		}
		sleepUntil(at(0, 20, 1))
		a := f.one("no_motion_daytime")
		if a.Severity() != "major" || !a.FirstSeen().Time().Equal(at(0, 20, 0)) {
			t.Errorf("inactivity alarm: %s first seen %v, want 20:00", a.Severity(), a.FirstSeen())
		}
		sleepUntil(at(1, 7, 30))
		f.send("pir-1", map[string]any{"motion": true})
		if a = f.reload(a); a.Status() != model.AlarmResolved || !a.Cleared() {
			t.Errorf("after motion: %s cleared %v", a.Status(), a.Cleared())
		}
		// The next silence counts from 07:30: due 19:30.
		sleepUntil(at(1, 19, 31))
		if n := len(f.alarms("no_motion_daytime")); n != 2 {
			t.Errorf("second day: %d alarms, want 2", n)
		}
	})
}

// TestSilenceRestartKeepsTheDeadline: a restart in the middle of the
// window keeps the deadline (20:00, from the last motion at 08:00), not
// a new 12 hours from the restart; and the alarm is not lost.
func TestSilenceRestartKeepsTheDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.start()
		sleepUntil(at(0, 8, 0))
		f.send("pir-1", map[string]any{"motion": true})
		sleepUntil(at(0, 12, 0))
		if err := f.eng.Stop(); err != nil {
			t.Fatal(err)
		}
		f.eng = f.newEngine()
		sleepUntil(at(0, 13, 0))
		f.start()
		defer f.eng.Stop()
		sleepUntil(at(0, 20, 1))
		if a := f.one("no_motion_daytime"); !a.FirstSeen().Time().Equal(at(0, 20, 0)) {
			t.Errorf("alarm at %v, want 20:00", a.FirstSeen())
		}
	})
}

// TestSilenceCrashNoFalseAlarm: a motion stored and handled just before a
// kill -9, whose timer reset was never flushed, still counts after the
// restart (replayed from readings): no false alarm at 20:00.
func TestSilenceCrashNoFalseAlarm(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.start()
		sleepUntil(at(0, 8, 0))
		f.send("pir-1", map[string]any{"motion": true})
		sleepUntil(at(0, 11, 0))
		f.send("pir-1", map[string]any{"motion": true})
		f.crash() // at once: the 11:00 reset is only in readings
		sleepUntil(at(0, 11, 30))
		f.start()
		defer f.eng.Stop()
		sleepUntil(at(0, 20, 30))
		if n := len(f.alarms("no_motion_daytime")); n != 0 {
			t.Fatalf("false alarm: %d inactivity alarms at 20:30", n)
		}
		// 11:00 + 12 daytime hours: 10 today (to 21:00), 2 tomorrow: 09:00.
		sleepUntil(at(1, 9, 1))
		if a := f.one("no_motion_daytime"); !a.FirstSeen().Time().Equal(at(1, 9, 0)) {
			t.Errorf("alarm at %v, want 09:00 the next day", a.FirstSeen())
		}
	})
}

// TestSilenceDownOverDeadline: the appliance is down when the silence
// runs out: the alarm is raised at the restart, dated at the deadline.
func TestSilenceDownOverDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.start()
		sleepUntil(at(0, 8, 0))
		f.send("pir-1", map[string]any{"motion": true})
		sleepUntil(at(0, 9, 0))
		f.crash()
		sleepUntil(at(0, 22, 0))
		f.start()
		defer f.eng.Stop()
		synctest.Wait()
		if a := f.one("no_motion_daytime"); !a.FirstSeen().Time().Equal(at(0, 20, 0)) {
			t.Errorf("alarm at %v, want 20:00", a.FirstSeen())
		}
	})
}

// TestSilenceSuspendedWhileAway: an elder away until 12:00 suspends the
// silence that ran out at 10:00; it counts again from 12:00.
func TestSilenceSuspendedWhileAway(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.setRuleNoReload("no_motion_daytime", map[string]any{"silence_for": "3h"})
		f.start()
		defer f.eng.Stop()
		sleepUntil(at(0, 7, 0))
		f.send("pir-1", map[string]any{"motion": true}) // due 10:00
		elder, err := f.app.FindRecordById(model.CollectionElders, f.ids["elder.e1"])
		if err != nil {
			t.Fatal(err)
		}
		elder.Set("mode", "hospital")
		elder.Set("mode_until", at(0, 12, 0))
		if err := f.app.Save(elder); err != nil {
			t.Fatal(err)
		}
		f.eng.ObserveRecord(elder)
		sleepUntil(at(0, 14, 59))
		if n := len(f.alarms("no_motion_daytime")); n != 0 {
			t.Fatalf("%d alarms while in hospital or within 3h of coming back", n)
		}
		sleepUntil(at(0, 15, 1))
		if a := f.one("no_motion_daytime"); !a.FirstSeen().Time().Equal(at(0, 15, 0)) {
			t.Errorf("alarm at %v, want 15:00 (3h after the stay ended)", a.FirstSeen())
		}
	})
}
