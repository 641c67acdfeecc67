package model

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Alarm statuses (alarms.status). An alarm is open until resolved.
const (
	AlarmActive       = "active"
	AlarmAcknowledged = "acknowledged"
	AlarmSnoozed      = "snoozed"
	AlarmResolved     = "resolved"
)

var _ core.RecordProxy = (*Alarm)(nil)

// Alarm is one alarm: raised by a rule for a device (or by hand), deduped
// per (rule, device) while open, escalated until acknowledged. Its state
// changes only through the alarm engine (alarms package), which logs each
// in alarm_events.
type Alarm struct {
	core.BaseRecordProxy
}

// NewAlarm returns a blank alarm.
func NewAlarm(app core.App) (*Alarm, error) {
	r, err := newRecord(app, CollectionAlarms)
	if err != nil {
		return nil, err
	}
	return AsAlarm(r), nil
}

// AsAlarm wraps an alarms record.
func AsAlarm(r *core.Record) *Alarm {
	a := &Alarm{}
	a.SetProxyRecord(r)
	return a
}

func (a *Alarm) Rule() string          { return a.GetString("rule") }
func (a *Alarm) SetRule(v string)      { a.Set("rule", v) }
func (a *Alarm) Device() string        { return a.GetString("device") }
func (a *Alarm) SetDevice(v string)    { a.Set("device", v) }
func (a *Alarm) Elder() string         { return a.GetString("elder") }
func (a *Alarm) SetElder(v string)     { a.Set("elder", v) }
func (a *Alarm) Household() string     { return a.GetString("household") }
func (a *Alarm) SetHousehold(v string) { a.Set("household", v) }
func (a *Alarm) Grid() string          { return a.GetString("grid") }
func (a *Alarm) SetGrid(v string)      { a.Set("grid", v) }
func (a *Alarm) Severity() string      { return a.GetString("severity") }
func (a *Alarm) SetSeverity(v string)  { a.Set("severity", v) }
func (a *Alarm) Kind() string          { return a.GetString("kind") }
func (a *Alarm) SetKind(v string)      { a.Set("kind", v) }
func (a *Alarm) Title() string         { return a.GetString("title") }
func (a *Alarm) SetTitle(v string)     { a.Set("title", v) }
func (a *Alarm) Status() string        { return a.GetString("status") }
func (a *Alarm) SetStatus(v string)    { a.Set("status", v) }
func (a *Alarm) Count() int            { return a.GetInt("count") }
func (a *Alarm) SetCount(v int)        { a.Set("count", v) }

// Open reports whether the alarm is not resolved yet.
func (a *Alarm) Open() bool { return a.Status() != AlarmResolved }

// FirstSeen is when the alarm was raised; LastSeen the latest repeat.
func (a *Alarm) FirstSeen() types.DateTime  { return a.GetDateTime("first_seen") }
func (a *Alarm) SetFirstSeen(t time.Time)   { a.Set("first_seen", t) }
func (a *Alarm) LastSeen() types.DateTime   { return a.GetDateTime("last_seen") }
func (a *Alarm) SetLastSeen(t time.Time)    { a.Set("last_seen", t) }
func (a *Alarm) Assignee() string           { return a.GetString("assignee") }
func (a *Alarm) SetAssignee(v string)       { a.Set("assignee", v) }
func (a *Alarm) AcknowledgedBy() string     { return a.GetString("acknowledged_by") }
func (a *Alarm) SetAcknowledgedBy(v string) { a.Set("acknowledged_by", v) }

// AcknowledgedAt is when a person first acknowledged the alarm.
func (a *Alarm) AcknowledgedAt() types.DateTime { return a.GetDateTime("acknowledged_at") }
func (a *Alarm) SetAcknowledgedAt(t time.Time)  { a.Set("acknowledged_at", t) }
func (a *Alarm) ResolvedBy() string             { return a.GetString("resolved_by") }
func (a *Alarm) SetResolvedBy(v string)         { a.Set("resolved_by", v) }
func (a *Alarm) ResolvedAt() types.DateTime     { return a.GetDateTime("resolved_at") }
func (a *Alarm) SetResolvedAt(t time.Time)      { a.Set("resolved_at", t) }
func (a *Alarm) Resolution() string             { return a.GetString("resolution") }
func (a *Alarm) SetResolution(v string)         { a.Set("resolution", v) }

// Cleared says the rule (its clear condition or a clear action) resolved
// the alarm rather than a person.
func (a *Alarm) Cleared() bool                { return a.GetBool("cleared") }
func (a *Alarm) SetCleared(v bool)            { a.Set("cleared", v) }
func (a *Alarm) FalseAlarm() bool             { return a.GetBool("false_alarm") }
func (a *Alarm) SetFalseAlarm(v bool)         { a.Set("false_alarm", v) }
func (a *Alarm) SnoozedUntil() types.DateTime { return a.GetDateTime("snoozed_until") }

// SetSnoozedUntil sets SnoozedUntil; the zero time clears it.
func (a *Alarm) SetSnoozedUntil(t time.Time) { a.Set("snoozed_until", dateOrEmpty(t)) }

// EscalationLevel is how many escalation steps have been carried out;
// NextEscalationAt when the next one is due (zero: none pending).
func (a *Alarm) EscalationLevel() int             { return a.GetInt("escalation_level") }
func (a *Alarm) SetEscalationLevel(v int)         { a.Set("escalation_level", v) }
func (a *Alarm) NextEscalationAt() types.DateTime { return a.GetDateTime("next_escalation_at") }

// SetNextEscalationAt sets NextEscalationAt; the zero time clears it.
func (a *Alarm) SetNextEscalationAt(t time.Time) { a.Set("next_escalation_at", dateOrEmpty(t)) }

// SetPayload stores what raised the alarm (the device message).
func (a *Alarm) SetPayload(v any) { a.Set("payload", v) }
func (a *Alarm) Case() string     { return a.GetString("case") }
func (a *Alarm) SetCase(v string) { a.Set("case", v) }

// dateOrEmpty turns the zero time into "" so a date field is cleared
// rather than set to year 1.
func dateOrEmpty(t time.Time) any {
	if t.IsZero() {
		return ""
	}
	return t
}
