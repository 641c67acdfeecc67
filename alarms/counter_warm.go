package alarms

import (
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"

	"github.com/fengqiao/fengqiao/model"
)

// Warm-up of count() after a start: the readings of counterWarmReadings
// before the replay (at most counterWarmRows of them) and the alarms of
// counterRetention. Only when a rule in force uses count().
const (
	counterWarmReadings = time.Hour
	counterWarmRows     = 200_000
)

// usesCount reports whether a rule in force calls count().
func (b *rulebook) usesCount() bool {
	for _, c := range b.set.Rules() {
		r := c.Rule
		for _, s := range []string{r.Condition, r.ResetCondition, r.ClearCondition, string(r.Actions)} {
			if strings.Contains(s, "count(") {
				return true
			}
		}
	}
	return false
}

// warmCounter refills count()'s memory from what is stored: the flags of
// the readings just before until (the replay then adds the rest) and the
// kinds of recent alarms (one event per alarm: repeats before the start
// are not counted).
func (e *Engine) warmCounter(until time.Time) error {
	if !e.book.Load().usesCount() {
		return nil
	}
	var rows []readingRow
	err := e.app.DB().Select("id", "device", "topic", "data", "created").From(model.CollectionReadings).
		Where(dbx.NewExp("created >= {:from} AND created < {:until}",
			dbx.Params{"from": dbDate(until.Add(-counterWarmReadings)), "until": dbDate(until)})).
		OrderBy("created DESC").Limit(counterWarmRows).All(&rows)
	if err != nil {
		return fmt.Errorf("warm count(): readings: %w", err)
	}
	for _, row := range rows {
		m := messageOf(row)
		e.counter.recordPayload(e.subjectOfDevice(m.device), m.payload, m.unreadable, m.at)
	}
	var alarms []struct {
		Device    string `db:"device"`
		Kind      string `db:"kind"`
		FirstSeen string `db:"first_seen"`
	}
	err = e.app.DB().Select("device", "kind", "first_seen").From(model.CollectionAlarms).
		Where(dbx.NewExp("kind != '' AND first_seen >= {:from}", dbx.Params{"from": dbDate(until.Add(-counterRetention))})).
		All(&alarms)
	if err != nil {
		return fmt.Errorf("warm count(): alarms: %w", err)
	}
	for _, a := range alarms {
		e.counter.record(e.subjectOfDevice(a.Device), a.Kind, parseDBDate(a.FirstSeen))
	}
	return nil
}

// subjectOfDevice is count()'s subject for a device: its elder, else it.
func (e *Engine) subjectOfDevice(device string) string {
	elder, _, _ := e.ctx.ids(device)
	if elder != "" {
		return "e:" + elder
	}
	return "d:" + device
}
