package alarms

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	validation "github.com/go-ozzo/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
)

// Errors of the state changes people make. Field problems are returned as
// validation.Errors naming the field ("note", "until", "status"…).
var (
	// ErrNotFound: no such alarm.
	ErrNotFound = errors.New("alarm not found")
	// ErrForbidden: the actor may see the alarm but not do this to it.
	ErrForbidden = errors.New("not allowed to do this to the alarm")
)

// MaxSnooze bounds how long an alarm may be snoozed.
const MaxSnooze = 7 * 24 * time.Hour

// Actions people take on alarms (the endpoints' names).
const (
	ActAck     = "ack"
	ActComment = "comment"
	ActAssign  = "assign"
	ActSnooze  = "snooze"
	ActResolve = "resolve"
	ActCase    = "case"
)

// fieldErr is a validation error on one field.
func fieldErr(field, code, msg string) error {
	return validation.Errors{field: validation.NewError(code, msg)}
}

// change runs one person's change to an alarm in a transaction: it loads
// the alarm, checks that by may do action, lets fn change it, saves it
// and appends the event fn describes. Nothing else is told before the
// commit.
func change(app core.App, id string, by Actor, action string,
	fn func(tx core.App, a *model.Alarm) (ev alarmEvent, err error)) (*model.Alarm, error) {
	var out *model.Alarm
	err := app.RunInTransaction(func(tx core.App) error {
		r, err := tx.FindRecordById(model.CollectionAlarms, id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("find alarm %s: %w", id, err)
		}
		a := model.AsAlarm(r)
		if err := Permit(tx, by, a, action); err != nil {
			return err
		}
		from := a.Status()
		ev, err := fn(tx, a)
		if err != nil {
			return err
		}
		if err := tx.Save(a); err != nil {
			return fmt.Errorf("save alarm: %w", err)
		}
		if err := appendEvent(tx, a, ev.action, by, from, a.Status(), ev.note, ev.data); err != nil {
			return err
		}
		out = a
		return nil
	})
	return out, err
}

// alarmEvent is the log row a change appends.
type alarmEvent struct {
	action, note string
	data         map[string]any
}

// mustBeOpen refuses a change to a resolved alarm.
func mustBeOpen(a *model.Alarm) error {
	if !a.Open() {
		return fieldErr("status", "validation_alarm_resolved", "The alarm is resolved already.")
	}
	return nil
}

// cleanNote trims a note and checks its length; required says it may not
// be empty.
func cleanNote(note string, required bool) (string, error) {
	note = strings.TrimSpace(note)
	switch {
	case required && note == "":
		return "", fieldErr("note", "validation_required", "A note is required.")
	case len([]rune(note)) > 2000:
		return "", fieldErr("note", "validation_length_too_long", "The note must be at most 2000 characters.")
	}
	return note, nil
}

// Acknowledge: someone has the alarm. Its escalation stops at once (no
// further step runs: the escalator finds it acknowledged).
func Acknowledge(app core.App, id string, by Actor, note string) (*model.Alarm, error) {
	note, err := cleanNote(note, false)
	if err != nil {
		return nil, err
	}
	return change(app, id, by, ActAck, func(tx core.App, a *model.Alarm) (alarmEvent, error) {
		if err := mustBeOpen(a); err != nil {
			return alarmEvent{}, err
		}
		if a.Status() == model.AlarmAcknowledged {
			return alarmEvent{}, fieldErr("status", "validation_alarm_acknowledged", "The alarm is acknowledged already.")
		}
		acknowledge(a, by, time.Now())
		a.SetStatus(model.AlarmAcknowledged)
		a.SetSnoozedUntil(time.Time{})
		return alarmEvent{action: model.AlarmEventAcknowledge, note: note}, nil
	})
}

// acknowledge records the first acknowledgement and stops the ladder.
func acknowledge(a *model.Alarm, by Actor, now time.Time) {
	if a.AcknowledgedAt().IsZero() {
		a.SetAcknowledgedAt(now)
		a.SetAcknowledgedBy(by.ID)
	}
	a.SetNextEscalationAt(time.Time{})
}

// Comment adds a note to the alarm's log.
func Comment(app core.App, id string, by Actor, note string) (*model.Alarm, error) {
	note, err := cleanNote(note, true)
	if err != nil {
		return nil, err
	}
	return change(app, id, by, ActComment, func(tx core.App, a *model.Alarm) (alarmEvent, error) {
		return alarmEvent{action: model.AlarmEventComment, note: note}, nil
	})
}

// Assign gives the alarm to a member of the workforce or a volunteer
// ("" takes it back).
func Assign(app core.App, id string, by Actor, assignee, note string) (*model.Alarm, error) {
	note, err := cleanNote(note, false)
	if err != nil {
		return nil, err
	}
	return change(app, id, by, ActAssign, func(tx core.App, a *model.Alarm) (alarmEvent, error) {
		if err := mustBeOpen(a); err != nil {
			return alarmEvent{}, err
		}
		name := ""
		if assignee != "" {
			u, err := tx.FindRecordById(model.CollectionUsers, assignee)
			if err != nil {
				return alarmEvent{}, fieldErr("assignee", "validation_invalid_assignee", "No such user.")
			}
			user := model.AsUser(u)
			if !(Actor{Roles: user.Roles()}).has(assignable...) {
				return alarmEvent{}, fieldErr("assignee", "validation_invalid_assignee",
					"Alarms go to staff, grid workers, volunteers and the like, not to residents.")
			}
			name = user.Name()
		}
		a.SetAssignee(assignee)
		return alarmEvent{action: model.AlarmEventAssign, note: note,
			data: map[string]any{"assignee": assignee, "assignee_name": name}}, nil
	})
}

// assignable are the roles an alarm may be assigned to.
var assignable = []string{model.RoleStaff, model.RoleSecretary, model.RoleGridWorker, model.RoleVolunteer,
	model.RoleMediator, model.RoleDeptStaff}

// Snooze puts the alarm aside until a time: no escalation meanwhile; then
// it is active again and its ladder resumes.
func Snooze(app core.App, id string, by Actor, until time.Time, note string) (*model.Alarm, error) {
	note, err := cleanNote(note, false)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	switch {
	case until.IsZero():
		return nil, fieldErr("until", "validation_required", "Say until when: a time, or a duration like \"30m\".")
	case !until.After(now):
		return nil, fieldErr("until", "validation_past", "The snooze must end in the future.")
	case until.Sub(now) > MaxSnooze:
		return nil, fieldErr("until", "validation_too_long", "An alarm can be snoozed for at most 7 days.")
	}
	return change(app, id, by, ActSnooze, func(tx core.App, a *model.Alarm) (alarmEvent, error) {
		if err := mustBeOpen(a); err != nil {
			return alarmEvent{}, err
		}
		a.SetStatus(model.AlarmSnoozed)
		a.SetSnoozedUntil(until)
		return alarmEvent{action: model.AlarmEventSnooze, note: note,
			data: map[string]any{"until": until.UTC()}}, nil
	})
}

// Resolve closes the alarm with a note; falseAlarm marks it a false
// alarm (for the figures). An alarm nobody acknowledged counts as
// acknowledged now.
func Resolve(app core.App, id string, by Actor, note string, falseAlarm bool) (*model.Alarm, error) {
	note, err := cleanNote(note, true)
	if err != nil {
		return nil, err
	}
	return change(app, id, by, ActResolve, func(tx core.App, a *model.Alarm) (alarmEvent, error) {
		if err := mustBeOpen(a); err != nil {
			return alarmEvent{}, err
		}
		now := time.Now()
		acknowledge(a, by, now)
		a.SetStatus(model.AlarmResolved)
		a.SetResolvedAt(now)
		a.SetResolvedBy(by.ID)
		a.SetResolution(note)
		a.SetFalseAlarm(falseAlarm)
		a.SetSnoozedUntil(time.Time{})
		return alarmEvent{action: model.AlarmEventResolve, note: note,
			data: map[string]any{"false_alarm": falseAlarm}}, nil
	})
}
