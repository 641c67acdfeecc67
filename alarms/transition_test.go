package alarms

import (
	"errors"
	"testing"
	"testing/synctest"
	"time"

	validation "github.com/go-ozzo/ozzo-validation/v4"

	"github.com/fengqiao/fengqiao/model"
)

// fieldOf returns the field a validation error names ("" if none).
func fieldOf(err error) string {
	var ve validation.Errors
	if errors.As(err, &ve) {
		for k := range ve {
			return k
		}
	}
	return ""
}

// TestPermit: who may do what to an alarm of grid g1 / elder e1.
func TestPermit(t *testing.T) {
	f := newFixture(t)
	f.start()
	defer f.eng.Stop()
	f.send("sos-1", map[string]any{"sos": true})
	a := f.one("sos_pressed")
	for _, c := range []struct {
		who, action string
		ok          bool
	}{
		{"staff", ActResolve, true}, {"secretary", ActCase, true}, {"staff", ActSnooze, true},
		{"grid1", ActAck, true}, {"grid1", ActComment, true}, {"grid1", ActResolve, false}, {"grid1", ActAssign, false},
		{"grid2", ActAck, false}, {"volunteer", ActAck, true}, {"volunteer", ActComment, true},
		{"volunteer", ActSnooze, false}, {"resident", ActAck, false}, {"resident", ActComment, false},
	} {
		err := Permit(f.app, f.actor(c.who), a, c.action)
		if (err == nil) != c.ok {
			t.Errorf("%s %s: %v, want allowed %v", c.who, c.action, err, c.ok)
		}
	}
	if err := Permit(f.app, Actor{Superuser: true}, a, ActResolve); err != nil {
		t.Errorf("admin: %v", err)
	}
}

// TestTransitions: each change is logged; the wrong state or a missing
// note is refused naming the field.
func TestTransitions(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.start()
		defer f.eng.Stop()
		f.send("sos-1", map[string]any{"sos": true})
		a := f.one("sos_pressed")
		time.Sleep(40 * time.Second)
		staff := f.actor("staff")
		if _, err := Comment(f.app, a.Id, staff, "  "); fieldOf(err) != "note" {
			t.Errorf("empty comment: %v", err)
		}
		if _, err := Acknowledge(f.app, a.Id, f.actor("grid2"), ""); !errors.Is(err, ErrForbidden) {
			t.Errorf("grid worker of another grid: %v", err)
		}
		acked, err := Acknowledge(f.app, a.Id, f.actor("grid1"), "")
		if err != nil {
			t.Fatal(err)
		}
		if acked.AcknowledgedBy() != f.ids["user.grid1"] || acked.AcknowledgedAt().Time().Sub(a.FirstSeen().Time()) != 40*time.Second {
			t.Errorf("ack by %q at %v", acked.AcknowledgedBy(), acked.AcknowledgedAt())
		}
		if _, err := Acknowledge(f.app, a.Id, staff, ""); fieldOf(err) != "status" {
			t.Errorf("second ack: %v", err)
		}
		if _, err := Assign(f.app, a.Id, staff, f.ids["user.resident"], ""); fieldOf(err) != "assignee" {
			t.Errorf("assign to a resident: %v", err)
		}
		if _, err := Assign(f.app, a.Id, staff, f.ids["user.grid1"], "yours"); err != nil {
			t.Error(err)
		}
		if _, err := Snooze(f.app, a.Id, staff, time.Now().Add(-time.Minute), ""); fieldOf(err) != "until" {
			t.Errorf("snooze into the past: %v", err)
		}
		if _, err := Resolve(f.app, a.Id, staff, "", false); fieldOf(err) != "note" {
			t.Errorf("resolve without a note: %v", err)
		}
		done, err := Resolve(f.app, a.Id, staff, "家属已到场", false)
		if err != nil {
			t.Fatal(err)
		}
		if done.Status() != model.AlarmResolved || done.ResolvedBy() != f.ids["user.staff"] || done.Cleared() {
			t.Errorf("resolved: %s by %q cleared %v", done.Status(), done.ResolvedBy(), done.Cleared())
		}
		if _, err := Resolve(f.app, a.Id, staff, "again", false); fieldOf(err) != "status" {
			t.Errorf("resolve twice: %v", err)
		}
		if _, err := Comment(f.app, a.Id, staff, "follow-up visit tomorrow"); err != nil {
			t.Errorf("comment on a resolved alarm: %v", err)
		}
		want := []string{"raise", "escalate", "acknowledge", "assign", "resolve", "comment"}
		if got := f.events(a); len(got) != len(want) {
			t.Errorf("events %v, want %v", got, want)
		}
		if _, err := Acknowledge(f.app, "nosuchalarm0000", staff, ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown alarm: %v", err)
		}
	})
}

// TestFigures: counts by severity and kind, answer times and rates.
func TestFigures(t *testing.T) {
	f := newFixture(t)
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	mk := func(sev, kind, status string, ack, solve time.Duration, cleared, falseAlarm bool) {
		data := map[string]any{"severity": sev, "kind": kind, "title": "x", "status": status, "count": 1,
			"first_seen": t0, "last_seen": t0, "cleared": cleared, "false_alarm": falseAlarm}
		if ack > 0 {
			data["acknowledged_at"] = t0.Add(ack)
		}
		if solve > 0 {
			data["resolved_at"] = t0.Add(solve)
		}
		f.create("alarm", model.CollectionAlarms, data)
	}
	mk("critical", "sos", "resolved", 30*time.Second, 10*time.Minute, false, false)
	mk("critical", "sos", "resolved", 90*time.Second, 20*time.Minute, false, true)
	mk("critical", "sos", "acknowledged", 5*time.Minute, 0, false, false)
	mk("critical", "sos", "active", 0, 0, false, false)
	mk("info", "battery", "resolved", 0, time.Hour, true, false) // cleared by the rule: not answerable
	fig, err := ComputeFigures(f.app, t0.Add(-time.Hour), t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	c := fig.BySeverity["critical"]
	if fig.Total != 5 || c.Count != 4 || c.Answerable != 4 || c.Acked60s != 1 || c.Acked180s != 2 || c.FalseAlarms != 1 {
		t.Fatalf("figures %+v critical %+v", fig, c)
	}
	if *c.Acked60sPct != 25 || *c.Acked180sPct != 50 || *c.MeanAckSecs != 140 || *c.MeanSolveSecs != 900 {
		t.Errorf("critical: 60s %v%% 180s %v%% ack %vs resolve %vs", *c.Acked60sPct, *c.Acked180sPct, *c.MeanAckSecs, *c.MeanSolveSecs)
	}
	if fig.Answerable != 4 || fig.Cleared != 1 || fig.ByKind["sos"] != 4 || fig.ByKind["battery"] != 1 || fig.Open != 2 {
		t.Errorf("overall %+v by kind %v", fig.SeverityFigures, fig.ByKind)
	}
	if fig.BySeverity["major"].Acked60sPct != nil {
		t.Errorf("a severity without alarms has a rate")
	}
	empty, err := ComputeFigures(f.app, t0.Add(time.Hour), t0.Add(2*time.Hour))
	if err != nil || empty.Total != 0 {
		t.Errorf("empty period: %+v %v", empty, err)
	}
}
