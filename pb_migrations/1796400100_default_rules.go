package pb_migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// The rules and escalation policies a new appliance ships with (DESIGN.md,
// "Rules"; docs/rules.md explains each). They are data like any rule an
// admin writes: shown and edited in the admin UI. Each is found by its key,
// so this inserts what is missing and never overwrites an admin's edits.
func init() {
	m.Register(func(app core.App) error {
		if err := seedRecordsByKey(app, "rules", defaultRuleRecords); err != nil {
			return err
		}
		return seedRecordsByKey(app, "escalation_policies", defaultEscalationPolicies)
	}, func(app core.App) error {
		if err := deleteRecordsByKey(app, "escalation_policies", defaultEscalationPolicies); err != nil {
			return err
		}
		return deleteRecordsByKey(app, "rules", defaultRuleRecords)
	})
}

// offlineWatchedKinds are the sensors watched for going offline: every kind that
// reports from homes and car parks (not the integration accounts).
var offlineWatchedKinds = []string{"door_magnet", "sos_button", "pir", "smoke", "gas", "water_leak", "parking"}

var defaultRuleRecords = []map[string]any{
	{
		"key": "sos_pressed", "name": "一键呼救 SOS", "enabled": true, "when": "telemetry",
		"description":  "An SOS button was pressed: critical alarm at once.",
		"device_kinds": []string{"sos_button"},
		"condition":    `payload.sos == true || payload.sos == 1`,
		"actions": types.JSONRaw(`[{"type":"raise","severity":"critical","kind":"sos",` +
			`"title":"一键呼救：{{ elder.name != \"\" ? elder.name : device.name }}，{{ household.address }}"}]`),
	},
	{
		"key": "sos_unreadable", "name": "呼救按钮信号无法识别", "enabled": true, "when": "telemetry",
		"description":  "An SOS button sent a message the appliance could not read: treat it as a press (unreadable alarm).",
		"device_kinds": []string{"sos_button"},
		"condition":    `unreadable`,
		"actions": types.JSONRaw(`[{"type":"raise","severity":"critical","kind":"sos_unreadable",` +
			`"title":"无法识别的呼救信号：{{ device.name }}，{{ household.address }}"}]`),
	},
	{
		"key": "smoke_alarm", "name": "烟雾报警", "enabled": true, "when": "telemetry",
		"description": "A smoke detector reports smoke.", "device_kinds": []string{"smoke"},
		"condition": `payload.smoke == true`,
		"actions": types.JSONRaw(`[{"type":"raise","severity":"critical","kind":"smoke",` +
			`"title":"烟雾报警：{{ household.address }}（{{ device.name }}）"}]`),
	},
	{
		"key": "gas_alarm", "name": "燃气泄漏报警", "enabled": true, "when": "telemetry",
		"description": "A gas detector reports gas.", "device_kinds": []string{"gas"},
		"condition": `payload.gas == true`,
		"actions": types.JSONRaw(`[{"type":"raise","severity":"critical","kind":"gas",` +
			`"title":"燃气泄漏：{{ household.address }}（{{ device.name }}）"}]`),
	},
	{
		"key": "water_leak_alarm", "name": "漏水报警", "enabled": true, "when": "telemetry",
		"description": "A water-leak sensor reports water.", "device_kinds": []string{"water_leak"},
		"condition": `payload.leak == true || payload.water_leak == true`,
		"actions": types.JSONRaw(`[{"type":"raise","severity":"critical","kind":"water_leak",` +
			`"title":"漏水报警：{{ household.address }}（{{ device.name }}）"}]`),
	},
	{
		"key": "door_open_night_alone", "name": "独居老人深夜开门", "enabled": true, "when": "telemetry",
		"description":  "The door of an elder living alone opened between 23:00 and 05:00.",
		"device_kinds": []string{"door_magnet"},
		"condition":    `payload.open == true && elder.lives_alone`,
		"active_from":  "23:00", "active_to": "05:00", "cooldown": "30m",
		"actions": types.JSONRaw(`[{"type":"raise","severity":"warning","kind":"door_night",` +
			`"title":"深夜开门：{{ elder.name }}，{{ household.address }}（{{ hour(now) }} 点）"}]`),
	},
	{
		"key": "no_motion_daytime", "name": "白天 12 小时无活动", "enabled": true, "when": "silence",
		"description": "No motion from an elder's motion sensor for 12 hours of daytime (07:00–21:00). " +
			"Suspended while the elder is away or in hospital; cleared by the next motion.",
		"device_kinds":    []string{"pir"},
		"reset_condition": `payload.motion == true`,
		"condition":       `elder.id != ""`,
		"clear_condition": `payload.motion == true`,
		"silence_for":     "12h", "active_from": "07:00", "active_to": "21:00",
		"actions": types.JSONRaw(`[{"type":"raise","severity":"major","kind":"inactivity",` +
			`"title":"{{ elder.name }} 白天超过 12 小时无活动，{{ household.address }}"}]`),
	},
	{
		"key": "device_offline", "name": "设备离线超过 1 小时", "enabled": true, "when": "schedule",
		"description":  "Checked every 5 minutes: a sensor has been offline for over an hour. Cleared when it is back.",
		"device_kinds": offlineWatchedKinds, "schedule": "*/5 * * * *", "cooldown": "6h",
		"condition":       `!device.online && !device.last_seen.IsZero() && since(device.last_seen) > duration("1h")`,
		"clear_condition": `device.online`,
		"actions": types.JSONRaw(`[{"type":"raise","severity":"warning","kind":"offline",` +
			`"title":"设备离线超过 1 小时：{{ device.name }}，{{ household.address }}"}]`),
	},
	{
		"key": "battery_low", "name": "电量低于 15%", "enabled": true, "when": "telemetry",
		"description":     "A device reports a battery under 15 %. Cleared when it reports 30 % or more.",
		"condition":       `"battery" in payload && payload.battery < 15`,
		"clear_condition": `"battery" in payload && payload.battery >= 30`,
		"cooldown":        "24h",
		"actions": types.JSONRaw(`[{"type":"raise","severity":"info","kind":"battery",` +
			`"title":"电量低（{{ payload.battery }}%）：{{ device.name }}，{{ household.address }}"}]`),
	},
	{
		"key": "sos_monthly_test", "name": "呼救按钮每月测试提醒", "enabled": true, "when": "schedule",
		"description":  "At 10:00 on the 1st of each month, ask the elder's volunteer and grid worker to test-press each SOS button.",
		"device_kinds": []string{"sos_button"}, "schedule": "0 10 1 * *",
		"actions": types.JSONRaw(`[{"type":"notify","audience":["volunteer","grid_worker"],` +
			`"title":"每月测试：请协助 {{ elder.name != \"\" ? elder.name : household.address }} 按一下呼救按钮（{{ device.name }}）"}]`),
	},
}

// defaultEscalationPolicies: one escalation ladder per severity. "after" counts from
// when the alarm was raised; the ladder stops at the first acknowledgement
// and, unacknowledged, runs again up to "repeat" more times, "repeat_every"
// apart. Step format: docs/rules.md.
var defaultEscalationPolicies = []map[string]any{
	{
		"key": "critical", "name": "紧急告警升级（critical）", "severity": "critical", "enabled": true,
		"repeat": 3, "repeat_every": "10m",
		"steps": types.JSONRaw(`[
			{"after":"0s","audiences":["grid_worker","on_duty"],"channels":["inapp","sms","mqtt"]},
			{"after":"2m","audiences":["volunteer"],"channels":["inapp","sms"]},
			{"after":"5m","audiences":["emergency_contacts"],"channels":["sms"]},
			{"after":"10m","audiences":["secretary"],"channels":["inapp","sms"]}]`),
	},
	{
		"key": "major", "name": "重要告警升级（major）", "severity": "major", "enabled": true,
		"repeat": 2, "repeat_every": "30m",
		"steps": types.JSONRaw(`[
			{"after":"0s","audiences":["grid_worker","on_duty"],"channels":["inapp","mqtt"]},
			{"after":"10m","audiences":["volunteer"],"channels":["inapp","sms"]},
			{"after":"30m","audiences":["emergency_contacts"],"channels":["sms"]},
			{"after":"1h","audiences":["secretary"],"channels":["inapp"]}]`),
	},
	{
		"key": "minor", "name": "一般告警升级（minor）", "severity": "minor", "enabled": true,
		"repeat": 1, "repeat_every": "4h",
		"steps": types.JSONRaw(`[
			{"after":"0s","audiences":["on_duty"],"channels":["inapp"]},
			{"after":"1h","audiences":["grid_worker"],"channels":["inapp"]}]`),
	},
	{
		"key": "warning", "name": "预警通知（warning）", "severity": "warning", "enabled": true,
		"repeat": 1, "repeat_every": "1h",
		"steps": types.JSONRaw(`[
			{"after":"0s","audiences":["grid_worker","on_duty"],"channels":["inapp"]},
			{"after":"30m","audiences":["volunteer"],"channels":["inapp"]}]`),
	},
	{
		"key": "info", "name": "提示通知（info）", "severity": "info", "enabled": true,
		"repeat": 0,
		"steps":  types.JSONRaw(`[{"after":"0s","audiences":["on_duty"],"channels":["inapp"]}]`),
	},
}

// seedRecordsByKey inserts each record whose key the collection does not have yet.
func seedRecordsByKey(app core.App, collection string, records []map[string]any) error {
	col, err := app.FindCollectionByNameOrId(collection)
	if err != nil {
		return fmt.Errorf("find %s: %w", collection, err)
	}
	for _, data := range records {
		key, _ := data["key"].(string)
		if _, err := app.FindFirstRecordByData(col, "key", key); err == nil {
			continue // already there, perhaps edited: never overwrite
		}
		r := core.NewRecord(col)
		r.Load(data)
		if err := app.Save(r); err != nil {
			return fmt.Errorf("%s %s: %w", collection, key, err)
		}
	}
	return nil
}

// deleteRecordsByKey removes the shipped records again (down migration).
func deleteRecordsByKey(app core.App, collection string, records []map[string]any) error {
	for _, data := range records {
		r, err := app.FindFirstRecordByData(collection, "key", data["key"])
		if err != nil {
			continue // already gone
		}
		if err := app.Delete(r); err != nil {
			return fmt.Errorf("delete %s %v: %w", collection, data["key"], err)
		}
	}
	return nil
}
