package model

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Delivery kinds (deliveries.kind): how one notification travels.
const (
	DeliveryInApp    = "inapp"    // the row itself, read by the recipient over realtime
	DeliveryMQTT     = "mqtt"     // alarms/{severity}/{alarm id} on the broker
	DeliveryWebhook  = "webhook"  // generic JSON, signed the Standard Webhooks way
	DeliveryWeCom    = "wecom"    // WeCom (企业微信) group robot
	DeliveryDingTalk = "dingtalk" // DingTalk (钉钉) group robot
	DeliveryFeishu   = "feishu"   // Feishu (飞书) group robot
	DeliveryEmail    = "email"    // PocketBase's mailer
	DeliverySMS      = "sms"      // an SMS gateway's HTTP API
)

// Delivery statuses (deliveries.status). A delivery goes pending →
// sending → sent; a failed attempt leaves it failed with a next attempt
// due (it is retried until it succeeds); one that no retry can help (its
// channel was deleted or disabled, it has no address) is dead until staff
// retry it.
const (
	DeliveryPending = "pending"
	DeliverySending = "sending"
	DeliverySent    = "sent"
	DeliveryFailed  = "failed"
	DeliveryDead    = "dead"
)

var _ core.RecordProxy = (*Delivery)(nil)

// Delivery is one notification in the outbox: one message to one person
// or one channel, with its sending state.
type Delivery struct {
	core.BaseRecordProxy
}

// NewDelivery returns a blank delivery.
func NewDelivery(app core.App) (*Delivery, error) {
	r, err := newRecord(app, CollectionDeliveries)
	if err != nil {
		return nil, err
	}
	return AsDelivery(r), nil
}

// AsDelivery wraps a deliveries record.
func AsDelivery(r *core.Record) *Delivery {
	d := &Delivery{}
	d.SetProxyRecord(r)
	return d
}

func (d *Delivery) Alarm() string         { return d.GetString("alarm") }
func (d *Delivery) SetAlarm(v string)     { d.Set("alarm", v) }
func (d *Delivery) Case() string          { return d.GetString("case") }
func (d *Delivery) SetCase(v string)      { d.Set("case", v) }
func (d *Delivery) Channel() string       { return d.GetString("channel") }
func (d *Delivery) SetChannel(v string)   { d.Set("channel", v) }
func (d *Delivery) Kind() string          { return d.GetString("kind") }
func (d *Delivery) SetKind(v string)      { d.Set("kind", v) }
func (d *Delivery) Recipient() string     { return d.GetString("recipient") }
func (d *Delivery) SetRecipient(v string) { d.Set("recipient", v) }

// Target is the address: a phone, an e-mail address, a URL or a topic.
func (d *Delivery) Target() string     { return d.GetString("target") }
func (d *Delivery) SetTarget(v string) { d.Set("target", v) }
func (d *Delivery) Title() string      { return d.GetString("title") }
func (d *Delivery) SetTitle(v string)  { d.Set("title", v) }
func (d *Delivery) Status() string     { return d.GetString("status") }
func (d *Delivery) SetStatus(v string) { d.Set("status", v) }
func (d *Delivery) Attempts() int      { return d.GetInt("attempts") }
func (d *Delivery) SetAttempts(v int)  { d.Set("attempts", v) }
func (d *Delivery) LastError() string  { return d.GetString("last_error") }
func (d *Delivery) SetLastError(v string) {
	d.Set("last_error", v)
}
func (d *Delivery) Step() int     { return d.GetInt("step") }
func (d *Delivery) SetStep(v int) { d.Set("step", v) }

// NextAttemptAt is when the worker may (re)try; empty means now.
func (d *Delivery) NextAttemptAt() types.DateTime { return d.GetDateTime("next_attempt_at") }

// SetNextAttemptAt sets NextAttemptAt.
func (d *Delivery) SetNextAttemptAt(t time.Time) { d.Set("next_attempt_at", t) }

// SentAt is when the delivery succeeded.
func (d *Delivery) SentAt() types.DateTime { return d.GetDateTime("sent_at") }

// SetSentAt sets SentAt.
func (d *Delivery) SetSentAt(t time.Time) { d.Set("sent_at", t) }

// ReadAt is when the recipient read an in-app delivery.
func (d *Delivery) ReadAt() types.DateTime { return d.GetDateTime("read_at") }

// SetReadAt sets ReadAt.
func (d *Delivery) SetReadAt(t time.Time) { d.Set("read_at", t) }

// Payload decodes the payload JSON into v.
func (d *Delivery) Payload(v any) error { return d.UnmarshalJSONField("payload", v) }

// SetPayload sets the payload (any JSON-encodable value).
func (d *Delivery) SetPayload(v any) { d.Set("payload", v) }
