package hooks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	validation "github.com/go-ozzo/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/alarms"
	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/rules"
)

// ruleDryRun is POST /api/fengqiao/rules/dry-run (staff or admin):
//
//	{"rule": "<rule id>" | {…a rule's fields, unsaved…},
//	 "device": "<client id or record id>", "payload": {"sos": true},
//	 "event": "telemetry", "topic": "…", "now": "2026-03-14T23:05:00+08:00",
//	 "unreadable": false, "alarm": {…for alarm rules…}}
//
// It evaluates the rule against the sample with the device's real
// context and answers whether it fires, the actions it would take (titles
// rendered) and the values it read. Nothing is stored or sent. A rule
// that does not compile is a 400 naming the field, with line and column.
func ruleDryRun(e *core.RequestEvent) error {
	if err := staffOnly(e); err != nil {
		return err
	}
	var body struct {
		Rule       json.RawMessage `json:"rule"`
		Device     string          `json:"device"`
		Event      string          `json:"event"`
		Topic      string          `json:"topic"`
		Payload    map[string]any  `json:"payload"`
		Unreadable bool            `json:"unreadable"`
		Now        string          `json:"now"`
		Alarm      dryRunAlarm     `json:"alarm"`
	}
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("The request body is not valid JSON for a dry run.", err)
	}
	rule, err := dryRunRule(e.App, body.Rule)
	if err != nil {
		return e.BadRequestError("Invalid rule.", err)
	}
	req := alarms.DryRunRequest{Rule: rule, Device: body.Device, Event: body.Event, Topic: body.Topic,
		Payload: body.Payload, Unreadable: body.Unreadable, Alarm: body.Alarm.rulesAlarm()}
	if body.Now != "" {
		t, ok := parseWhen(body.Now, time.Time{})
		if !ok {
			return e.BadRequestError("Invalid time.", validation.Errors{
				"now": validation.NewError("validation_invalid_date", "Use an RFC 3339 time.")})
		}
		req.Now = t
	}
	res, err := alarms.DryRun(e.App, req, time.Local)
	if err != nil {
		if _, ok := err.(validation.Errors); ok {
			return e.BadRequestError("The rule cannot be evaluated: see the fields.", err)
		}
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, res)
}

// dryRunRule reads the "rule" of a dry run: a stored rule's id, or an
// unsaved rule's fields.
func dryRunRule(app core.App, raw json.RawMessage) (rules.Rule, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return rules.Rule{}, validation.Errors{"rule": validation.NewError("validation_required",
			"Give a rule id or a rule's fields.")}
	}
	if raw[0] == '"' {
		var id string
		if err := json.Unmarshal(raw, &id); err != nil {
			return rules.Rule{}, validation.Errors{"rule": validation.NewError("validation_invalid_rule", err.Error())}
		}
		r, err := app.FindRecordById(model.CollectionRules, id)
		if err != nil {
			return rules.Rule{}, validation.Errors{"rule": validation.NewError("validation_unknown_rule",
				fmt.Sprintf("No rule with the id %q.", id))}
		}
		return alarms.RuleOf(r), nil
	}
	var rule rules.Rule
	if err := json.Unmarshal(raw, &rule); err != nil {
		return rules.Rule{}, validation.Errors{"rule": validation.NewError("validation_invalid_rule",
			"A rule's fields as in the rules collection: "+err.Error())}
	}
	return rule, nil
}

// dryRunAlarm is the sample alarm an alarm rule looks at.
type dryRunAlarm struct {
	ID              string    `json:"id"`
	Rule            string    `json:"rule"`
	Kind            string    `json:"kind"`
	Severity        string    `json:"severity"`
	Status          string    `json:"status"`
	Title           string    `json:"title"`
	Count           int       `json:"count"`
	FirstSeen       time.Time `json:"first_seen"`
	LastSeen        time.Time `json:"last_seen"`
	AcknowledgedAt  time.Time `json:"acknowledged_at"`
	EscalationLevel int       `json:"escalation_level"`
	Assigned        bool      `json:"assigned"`
}

func (a dryRunAlarm) rulesAlarm() rules.Alarm {
	return rules.Alarm{ID: a.ID, Rule: a.Rule, Kind: a.Kind, Severity: a.Severity, Status: a.Status, Title: a.Title,
		Count: a.Count, FirstSeen: a.FirstSeen, LastSeen: a.LastSeen, AcknowledgedAt: a.AcknowledgedAt,
		EscalationLevel: a.EscalationLevel, Assigned: a.Assigned}
}
