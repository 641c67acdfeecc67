package alarms

import (
	"context"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/fengqiao/fengqiao/model"
)

// TestSOSRaisesCriticalAlarm: an SOS press raises the critical alarm with
// its raise event and the first escalation step's deliveries (grid worker
// and on-duty staff, in-app and SMS), all committed together; a second
// press repeats it instead of raising another.
func TestSOSRaisesCriticalAlarm(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.start()
		defer f.eng.Stop()
		ev := f.send("sos-1", map[string]any{"sos": true})

		a := f.one("sos_pressed")
		if a.Severity() != "critical" || a.Status() != model.AlarmActive || a.Kind() != "sos" || a.Count() != 1 {
			t.Fatalf("alarm %s %s %s count %d", a.Severity(), a.Status(), a.Kind(), a.Count())
		}
		if a.Elder() != f.ids["elder.e1"] || a.Household() != f.ids["household.h1"] || a.Grid() != f.ids["grid.g1"] {
			t.Errorf("alarm context: elder %q household %q grid %q", a.Elder(), a.Household(), a.Grid())
		}
		if !a.FirstSeen().Time().Equal(ev.Received.Truncate(time.Millisecond)) {
			t.Errorf("first_seen %v, want the reading's time %v", a.FirstSeen(), ev.Received)
		}
		if want := "一键呼救：陈阿婆，枫桥花园1栋302"; a.Title() != want {
			t.Errorf("title %q, want %q", a.Title(), want)
		}
		if got := f.events(a); !slices.Equal(got, []string{"raise", "escalate"}) {
			t.Errorf("events %v", got)
		}
		// Step 0: grid worker g1 and staff on duty, in-app and SMS, and
		// the alarm once on MQTT for the sirens.
		if got := f.deliveries(a); got["inapp:0"] != 2 || got["sms:0"] != 2 || got["mqtt:0"] != 1 || len(got) != 3 {
			t.Errorf("deliveries %v, want 2 inapp:0, 2 sms:0 and 1 mqtt:0", got)
		}
		if a.EscalationLevel() != 1 || !a.NextEscalationAt().Time().Equal(a.FirstSeen().Time().Add(2*time.Minute)) {
			t.Errorf("escalation level %d next %v", a.EscalationLevel(), a.NextEscalationAt())
		}

		time.Sleep(10 * time.Second)
		f.send("sos-1", map[string]any{"sos": true})
		if n := len(f.alarms("sos_pressed")); n != 1 {
			t.Fatalf("a repeat made %d alarms", n)
		}
		time.Sleep(2 * time.Second) // a flush writes the repeat
		synctest.Wait()
		if a = f.reload(a); a.Count() != 2 || !a.LastSeen().Time().After(a.FirstSeen().Time()) {
			t.Errorf("after a repeat: count %d last_seen %v", a.Count(), a.LastSeen())
		}
	})
}

// TestUnreadableSOSRaisesAlarm: an SOS button's garbled message still
// raises a critical alarm.
func TestUnreadableSOSRaisesAlarm(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.start()
		defer f.eng.Stop()
		ev := f.store("sos-1", map[string]any{"unreadable": "not_json", "detail": "x", "raw_base64": "/w==", "raw_bytes": 1}, time.Now())
		ev.Payload, ev.Unreadable, ev.Reason = nil, true, "not_json"
		if err := f.eng.HandleEvent(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
		a := f.one("sos_unreadable")
		if a.Severity() != "critical" || a.Kind() != "sos_unreadable" {
			t.Errorf("unreadable alarm: %s %s", a.Severity(), a.Kind())
		}
		if n := len(f.alarms("sos_pressed")); n != 0 {
			t.Errorf("sos_pressed raised %d alarms for an unreadable message", n)
		}
	})
}

// TestRuleErrorIsolated: a rule failing at run time on every message is
// counted with its last error (in a batch), and the SOS rule still fires.
func TestRuleErrorIsolated(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		broken := f.create("rule.broken", model.CollectionRules, map[string]any{"name": "broken", "enabled": true,
			"when": "telemetry", "condition": `payload.level > 3`})
		f.start()
		defer f.eng.Stop()
		f.send("sos-1", map[string]any{"sos": true})
		f.send("sos-1", map[string]any{"sos": true})
		if n := len(f.alarms("sos_pressed")); n != 1 {
			t.Fatalf("sos alarms: %d", n)
		}
		time.Sleep(2 * time.Second)
		synctest.Wait()
		r, err := f.app.FindRecordById(model.CollectionRules, broken.Id)
		if err != nil {
			t.Fatal(err)
		}
		x := model.AsRule(r)
		if x.Errors() != 2 || x.LastError() == "" || x.LastErrorAt().IsZero() {
			t.Errorf("broken rule: errors %d last_error %q at %v", x.Errors(), x.LastError(), x.LastErrorAt())
		}
		sos, _ := f.app.FindFirstRecordByData(model.CollectionRules, "key", "sos_pressed")
		if s := model.AsRule(sos); s.Hits() != 2 || s.LastHitAt().IsZero() {
			t.Errorf("sos rule: hits %d last hit %v", s.Hits(), s.LastHitAt())
		}
	})
}
