package alarms

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/rules"
)

// notifyAction writes the deliveries of a notify action: in-app messages
// to its audiences and a message to its channel, in one transaction.
// alarmID links them to the alarm the rule raised or looked at ("" when
// none); an alarm's log then records the notification.
func (e *Engine) notifyAction(c *rules.Compiled, a rules.Action, env *rules.Env, alarmID string) error {
	elder, household, grid := e.ctx.ids(env.Device.ID)
	info := notifyInfo{elder: elder, household: household, grid: grid, elderName: env.Elder.Name,
		address: env.Household.Address, at: env.Now, body: alarmBody(env)}
	var targets []string
	if a.Channel != "" {
		targets = []string{a.Channel}
	}
	now := time.Now()
	n := 0
	err := e.app.RunInTransaction(func(tx core.App) error {
		var err error
		n, err = notifyPeople(tx, alarmID, "", a.Title, info, a.Audience, []string{model.DeliveryInApp}, targets, 0, now)
		if err != nil || alarmID == "" {
			return err
		}
		r, err := tx.FindRecordById(model.CollectionAlarms, alarmID)
		if err != nil {
			return fmt.Errorf("alarm %s: %w", alarmID, err)
		}
		rec := model.AsAlarm(r)
		return appendEvent(tx, rec, model.AlarmEventNotify, Actor{}, rec.Status(), rec.Status(), a.Title,
			map[string]any{"rule": ruleLabel(c), "audiences": a.Audience, "channel": a.Channel, "deliveries": n})
	})
	if err != nil {
		return fmt.Errorf("notify action of %s: %w", ruleLabel(c), err)
	}
	e.logger().Info("rule notified", slog.String("rule", ruleLabel(c)), slog.String("device", env.Device.ClientID),
		slog.Int("deliveries", n))
	return nil
}

// command publishes a command action's object to devices/{id}/cmd.
func (e *Engine) command(c *rules.Compiled, a rules.Action, env *rules.Env) error {
	client := a.Device
	if client == "" {
		client = env.Device.ClientID
	}
	if client == "" {
		return fmt.Errorf("command action of %s: %w", ruleLabel(c), errNoDevice)
	}
	body, err := json.Marshal(a.Command)
	if err != nil {
		return fmt.Errorf("command action of %s: %w", ruleLabel(c), err)
	}
	if e.cfg.Publisher == nil {
		e.logger().Warn("command action without a broker: not sent", slog.String("rule", ruleLabel(c)), slog.String("device", client))
		return nil
	}
	if err := e.cfg.Publisher.Publish("devices/"+client+"/cmd", body, false, 1); err != nil {
		return fmt.Errorf("command action of %s to %s: %w", ruleLabel(c), client, err)
	}
	return nil
}
