package alarms

import (
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
)

// timerChunk is how many timer rows one transaction writes, so the
// readings writer (and an SOS in it) gets the database between chunks:
// timed under `make bench-alarms` load, 256 upserts held it 12 ms, so 32
// hold it about 1.5 ms.
const timerChunk = 32

// batch is the state one flush writes. Timers and the cursor are taken
// only by a full flush (every CursorInterval, and at Stop).
type batch struct {
	full    bool
	timers  []timer
	marks   []mark
	gone    []string
	stats   map[string]*ruleStat
	reps    map[string]*repeatAcc
	cursor  time.Time
	advance bool
}

func (b *batch) empty() bool {
	return len(b.timers) == 0 && len(b.marks) == 0 && len(b.gone) == 0 && len(b.stats) == 0 &&
		len(b.reps) == 0 && !b.advance
}

// flushLoop writes the batched state every FlushInterval, and timers and
// the cursor every CursorInterval, until stop.
func (e *Engine) flushLoop(stop <-chan struct{}) {
	t := time.NewTicker(e.cfg.FlushInterval)
	defer t.Stop()
	lastFull := time.Now()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			full := time.Since(lastFull) >= e.cfg.CursorInterval
			if full {
				lastFull = time.Now()
			}
			if err := e.flushOnce(full); err != nil {
				e.logger().Error("alarm engine flush failed; retrying", slog.String("error", err.Error()))
			}
			e.maybeCatchUp(stop)
		}
	}
}

// flush writes everything batched, timers and cursor included.
func (e *Engine) flush() error { return e.flushOnce(true) }

// flushOnce writes the repeats, rule statistics and alarm-rule marks
// gathered since the last flush; a full flush also writes the timer
// resets (in chunks) and then the cursor. The cursor is written last, so
// the state of every reading up to it is on disk before it is. On failure
// everything is kept for the next flush.
func (e *Engine) flushOnce(full bool) error {
	var seam SeamStats
	if e.cfg.Seam != nil {
		seam = e.cfg.Seam()
	}
	e.mu.Lock()
	b := e.takeBatchLocked(seam, full)
	e.mu.Unlock()
	if b.empty() {
		return nil
	}
	err := e.writeBatch(b)
	e.mu.Lock()
	defer e.mu.Unlock()
	if err != nil {
		e.putBackLocked(b)
		return err
	}
	if b.advance && b.cursor.After(e.cur.persisted) {
		e.cur.persisted = b.cursor
	}
	e.counter.prune(time.Now())
	for k, t := range e.fires {
		if time.Since(t) > indexHorizon {
			delete(e.fires, k)
		}
	}
	return nil
}

// takeBatchLocked collects what is dirty; e.mu is held.
func (e *Engine) takeBatchLocked(seam SeamStats, full bool) *batch {
	b := &batch{full: full, stats: e.stats, reps: e.reps}
	e.stats, e.reps = map[string]*ruleStat{}, map[string]*repeatAcc{}
	e.cur.observe(seam)
	if full {
		b.cursor, b.advance = e.cur.next(seam)
		for _, tm := range e.timers {
			if tm.dirty {
				b.timers = append(b.timers, *tm)
				tm.dirty = false
			}
		}
	}
	for _, m := range e.marks {
		if m.dirty {
			b.marks = append(b.marks, *m)
			m.dirty = false
		}
	}
	for k := range e.gone {
		b.gone = append(b.gone, k)
	}
	clear(e.gone)
	return b
}

// putBackLocked keeps a failed batch for the next flush; e.mu is held.
// (Chunks written before the failure are written again: harmless.)
func (e *Engine) putBackLocked(b *batch) {
	for _, tm := range b.timers {
		if cur := e.timers[alarmKey(tm.rule, tm.device)]; cur != nil {
			cur.dirty = true
		}
	}
	for _, m := range b.marks {
		if cur := e.marks[alarmKey(m.rule, m.alarm)]; cur != nil {
			cur.dirty = true
		}
	}
	for _, k := range b.gone {
		if e.timers[k] == nil && e.marks[k] == nil {
			e.gone[k] = true
		}
	}
	for id, s := range b.stats {
		e.statLocked(id).merge(s)
	}
	for id, r := range b.reps {
		acc := e.reps[id]
		if acc == nil {
			e.reps[id] = r
			continue
		}
		acc.n += r.n
		if r.last.After(acc.last) {
			acc.last = r.last
		}
	}
}

// writeBatch writes one batch: the small state in one transaction, the
// timers in chunks, the cursor last.
func (e *Engine) writeBatch(b *batch) error {
	now := dbDate(time.Now())
	err := e.app.RunInTransaction(func(tx core.App) error {
		for _, m := range b.marks {
			if err := upsertTimer(tx, timerParams(m.rule, m.alarm, model.TimerAlarm, m.at, time.Time{}, true, false), now); err != nil {
				return err
			}
		}
		for _, k := range b.gone {
			rule, subject, _ := strings.Cut(k, "|")
			_, err := tx.DB().Delete(model.CollectionAlarmTimers, dbx.HashExp{"rule": rule, "subject": subject}).Execute()
			if err != nil {
				return fmt.Errorf("delete alarm timer: %w", err)
			}
		}
		if err := writeStats(tx, b.stats); err != nil {
			return err
		}
		return writeRepeats(tx, b.reps)
	})
	if err != nil || !b.full {
		return err
	}
	book := e.book.Load()
	for i := 0; i < len(b.timers); i += timerChunk {
		chunk := b.timers[i:min(i+timerChunk, len(b.timers))]
		err := e.app.RunInTransaction(func(tx core.App) error {
			for _, tm := range chunk {
				var due time.Time
				if c := book.byID[tm.rule]; c != nil && !tm.fired && !tm.suspended {
					due = c.SilenceDeadline(tm.last)
				}
				if err := upsertTimer(tx, timerParams(tm.rule, tm.device, model.TimerSilence, tm.last, due, tm.fired, tm.suspended), now); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if b.advance {
		return saveCursor(e.app, b.cursor, now)
	}
	return nil
}

// upsertTimer writes one alarm_timers row. Raw SQL: the engine's
// bookkeeping needs no validation, hooks or realtime, and thousands of
// resets a second must stay cheap.
func upsertTimer(tx core.App, p dbx.Params, now string) error {
	p["id"], p["now"] = core.GenerateDefaultRandomId(), now
	_, err := tx.DB().NewQuery(`INSERT INTO alarm_timers (id, rule, subject, kind, last_at, due_at, fired, suspended, created, updated)
		VALUES ({:id}, {:rule}, {:subject}, {:kind}, {:last}, {:due}, {:fired}, {:suspended}, {:now}, {:now})
		ON CONFLICT (rule, subject) DO UPDATE SET kind = excluded.kind, last_at = excluded.last_at,
		due_at = excluded.due_at, fired = excluded.fired, suspended = excluded.suspended, updated = excluded.updated`).
		Bind(p).Execute()
	if err != nil {
		return fmt.Errorf("save alarm timer: %w", err)
	}
	return nil
}

// writeRepeats adds the repeats to their alarms, through Save so that
// boards see the count change live. A repeat of an alarm someone has
// acknowledged (pressed again!) is logged.
func writeRepeats(tx core.App, reps map[string]*repeatAcc) error {
	for id, acc := range reps {
		r, err := tx.FindRecordById(model.CollectionAlarms, id)
		if err != nil {
			continue // deleted since
		}
		a := model.AsAlarm(r)
		applyRepeats(a, acc)
		if err := tx.Save(a); err != nil {
			return fmt.Errorf("alarm %s repeats: %w", id, err)
		}
		if s := a.Status(); s == model.AlarmAcknowledged || s == model.AlarmSnoozed {
			data := map[string]any{"repeats": acc.n, "last_seen": acc.last.UTC()}
			if err := appendEvent(tx, a, model.AlarmEventRepeat, Actor{}, s, s, "", data); err != nil {
				return err
			}
		}
	}
	return nil
}
