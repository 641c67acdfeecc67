package notify_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/internal/testapp"
	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/notify"
)

var quiet = slog.New(slog.DiscardHandler)

// loadDelivery reads a delivery afresh.
func loadDelivery(t *testing.T, app core.App, id string) *model.Delivery {
	t.Helper()
	r, err := app.FindRecordById(model.CollectionDeliveries, id)
	if err != nil {
		t.Fatal(err)
	}
	return model.AsDelivery(r)
}

// onlyDelivery is the one delivery in app.
func onlyDelivery(t *testing.T, app core.App) *model.Delivery {
	t.Helper()
	rs, err := app.FindAllRecords(model.CollectionDeliveries)
	if err != nil || len(rs) != 1 {
		t.Fatalf("%d deliveries (%v), want 1", len(rs), err)
	}
	return model.AsDelivery(rs[0])
}

// webhookChannel creates a webhook channel to url.
func webhookChannel(t *testing.T, app core.App, name, url, secret string) *core.Record {
	return testapp.Create(t, app, "channels", map[string]any{"name": name, "kind": "webhook", "url": url, "secret": secret})
}

// enqueueTo writes one delivery to the named channel.
func enqueueTo(t *testing.T, app core.App, channel string) *model.Delivery {
	t.Helper()
	n, err := notify.Enqueue(app, notify.Message{Severity: "critical", Title: "SOS: 陈阿婆"}, nil, nil, []string{channel})
	if err != nil || n != 1 {
		t.Fatalf("enqueue: %d rows (%v)", n, err)
	}
	return onlyDelivery(t, app)
}

// sameTime compares at PocketBase's millisecond precision.
func sameTime(a, b time.Time) bool {
	return a.Truncate(time.Millisecond).Equal(b.Truncate(time.Millisecond))
}

// TestWorkerDeadThenAliveWebhook: a webhook that answers 503 three times
// gets its delivery on the fourth attempt; meanwhile the row shows failed,
// the attempts, the last error and the next attempt, backing off 1s, 2s,
// 4s (the cap). Every attempt is signed and carries the same webhook-id.
func TestWorkerDeadThenAliveWebhook(t *testing.T) {
	app := testapp.New(t)
	secret := "whsec_" + base64.StdEncoding.EncodeToString([]byte("dead-then-alive-secret"))
	var mu sync.Mutex
	var ids []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mac := hmac.New(sha256.New, []byte("dead-then-alive-secret"))
		fmt.Fprintf(mac, "%s.%s.%s", r.Header.Get("webhook-id"), r.Header.Get("webhook-timestamp"), body)
		if r.Header.Get("webhook-signature") != "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)) {
			t.Errorf("bad signature %q", r.Header.Get("webhook-signature"))
		}
		mu.Lock()
		ids = append(ids, r.Header.Get("webhook-id"))
		n := len(ids)
		mu.Unlock()
		if n <= 3 {
			http.Error(w, "warming up", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	synctest.Test(t, func(t *testing.T) {
		webhookChannel(t, app, "hook", srv.URL, secret)
		d := enqueueTo(t, app, "hook")
		client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		w := notify.New(app, notify.Config{PollInterval: time.Hour, BackoffBase: time.Second, BackoffMax: 4 * time.Second,
			HTTPClient: client}, nil, quiet)
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
		defer w.Stop(context.Background())

		for i, wait := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second} {
			synctest.Wait()
			got := loadDelivery(t, app, d.Id)
			if got.Status() != model.DeliveryFailed || got.Attempts() != i+1 ||
				!strings.Contains(got.LastError(), "HTTP 503") || !strings.Contains(got.LastError(), "warming up") {
				t.Fatalf("after attempt %d: status %s attempts %d last error %q", i+1, got.Status(), got.Attempts(), got.LastError())
			}
			if next := got.NextAttemptAt().Time(); !sameTime(next, time.Now().Add(wait)) {
				t.Fatalf("after attempt %d: next attempt %v, want now + %s", i+1, next, wait)
			}
			time.Sleep(wait)
		}
		synctest.Wait()
		got := loadDelivery(t, app, d.Id)
		if got.Status() != model.DeliverySent || got.Attempts() != 4 || !sameTime(got.SentAt().Time(), time.Now()) {
			t.Fatalf("at last: status %s attempts %d sent at %v", got.Status(), got.Attempts(), got.SentAt())
		}
		if !strings.Contains(got.LastError(), "HTTP 503") {
			t.Errorf("the last error is kept as history, got %q", got.LastError())
		}
		mu.Lock()
		defer mu.Unlock()
		if len(ids) != 4 || ids[0] != d.Id || ids[3] != d.Id {
			t.Fatalf("requests %v, want 4 with webhook-id %s", ids, d.Id)
		}
	})
}

// TestWorkerCrashSafety: rows a crash left in sending go back to pending
// at start and are sent; sent rows stay as they are; a row stuck in
// sending while the worker runs is swept up at the next poll.
func TestWorkerCrashSafety(t *testing.T) {
	app := testapp.New(t)
	var mu sync.Mutex
	var ids []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ids = append(ids, r.Header.Get("webhook-id"))
		mu.Unlock()
	}))
	defer srv.Close()
	var stale, stuck *core.Record
	synctest.Test(t, func(t *testing.T) {
		ch := webhookChannel(t, app, "hook", srv.URL, "")
		stale = testapp.Create(t, app, "deliveries", map[string]any{"kind": "webhook", "channel": ch.Id, "status": "sending",
			"title": "interrupted", "next_attempt_at": time.Now().Add(-time.Minute)})
		done := testapp.Create(t, app, "deliveries", map[string]any{"kind": "webhook", "channel": ch.Id, "status": "sent",
			"title": "done", "attempts": 1})
		w := notify.New(app, notify.Config{PollInterval: time.Hour, HTTPClient: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}}, nil, quiet)
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if got := loadDelivery(t, app, stale.Id); got.Status() != model.DeliverySent || got.Attempts() != 1 {
			t.Errorf("interrupted row: status %s attempts %d", got.Status(), got.Attempts())
		}
		if got := loadDelivery(t, app, done.Id); got.Status() != model.DeliverySent || got.Attempts() != 1 {
			t.Errorf("sent row changed: status %s attempts %d", got.Status(), got.Attempts())
		}

		// A row left in sending while the worker runs (its outcome could
		// not be written) goes out again at the next poll.
		stuck = testapp.Create(t, app, "deliveries", map[string]any{"kind": "webhook", "channel": ch.Id, "status": "sending",
			"title": "stuck"})
		synctest.Wait()
		if got := loadDelivery(t, app, stuck.Id); got.Status() != model.DeliverySending {
			t.Fatalf("stuck row: status %s before the poll", got.Status())
		}
		time.Sleep(time.Hour)
		synctest.Wait()
		if got := loadDelivery(t, app, stuck.Id); got.Status() != model.DeliverySent {
			t.Errorf("stuck row: status %s after the poll, want sent", got.Status())
		}
		if err := w.Stop(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	if len(ids) != 2 || ids[0] != stale.Id || ids[1] != stuck.Id {
		t.Fatalf("requests %v, want the interrupted one, then the stuck one, once each", ids)
	}
}

// TestWorkerWake: with an hour between polls, a woken worker sends a new
// in-app delivery at once; one that is not woken waits.
func TestWorkerWake(t *testing.T) {
	app := testapp.New(t)
	user := testapp.Create(t, app, "users", map[string]any{"name": "网格员", "phone": "13800000011",
		"roles": []string{"grid_worker"}, "password": "fengqiao-test"})
	synctest.Test(t, func(t *testing.T) {
		w := notify.New(app, notify.Config{PollInterval: time.Hour}, nil, quiet)
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
		defer w.Stop(context.Background())
		synctest.Wait()
		start := time.Now()
		if _, err := notify.Enqueue(app, notify.Message{Title: "SOS"}, []notify.Recipient{{UserID: user.Id}}, []string{"inapp"}, nil); err != nil {
			t.Fatal(err)
		}
		d := onlyDelivery(t, app)
		synctest.Wait()
		if got := loadDelivery(t, app, d.Id); got.Status() != model.DeliveryPending {
			t.Fatalf("not woken: status %s, want pending until the next poll", got.Status())
		}
		w.Wake()
		synctest.Wait()
		got := loadDelivery(t, app, d.Id)
		if got.Status() != model.DeliverySent || got.Attempts() != 1 || time.Since(start) != 0 {
			t.Fatalf("woken: status %s attempts %d after %s", got.Status(), got.Attempts(), time.Since(start))
		}
	})
}

// TestWorkerDeadDeliveries: what no retry can help ends dead with the
// reason, until staff retry it.
func TestWorkerDeadDeliveries(t *testing.T) {
	app := testapp.New(t)
	var mu sync.Mutex
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits++
		mu.Unlock()
	}))
	defer srv.Close()
	synctest.Test(t, func(t *testing.T) {
		ch := webhookChannel(t, app, "hook", srv.URL, "")
		d := enqueueTo(t, app, "hook")
		ch.Set("disabled", true)
		if err := app.Save(ch); err != nil {
			t.Fatal(err)
		}
		sms := testapp.Create(t, app, "deliveries", map[string]any{"kind": "sms", "target": "13900000001", "status": "pending", "title": "x"})
		w := notify.New(app, notify.Config{PollInterval: time.Hour, HTTPClient: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}}, nil, quiet)
		if err := w.Start(); err != nil {
			t.Fatal(err)
		}
		defer w.Stop(context.Background())
		synctest.Wait()
		for id, reason := range map[string]string{d.Id: `channel "hook" is disabled`, sms.Id: "no enabled sms channel"} {
			got := loadDelivery(t, app, id)
			if got.Status() != model.DeliveryDead || !strings.Contains(got.LastError(), reason) || got.Attempts() != 1 {
				t.Errorf("%s: status %s attempts %d last error %q, want dead: %s", id, got.Status(), got.Attempts(), got.LastError(), reason)
			}
		}
		time.Sleep(24 * time.Hour) // dead rows are not retried by themselves
		synctest.Wait()
		if got := loadDelivery(t, app, d.Id); got.Status() != model.DeliveryDead || got.Attempts() != 1 {
			t.Fatalf("a dead row was retried: status %s attempts %d", got.Status(), got.Attempts())
		}

		// The admin enables the channel again; staff retry.
		ch.Set("disabled", false)
		if err := app.Save(ch); err != nil {
			t.Fatal(err)
		}
		if _, err := notify.Retry(app, d.Id); err != nil {
			t.Fatal(err)
		}
		w.Wake()
		synctest.Wait()
		if got := loadDelivery(t, app, d.Id); got.Status() != model.DeliverySent || got.Attempts() != 2 {
			t.Fatalf("after retry: status %s attempts %d", got.Status(), got.Attempts())
		}
		if _, err := notify.Retry(app, d.Id); !errors.Is(err, notify.ErrAlreadySent) {
			t.Fatalf("retrying a sent delivery: %v", err)
		}
		if _, err := notify.Retry(app, "nosuchdelivery0"); !errors.Is(err, sql.ErrNoRows) {
			t.Fatalf("retrying nothing: %v", err)
		}
	})
	if hits != 1 {
		t.Fatalf("%d requests, want 1", hits)
	}
}
