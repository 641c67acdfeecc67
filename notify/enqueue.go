package notify

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/rules"
)

// Limits of the deliveries fields Enqueue fills (see the migrations).
const (
	maxTitle   = 300
	maxTarget  = 500
	maxPayload = 60_000 // of the field's 64,000 bytes
)

// Enqueue writes pending deliveries rows in app, which may be the caller's
// transaction (the alarm and its deliveries then commit together):
//
//   - one per recipient × channel of channels ("inapp" needs a UserID,
//     "sms" a phone, "email" an e-mail address);
//   - for channel "mqtt", one row for the whole message: the alarm on
//     alarms/{severity}/{alarm id}, heard by the community's sirens and LED
//     boards (it needs m.Alarm);
//   - for each name in targets, the channels records of that name: one row
//     for a webhook, robot or mqtt channel, one per address in config.to
//     for an email or sms channel. A disabled channel, or one whose
//     min_severity is more urgent than m.Severity, is skipped; an mqtt
//     channel needs m.Alarm.
//
// What cannot be written (a recipient without the address a channel
// needs, an unknown channel or target name) is logged and left out; the
// count says how many rows were written. Only a database failure is an
// error, so a typo in a policy never rolls back the alarm that used it.
func Enqueue(app core.App, m Message, recipients []Recipient, channels []string, targets []string) (int, error) {
	now := time.Now()
	base, err := describe(app, m, now)
	if err != nil {
		return 0, fmt.Errorf("notify: describe message: %w", err)
	}
	log := app.Logger().With(slog.String("component", "notify"), slog.String("alarm", m.Alarm),
		slog.String("case", m.Case), slog.Int("step", m.Step))
	e := &enqueuer{app: app, log: log, now: now, base: base}
	if slices.Contains(channels, model.DeliveryMQTT) {
		if err := e.sirens(); err != nil {
			return e.written, err
		}
	}
	for _, r := range recipients {
		for _, ch := range channels {
			if err := e.person(r, ch); err != nil {
				return e.written, err
			}
		}
	}
	seen := map[string]bool{}
	for _, name := range targets {
		if seen[name] {
			continue
		}
		seen[name] = true
		if err := e.named(name); err != nil {
			return e.written, err
		}
	}
	if e.skipped > 0 {
		log.Warn("notify: some deliveries could not be written", slog.Int("written", e.written), slog.Int("skipped", e.skipped))
	}
	return e.written, nil
}

type enqueuer struct {
	app              core.App
	log              *slog.Logger
	now              time.Time
	base             Payload
	written, skipped int
}

func (e *enqueuer) skip(msg string, args ...any) {
	e.skipped++
	e.log.Info("notify: skipped: "+msg, args...)
}

// person writes the row reaching r by ch ("inapp", "sms", "email").
func (e *enqueuer) person(r Recipient, ch string) error {
	var target string
	switch ch {
	case model.DeliveryInApp:
		if r.UserID == "" {
			e.skip("in-app needs a user", slog.String("name", r.Name), slog.String("audience", r.Audience))
			return nil
		}
	case model.DeliverySMS:
		if target = r.Phone; target == "" {
			e.skip("sms needs a phone", slog.String("user", r.UserID), slog.String("name", r.Name))
			return nil
		}
	case model.DeliveryEmail:
		if target = r.Email; target == "" {
			e.skip("email needs an address", slog.String("user", r.UserID), slog.String("name", r.Name))
			return nil
		}
	case model.DeliveryMQTT:
		return nil // one row for the whole message: see sirens
	default:
		e.skip("unknown channel", slog.String("channel", ch), slog.Any("use", rules.StepChannels))
		return nil
	}
	p := e.base
	p.Audience, p.Name = r.Audience, r.Name
	return e.write(ch, r.UserID, "", target, p)
}

// sirens writes the one row that publishes the alarm to the LAN's sirens
// and LED boards.
func (e *enqueuer) sirens() error {
	if e.base.Alarm == "" {
		e.skip("mqtt carries alarms only")
		return nil
	}
	return e.write(model.DeliveryMQTT, "", "", alarmTopic(e.base.Severity, e.base.Alarm), e.base)
}

// named writes the rows of the channels records called name.
func (e *enqueuer) named(name string) error {
	records, err := e.app.FindAllRecords(model.CollectionChannels, dbx.HashExp{"name": name})
	if err != nil {
		return fmt.Errorf("notify: channels named %q: %w", name, err)
	}
	if len(records) == 0 {
		e.skip("no channel of that name", slog.String("target", name))
		return nil
	}
	for _, r := range records {
		c := model.AsChannel(r)
		if c.Disabled() {
			e.skip("channel disabled", slog.String("target", name), slog.String("channel", r.Id))
			continue
		}
		if !severityAllows(c.MinSeverity(), e.base.Severity) {
			continue // below the channel's threshold: by design, not a skip
		}
		if err := e.channelRows(c); err != nil {
			return err
		}
	}
	return nil
}

func (e *enqueuer) channelRows(c *model.Channel) error {
	switch c.Kind() {
	case model.ChannelWebhook, model.ChannelWeCom, model.ChannelDingTalk, model.ChannelFeishu:
		// The query of a robot's URL holds its key: the row shows the rest.
		return e.write(c.Kind(), "", c.Id, redact(c.URL()), e.base)
	case model.ChannelMQTT:
		if e.base.Alarm == "" {
			e.skip("mqtt channels carry alarms only", slog.String("target", c.Name()))
			return nil
		}
		return e.write(c.Kind(), "", c.Id, alarmTopic(e.base.Severity, e.base.Alarm), e.base)
	case model.ChannelEmail, model.ChannelSMS:
		var cfg struct {
			To []string `json:"to"`
		}
		if err := c.Config(&cfg); err != nil || len(cfg.To) == 0 {
			e.skip("email and sms channels list their addresses in config.to", slog.String("target", c.Name()))
			return nil
		}
		for _, to := range cfg.To {
			if err := e.write(c.Kind(), "", c.Id, strings.TrimSpace(to), e.base); err != nil {
				return err
			}
		}
		return nil
	}
	e.skip("unknown channel kind", slog.String("target", c.Name()), slog.String("kind", c.Kind()))
	return nil
}

// write saves one pending row, due now.
func (e *enqueuer) write(kind, recipient, channel, target string, p Payload) error {
	d, err := model.NewDelivery(e.app)
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	d.SetAlarm(p.Alarm)
	d.SetCase(p.Case)
	d.SetKind(kind)
	d.SetRecipient(recipient)
	d.SetChannel(channel)
	d.SetTarget(truncate(target, maxTarget))
	d.SetTitle(truncate(p.Title, maxTitle))
	d.SetStep(p.Step)
	d.SetStatus(model.DeliveryPending)
	d.SetNextAttemptAt(e.now)
	if raw, err := json.Marshal(p); err != nil || len(raw) > maxPayload {
		// Data too big or not JSON: the message itself still goes out.
		p.Data = map[string]any{"omitted": "data too large or not JSON"}
	}
	d.SetPayload(p)
	if err := e.app.Save(d); err != nil {
		return fmt.Errorf("notify: save %s delivery: %w", kind, err)
	}
	e.written++
	return nil
}

// alarmTopic is where sirens and boards hear an alarm.
func alarmTopic(severity, alarm string) string {
	if severity == "" {
		severity = rules.SeverityInfo
	}
	return "alarms/" + severity + "/" + alarm
}

// severityAllows reports whether a message of severity passes a channel
// whose least urgent accepted severity is min ("" accepts all). A message
// without a severity counts as info.
func severityAllows(min, severity string) bool {
	if min == "" {
		return true
	}
	return severityRank(severity) <= severityRank(min)
}

func severityRank(s string) int {
	if i := slices.Index(rules.Severities, s); i >= 0 {
		return i
	}
	return len(rules.Severities) - 1
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
