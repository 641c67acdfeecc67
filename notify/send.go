package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
)

// job is one delivery to send: the row, its payload and its channel (nil
// for in-app, person-to-address e-mail and the sirens' mqtt row).
type job struct {
	d  *model.Delivery
	p  Payload
	ch *model.Channel
}

// sendFunc sends one job; an error is retried unless it is permanent.
type sendFunc func(ctx context.Context, j *job) error

// senders holds what the per-kind senders need.
type senders struct {
	app    core.App
	client *http.Client
	pub    Publisher
}

func (s *senders) forKind(kind string) sendFunc {
	switch kind {
	case model.DeliveryInApp:
		return s.inapp
	case model.DeliveryMQTT:
		return s.mqtt
	case model.DeliveryWebhook:
		return s.webhook
	case model.DeliveryWeCom:
		return s.wecom
	case model.DeliveryDingTalk:
		return s.dingtalk
	case model.DeliveryFeishu:
		return s.feishu
	case model.DeliveryEmail:
		return s.email
	case model.DeliverySMS:
		return s.sms
	}
	return nil
}

// send prepares the job of delivery r and sends it within timeout. A
// panicking sender is an ordinary (retried) failure.
func (s *senders) send(ctx context.Context, r *core.Record, timeout time.Duration) (err error) {
	defer func() {
		if v := recover(); v != nil {
			s.app.Logger().Error("notify sender panicked", "delivery", r.Id, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			err = fmt.Errorf("sender panicked: %v", v)
		}
	}()
	j, err := s.prepare(r)
	if err != nil {
		return err
	}
	send := s.forKind(j.d.Kind())
	if send == nil {
		return permanent("unknown delivery kind %q", j.d.Kind())
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return send(ctx, j)
}

// prepare decodes the payload and loads the channel the kind needs.
func (s *senders) prepare(r *core.Record) (*job, error) {
	j := &job{d: model.AsDelivery(r)}
	if raw := r.GetString("payload"); raw != "" && raw != "null" {
		if err := j.d.Payload(&j.p); err != nil {
			return nil, permanent("payload is not a notification: %v", err)
		}
	}
	if j.p.Title == "" {
		j.p.Title = j.d.Title()
	}
	kind := j.d.Kind()
	id := j.d.Channel()
	switch {
	case id != "":
		ch, err := s.channel(id, kind)
		if err != nil {
			return nil, err
		}
		j.ch = ch
	case kind == model.DeliverySMS:
		ch, err := s.firstSMSChannel()
		if err != nil {
			return nil, err
		}
		j.ch = ch
	case kind != model.DeliveryInApp && kind != model.DeliveryEmail && kind != model.DeliveryMQTT:
		// mqtt needs no channel: the broker itself carries the alarm.
		return nil, permanent("a %s delivery needs a channel (was it deleted?)", kind)
	}
	return j, nil
}

func (s *senders) channel(id, kind string) (*model.Channel, error) {
	r, err := s.app.FindRecordById(model.CollectionChannels, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, permanent("channel %s was deleted", id)
	}
	if err != nil {
		return nil, fmt.Errorf("channel %s: %w", id, err)
	}
	ch := model.AsChannel(r)
	if ch.Disabled() {
		return nil, permanent("channel %q is disabled", ch.Name())
	}
	if ch.Kind() != kind {
		return nil, permanent("channel %q is a %s channel, not %s", ch.Name(), ch.Kind(), kind)
	}
	return ch, nil
}

// firstSMSChannel is the gateway of person-to-phone texts: the oldest
// enabled sms channel.
func (s *senders) firstSMSChannel() (*model.Channel, error) {
	rows, err := s.app.FindRecordsByFilter(model.CollectionChannels, "kind = 'sms' && disabled != true", "created,id", 1, 0, dbx.Params{})
	if err != nil {
		return nil, fmt.Errorf("sms channels: %w", err)
	}
	if len(rows) == 0 {
		return nil, permanent("no enabled sms channel: add one (kind sms) in channels, then retry")
	}
	return model.AsChannel(rows[0]), nil
}
