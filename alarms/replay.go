package alarms

import (
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/fengqiao/fengqiao/model"
)

// replayPage is how many readings one replay query reads.
const replayPage = 500

var errStopped = errors.New("alarm engine stopping")

// readingRow is a readings row as the replay reads it.
type readingRow struct {
	ID      string `db:"id"`
	Device  string `db:"device"`
	Topic   string `db:"topic"`
	Data    string `db:"data"`
	Created string `db:"created"`
}

// replay runs the readings created in [from, until] through the rules,
// in (created, id) order, with Now = each reading's time, exactly as if
// they were handled live. Handling is idempotent (see the package
// documentation), so readings handled before change nothing; those up to
// the stored cursor are not counted in the rules' statistics again. A
// reading whose handling fails is logged and not retried (a replay that
// failed the same way each time would never end); an error means the
// replay itself stopped.
func (e *Engine) replay(stop <-chan struct{}, from, until time.Time) (int, error) {
	e.mu.Lock()
	counted := e.cur.persisted
	e.mu.Unlock()
	created, lastID := dbDate(from), ""
	end := dbDate(until)
	n := 0
	for {
		select {
		case <-stop:
			return n, errStopped
		default:
		}
		var rows []readingRow
		err := e.app.DB().Select("id", "device", "topic", "data", "created").From(model.CollectionReadings).
			Where(dbx.NewExp("(created > {:c} OR (created = {:c} AND id > {:id})) AND created <= {:end}",
				dbx.Params{"c": created, "id": lastID, "end": end})).
			OrderBy("created ASC", "id ASC").Limit(replayPage).All(&rows)
		if err != nil {
			return n, err
		}
		for _, row := range rows {
			m := messageOf(row)
			m.seen = !m.at.After(counted)
			e.mu.Lock()
			err := e.processLocked(m)
			e.mu.Unlock()
			if err != nil {
				e.logger().Error("replayed reading failed", slog.String("reading", row.ID), slog.String("error", err.Error()))
			}
			n++
		}
		if len(rows) < replayPage {
			return n, nil
		}
		created, lastID = rows[len(rows)-1].Created, rows[len(rows)-1].ID
	}
}

// messageOf reads a stored reading back into the message the pipeline
// handed on. An SOS button's unreadable message is stored as
// {"unreadable": reason, "detail", "raw_base64", "raw_bytes"}.
func messageOf(row readingRow) message {
	createdAt := time.Time{}
	if d, err := types.ParseDateTime(row.Created); err == nil {
		createdAt = d.Time()
	}
	m := message{device: row.Device, topic: row.Topic, at: readingTime(row.ID, createdAt), reading: row.ID}
	var data map[string]any
	if err := json.Unmarshal([]byte(row.Data), &data); err != nil {
		m.unreadable, m.reason = true, "not_object"
		return m
	}
	reason, isStr := data["unreadable"].(string)
	if _, raw := data["raw_base64"]; isStr && raw {
		m.unreadable, m.reason, m.stored = true, reason, data
		return m
	}
	m.payload = data
	return m
}

// startupReplay replays what the engine missed while it was not running.
// It reports false when the engine stopped meanwhile.
func (e *Engine) startupReplay(stop <-chan struct{}) bool {
	e.mu.Lock()
	from := e.cur.start()
	e.mu.Unlock()
	if from.IsZero() {
		return true
	}
	if err := e.warmCounter(from); err != nil {
		e.logger().Warn("count() starts empty", slog.String("error", err.Error()))
	}
	start := time.Now()
	n, err := e.replay(stop, from, start.Add(e.cfg.Slack))
	e.mu.Lock()
	e.cur.done(from, err != nil && !errors.Is(err, errStopped))
	e.mu.Unlock()
	if errors.Is(err, errStopped) {
		return false
	}
	if err != nil {
		e.logger().Error("start-up replay incomplete; retrying", slog.Int("readings", n), slog.String("error", err.Error()))
	} else if n > 0 {
		e.logger().Info("start-up replay done", slog.Int("readings", n), slog.Time("from", from),
			slog.Duration("took", time.Since(start)))
	}
	return true
}

// maybeCatchUp starts a catch-up replay when one was asked for (the seam
// dropped events, or handling failed) and none runs.
func (e *Engine) maybeCatchUp(stop <-chan struct{}) {
	e.mu.Lock()
	from := e.cur.start()
	e.mu.Unlock()
	if from.IsZero() {
		return
	}
	e.done.Add(1) // flushLoop holds a count: Stop's Wait cannot be at zero
	go func() {
		defer e.done.Done()
		start := time.Now()
		n, err := e.replay(stop, from, start.Add(e.cfg.Slack))
		e.mu.Lock()
		e.cur.done(from, err != nil && !errors.Is(err, errStopped))
		e.mu.Unlock()
		e.logger().Warn("catch-up replay after dropped or failed events", slog.Int("readings", n), slog.Time("from", from),
			slog.Duration("took", time.Since(start)), slog.Any("error", err))
	}()
}
