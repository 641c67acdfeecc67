package rules

import "time"

// Event kinds: what made the engine evaluate rules (Env.Event). A telemetry
// event is offered to telemetry rules and to silence rules (whose timers it
// may restart); the other kinds only to rules of the same trigger.
//
// Telemetry and alarm events go through RuleSet.Evaluate. Silence and
// schedule events belong to one rule — the one whose timer ran out or whose
// cron spec is due — so the engine evaluates them with that rule's
// Compiled.Evaluate (a schedule rule with DeviceKinds once per device of
// those kinds, with Env.Device set; without, once with no device).
const (
	EventTelemetry = "telemetry" // a device message, or an unreadable one (Env.Unreadable)
	EventSilence   = "silence"   // a silence rule's timer ran out for Env.Device
	EventAlarm     = "alarm"     // an open alarm (Env.Alarm) changed or aged
	EventSchedule  = "schedule"  // a schedule rule's cron spec is due
)

// Env is what a rule sees: one event with everything the engine knows about
// its device. The engine builds one per event and passes a pointer; the
// fields are read, never written, by rules. Names in expressions are the
// snake_case `expr` tags. Unknown or unset things are zero values (empty
// strings, false, 0, the zero time), never nil structs, so a rule can always
// write elder.lives_alone without checking that an elder exists.
//
// An Env must not be evaluated by two goroutines at once (it carries the
// per-evaluation string budget); build one per event.
type Env struct {
	// Event is the trigger: one of the Event… constants.
	Event string `expr:"event"`
	// Topic is the MQTT topic of a telemetry event, e.g. "devices/sos-1/up".
	// Presence reaches rules as a telemetry event on devices/{id}/status with
	// payload {"online": true|false, "reason": "…"}.
	Topic string `expr:"topic"`
	// Payload is the decoded JSON object of a telemetry event (see package
	// payload): numbers are float64. It is empty, never nil, for other
	// events and for unreadable messages.
	Payload map[string]any `expr:"payload"`
	// Unreadable is true when the device sent a message the decoder refused
	// (not JSON, not an object, invalid UTF-8, too deep, too large). The
	// ingest hands such messages on so that an SOS button's garbled press
	// still raises an alarm; Payload is then empty.
	Unreadable bool `expr:"unreadable"`
	// UnreadableReason is the decoder's reason label (payload.Reason…,
	// e.g. "not_json") when Unreadable.
	UnreadableReason string `expr:"unreadable_reason"`

	Device    Device    `expr:"device"`
	Elder     Elder     `expr:"elder"`
	Household Household `expr:"household"`
	Grid      Grid      `expr:"grid"`
	// Alarm is the alarm an alarm event is about; zero for other events.
	Alarm Alarm `expr:"alarm"`

	// Now is the moment of the event, in the community's time zone: the
	// only clock rules see (the builtin now() is disabled), so evaluation is
	// deterministic. hour, weekday, the active window and the weekdays of a
	// rule all read clock times in Now's location.
	Now time.Time `expr:"now"`

	// Counter answers count(kind, window). Nil makes count() an error.
	Counter Counter `expr:"-"`

	// budget is the bytes of strings the current program may still build;
	// steps the predicate steps it may still take.
	budget, steps int
}

// Counter answers the count(kind, window) helper from the engine's own
// records: how many events of kind happened for env's device — or, when the
// device belongs to an elder, for that elder — in the window ending at
// env.Now. kind is an alarm kind (an Action.Kind such as "sos") or a payload
// flag that was true in a device message (such as "open" or "motion"); the
// engine should record the current message before evaluating so it counts.
// Count runs inside rule evaluation: it must be fast (in memory) and safe
// for concurrent use.
type Counter interface {
	Count(env *Env, kind string, window time.Duration) (int, error)
}

// Device is the device the event is about (devices collection).
type Device struct {
	ID       string `expr:"id"`
	ClientID string `expr:"client_id"` // MQTT client id and username
	Kind     string `expr:"kind"`      // sos_button, door_magnet, pir, smoke, gas, water_leak, parking…
	Name     string `expr:"name"`
	Location string `expr:"location"` // where in the home: "床头", "入户门"…
	Online   bool   `expr:"online"`
	// LastSeen is the last message or presence change; zero if never seen.
	LastSeen time.Time `expr:"last_seen"`
	// Battery is the last reported battery level 0–100 (0 if unknown).
	Battery  int    `expr:"battery"`
	Firmware string `expr:"firmware"`
}

// Elder modes (Elder.Mode). Away and hospital suspend silence rules.
const (
	ModeHome     = "home"
	ModeAway     = "away"
	ModeHospital = "hospital"
)

// Elder is the care recipient the device belongs to (elders collection);
// zero when it belongs to none.
type Elder struct {
	ID         string `expr:"id"`
	Name       string `expr:"name"`
	Age        int    `expr:"age"`
	Gender     string `expr:"gender"`
	Phone      string `expr:"phone"`
	LivesAlone bool   `expr:"lives_alone"`
	EmptyNest  bool   `expr:"empty_nest"`
	// Mode is home, away or hospital ("" reads as home).
	Mode string `expr:"mode"`
	// ModeUntil ends an away/hospital mode; zero means until changed.
	ModeUntil time.Time `expr:"mode_until"`
}

// Away reports whether the elder is away or in hospital at t: the mode is
// set and ModeUntil is zero or after t. Silence rules are suspended then.
func (e Elder) Away(t time.Time) bool {
	if e.Mode != ModeAway && e.Mode != ModeHospital {
		return false
	}
	return e.ModeUntil.IsZero() || e.ModeUntil.After(t)
}

// Household is the home the device is in (households collection).
type Household struct {
	ID       string   `expr:"id"`
	Address  string   `expr:"address"`
	Building string   `expr:"building"` // building name
	Unit     string   `expr:"unit"`
	Room     string   `expr:"room"`
	HeadName string   `expr:"head_name"`
	Phone    string   `expr:"phone"`
	Members  int      `expr:"members"`
	Tags     []string `expr:"tags"` // elder_alone, empty_nest, low_income, disabled…
}

// Grid is the grid the household lies in (grids collection).
type Grid struct {
	ID   string `expr:"id"`
	Code string `expr:"code"`
	Name string `expr:"name"`
}

// Alarm is an open alarm, for alarm rules (alarms collection).
type Alarm struct {
	ID              string    `expr:"id"`
	Rule            string    `expr:"rule"` // the key (or id) of the rule that raised it
	Kind            string    `expr:"kind"`
	Severity        string    `expr:"severity"`
	Status          string    `expr:"status"` // active, acknowledged, snoozed, resolved
	Title           string    `expr:"title"`
	Count           int       `expr:"count"`
	FirstSeen       time.Time `expr:"first_seen"`
	LastSeen        time.Time `expr:"last_seen"`
	AcknowledgedAt  time.Time `expr:"acknowledged_at"`
	EscalationLevel int       `expr:"escalation_level"`
	Assigned        bool      `expr:"assigned"`
}
