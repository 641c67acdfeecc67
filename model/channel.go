package model

import (
	"github.com/pocketbase/pocketbase/core"
)

// Channel kinds (channels.kind): the named places an alarm can be posted
// to besides people. They share their names with the delivery kinds.
const (
	ChannelWebhook  = DeliveryWebhook
	ChannelWeCom    = DeliveryWeCom
	ChannelDingTalk = DeliveryDingTalk
	ChannelFeishu   = DeliveryFeishu
	ChannelEmail    = DeliveryEmail
	ChannelSMS      = DeliverySMS
	ChannelMQTT     = DeliveryMQTT
)

var _ core.RecordProxy = (*Channel)(nil)

// Channel is a named notification target configured by admins: a signed
// webhook, a group robot, an e-mail list, an SMS gateway, an MQTT topic.
type Channel struct {
	core.BaseRecordProxy
}

// NewChannel returns a blank channel.
func NewChannel(app core.App) (*Channel, error) {
	r, err := newRecord(app, CollectionChannels)
	if err != nil {
		return nil, err
	}
	return AsChannel(r), nil
}

// AsChannel wraps a channels record.
func AsChannel(r *core.Record) *Channel {
	c := &Channel{}
	c.SetProxyRecord(r)
	return c
}

func (c *Channel) Name() string       { return c.GetString("name") }
func (c *Channel) SetName(v string)   { c.Set("name", v) }
func (c *Channel) Kind() string       { return c.GetString("kind") }
func (c *Channel) SetKind(v string)   { c.Set("kind", v) }
func (c *Channel) URL() string        { return c.GetString("url") }
func (c *Channel) SetURL(v string)    { c.Set("url", v) }
func (c *Channel) Disabled() bool     { return c.GetBool("disabled") }
func (c *Channel) SetDisabled(v bool) { c.Set("disabled", v) }

// Secret signs webhooks or robot calls (a hidden field: never in the API).
func (c *Channel) Secret() string     { return c.GetString("secret") }
func (c *Channel) SetSecret(v string) { c.Set("secret", v) }

// MinSeverity is the least urgent severity the channel receives; empty
// receives everything.
func (c *Channel) MinSeverity() string     { return c.GetString("min_severity") }
func (c *Channel) SetMinSeverity(v string) { c.Set("min_severity", v) }

// Config decodes the per-kind options (config JSON) into v; an empty
// config leaves v as it is.
func (c *Channel) Config(v any) error {
	if raw := c.GetString("config"); raw == "" || raw == "null" {
		return nil
	}
	return c.UnmarshalJSONField("config", v)
}

// SetConfig sets the per-kind options (any JSON-encodable value).
func (c *Channel) SetConfig(v any) { c.Set("config", v) }
