package notify

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/fengqiao/fengqiao/model"
)

// The outbox's bookkeeping: claiming due rows, recording outcomes,
// releasing rows a crash left in sending, and staff retries.

const maxLastError = 2000

// dbTime is t as PocketBase stores dates, for comparisons in SQL.
func dbTime(t time.Time) string {
	dt, _ := types.ParseDateTime(t)
	return dt.String()
}

// claim marks up to limit due deliveries (pending or failed, next attempt
// not in the future; first attempts first) as sending, in one
// transaction, and returns them.
func claim(app core.App, limit int, now time.Time) ([]*core.Record, error) {
	var claimed []*core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		var rows []*core.Record
		err := tx.RecordQuery(model.CollectionDeliveries).
			AndWhere(dbx.In("status", model.DeliveryPending, model.DeliveryFailed)).
			AndWhere(dbx.NewExp("next_attempt_at <= {:now}", dbx.Params{"now": dbTime(now)})).
			OrderBy("attempts ASC", "next_attempt_at ASC").
			Limit(int64(limit)).
			All(&rows)
		if err != nil {
			return fmt.Errorf("due deliveries: %w", err)
		}
		for _, r := range rows {
			r.Set("status", model.DeliverySending)
			if err := tx.SaveNoValidate(r); err != nil {
				return fmt.Errorf("claim delivery %s: %w", r.Id, err)
			}
		}
		claimed = rows
		return nil
	})
	return claimed, err
}

// nextDue is the earliest next attempt after now of a delivery waiting
// for one.
func nextDue(app core.App, now time.Time) (time.Time, bool, error) {
	var next sql.NullString
	err := app.DB().Select("MIN(next_attempt_at)").From(model.CollectionDeliveries).
		Where(dbx.In("status", model.DeliveryPending, model.DeliveryFailed)).
		AndWhere(dbx.NewExp("next_attempt_at > {:now}", dbx.Params{"now": dbTime(now)})).
		Row(&next)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due delivery: %w", err)
	}
	if !next.Valid || next.String == "" {
		return time.Time{}, false, nil
	}
	dt, err := types.ParseDateTime(next.String)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due delivery: %w", err)
	}
	return dt.Time(), true, nil
}

// outcome is what became of one attempt.
type outcome struct {
	err      error
	now      time.Time
	released bool          // cut short by Stop: back to pending, not an attempt
	retryIn  time.Duration // failed: when to try again
}

// record writes o onto the delivery r.
func record(app core.App, r *core.Record, o outcome) error {
	d := model.AsDelivery(r)
	switch {
	case o.err == nil:
		d.SetStatus(model.DeliverySent)
		d.SetSentAt(o.now)
		d.SetAttempts(d.Attempts() + 1)
	case o.released:
		d.SetStatus(model.DeliveryPending)
		d.SetNextAttemptAt(o.now)
	case isPermanent(o.err):
		d.SetStatus(model.DeliveryDead)
		d.SetAttempts(d.Attempts() + 1)
		d.SetLastError(truncate(o.err.Error(), maxLastError))
	default:
		d.SetStatus(model.DeliveryFailed)
		d.SetAttempts(d.Attempts() + 1)
		d.SetLastError(truncate(o.err.Error(), maxLastError))
		d.SetNextAttemptAt(o.now.Add(o.retryIn))
	}
	if err := app.SaveNoValidate(r); err != nil {
		return fmt.Errorf("save delivery %s: %w", r.Id, err)
	}
	return nil
}

// releaseStale puts the deliveries in sending that are not in flight back
// to pending, due now: at start, those a crash cut off; later, one whose
// outcome could not be written (the database refused it).
func releaseStale(app core.App, now time.Time, inFlight func(id string) bool) (int, error) {
	rows, err := app.FindAllRecords(model.CollectionDeliveries, dbx.HashExp{"status": model.DeliverySending})
	if err != nil {
		return 0, fmt.Errorf("deliveries in sending: %w", err)
	}
	n := 0
	for _, r := range rows {
		if inFlight(r.Id) {
			continue
		}
		n++
		r.Set("status", model.DeliveryPending)
		r.Set("next_attempt_at", now)
		if err := app.SaveNoValidate(r); err != nil {
			return n, fmt.Errorf("release delivery %s: %w", r.Id, err)
		}
	}
	return n, nil
}

// Retry errors.
var (
	// ErrAlreadySent: a sent delivery is not sent again.
	ErrAlreadySent = errors.New("the delivery was already sent")
	// ErrSending: the delivery is being sent right now.
	ErrSending = errors.New("the delivery is being sent right now")
)

// Retry makes a pending, failed or dead delivery due now; its attempts and
// last error stay as a record of what happened. The caller wakes the
// worker. Errors: sql.ErrNoRows (wrapped) for an unknown id,
// ErrAlreadySent, ErrSending.
func Retry(app core.App, id string) (*model.Delivery, error) {
	r, err := app.FindRecordById(model.CollectionDeliveries, id)
	if err != nil {
		return nil, fmt.Errorf("delivery %s: %w", id, err)
	}
	d := model.AsDelivery(r)
	switch d.Status() {
	case model.DeliverySent:
		return d, ErrAlreadySent
	case model.DeliverySending:
		return d, ErrSending
	}
	d.SetStatus(model.DeliveryPending)
	d.SetNextAttemptAt(time.Now())
	if err := app.Save(d); err != nil {
		return d, fmt.Errorf("retry delivery %s: %w", id, err)
	}
	return d, nil
}
