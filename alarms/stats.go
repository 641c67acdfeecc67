package alarms

import (
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// ruleStat is what happened to one rule since the last flush: the
// bookkeeping the rules page shows (hits, last hit, errors, last error).
type ruleStat struct {
	hits, errors int
	lastHit      time.Time
	lastErr      string
	lastErrAt    time.Time
}

func (s *ruleStat) hit(at time.Time) {
	s.hits++
	if at.After(s.lastHit) {
		s.lastHit = at
	}
}

func (s *ruleStat) failed(err error, at time.Time) {
	s.errors++
	s.lastErr, s.lastErrAt = truncate(err.Error(), 2000), at
}

// merge adds o (a flush that failed) back into s.
func (s *ruleStat) merge(o *ruleStat) {
	s.hits += o.hits
	s.errors += o.errors
	if o.lastHit.After(s.lastHit) {
		s.lastHit = o.lastHit
	}
	if s.lastErr == "" {
		s.lastErr, s.lastErrAt = o.lastErr, o.lastErrAt
	}
}

// statLocked returns the rule's accumulator; e.mu is held.
func (e *Engine) statLocked(id string) *ruleStat {
	s := e.stats[id]
	if s == nil {
		s = &ruleStat{}
		e.stats[id] = s
	}
	return s
}

// writeStats adds the counts to the rules rows. It writes the columns
// directly: the engine's bookkeeping is not an edit of the rule (no
// validation, no hooks, no realtime storm).
func writeStats(tx core.App, stats map[string]*ruleStat) error {
	for id, s := range stats {
		set := "hits = hits + {:hits}, errors = errors + {:errors}"
		params := dbx.Params{"id": id, "hits": s.hits, "errors": s.errors}
		if !s.lastHit.IsZero() {
			set += ", last_hit_at = {:lastHit}"
			params["lastHit"] = dbDate(s.lastHit)
		}
		if s.lastErr != "" {
			set += ", last_error = {:lastErr}, last_error_at = {:lastErrAt}"
			params["lastErr"], params["lastErrAt"] = s.lastErr, dbDate(s.lastErrAt)
		}
		if _, err := tx.DB().NewQuery("UPDATE rules SET " + set + " WHERE id = {:id}").Bind(params).Execute(); err != nil {
			return fmt.Errorf("rule statistics: %w", err)
		}
	}
	return nil
}

// dbDate is a time as PocketBase stores dates.
func dbDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d, _ := types.ParseDateTime(t) // a time.Time always parses
	return d.String()
}
