package alarms

import (
	"fmt"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/rules"
)

// indexHorizon is how far back the index remembers closed alarms, for
// cooldowns (rules.MaxCooldown) and for recognising a replayed reading.
const indexHorizon = rules.MaxCooldown

// alarmRef is what the engine keeps of one alarm.
type alarmRef struct {
	id, rule, device, elder, household, grid string
	status, severity, kind, title            string
	count, level                             int
	firstSeen, lastSeen, resolvedAt, ackAt   time.Time
	nextEscalation, snoozedUntil             time.Time
	assigned                                 bool
	// updated orders the states of one alarm: an older state arriving
	// late (the engine's own look after a commit, racing a person's
	// resolve seen through the hook) must not overwrite a newer one.
	updated time.Time
}

func (r *alarmRef) open() bool { return r.status != model.AlarmResolved }

func refOf(rec *core.Record) *alarmRef {
	a := model.AsAlarm(rec)
	return &alarmRef{id: rec.Id, rule: a.Rule(), device: a.Device(), elder: a.Elder(), household: a.Household(),
		grid: a.Grid(), status: a.Status(), severity: a.Severity(), kind: a.Kind(), title: a.Title(),
		count: a.Count(), level: a.EscalationLevel(), firstSeen: a.FirstSeen().Time(), lastSeen: a.LastSeen().Time(),
		resolvedAt: a.ResolvedAt().Time(), ackAt: a.AcknowledgedAt().Time(),
		nextEscalation: a.NextEscalationAt().Time(), snoozedUntil: a.SnoozedUntil().Time(), assigned: a.Assignee() != "",
		updated: rec.GetDateTime("updated").Time()}
}

// rulesAlarm is the alarm as alarm rules see it.
func (r *alarmRef) rulesAlarm(ruleKey string) rules.Alarm {
	return rules.Alarm{ID: r.id, Rule: ruleKey, Kind: r.kind, Severity: r.severity, Status: r.status,
		Title: r.title, Count: r.count, FirstSeen: r.firstSeen, LastSeen: r.lastSeen, AcknowledgedAt: r.ackAt,
		EscalationLevel: r.level, Assigned: r.assigned}
}

func alarmKey(rule, device string) string { return rule + "|" + device }

// alarmIndex holds every open alarm and, per (rule, device), the latest
// alarm (open or not, within indexHorizon). It is the engine's dedupe and
// cooldown memory and follows every alarm change (ObserveAlarm). Safe for
// concurrent use.
type alarmIndex struct {
	mu     sync.Mutex
	latest map[string]*alarmRef // alarmKey → latest alarm
	open   map[string]*alarmRef // id → open alarm
}

func newAlarmIndex() *alarmIndex {
	return &alarmIndex{latest: map[string]*alarmRef{}, open: map[string]*alarmRef{}}
}

// load fills the index from the open alarms and those seen since
// now-indexHorizon.
func (x *alarmIndex) load(app core.App, now time.Time) error {
	since, err := types.ParseDateTime(now.Add(-indexHorizon))
	if err != nil {
		return err
	}
	var records []*core.Record
	err = app.RecordQuery(model.CollectionAlarms).
		AndWhere(dbx.NewExp("status != 'resolved' OR last_seen > {:since}", dbx.Params{"since": since.String()})).
		OrderBy("first_seen ASC", "id ASC").All(&records)
	if err != nil {
		return fmt.Errorf("load alarms: %w", err)
	}
	x.mu.Lock()
	x.latest, x.open = map[string]*alarmRef{}, map[string]*alarmRef{}
	x.mu.Unlock()
	for _, r := range records {
		x.put(refOf(r))
	}
	return nil
}

// put applies an alarm's new state and returns its previous one (nil if
// the index did not hold it). A state older than the one held (by its
// updated time) is ignored; an update never moves last_seen back: the
// engine's pending repeats are ahead of the database.
func (x *alarmIndex) put(ref *alarmRef) (prev *alarmRef) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if old := x.open[ref.id]; old != nil {
		prev = old
	} else if ref.rule != "" {
		if old := x.latest[alarmKey(ref.rule, ref.device)]; old != nil && old.id == ref.id {
			prev = old
		}
	}
	if prev != nil && ref.updated.Before(prev.updated) {
		return prev // stale
	}
	if prev != nil && prev.lastSeen.After(ref.lastSeen) {
		ref.lastSeen = prev.lastSeen
	}
	if ref.open() {
		x.open[ref.id] = ref
	} else {
		delete(x.open, ref.id)
	}
	if ref.rule != "" {
		k := alarmKey(ref.rule, ref.device)
		if cur := x.latest[k]; cur == nil || cur.id == ref.id || !ref.firstSeen.Before(cur.firstSeen) {
			x.latest[k] = ref
		}
	}
	return prev
}

// remove forgets a deleted alarm.
func (x *alarmIndex) remove(id string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	delete(x.open, id)
	for k, r := range x.latest {
		if r.id == id {
			delete(x.latest, k)
		}
	}
}

// last returns a copy of the latest alarm of (rule, device).
func (x *alarmIndex) last(rule, device string) (alarmRef, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	r := x.latest[alarmKey(rule, device)]
	if r == nil {
		return alarmRef{}, false
	}
	return *r, true
}

// repeat moves an open alarm's last_seen to t and adds one to its count
// in memory (the flush writes it).
func (x *alarmIndex) repeat(id string, t time.Time) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if r := x.open[id]; r != nil {
		r.count++
		if t.After(r.lastSeen) {
			r.lastSeen = t
		}
	}
}

// openAlarms returns copies of the open alarms.
func (x *alarmIndex) openAlarms() []alarmRef {
	x.mu.Lock()
	defer x.mu.Unlock()
	out := make([]alarmRef, 0, len(x.open))
	for _, r := range x.open {
		out = append(out, *r)
	}
	return out
}

// get returns a copy of an open alarm.
func (x *alarmIndex) get(id string) (alarmRef, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	r := x.open[id]
	if r == nil {
		return alarmRef{}, false
	}
	return *r, true
}
