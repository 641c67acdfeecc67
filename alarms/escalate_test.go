package alarms

import (
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/rules"
)

func countOf(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// TestEscalationLadder: the critical ladder reaches the volunteer after
// 2 minutes and the emergency contacts after 5; an acknowledgement at 6
// minutes stops it at once: the secretary (10 minutes) is never told.
func TestEscalationLadder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.start()
		defer f.eng.Stop()
		f.send("sos-1", map[string]any{"sos": true})
		a := f.one("sos_pressed")

		time.Sleep(2*time.Minute + time.Second)
		synctest.Wait()
		if a = f.reload(a); a.EscalationLevel() != 2 {
			t.Fatalf("after 2m: level %d", a.EscalationLevel())
		}
		if d := f.deliveries(a); d["inapp:1"] != 1 || d["sms:1"] != 1 {
			t.Errorf("step 1 (volunteer): %v", d)
		}
		time.Sleep(3 * time.Minute)
		synctest.Wait()
		if d := f.deliveries(a); d["sms:2"] != 1 { // the daughter, by SMS
			t.Errorf("step 2 (emergency contacts): %v", d)
		}

		time.Sleep(time.Minute)
		if _, err := Acknowledge(f.app, a.Id, f.actor("grid1"), "on my way"); err != nil {
			t.Fatal(err)
		}
		f.eng.ObserveAlarm(f.reload(a).Record)
		time.Sleep(30 * time.Minute)
		synctest.Wait()
		a = f.reload(a)
		if a.Status() != model.AlarmAcknowledged || a.EscalationLevel() != 3 || !a.NextEscalationAt().IsZero() {
			t.Errorf("after ack: %s level %d next %v", a.Status(), a.EscalationLevel(), a.NextEscalationAt())
		}
		if got := f.events(a); countOf(got, "escalate") != 3 || got[len(got)-1] != "acknowledge" {
			t.Errorf("events %v", got)
		}
		if d := f.deliveries(a); d["inapp:3"] != 0 || d["sms:3"] != 0 {
			t.Errorf("the secretary was told after the acknowledgement: %v", d)
		}
	})
}

// TestEscalationRepeatsBounded: an unacknowledged alarm runs its ladder
// 1+repeat times, repeat_every apart, then stops.
func TestEscalationRepeatsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		p, err := f.app.FindFirstRecordByData(model.CollectionEscalationPolicies, "key", "critical")
		if err != nil {
			t.Fatal(err)
		}
		p.Set("steps", types.JSONRaw(`[{"after":"0s","audiences":["on_duty"],"channels":["inapp"]},{"after":"1m","audiences":["secretary"],"channels":["inapp"]}]`))
		p.Set("repeat", 2)
		p.Set("repeat_every", "5m")
		if err := f.app.Save(p); err != nil {
			t.Fatal(err)
		}
		f.start()
		defer f.eng.Stop()
		f.send("sos-1", map[string]any{"sos": true})
		a := f.one("sos_pressed")
		// Rounds start at 0, 1m+5m = 6m and 12m: steps at 0, 1, 6, 7, 12, 13 minutes.
		for _, c := range []struct {
			at    time.Duration
			level int
		}{{30 * time.Second, 1}, {61 * time.Second, 2}, {5 * time.Minute, 2}, {6*time.Minute + time.Second, 3},
			{7*time.Minute + time.Second, 4}, {13*time.Minute + time.Second, 6}, {2 * time.Hour, 6}} {
			time.Sleep(time.Until(a.FirstSeen().Time().Add(c.at)))
			synctest.Wait()
			if got := f.reload(a).EscalationLevel(); got != c.level {
				t.Errorf("at %v: level %d, want %d", c.at, got, c.level)
			}
		}
		if a = f.reload(a); !a.NextEscalationAt().IsZero() || countOf(f.events(a), "escalate") != 6 {
			t.Errorf("ladder not done: next %v events %v", a.NextEscalationAt(), f.events(a))
		}
	})
}

// TestEscalationRearmedAfterRestart: escalation state lives on the alarm;
// after a restart the steps that fell due while the appliance was down run
// at once, and the ladder goes on from there.
func TestEscalationRearmedAfterRestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.start()
		f.send("sos-1", map[string]any{"sos": true})
		a := f.one("sos_pressed")
		time.Sleep(time.Minute)
		f.crash()

		time.Sleep(5 * time.Minute) // down over the 2m and 5m steps
		synctest.Wait()
		if lvl := f.reload(a).EscalationLevel(); lvl != 1 {
			t.Fatalf("while down: level %d", lvl)
		}
		f.start()
		defer f.eng.Stop()
		synctest.Wait()
		a = f.reload(a)
		if a.EscalationLevel() != 3 || !a.NextEscalationAt().Time().Equal(a.FirstSeen().Time().Add(10*time.Minute)) {
			t.Errorf("after restart: level %d next %v", a.EscalationLevel(), a.NextEscalationAt())
		}
		time.Sleep(5 * time.Minute)
		synctest.Wait()
		if d := f.deliveries(f.reload(a)); d["inapp:3"] != 1 {
			t.Errorf("secretary step after the restart: %v", d)
		}
	})
}

// TestFirstStepAfterCrashBeforeIt: the alarm is committed before its
// first step's deliveries are written. A crash in between leaves the step
// due on the alarm row; the restart runs it.
func TestFirstStepAfterCrashBeforeIt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.start()
		f.send("sos-1", map[string]any{"sos": true})
		a := f.one("sos_pressed")
		if d := f.deliveries(a); d["inapp:0"] == 0 || a.EscalationLevel() != 1 {
			t.Fatalf("first step at the raise: level %d, deliveries %v", a.EscalationLevel(), d)
		}
		f.crash()
		// Put the alarm back as the raise's own transaction left it.
		if _, err := f.app.DB().NewQuery("DELETE FROM deliveries WHERE alarm = {:a}").Bind(dbx.Params{"a": a.Id}).Execute(); err != nil {
			t.Fatal(err)
		}
		a.SetEscalationLevel(0)
		a.SetNextEscalationAt(a.FirstSeen().Time())
		if err := f.app.Save(a); err != nil {
			t.Fatal(err)
		}
		f.start()
		defer f.eng.Stop()
		synctest.Wait()
		if a = f.reload(a); a.EscalationLevel() != 1 {
			t.Errorf("after restart: level %d, want 1", a.EscalationLevel())
		}
		if d := f.deliveries(a); d["inapp:0"] == 0 {
			t.Errorf("first step not run after the restart: %v", d)
		}
	})
}

// TestSnoozeWakes: a snoozed alarm does not escalate; when the snooze
// ends it is active again and its ladder resumes.
func TestSnoozeWakes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.start()
		defer f.eng.Stop()
		f.send("sos-1", map[string]any{"sos": true})
		a := f.one("sos_pressed")
		s, err := Snooze(f.app, a.Id, f.actor("staff"), time.Now().Add(30*time.Minute), "checking by phone")
		if err != nil {
			t.Fatal(err)
		}
		f.eng.ObserveAlarm(s.Record)
		time.Sleep(29 * time.Minute)
		synctest.Wait()
		if a = f.reload(a); a.Status() != model.AlarmSnoozed || a.EscalationLevel() != 1 {
			t.Fatalf("while snoozed: %s level %d", a.Status(), a.EscalationLevel())
		}
		time.Sleep(2 * time.Minute)
		synctest.Wait()
		a = f.reload(a)
		if a.Status() != model.AlarmActive || a.EscalationLevel() != 2 || !a.SnoozedUntil().IsZero() {
			t.Errorf("after the snooze: %s level %d until %v", a.Status(), a.EscalationLevel(), a.SnoozedUntil())
		}
		if got := f.events(a); !slices.Contains(got, "reopen") {
			t.Errorf("events %v", got)
		}
	})
}

// TestLadderPlan: the step times chain from the raise; rounds are
// repeat_every apart; the ladder ends after 1+repeat rounds.
func TestLadderPlan(t *testing.T) {
	steps, err := rules.ParseSteps([]byte(`[{"after":"0s","audiences":["on_duty"],"channels":["inapp"]},
		{"after":"2m","audiences":["volunteer"],"channels":["inapp"]},{"after":"5m","audiences":["secretary"],"channels":["inapp"]}]`))
	if err != nil {
		t.Fatal(err)
	}
	l := &ladder{steps: steps, repeat: 1, pause: 10 * time.Minute}
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		level    int
		due, now time.Time
		fire     []int
		next     int
		nextDue  time.Time
	}{
		{0, t0, t0, []int{0}, 1, t0.Add(2 * time.Minute)},
		{1, t0.Add(2 * time.Minute), t0.Add(time.Minute), nil, 1, t0.Add(2 * time.Minute)},
		{1, t0.Add(2 * time.Minute), t0.Add(6 * time.Minute), []int{1, 2}, 3, t0.Add(15 * time.Minute)},
		{3, t0.Add(15 * time.Minute), t0.Add(time.Hour), []int{3, 4, 5}, 6, time.Time{}},
	} {
		fire, next, nextDue := l.plan(c.level, c.due, c.now)
		if !slices.Equal(fire, c.fire) || next != c.next || !nextDue.Equal(c.nextDue) {
			t.Errorf("plan(%d, %v, %v) = %v %d %v, want %v %d %v", c.level, c.due, c.now, fire, next, nextDue, c.fire, c.next, c.nextDue)
		}
	}
}
