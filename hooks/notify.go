package hooks

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	validation "github.com/go-ozzo/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/notify"
)

const (
	// notifyStopTimeout bounds the wait for sends in flight at shutdown;
	// what is cut short goes back to pending and out at the next start.
	notifyStopTimeout = 5 * time.Second
)

// notifySide is the outbox worker of one app. OnServe starts it (once,
// and only with a real HTTP server: PocketBase's API test scenarios fire
// OnServe without one, and a worker sending their seeded deliveries in the
// background would change what they observe); OnTerminate stops it.
type notifySide struct {
	mu sync.Mutex
	w  *notify.Worker
}

// bindNotify binds the worker's start and stop, the wake-up on every new
// delivery, and the staff endpoint that retries a delivery now.
func bindNotify(app core.App, _ Config) error {
	n := &notifySide{}
	app.OnRecordAfterCreateSuccess(model.CollectionDeliveries).Bind(&hook.Handler[*core.RecordEvent]{
		Id: "fengqiaoNotifyWake",
		Func: func(e *core.RecordEvent) error {
			n.wake() // after the commit: the worker can claim the row
			return e.Next()
		},
	})
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "fengqiaoNotify",
		Func: func(e *core.ServeEvent) error {
			if e.Server != nil {
				if err := n.start(e.App); err != nil {
					return err
				}
			}
			e.Router.POST("/api/fengqiao/deliveries/{id}/retry", n.retry).Bind(apis.RequireAuth())
			return e.Next()
		},
	})
	app.OnTerminate().Bind(&hook.Handler[*core.TerminateEvent]{
		Id: "fengqiaoNotifyStop",
		Func: func(e *core.TerminateEvent) error {
			if err := n.stop(); err != nil {
				e.App.Logger().Warn("notify worker did not stop cleanly", slog.String("error", err.Error()))
			}
			return e.Next()
		},
	})
	return nil
}

func (n *notifySide) start(app core.App) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.w != nil {
		return nil
	}
	w := notify.New(app, notify.DefaultConfig(), brokerPublisher{app: app}, app.Logger())
	if err := w.Start(); err != nil {
		return err
	}
	n.w = w
	app.Logger().Info("notify worker started")
	return nil
}

func (n *notifySide) stop() error {
	n.mu.Lock()
	w := n.w
	n.w = nil
	n.mu.Unlock()
	if w == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), notifyStopTimeout)
	defer cancel()
	return w.Stop(ctx)
}

func (n *notifySide) wake() {
	n.mu.Lock()
	w := n.w
	n.mu.Unlock()
	if w != nil {
		w.Wake()
	}
}

// retry is POST /api/fengqiao/deliveries/{id}/retry (station staff, the secretary
// or a superuser): a failed, dead or waiting delivery is due now.
func (n *notifySide) retry(e *core.RequestEvent) error {
	staff := e.HasSuperuserAuth() ||
		(e.Auth != nil && e.Auth.Collection().Name == model.CollectionUsers && model.AsUser(e.Auth).IsStaffLike())
	if !staff {
		return e.ForbiddenError("Only station staff can retry a delivery.", nil)
	}
	d, err := notify.Retry(e.App, e.Request.PathValue("id"))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return e.NotFoundError("No such delivery.", err)
	case errors.Is(err, notify.ErrAlreadySent), errors.Is(err, notify.ErrSending):
		return e.BadRequestError("The delivery cannot be retried.", validation.Errors{
			"status": validation.NewError("validation_not_retryable", err.Error())})
	case err != nil:
		return e.InternalServerError("Retrying the delivery failed.", err)
	}
	n.wake()
	return e.JSON(http.StatusOK, map[string]any{"id": d.Id, "status": d.Status(), "attempts": d.Attempts(),
		"last_error": d.LastError(), "next_attempt_at": d.NextAttemptAt()})
}
