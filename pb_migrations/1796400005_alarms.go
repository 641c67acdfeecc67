package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Rules, alarms, their append-only log, escalation policies, and the
// notification outbox with its channels.
func init() {
	m.Register(func(app core.App) error {
		steps := []func(core.App) error{createRules, createEscalationPolicies, createChannels, createAlarms, createAlarmEvents, createDeliveries}
		for _, step := range steps {
			if err := step(app); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		return dropCollections(app, "deliveries", "alarm_events", "alarms", "channels", "escalation_policies", "rules")
	})
}

var severities = []string{"critical", "major", "minor", "warning", "info"}

func createRules(app core.App) error {
	c := core.NewBaseCollection("rules", cid("rules"))
	c.Fields.Add(
		text("name", true, 100),
		text("description", false, 1000),
		boolean("enabled"),
		// key names a shipped default rule so upgrades can find it.
		pattern("key", false, 64, `^[a-z0-9_]+$`),
		selectOne("when", true, "telemetry", "silence", "case", "alarm", "schedule"),
		selectMany("device_kinds", false, deviceKinds...),
		text("topic", false, 256),
		relation("category", cid("categories"), false, false),
		// condition is the "if": one expr expression, checked when saved.
		text("condition", false, 4000),
		text("clear_condition", false, 4000),
		// silence_for / cooldown are Go durations ("12h", "10m").
		text("silence_for", false, 20),
		text("cooldown", false, 20),
		text("schedule", false, 100),
		// active window "07:00"–"21:00" (may cross midnight) and weekdays.
		pattern("active_from", false, 5, `^([01][0-9]|2[0-3]):[0-5][0-9]$`),
		pattern("active_to", false, 5, `^([01][0-9]|2[0-3]):[0-5][0-9]$`),
		selectMany("days", false, "mon", "tue", "wed", "thu", "fri", "sat", "sun"),
		// actions: typed list, e.g. [{"type":"raise","severity":"critical","title":"…"}].
		jsonField("actions", 20_000),
		counter("hits"),
		date("last_hit_at", false),
		counter("errors"),
		text("last_error", false, 2000),
		date("last_error_at", false),
	)
	timestamps(c)
	c.AddIndex("idx_rules_key", true, "key", "key != ''")
	c.AddIndex("idx_rules_when", false, "enabled, `when`", "")
	return saveCollection(app, c)
}

func createEscalationPolicies(app core.App) error {
	c := core.NewBaseCollection("escalation_policies", cid("escalation_policies"))
	c.Fields.Add(
		text("name", true, 100),
		selectOne("severity", true, severities...),
		boolean("enabled"),
		// steps: [{"after":"2m","audiences":["grid_worker","on_duty"],"channels":["inapp"]}].
		jsonField("steps", 20_000),
		// repeat the ladder up to this many times until acknowledged.
		number("repeat", false, 0, 20, true),
		text("repeat_every", false, 20),
	)
	timestamps(c)
	c.AddIndex("idx_escalation_severity", false, "severity", "")
	return saveCollection(app, c)
}

func createChannels(app core.App) error {
	c := core.NewBaseCollection("channels", cid("channels"))
	c.Fields.Add(
		text("name", true, 100),
		selectOne("kind", true, "webhook", "wecom", "dingtalk", "feishu", "email", "sms", "mqtt"),
		url("url"),
		// secret signs webhooks (Standard Webhooks) or robot calls; hidden.
		hiddenText("secret", 200),
		// config: per-kind options, e.g. the SMS gateway's request template.
		jsonField("config", 20_000),
		selectOne("min_severity", false, severities...),
		boolean("disabled"),
	)
	timestamps(c)
	return saveCollection(app, c)
}

var alarmStatuses = []string{"active", "acknowledged", "snoozed", "resolved"}

func createAlarms(app core.App) error {
	c := core.NewBaseCollection("alarms", cid("alarms"))
	c.Fields.Add(
		relation("rule", cid("rules"), false, false),
		relation("device", cid("devices"), false, false),
		relation("elder", cid("elders"), false, false),
		relation("household", cid("households"), false, false),
		relation("grid", cid("grids"), false, false),
		selectOne("severity", true, severities...),
		text("kind", false, 50),
		text("title", true, 300),
		selectOne("status", true, alarmStatuses...),
		number("count", false, 1, 1e9, true),
		date("first_seen", true),
		date("last_seen", true),
		relation("assignee", usersID, false, false),
		relation("acknowledged_by", usersID, false, false),
		date("acknowledged_at", false),
		relation("resolved_by", usersID, false, false),
		date("resolved_at", false),
		text("resolution", false, 2000),
		boolean("cleared"),
		boolean("false_alarm"),
		date("snoozed_until", false),
		number("escalation_level", false, 0, 100, true),
		date("next_escalation_at", false),
		jsonField("payload", 64_000),
		relation("case", cid("cases"), false, false),
	)
	timestamps(c)
	// One open alarm per (rule, device): the dedupe key of the alarm engine.
	c.AddIndex("idx_alarms_open", true, "rule, device", "status != 'resolved' AND rule != '' AND device != ''")
	c.AddIndex("idx_alarms_status", false, "status, severity", "")
	c.AddIndex("idx_alarms_grid", false, "grid, status", "")
	c.AddIndex("idx_alarms_elder", false, "elder, created", "")
	c.AddIndex("idx_alarms_escalation", false, "next_escalation_at", "status = 'active'")
	c.AddIndex("idx_alarms_created", false, "created", "")
	return saveCollection(app, c)
}

func createAlarmEvents(app core.App) error {
	c := core.NewBaseCollection("alarm_events", cid("alarm_events"))
	c.Fields.Add(
		relation("alarm", cid("alarms"), true, false),
		relation("actor", usersID, false, false),
		text("actor_name", false, 100),
		selectOne("action", true, "raise", "repeat", "acknowledge", "comment", "assign", "snooze",
			"resolve", "clear", "escalate", "notify", "to_case", "reopen"),
		selectOne("from_status", false, alarmStatuses...),
		selectOne("to_status", false, alarmStatuses...),
		text("note", false, 2000),
		jsonField("data", 20_000),
	)
	createdOnly(c)
	c.AddIndex("idx_alarm_events_alarm", false, "alarm, created", "")
	return saveCollection(app, c)
}

func createDeliveries(app core.App) error {
	c := core.NewBaseCollection("deliveries", cid("deliveries"))
	c.Fields.Add(
		relation("alarm", cid("alarms"), false, false),
		relation("case", cid("cases"), false, false),
		relation("channel", cid("channels"), false, false),
		selectOne("kind", true, "inapp", "mqtt", "webhook", "wecom", "dingtalk", "feishu", "email", "sms"),
		relation("recipient", usersID, false, false),
		text("target", false, 500),
		text("title", false, 300),
		jsonField("payload", 64_000),
		selectOne("status", true, "pending", "sending", "sent", "failed"),
		counter("attempts"),
		date("next_attempt_at", false),
		date("sent_at", false),
		date("read_at", false),
		text("last_error", false, 2000),
		number("step", false, 0, 100, true),
	)
	timestamps(c)
	c.AddIndex("idx_deliveries_due", false, "status, next_attempt_at", "")
	c.AddIndex("idx_deliveries_recipient", false, "recipient, created", "")
	c.AddIndex("idx_deliveries_alarm", false, "alarm", "")
	return saveCollection(app, c)
}
