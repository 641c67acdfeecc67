package alarms

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	validation "github.com/go-ozzo/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/rules"
)

// DryRunRequest is a rule to try against a sample event.
type DryRunRequest struct {
	Rule rules.Rule
	// Device is a device's client id or record id ("" for none).
	Device string
	// Event is telemetry (the default), silence, schedule or alarm.
	Event string
	// Topic defaults to devices/{client id}/up for telemetry.
	Topic      string
	Payload    map[string]any
	Unreadable bool
	// Now defaults to the present moment, in the community's time zone.
	Now time.Time
	// Alarm is the alarm an alarm rule looks at (alarm events).
	Alarm rules.Alarm
}

// DryRunResult is what the rule would do, and the values it read.
type DryRunResult struct {
	Event     string         `json:"event"`
	Now       time.Time      `json:"now"`
	Fires     bool           `json:"fires"`
	Clear     bool           `json:"clear"`
	Rearm     bool           `json:"rearm"`
	Suspended bool           `json:"suspended"`
	Skipped   string         `json:"skipped,omitempty"`
	Actions   []rules.Action `json:"actions"`
	Seen      map[string]any `json:"seen"`
	Error     string         `json:"error,omitempty"`
	// SilenceDeadline (silence rules): when a silence starting at now would
	// run out, counting only the active window.
	SilenceDeadline *time.Time `json:"silence_deadline,omitempty"`
	// Env is the context the rule saw, as the rule names it.
	Env map[string]any `json:"env"`
}

// DryRun compiles req.Rule and evaluates it against the sample event with
// the device's real context (elder, household, grid), without acting. A
// rule that does not compile gives validation.Errors naming the fields,
// with line and column; an unknown device a validation error on "device".
func DryRun(app core.App, req DryRunRequest, loc *time.Location) (*DryRunResult, error) {
	if loc == nil {
		loc = time.Local
	}
	c, err := rules.Compile(req.Rule)
	if err != nil {
		return nil, RuleErrors(err)
	}
	event := req.Event
	switch event {
	case "":
		event = rules.EventTelemetry
	case rules.EventTelemetry, rules.EventSilence, rules.EventSchedule, rules.EventAlarm:
	default:
		return nil, validation.Errors{"event": validation.NewError("validation_invalid_event",
			"event must be telemetry, silence, schedule or alarm")}
	}
	now := req.Now
	if now.IsZero() {
		now = time.Now()
	}
	env := rules.Env{Event: event, Payload: req.Payload, Unreadable: req.Unreadable, Now: now.In(loc),
		Counter: newCounter()}
	if env.Payload == nil {
		env.Payload = map[string]any{}
	}
	if req.Unreadable {
		env.UnreadableReason = "not_json"
	}
	cache := newContextCache()
	deviceID := ""
	if req.Device != "" {
		if deviceID, err = loadContext(app, cache, req.Device); err != nil {
			return nil, err
		}
	}
	cache.subject(&env, deviceID)
	env.Topic = req.Topic
	if env.Topic == "" && event == rules.EventTelemetry {
		env.Topic = "devices/" + env.Device.ClientID + "/up"
	}
	if event == rules.EventAlarm {
		env.Alarm = req.Alarm
	}
	if event == rules.EventTelemetry {
		env.Counter.(*counter).recordPayload(subjectOf(&env), env.Payload, env.Unreadable, env.Now)
	}
	r := c.Trace(&env)
	out := &DryRunResult{Event: event, Now: env.Now, Fires: r.Fired, Clear: r.Clear, Rearm: r.Rearm,
		Suspended: r.Suspended, Skipped: r.Skipped, Actions: r.Actions, Seen: r.Seen,
		Env: map[string]any{"topic": env.Topic, "device": env.Device, "elder": env.Elder,
			"household": env.Household, "grid": env.Grid}}
	if out.Actions == nil {
		out.Actions = []rules.Action{}
	}
	if r.Err != nil {
		out.Error = r.Err.Error()
	}
	if c.Rule.When == rules.WhenSilence {
		if d := c.SilenceDeadline(env.Now); !d.IsZero() {
			out.SilenceDeadline = &d
		}
	}
	return out, nil
}

// loadContext reads a device (by record id or client id) and where it is
// into cache; it returns the device's record id.
func loadContext(app core.App, cache *contextCache, idOrClient string) (string, error) {
	dev, err := app.FindRecordById(model.CollectionDevices, idOrClient)
	if errors.Is(err, sql.ErrNoRows) {
		dev, err = app.FindFirstRecordByData(model.CollectionDevices, "client_id", idOrClient)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return "", validation.Errors{"device": validation.NewError("validation_unknown_device",
			fmt.Sprintf("No device with the id or client id %q.", idOrClient))}
	}
	if err != nil {
		return "", fmt.Errorf("find device: %w", err)
	}
	cache.put(dev)
	d := model.AsDevice(dev)
	household := d.Household()
	if d.Elder() != "" {
		if el, err := app.FindRecordById(model.CollectionElders, d.Elder()); err == nil {
			cache.put(el)
			if household == "" {
				household = el.GetString("household")
			}
		}
	}
	if household == "" {
		return dev.Id, nil
	}
	h, err := app.FindRecordById(model.CollectionHouseholds, household)
	if err != nil {
		return dev.Id, nil
	}
	cache.put(h)
	b, err := app.FindRecordById(model.CollectionBuildings, h.GetString("building"))
	if err != nil {
		return dev.Id, nil
	}
	cache.put(b)
	if g, err := app.FindRecordById(model.CollectionGrids, b.GetString("grid")); err == nil {
		cache.put(g)
	}
	return dev.Id, nil
}
