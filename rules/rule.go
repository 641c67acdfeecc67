package rules

import (
	"encoding/json"
	"time"
)

// Triggers: a rule's When.
const (
	WhenTelemetry = "telemetry" // a device message
	WhenSilence   = "silence"   // nothing matching from a device for SilenceFor
	WhenAlarm     = "alarm"     // an open alarm changed or aged (e.g. not acknowledged in time)
	WhenSchedule  = "schedule"  // a cron spec: evaluated for each device of DeviceKinds, or once
	WhenCase      = "case"      // reserved for case routing rules; refused until then
)

// Rule is a rule as stored in the `rules` collection: the JSON tags are
// the collection's field names, so a record's JSON decodes into it.
// Bookkeeping fields (hits, errors, last_error…) are the engine's business.
type Rule struct {
	ID          string   `json:"id"`
	Key         string   `json:"key"` // names a shipped default rule; "" for admins' own
	Name        string   `json:"name"`
	Enabled     bool     `json:"enabled"`
	When        string   `json:"when"`
	DeviceKinds []string `json:"device_kinds"` // empty: any kind
	Topic       string   `json:"topic"`        // MQTT topic filter with + and #; empty: any
	// Condition is the "if": one expression that must be true for the rule
	// to fire; empty is always true. For a silence rule it is checked when
	// the silence has lasted SilenceFor.
	Condition string `json:"condition"`
	// ResetCondition (silence rules): a telemetry message that matches the
	// rule and makes it true restarts the silence timer; empty: any
	// matching message.
	ResetCondition string `json:"reset_condition"`
	// ClearCondition: evaluated whenever the rule matches an event and does
	// not fire; true clears this rule's open alarm for the device.
	ClearCondition string   `json:"clear_condition"`
	SilenceFor     string   `json:"silence_for"` // "12h", "90m", "2d"
	Cooldown       string   `json:"cooldown"`    // "10m": no repeat alarm for the device within this
	Schedule       string   `json:"schedule"`    // cron: "*/5 * * * *", "@monthly"
	ActiveFrom     string   `json:"active_from"` // "07:00"
	ActiveTo       string   `json:"active_to"`   // "21:00"; before ActiveFrom crosses midnight
	Days           []string `json:"days"`        // mon…sun; empty: every day
	// Actions is the JSON list of actions, e.g.
	// [{"type":"raise","severity":"critical","title":"SOS: {{elder.name}}"}].
	Actions json.RawMessage `json:"actions"`
}

// Action types.
const (
	ActionRaise   = "raise"   // raise (or repeat) this rule's alarm for the device
	ActionClear   = "clear"   // clear the open alarm of this rule, or of the rule keyed Rule
	ActionNotify  = "notify"  // send Title to a channel and/or an audience
	ActionCommand = "command" // publish Command to devices/{Device}/cmd
)

// Severities, most urgent first.
const (
	SeverityCritical = "critical"
	SeverityMajor    = "major"
	SeverityMinor    = "minor"
	SeverityWarning  = "warning"
	SeverityInfo     = "info"
)

// Severities lists the severities, most urgent first.
var Severities = []string{SeverityCritical, SeverityMajor, SeverityMinor, SeverityWarning, SeverityInfo}

// Audiences: the people a notify action or an escalation step reaches,
// resolved by the notification side from the event's elder, household and
// grid.
const (
	AudienceGridWorker        = "grid_worker"        // grid workers of the household's grid
	AudienceOnDuty            = "on_duty"            // staff on duty now (duty roster)
	AudienceStaff             = "staff"              // all workstation staff
	AudienceVolunteer         = "volunteer"          // the elder's paired volunteers
	AudienceEmergencyContacts = "emergency_contacts" // the elder's emergency contacts, in call order
	AudienceSecretary         = "secretary"          // the community secretary
	AudienceHousehold         = "household"          // verified residents of the household
)

// Audiences lists every audience.
var Audiences = []string{AudienceGridWorker, AudienceOnDuty, AudienceStaff, AudienceVolunteer,
	AudienceEmergencyContacts, AudienceSecretary, AudienceHousehold}

// Action is one typed "then" of a rule. In a Rule it holds templates; in a
// Result the Title is rendered.
type Action struct {
	Type string `json:"type"`
	// Severity (raise): critical, major, minor, warning or info.
	Severity string `json:"severity,omitempty"`
	// Kind (raise, optional): the alarm's kind for figures and count(),
	// e.g. "sos", "inactivity".
	Kind string `json:"kind,omitempty"`
	// Title (raise, notify): a template; {{ expression }} placeholders are
	// expressions over the Env, e.g. "SOS: {{elder.name}}".
	Title string `json:"title,omitempty"`
	// Rule (clear, optional): key of the rule whose alarm to clear; empty
	// clears this rule's own alarm.
	Rule string `json:"rule,omitempty"`
	// Channel (notify): name of a channels record (webhook, robot, e-mail…).
	Channel string `json:"channel,omitempty"`
	// Audience (notify): people to tell, see the Audience… constants.
	Audience []string `json:"audience,omitempty"`
	// Device (command, optional): client id of the device to command;
	// empty commands the event's own device.
	Device string `json:"device,omitempty"`
	// Command (command): the JSON object published to devices/{id}/cmd.
	Command map[string]any `json:"command,omitempty"`
}

// MaxActions bounds the actions of one rule.
const MaxActions = 16

// MaxSilence and MaxCooldown bound the durations of a rule.
const (
	MaxSilence  = 30 * 24 * time.Hour
	MaxCooldown = 30 * 24 * time.Hour
)
