package model

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Device kinds (devices.kind). The first are sensors; siren, led_board
// and feed are integration accounts with explicit topic patterns.
const (
	KindDoorMagnet = "door_magnet"
	KindSOSButton  = "sos_button"
	KindPIR        = "pir"
	KindSmoke      = "smoke"
	KindGas        = "gas"
	KindWaterLeak  = "water_leak"
	KindParking    = "parking"
	KindSiren      = "siren"
	KindLEDBoard   = "led_board"
	KindFeed       = "feed"
	KindOther      = "other"
)

// LifeSafetyKinds are the sensors whose messages are alarms in themselves:
// the ingest commits them without waiting to fill a batch.
var LifeSafetyKinds = []string{KindSOSButton, KindSmoke, KindGas, KindWaterLeak}

// IntegrationKinds are accounts that use publish/subscribe patterns
// instead of the devices/{id}/… namespace.
var IntegrationKinds = []string{KindSiren, KindLEDBoard, KindFeed}

var _ core.RecordProxy = (*Device)(nil)

// Device is a sensor or an integration account that speaks MQTT.
type Device struct {
	core.BaseRecordProxy
}

// NewDevice returns a blank device.
func NewDevice(app core.App) (*Device, error) {
	r, err := newRecord(app, CollectionDevices)
	if err != nil {
		return nil, err
	}
	d := &Device{}
	d.SetProxyRecord(r)
	return d, nil
}

// AsDevice wraps a devices record.
func AsDevice(r *core.Record) *Device {
	d := &Device{}
	d.SetProxyRecord(r)
	return d
}

func (d *Device) Kind() string             { return d.GetString("kind") }
func (d *Device) SetKind(v string)         { d.Set("kind", v) }
func (d *Device) Name() string             { return d.GetString("name") }
func (d *Device) SetName(v string)         { d.Set("name", v) }
func (d *Device) ClientID() string         { return d.GetString("client_id") }
func (d *Device) SetClientID(v string)     { d.Set("client_id", v) }
func (d *Device) TokenHash() string        { return d.GetString("token_hash") }
func (d *Device) SetTokenHash(v string)    { d.Set("token_hash", v) }
func (d *Device) Disabled() bool           { return d.GetBool("disabled") }
func (d *Device) SetDisabled(v bool)       { d.Set("disabled", v) }
func (d *Device) Elder() string            { return d.GetString("elder") }
func (d *Device) SetElder(v string)        { d.Set("elder", v) }
func (d *Device) Household() string        { return d.GetString("household") }
func (d *Device) SetHousehold(v string)    { d.Set("household", v) }
func (d *Device) ParkingSpace() string     { return d.GetString("parking_space") }
func (d *Device) SetParkingSpace(v string) { d.Set("parking_space", v) }

// PublishTopics and SubscribeTopics are the MQTT filters an integration
// account may use.
func (d *Device) PublishTopics() []string        { return jsonStrings(d.Record, "publish_topics") }
func (d *Device) SetPublishTopics(v ...string)   { d.Set("publish_topics", v) }
func (d *Device) SubscribeTopics() []string      { return jsonStrings(d.Record, "subscribe_topics") }
func (d *Device) SetSubscribeTopics(v ...string) { d.Set("subscribe_topics", v) }

func (d *Device) Online() bool             { return d.GetBool("online") }
func (d *Device) SetOnline(v bool)         { d.Set("online", v) }
func (d *Device) LastSeen() types.DateTime { return d.GetDateTime("last_seen") }
func (d *Device) SetLastSeen(t time.Time)  { d.Set("last_seen", t) }
func (d *Device) Battery() int             { return d.GetInt("battery") }
func (d *Device) SetBattery(v int)         { d.Set("battery", v) }
func (d *Device) LastError() string        { return d.GetString("last_error") }
func (d *Device) SetLastError(v string)    { d.Set("last_error", v) }

// LastErrorAt is when LastError was last set.
func (d *Device) LastErrorAt() types.DateTime { return d.GetDateTime("last_error_at") }

// SetLastErrorAt sets LastErrorAt.
func (d *Device) SetLastErrorAt(t time.Time) { d.Set("last_error_at", t) }

// Messages and Dropped count the messages the device sent that were
// stored, and those refused (bad payloads).
func (d *Device) Messages() int      { return d.GetInt("messages") }
func (d *Device) SetMessages(v int)  { d.Set("messages", v) }
func (d *Device) Dropped() int       { return d.GetInt("dropped") }
func (d *Device) SetDropped(v int)   { d.Set("dropped", v) }
func (d *Device) RemoteAddr() string { return d.GetString("remote_addr") }
func (d *Device) SetRemoteAddr(v string) {
	d.Set("remote_addr", v)
}

// LastState is the device's last known state: the keys of its telemetry,
// each with the latest value it sent. Unreadable or empty reads as nil.
func (d *Device) LastState() map[string]any {
	var out map[string]any
	if err := d.UnmarshalJSONField("last_state", &out); err != nil {
		return nil
	}
	return out
}

// SetLastState sets LastState.
func (d *Device) SetLastState(v map[string]any) { d.Set("last_state", v) }

// IsIntegration reports whether the device is an integration account.
func (d *Device) IsIntegration() bool {
	for _, k := range IntegrationKinds {
		if d.Kind() == k {
			return true
		}
	}
	return false
}

// jsonStrings reads a JSON field holding a list of strings; anything else
// reads as empty.
func jsonStrings(r *core.Record, field string) []string {
	var out []string
	if err := r.UnmarshalJSONField(field, &out); err != nil {
		return nil
	}
	return out
}

// HashToken is the stored form of a device token: hex SHA-256. Never
// bcrypt: thousands of devices reconnect at once after a power cut.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
