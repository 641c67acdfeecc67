package telemetry

import (
	"context"
	"time"
)

// Event is one committed device message, handed to the rule engine
// through the seam. Everything a rule needs to find its context is here,
// so the handler does not have to look the device up again.
type Event struct {
	// DeviceID is the devices record id; ClientID the MQTT client id.
	DeviceID string
	ClientID string
	// Kind is the device kind (model.Kind…).
	Kind string
	// Elder, Household and ParkingSpace are the record ids the device
	// belongs to ("" when unset).
	Elder        string
	Household    string
	ParkingSpace string
	// Topic is the full MQTT topic; Suffix what follows devices/{id}/
	// ("up"…), "" for topics outside the device namespace (ingest/…).
	Topic  string
	Suffix string
	// Payload is the decoded JSON object; nil when Unreadable.
	Payload map[string]any
	// Raw is the payload as received. Handlers must not modify it.
	Raw []byte
	// Unreadable is set for a payload that failed to decode but is handed
	// on anyway (an SOS button's garbled press); Reason is the decoder's
	// label (payload.Reason…) and Detail its message.
	Unreadable bool
	Reason     string
	Detail     string
	// Received is when the broker read the message.
	Received time.Time
	// ReadingID is the id of the readings row that stores the message.
	ReadingID string
}

// Handler receives committed events, one at a time and in commit order,
// on the seam's own goroutine: never on a device's read loop. The rule
// engine implements it. An error is counted and logged; the next event
// goes on regardless.
type Handler interface {
	HandleEvent(ctx context.Context, ev Event) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, ev Event) error

// HandleEvent calls f.
func (f HandlerFunc) HandleEvent(ctx context.Context, ev Event) error { return f(ctx, ev) }

// NopHandler accepts every event and does nothing: the seam's handler
// until the rule engine lands.
type NopHandler struct{}

// HandleEvent does nothing.
func (NopHandler) HandleEvent(context.Context, Event) error { return nil }
