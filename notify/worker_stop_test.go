package notify_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/internal/testapp"
	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/notify"
)

// gate is an HTTP transport whose requests wait until the test answers
// them, or until they are cancelled.
type gate struct {
	entered chan string // webhook-id of a request that arrived
	release chan int    // the status to answer with
}

func newGate() *gate { return &gate{entered: make(chan string, 8), release: make(chan int)} }

func (g *gate) RoundTrip(r *http.Request) (*http.Response, error) {
	g.entered <- r.Header.Get("webhook-id")
	select {
	case status := <-g.release:
		return &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
}

func gatedWorker(app core.App, g *gate) *notify.Worker {
	return notify.New(app, notify.Config{PollInterval: time.Hour, HTTPClient: &http.Client{Transport: g}}, nil, quiet)
}

// TestWorkerStopMidSend: Stop waits for a send in flight; when its time
// runs out first, the send is cut short and the row goes back to pending,
// and the next worker sends it. Either way nothing is lost.
func TestWorkerStopMidSend(t *testing.T) {
	t.Run("the send finishes", func(t *testing.T) {
		app := testapp.New(t)
		synctest.Test(t, func(t *testing.T) {
			g := newGate()
			webhookChannel(t, app, "hook", "http://fengqiao.invalid/hook", "")
			d := enqueueTo(t, app, "hook")
			w := gatedWorker(app, g)
			if err := w.Start(); err != nil {
				t.Fatal(err)
			}
			<-g.entered
			if got := loadDelivery(t, app, d.Id); got.Status() != model.DeliverySending {
				t.Fatalf("in flight: status %s, want sending", got.Status())
			}
			stopped := make(chan error, 1)
			go func() { stopped <- w.Stop(context.Background()) }()
			synctest.Wait()
			select {
			case err := <-stopped:
				t.Fatalf("Stop returned (%v) while a send was in flight", err)
			default:
			}
			g.release <- http.StatusOK
			if err := <-stopped; err != nil {
				t.Fatal(err)
			}
			if got := loadDelivery(t, app, d.Id); got.Status() != model.DeliverySent {
				t.Fatalf("after stop: status %s, want sent", got.Status())
			}
		})
	})
	t.Run("the send is cut short", func(t *testing.T) {
		app := testapp.New(t)
		synctest.Test(t, func(t *testing.T) {
			g := newGate()
			webhookChannel(t, app, "hook", "http://fengqiao.invalid/hook", "")
			d := enqueueTo(t, app, "hook")
			w := gatedWorker(app, g)
			if err := w.Start(); err != nil {
				t.Fatal(err)
			}
			<-g.entered
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := w.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Stop: %v, want the deadline", err)
			}
			got := loadDelivery(t, app, d.Id)
			if got.Status() != model.DeliveryPending || got.Attempts() != 0 || got.NextAttemptAt().Time().After(time.Now()) {
				t.Fatalf("released row: status %s attempts %d next %v", got.Status(), got.Attempts(), got.NextAttemptAt())
			}
			if err := w.Stop(context.Background()); err != nil {
				t.Fatalf("second Stop: %v", err)
			}
			if err := w.Start(); err == nil {
				t.Fatal("a stopped worker started again")
			}

			next := gatedWorker(app, g)
			if err := next.Start(); err != nil {
				t.Fatal(err)
			}
			if id := <-g.entered; id != d.Id {
				t.Fatalf("next worker sent %s, want %s", id, d.Id)
			}
			g.release <- http.StatusOK
			synctest.Wait()
			if got := loadDelivery(t, app, d.Id); got.Status() != model.DeliverySent || got.Attempts() != 1 {
				t.Fatalf("next worker: status %s attempts %d", got.Status(), got.Attempts())
			}
			if err := next.Stop(context.Background()); err != nil {
				t.Fatal(err)
			}
		})
	})
}
