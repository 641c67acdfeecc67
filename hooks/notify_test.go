package hooks_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/internal/testapp"
	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/notify"
)

// TestNotifyRetryEndpoint: station staff, the secretary and superusers
// make a failed delivery due now; others may not; a sent one is refused
// naming the status.
func TestNotifyRetryEndpoint(t *testing.T) {
	c := testapp.Shared(t)
	url := func(key string) string { return "/api/fengqiao/deliveries/" + c.ID(key) + "/retry" }
	pendingAfter := func(t testing.TB, app *tests.TestApp, _ *http.Response) {
		d := model.AsDelivery(c.Record(t, app, "delivery.webhook"))
		if d.Status() != model.DeliveryPending || d.NextAttemptAt().Time().After(time.Now()) {
			t.Errorf("status %s next attempt %v, want pending and due", d.Status(), d.NextAttemptAt())
		}
	}
	unchanged := func(t testing.TB, app *tests.TestApp, _ *http.Response) {
		if d := model.AsDelivery(c.Record(t, app, "delivery.webhook")); d.Status() != model.DeliveryFailed {
			t.Errorf("status %s, want failed (untouched)", d.Status())
		}
	}
	for _, s := range []tests.ApiScenario{
		{Name: "staff", URL: url("delivery.webhook"), Headers: c.Auth(testapp.Staff), ExpectedStatus: 200,
			ExpectedContent: []string{`"status":"pending"`, `"id":"` + c.ID("delivery.webhook") + `"`}, AfterTestFunc: pendingAfter},
		{Name: "secretary", URL: url("delivery.webhook"), Headers: c.Auth(testapp.Secretary), ExpectedStatus: 200,
			ExpectedContent: []string{`"status":"pending"`}, AfterTestFunc: pendingAfter},
		{Name: "superuser", URL: url("delivery.webhook"), Headers: c.Auth(testapp.Superuser), ExpectedStatus: 200,
			ExpectedContent: []string{`"status":"pending"`}, AfterTestFunc: pendingAfter},
		{Name: "grid worker", URL: url("delivery.webhook"), Headers: c.Auth(testapp.GridWorker), ExpectedStatus: 403,
			ExpectedContent: []string{`"status":403`}, AfterTestFunc: unchanged},
		{Name: "guest", URL: url("delivery.webhook"), Headers: c.Auth(testapp.Guest), ExpectedStatus: 401,
			ExpectedContent: []string{`"status":401`}, AfterTestFunc: unchanged},
		{Name: "already sent", URL: url("delivery.staff"), Headers: c.Auth(testapp.Staff), ExpectedStatus: 400,
			ExpectedContent: []string{`"status":{"code":"validation_not_retryable"`}},
		{Name: "unknown", URL: "/api/fengqiao/deliveries/nosuchdelivery0/retry", Headers: c.Auth(testapp.Staff), ExpectedStatus: 404,
			ExpectedContent: []string{`"status":404`}},
	} {
		s.Method, s.TestAppFactory = http.MethodPost, c.Factory
		s.Test(t)
	}
}

// TestNotifyWorkerServes: with the appliance serving, the worker sends
// what is enqueued without waiting for its poll: the seeded failed webhook
// delivery and a new one reach the webhook, and a new in-app delivery
// reaches its recipient's realtime subscription, then turns sent, while
// another user subscribed to deliveries hears nothing of it.
func TestNotifyWorkerServes(t *testing.T) {
	c := testapp.Shared(t)
	app := c.Clone(t)
	got := make(chan string, 8)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- r.Header.Get("webhook-id") + " " + string(body)
	}))
	defer hook.Close()
	ch := c.Record(t, app, "channel.webhook")
	ch.Set("url", hook.URL)
	ch.Set("secret", "")
	if err := app.Save(ch); err != nil {
		t.Fatal(err)
	}
	// The seeded in-app delivery for the grid worker is pending: let it be
	// sent before anyone subscribes, so the events below are the new one's.
	base := testapp.Serve(t, app)
	waitFor(t, got, c.ID("delivery.webhook"))

	grid, status := connectRealtime(t, base, c, testapp.GridWorker, "deliveries/*")
	if status != http.StatusNoContent {
		t.Fatalf("grid worker subscription: %d", status)
	}
	other, status := connectRealtime(t, base, c, testapp.OtherGridWorker, "deliveries/*")
	if status != http.StatusNoContent {
		t.Fatalf("other grid worker subscription: %d", status)
	}
	n, err := notify.Enqueue(app, notify.Message{Alarm: c.ID("alarm.e1"), Title: "SOS: 陈阿婆"},
		[]notify.Recipient{{UserID: c.ID("user.grid1"), Audience: "grid_worker"}}, []string{"inapp"}, []string{"hook"})
	if err != nil || n != 2 {
		t.Fatalf("enqueue: %d (%v)", n, err)
	}
	inapp, err := app.FindFirstRecordByFilter(model.CollectionDeliveries, "kind = 'inapp' && title = 'SOS: 陈阿婆'")
	if err != nil {
		t.Fatal(err)
	}
	webhook, err := app.FindFirstRecordByFilter(model.CollectionDeliveries, "kind = 'webhook' && title = 'SOS: 陈阿婆'")
	if err != nil {
		t.Fatal(err)
	}
	if body := waitFor(t, got, webhook.Id); !strings.Contains(body, `"title":"SOS: 陈阿婆"`) {
		t.Errorf("webhook body %s", body)
	}
	// The recipient hears the row created, then updated twice (claimed,
	// sent; realtime does not promise the order), well within the worker's
	// 10 s poll: the enqueue woke the worker.
	deadline := time.After(8 * time.Second)
	heard := map[string]int{}
	for heard["create"] < 1 || heard["update"] < 2 {
		select {
		case ev := <-grid.events:
			if ev.recordID == inapp.Id {
				heard[ev.action]++
			}
		case <-deadline:
			t.Fatalf("the recipient heard %v of the in-app delivery, want create and update", heard)
		}
	}
	if d, err := app.FindRecordById(model.CollectionDeliveries, inapp.Id); err != nil || d.GetString("status") != model.DeliverySent {
		t.Fatalf("in-app delivery %v (%v), want sent", d, err)
	}
	for _, ev := range other.drain(nil) {
		if ev.recordID == inapp.Id {
			t.Errorf("another grid worker heard %s of someone else's delivery", ev.action)
		}
	}
}

// waitFor returns the body of the request with webhook-id id, failing
// after a wait well below the worker's poll interval.
func waitFor(t *testing.T, got chan string, id string) string {
	t.Helper()
	deadline := time.After(8 * time.Second)
	for {
		select {
		case req := <-got:
			if gotID, body, _ := strings.Cut(req, " "); gotID == id {
				return body
			}
		case <-deadline:
			t.Fatalf("no webhook request for %s", id)
		}
	}
}
