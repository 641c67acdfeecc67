package model

import "github.com/pocketbase/pocketbase/core"

// Alarm event actions (alarm_events.action): the append-only log of who
// did what to an alarm, and when.
const (
	AlarmEventRaise       = "raise"
	AlarmEventRepeat      = "repeat"
	AlarmEventAcknowledge = "acknowledge"
	AlarmEventComment     = "comment"
	AlarmEventAssign      = "assign"
	AlarmEventSnooze      = "snooze"
	AlarmEventResolve     = "resolve"
	AlarmEventClear       = "clear"
	AlarmEventEscalate    = "escalate"
	AlarmEventNotify      = "notify"
	AlarmEventToCase      = "to_case"
	AlarmEventReopen      = "reopen"
)

var _ core.RecordProxy = (*AlarmEvent)(nil)

// AlarmEvent is one row of an alarm's log. Rows are never changed or
// deleted (hooks/append_only.go).
type AlarmEvent struct {
	core.BaseRecordProxy
}

// NewAlarmEvent returns a blank log row.
func NewAlarmEvent(app core.App) (*AlarmEvent, error) {
	r, err := newRecord(app, CollectionAlarmEvents)
	if err != nil {
		return nil, err
	}
	return AsAlarmEvent(r), nil
}

// AsAlarmEvent wraps an alarm_events record.
func AsAlarmEvent(r *core.Record) *AlarmEvent {
	e := &AlarmEvent{}
	e.SetProxyRecord(r)
	return e
}

func (e *AlarmEvent) Alarm() string          { return e.GetString("alarm") }
func (e *AlarmEvent) SetAlarm(v string)      { e.Set("alarm", v) }
func (e *AlarmEvent) Actor() string          { return e.GetString("actor") }
func (e *AlarmEvent) SetActor(v string)      { e.Set("actor", v) }
func (e *AlarmEvent) ActorName() string      { return e.GetString("actor_name") }
func (e *AlarmEvent) SetActorName(v string)  { e.Set("actor_name", v) }
func (e *AlarmEvent) Action() string         { return e.GetString("action") }
func (e *AlarmEvent) SetAction(v string)     { e.Set("action", v) }
func (e *AlarmEvent) FromStatus() string     { return e.GetString("from_status") }
func (e *AlarmEvent) SetFromStatus(v string) { e.Set("from_status", v) }
func (e *AlarmEvent) ToStatus() string       { return e.GetString("to_status") }
func (e *AlarmEvent) SetToStatus(v string)   { e.Set("to_status", v) }
func (e *AlarmEvent) Note() string           { return e.GetString("note") }
func (e *AlarmEvent) SetNote(v string)       { e.Set("note", v) }

// SetData stores structured details (the step, its recipients…).
func (e *AlarmEvent) SetData(v any) { e.Set("data", v) }
