package notify_test

import (
	"errors"
	"slices"
	"sort"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/internal/testapp"
	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/notify"
)

// seedChannels adds the channels the enqueue tests name.
func seedChannels(t *testing.T, app core.App) {
	t.Helper()
	for _, ch := range []map[string]any{
		{"name": "hooks", "kind": "webhook", "url": "http://127.0.0.1:9/hook"},
		{"name": "ops", "kind": "wecom", "url": "http://127.0.0.1:9/wecom", "min_severity": "major"},
		{"name": "ops", "kind": "dingtalk", "url": "http://127.0.0.1:9/ding", "disabled": true},
		{"name": "siren", "kind": "mqtt"},
		{"name": "mail-list", "kind": "email", "config": map[string]any{"to": []string{"a@fengqiao.test", "b@fengqiao.test"}}},
		{"name": "sms-list", "kind": "sms", "config": map[string]any{"to": []string{"13900000009"}}},
		{"name": "empty-list", "kind": "sms"},
	} {
		testapp.Create(t, app, "channels", ch)
	}
}

// rowsOf lists the deliveries of alarm (or all, for ""), as kind→target
// strings, sorted.
func rowsOf(t *testing.T, app core.App, alarm string) ([]string, []*model.Delivery) {
	t.Helper()
	records, err := app.FindAllRecords(model.CollectionDeliveries, dbx.HashExp{"alarm": alarm})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	var ds []*model.Delivery
	for _, r := range records {
		d := model.AsDelivery(r)
		ds = append(ds, d)
		who := d.Target()
		if d.Recipient() != "" && d.Kind() == model.DeliveryInApp {
			who = "user"
		}
		keys = append(keys, d.Kind()+":"+who)
	}
	sort.Strings(keys)
	return keys, ds
}

func TestEnqueue(t *testing.T) {
	c := testapp.Shared(t)
	app := c.Clone(t)
	seedChannels(t, app)
	alarm := c.ID("alarm.e1") // critical, elder e1 in household h3
	people := []notify.Recipient{
		{UserID: c.ID("user.grid1"), Name: "网格员", Phone: "13800000011", Audience: "grid_worker"},
		{Name: "陈小明 (儿子)", Phone: "13911112222", Audience: "emergency_contacts"},
		{UserID: c.ID("user.staff"), Name: "值班员", Email: "staff@fengqiao.test", Audience: "on_duty"},
	}
	// Remove the seeded delivery of alarm.e1 so the table below is all.
	if err := app.Delete(c.Record(t, app, "delivery.grid1")); err != nil {
		t.Fatal(err)
	}

	n, err := notify.Enqueue(app, notify.Message{Alarm: alarm, Body: "按下了紧急按钮", Step: 2},
		people, []string{"inapp", "sms", "email", "fax"}, []string{"hooks", "ops", "siren", "mail-list", "sms-list", "empty-list", "nope", "hooks"})
	if err != nil {
		t.Fatal(err)
	}
	keys, rows := rowsOf(t, app, alarm)
	want := []string{
		"email:a@fengqiao.test", "email:b@fengqiao.test", "email:staff@fengqiao.test",
		"inapp:user", "inapp:user",
		"mqtt:alarms/critical/" + alarm,
		"sms:13800000011", "sms:13900000009", "sms:13911112222",
		"webhook:http://127.0.0.1:9/hook",
		"wecom:http://127.0.0.1:9/wecom",
	}
	if !slices.Equal(keys, want) {
		t.Fatalf("rows %v\nwant %v", keys, want)
	}
	if n != len(want) {
		t.Errorf("count %d, want %d", n, len(want))
	}
	for _, d := range rows {
		var p notify.Payload
		if err := d.Payload(&p); err != nil {
			t.Fatal(err)
		}
		if d.Status() != model.DeliveryPending || d.Step() != 2 || d.Title() != "e1 SOS" || d.NextAttemptAt().IsZero() {
			t.Errorf("%s row: status %s step %d title %q next %v", d.Kind(), d.Status(), d.Step(), d.Title(), d.NextAttemptAt())
		}
		// Filled in from the alarm, its elder and household.
		if p.Severity != "critical" || p.Title != "e1 SOS" || p.Elder != "陈阿婆" || p.Address == "" || p.At.IsZero() || p.Body != "按下了紧急按钮" {
			t.Errorf("%s payload %+v", d.Kind(), p)
		}
		switch {
		case d.Kind() == "webhook" || d.Kind() == "wecom" || d.Kind() == "mqtt":
			if d.Channel() == "" || d.Recipient() != "" {
				t.Errorf("%s row: channel %q recipient %q", d.Kind(), d.Channel(), d.Recipient())
			}
		case d.Target() == "13911112222":
			if d.Recipient() != "" || p.Audience != "emergency_contacts" || p.Name != "陈小明 (儿子)" {
				t.Errorf("contact row: recipient %q payload %+v", d.Recipient(), p)
			}
		case d.Kind() == "sms" && d.Target() == "13800000011":
			if d.Recipient() != c.ID("user.grid1") || d.Channel() != "" {
				t.Errorf("grid worker sms: recipient %q channel %q", d.Recipient(), d.Channel())
			}
		}
	}

	t.Run("below a channel's min_severity", func(t *testing.T) {
		other := c.ID("alarm.h2")
		n, err := notify.Enqueue(app, notify.Message{Alarm: other, Severity: "warning"}, nil, nil, []string{"ops", "hooks"})
		if err != nil {
			t.Fatal(err)
		}
		keys, _ := rowsOf(t, app, other)
		if n != 1 || !slices.Contains(keys, "webhook:http://127.0.0.1:9/hook") || slices.Contains(keys, "wecom:http://127.0.0.1:9/wecom") {
			t.Fatalf("rows %v (count %d): the major-only wecom channel must not get a warning", keys, n)
		}
	})

	t.Run("a case goes nowhere near mqtt", func(t *testing.T) {
		n, err := notify.Enqueue(app, notify.Message{Case: c.ID("case.h1"), Title: "new case"}, nil, nil, []string{"siren"})
		if err != nil || n != 0 {
			t.Fatalf("count %d (%v), want 0", n, err)
		}
	})

	t.Run("rolled back with the caller's transaction", func(t *testing.T) {
		before, _ := rowsOf(t, app, c.ID("alarm.h2"))
		boom := errors.New("alarm engine failed after enqueueing")
		err := app.RunInTransaction(func(tx core.App) error {
			n, err := notify.Enqueue(tx, notify.Message{Alarm: c.ID("alarm.h2")},
				[]notify.Recipient{{UserID: c.ID("user.grid2")}}, []string{"inapp"}, []string{"hooks"})
			if err != nil || n != 2 {
				t.Errorf("count %d (%v), want 2", n, err)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		after, _ := rowsOf(t, app, c.ID("alarm.h2"))
		if !slices.Equal(before, after) {
			t.Fatalf("rows %v after a rollback, want %v", after, before)
		}
	})

	t.Run("an unknown alarm is an error", func(t *testing.T) {
		if _, err := notify.Enqueue(app, notify.Message{Alarm: "nosuchalarm0000"}, nil, []string{"inapp"}, nil); err == nil {
			t.Fatal("enqueued for an alarm that does not exist")
		}
	})
}

// TestEnqueueMQTTOncePerMessage: the "mqtt" step channel publishes the
// alarm once for the sirens, whatever the number of recipients.
func TestEnqueueMQTTOncePerMessage(t *testing.T) {
	c := testapp.Shared(t)
	app := c.Clone(t)
	alarm := c.ID("alarm.e1")
	if err := app.Delete(c.Record(t, app, "delivery.grid1")); err != nil {
		t.Fatal(err)
	}
	people := []notify.Recipient{{Name: "a", Phone: "13900000001"}, {Name: "b", Phone: "13900000002"}}
	n, err := notify.Enqueue(app, notify.Message{Alarm: alarm, Severity: "critical", Title: "SOS"}, people, []string{"mqtt", "sms"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	keys, _ := rowsOf(t, app, alarm)
	want := []string{"mqtt:alarms/critical/" + alarm, "sms:13900000001", "sms:13900000002"}
	if n != 3 || !slices.Equal(keys, want) {
		t.Fatalf("wrote %d rows %v, want %v", n, keys, want)
	}
}
