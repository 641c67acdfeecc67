package alarms

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
)

// cursorKey is the alarm_engine_state row of the replay cursor.
const cursorKey = "cursor"

// cursorState tracks which readings have been handled, so the persisted
// cursor only ever names a reading time up to which every reading went
// through the rules (live, or by a replay).
//
// The pipeline's seam hands events on in commit order through two FIFO
// queues, urgent (SOS buttons, unreadable messages) first. When a normal
// event is handled, every normal event committed before it was handled
// (or dropped: the drop counter says so) and the urgent queue was empty.
// So the time of the last normal event handled is safe; the last event of
// any kind is safe when nothing waits in the seam. Readings committed a
// moment out of time order are covered by replaying from the cursor less
// Config.Slack.
type cursorState struct {
	persisted  time.Time // stored: replays start from here
	lastNormal time.Time // last normal event handled live
	lastAny    time.Time // last event of either queue handled live
	drops      int64     // the seam's drop count last seen
	// seenNormal is lastNormal when the drop count was last looked at:
	// events dropped since were offered after it was handled.
	seenNormal time.Time
	// need is when a catch-up replay should start (zero: none needed);
	// running is set while one runs, from runningFrom.
	need        time.Time
	running     bool
	runningFrom time.Time
	// slack is Config.Slack: replays start this much before a time.
	slack time.Duration
}

// handled notes a live event handled.
func (c *cursorState) handled(t time.Time, urgent bool) {
	if !urgent && t.After(c.lastNormal) {
		c.lastNormal = t
	}
	if t.After(c.lastAny) {
		c.lastAny = t
	}
}

// failed notes an event whose handling failed (the database refused the
// alarm): it is replayed by the next catch-up.
func (c *cursorState) failed(t time.Time) { c.requestFrom(t.Add(-c.slack)) }

// requestFrom asks for a catch-up replay from t.
func (c *cursorState) requestFrom(t time.Time) {
	if c.need.IsZero() || t.Before(c.need) {
		c.need = t
	}
}

// observe notes the seam's drop count (every flush). Events dropped since
// the last look were offered after the normal event handled last then
// (and after the stored cursor), so a catch-up replay from a little
// before the later of the two is asked for: a short window, not
// everything since the cursor.
func (c *cursorState) observe(seam SeamStats) {
	if seam.Dropped > c.drops {
		c.drops = seam.Dropped
		from := c.persisted
		if c.seenNormal.After(from) {
			from = c.seenNormal
		}
		c.requestFrom(from.Add(-c.slack))
	}
	c.seenNormal = c.lastNormal
}

// next returns the cursor to store now, given the seam's state; ok is
// false when it does not move. It is the last normal event handled (the
// last of any kind when nothing waits in the seam), held back to where a
// catch-up due or running starts: every reading before it was handled.
func (c *cursorState) next(seam SeamStats) (time.Time, bool) {
	c.observe(seam)
	cand := c.lastNormal
	if seam.Depth == 0 && c.lastAny.After(cand) {
		cand = c.lastAny
	}
	if !c.need.IsZero() && c.need.Before(cand) {
		cand = c.need
	}
	if c.running && c.runningFrom.Before(cand) {
		cand = c.runningFrom
	}
	if !cand.After(c.persisted) {
		return c.persisted, false
	}
	return cand, true
}

// start marks a catch-up from the pending need as running and returns
// its start (zero: none needed or one runs already).
func (c *cursorState) start() time.Time {
	if c.need.IsZero() || c.running {
		return time.Time{}
	}
	from := c.need
	c.need, c.running, c.runningFrom = time.Time{}, true, from
	return from
}

// done marks the running catch-up finished; a failed one is asked for
// again.
func (c *cursorState) done(from time.Time, failed bool) {
	c.running, c.runningFrom = false, time.Time{}
	if failed {
		c.requestFrom(from)
	}
}

// readingTime is a reading's time: what the broker read it at. The
// pipeline's reading ids start with that time (10 base-36 digits of Unix
// microseconds); the same moment is then found live and in a replay, which
// keeps replays idempotent. An id that does not decode to a time within a
// minute of fallback (a reading saved by other code with a random id)
// gives fallback.
func readingTime(id string, fallback time.Time) time.Time {
	if len(id) != 15 {
		return fallback
	}
	var us int64
	for i := 0; i < 10; i++ {
		c := id[i]
		var d int64
		switch {
		case c >= '0' && c <= '9':
			d = int64(c - '0')
		case c >= 'a' && c <= 'z':
			d = int64(c-'a') + 10
		default:
			return fallback
		}
		us = us*36 + d
	}
	t := time.UnixMicro(us)
	if fallback.IsZero() {
		return t
	}
	if diff := t.Sub(fallback); diff > time.Minute || diff < -time.Minute {
		return fallback
	}
	return t
}

// saveCursor stores the cursor.
func saveCursor(tx core.App, at time.Time, now string) error {
	data, _ := json.Marshal(map[string]any{"at": at.UTC().Format(time.RFC3339Nano)})
	_, err := tx.DB().NewQuery(`INSERT INTO alarm_engine_state (id, key, at, data, created, updated)
		VALUES ({:id}, {:key}, {:at}, {:data}, {:now}, {:now})
		ON CONFLICT (key) DO UPDATE SET at = excluded.at, data = excluded.data, updated = excluded.updated`).
		Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "key": cursorKey, "at": dbDate(at),
			"data": string(data), "now": now}).Execute()
	if err != nil {
		return fmt.Errorf("save replay cursor: %w", err)
	}
	return nil
}

// loadCursorLocked reads the stored cursor and asks for the start-up
// replay from it. A new appliance has none: its cursor starts when the
// engine was created (before the pipeline could store anything), and is
// stored at once so that a crash before the first flush loses nothing.
func (e *Engine) loadCursorLocked() error {
	var row struct {
		Data string `db:"data"`
	}
	err := e.app.DB().Select("data").From(model.CollectionAlarmEngineState).
		Where(dbx.HashExp{"key": cursorKey}).One(&row)
	if errors.Is(err, sql.ErrNoRows) {
		e.cur.persisted = e.created
		e.cur.requestFrom(e.created)
		return saveCursor(e.app, e.created, dbDate(time.Now()))
	}
	if err != nil {
		return fmt.Errorf("load replay cursor: %w", err)
	}
	var d struct {
		At time.Time `json:"at"`
	}
	if err := json.Unmarshal([]byte(row.Data), &d); err != nil || d.At.IsZero() {
		return fmt.Errorf("replay cursor %q unreadable: %v", row.Data, err)
	}
	e.cur.persisted = d.At
	e.cur.requestFrom(d.At.Add(-e.cfg.Slack))
	return nil
}
