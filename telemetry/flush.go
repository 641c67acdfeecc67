package telemetry

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/fengqiao/fengqiao/model"
)

// flushChunk is how many records one presence transaction updates, so the
// readings writer (and an SOS in it) gets the write lock between chunks.
// Timed under `make bench-alarms` load, 100 updates held it 1.5 ms on
// average (5.6 ms at most); an SOS behind a chunk waits that out.
const flushChunk = 50

// maxStateBytes keeps last_state well inside its field's 10 kB limit
// (updateDevice repeats the figure).
const maxStateBytes = 8000

// updateDevice applies one device's delta. NULL leaves a field as it is;
// last_state is merged key by key (json_patch) unless the result would
// outgrow the field, in which case the newest keys replace it. It leaves
// "updated" alone: that is when someone last edited the device, which is
// also how Directory.Sync notices edits cheaply.
const updateDevice = `UPDATE devices SET
	online = COALESCE(?1, online),
	remote_addr = COALESCE(?2, remote_addr),
	last_seen = CASE WHEN ?3 > COALESCE(last_seen, '') THEN ?3 ELSE last_seen END,
	battery = COALESCE(?4, battery),
	last_state = CASE
		WHEN ?5 IS NULL THEN last_state
		WHEN length(json_patch(CASE WHEN json_valid(last_state) THEN last_state ELSE '{}' END, ?5)) <= 8000
			THEN json_patch(CASE WHEN json_valid(last_state) THEN last_state ELSE '{}' END, ?5)
		ELSE ?5 END,
	last_error = COALESCE(?6, last_error),
	last_error_at = COALESCE(?7, last_error_at),
	messages = messages + ?8,
	dropped = dropped + ?9
	WHERE id = ?10`

// updateSpace sets a parking space's occupancy only when it changed.
const updateSpace = `UPDATE parking_spaces SET occupied = ?1, changed_at = ?2, updated = ?3
	WHERE id = ?4 AND (occupied != ?1 OR changed_at = '')`

// flushPresence writes pending device state and parking occupancy,
// oldest first, at most budget records (≤ 0: all; the rest waits for the
// next flush, coalescing further). Rows are updated with plain SQL in
// chunked transactions, costing microseconds each where an app.Save costs
// a millisecond; then each changed record is announced through
// PocketBase's after-update event, so realtime subscribers (the Devices
// screen, residents watching free spaces) and record hooks see it as they
// would see a Save. It returns how many records changed.
func (p *Pipeline) flushPresence(budget int) (int, error) {
	devs, spaces := p.presence.take()
	if len(devs) == 0 && len(spaces) == 0 {
		if p.announcer.pending() {
			p.announce(model.CollectionDevices, p.announcer.take(nil, nil, time.Now()))
		}
		return 0, nil
	}
	type item struct {
		id    string
		space bool
		since uint64
	}
	items := make([]item, 0, len(devs)+len(spaces))
	for id, d := range spaces {
		items = append(items, item{id, true, d.since})
	}
	for id, d := range devs {
		items = append(items, item{id, false, d.since})
	}
	slices.SortFunc(items, func(a, b item) int { return int(a.since - b.since) })
	if budget > 0 && len(items) > budget {
		laterDevs, laterSpaces := map[string]*devDelta{}, map[string]*spaceDelta{}
		for _, it := range items[budget:] {
			if it.space {
				laterSpaces[it.id] = spaces[it.id]
			} else {
				laterDevs[it.id] = devs[it.id]
			}
		}
		p.presence.putBack(laterDevs, laterSpaces)
		items = items[:budget]
	}

	var changedDevs, changedSpaces []string
	var errs []error
	now := types.NowDateTime().String()
	for chunk := range slices.Chunk(items, flushChunk) {
		var cd, cs []string
		err := p.inTx(func(tx *sql.Tx) error {
			cd, cs = nil, nil
			devStmt, spaceStmt := tx.Stmt(p.presenceStmts[0]), tx.Stmt(p.presenceStmts[1])
			for _, it := range chunk {
				if it.space {
					s := spaces[it.id]
					res, err := spaceStmt.Exec(s.occupied, dateString(s.at), now, it.id)
					if err != nil {
						return fmt.Errorf("update parking space %s: %w", it.id, err)
					}
					if n, _ := res.RowsAffected(); n > 0 {
						cs = append(cs, it.id)
					}
					continue
				}
				d := devs[it.id]
				if _, err := devStmt.Exec(d.args(it.id)...); err != nil {
					return fmt.Errorf("update device %s: %w", d.clientID, err)
				}
				if d.visible() {
					cd = append(cd, it.id)
				}
			}
			return nil
		})
		if err != nil {
			// Keep the chunk's deltas (counts included) for the next flush.
			back, backSpaces := map[string]*devDelta{}, map[string]*spaceDelta{}
			for _, it := range chunk {
				if it.space {
					backSpaces[it.id] = spaces[it.id]
				} else {
					back[it.id] = devs[it.id]
				}
			}
			p.presence.putBack(back, backSpaces)
			errs = append(errs, err)
			continue
		}
		changedDevs, changedSpaces = append(changedDevs, cd...), append(changedSpaces, cs...)
	}
	due := p.announcer.take(changedDevs, func(id string) bool { return devs[id].urgent() }, time.Now())
	p.announce(model.CollectionDevices, due)
	p.announce(model.CollectionParkingSpaces, changedSpaces)
	p.stats.presenceSaves.Add(int64(len(items)))
	p.stats.presenceFlushes.Add(1)
	return len(changedDevs) + len(changedSpaces), errors.Join(errs...)
}

// args are updateDevice's parameters for this delta.
func (d *devDelta) args(id string) []any {
	a := make([]any, 10)
	if d.onlineSet {
		a[0] = d.online
	}
	if d.remote != "" {
		a[1] = truncate(d.remote, 100)
	}
	a[2] = ""
	if !d.seen.IsZero() {
		a[2] = dateString(d.seen)
	}
	if d.hasBatt {
		a[3] = d.battery
	}
	if d.state != nil {
		if b, err := json.Marshal(d.state); err == nil && len(b) <= maxStateBytes {
			a[4] = string(b)
		} else {
			a[4] = `{"_truncated":true}`
		}
	}
	if d.errMsg != "" {
		a[5], a[6] = truncate(d.errMsg, 1000), dateString(d.errAt)
	}
	a[7], a[8], a[9] = d.messages, d.dropped, id
	return a
}

// visible: the delta changes more than last_seen and the counters, so it
// is worth a realtime announcement.
func (d *devDelta) visible() bool {
	return d.urgent() || d.hasBatt || d.state != nil
}

// urgent: the delta changes what must be announced at once (see
// announcer): the device came or went, moved, or sent something
// unreadable.
func (d *devDelta) urgent() bool {
	return d.onlineSet || d.errMsg != "" || d.remote != ""
}

func dateString(t time.Time) string {
	dt, _ := types.ParseDateTime(t)
	return dt.String()
}

// inTx runs fn in a transaction on the write connection.
func (p *Pipeline) inTx(fn func(*sql.Tx) error) error {
	tx, err := p.db.Begin()
	if err != nil {
		return fmt.Errorf("begin presence batch: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback() // the error that matters is fn's
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit presence batch: %w", err)
	}
	return nil
}

// announce reloads the changed records and fires PocketBase's
// after-update event for each, as a Save would after its commit.
func (p *Pipeline) announce(collection string, ids []string) {
	for chunk := range slices.Chunk(ids, flushChunk) {
		records, err := p.app.FindRecordsByIds(collection, chunk)
		if err != nil {
			p.logger.Warn("presence not announced", slog.String("collection", collection), slog.String("error", err.Error()))
			continue
		}
		for _, r := range records {
			ev := &core.ModelEvent{App: p.app, Context: context.Background(), Type: core.ModelEventTypeUpdate}
			ev.Model = r
			if err := p.app.OnModelAfterUpdateSuccess().Trigger(ev); err != nil {
				p.logger.Warn("presence announcement failed", slog.String("record", r.Id), slog.String("error", err.Error()))
			}
		}
	}
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
