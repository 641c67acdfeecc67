package alarms

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/fengqiao/fengqiao/model"
)

// TestScheduleDeviceOffline: device_offline (every 5 minutes) raises a
// warning for a sensor offline for over an hour and clears it once the
// sensor is back.
func TestScheduleDeviceOffline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		dev, err := f.app.FindRecordById(model.CollectionDevices, f.ids["device.pir-1"])
		if err != nil {
			t.Fatal(err)
		}
		dev.Set("online", false)
		dev.Set("last_seen", time.Now())
		if err := f.app.Save(dev); err != nil {
			t.Fatal(err)
		}
		f.start()
		defer f.eng.Stop()
		sleepUntil(at(0, 0, 59))
		if n := len(f.alarms("device_offline")); n != 0 {
			t.Fatalf("%d offline alarms within the hour", n)
		}
		sleepUntil(at(0, 1, 6))
		list := f.alarms("device_offline")
		if len(list) != 1 || list[0].Device() != dev.Id || !list[0].FirstSeen().Time().Equal(at(0, 1, 5)) {
			t.Fatalf("offline alarms %d (want 1 for pir-1 at 01:05)", len(list))
		}
		dev.Set("online", true)
		dev.Set("last_seen", time.Now())
		if err := f.app.Save(dev); err != nil {
			t.Fatal(err)
		}
		f.eng.ObserveRecord(dev)
		sleepUntil(at(0, 1, 11))
		if a := f.reload(list[0]); a.Status() != model.AlarmResolved || !a.Cleared() {
			t.Errorf("back online: %s cleared %v", a.Status(), a.Cleared())
		}
	})
}

// TestScheduleMonthlyTestReminder: at 10:00 on the 1st, the volunteer and
// the grid worker of each SOS button's elder get the test-press reminder.
func TestScheduleMonthlyTestReminder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.start()
		defer f.eng.Stop()
		sleepUntil(at(0, 10, 1))
		recs, err := f.app.FindAllRecords(model.CollectionDeliveries, dbx.HashExp{"alarm": ""})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, r := range recs {
			if !strings.Contains(r.GetString("title"), "每月测试") {
				t.Errorf("delivery %q", r.GetString("title"))
			}
			got[r.GetString("recipient")] = true
		}
		if len(recs) != 2 || !got[f.ids["user.volunteer"]] || !got[f.ids["user.grid1"]] {
			t.Errorf("%d reminders to %v, want the volunteer and grid worker g1", len(recs), got)
		}
	})
}

// TestAlarmRuleNotAcknowledged: an alarm rule ("critical and not
// acknowledged within 5 minutes: tell the secretary") acts once per
// alarm, with its notification in the alarm's log.
func TestAlarmRuleNotAcknowledged(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.create("rule.unacked", model.CollectionRules, map[string]any{"name": "未确认", "enabled": true, "when": "alarm",
			"condition": `alarm.status == "active" && alarm.severity == "critical" && since(alarm.first_seen) > duration("5m")`,
			"actions":   types.JSONRaw(`[{"type":"notify","audience":["secretary"],"title":"5 分钟未确认：{{ alarm.title }}"}]`)})
		f.start()
		defer f.eng.Stop()
		f.send("sos-1", map[string]any{"sos": true})
		a := f.one("sos_pressed")
		secretary := func() int {
			n, err := f.app.CountRecords(model.CollectionDeliveries, dbx.HashExp{"alarm": a.Id, "recipient": f.ids["user.secretary"]})
			if err != nil {
				t.Fatal(err)
			}
			return int(n)
		}
		sleepUntil(a.FirstSeen().Time().Add(4*time.Minute + 50*time.Second))
		if n := secretary(); n != 0 {
			t.Fatalf("secretary told %d times before 5 minutes", n)
		}
		sleepUntil(a.FirstSeen().Time().Add(6 * time.Minute))
		if n := secretary(); n != 1 {
			t.Fatalf("secretary told %d times after 5 minutes, want 1", n)
		}
		sleepUntil(a.FirstSeen().Time().Add(9 * time.Minute))
		if n := secretary(); n != 1 {
			t.Errorf("secretary told %d times by 9 minutes, want still 1", n)
		}
		if countOf(f.events(a), "notify") != 1 {
			t.Errorf("events %v", f.events(a))
		}
	})
}
