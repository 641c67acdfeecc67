package pb_migrations_test

import (
	"strings"
	"testing"
	"time"

	"github.com/fengqiao/fengqiao/rules"
)

// TestDefaultRulesBehave evaluates each shipped rule, as stored, against
// the events it is meant for and the ones it must let pass.
func TestDefaultRulesBehave(t *testing.T) {
	set := compileShippedRules(t, defaultRulesApp(t))
	cst := time.FixedZone("CST", 8*3600)
	at := func(day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, cst) }
	alone := rules.Elder{ID: "e1", Name: "王秀英", Age: 82, LivesAlone: true}
	home := rules.Household{Address: "3 栋 2 单元 401"}
	msg := func(kind string, p map[string]any, now time.Time) *rules.Env {
		return &rules.Env{Event: rules.EventTelemetry, Topic: "devices/x/up", Payload: p, Now: now,
			Device: rules.Device{Kind: kind, Name: "设备", Online: true}, Elder: alone, Household: home}
	}
	tests := []struct {
		rule  string
		env   *rules.Env
		fired bool
		title string // substring of the first action's title
	}{
		{"sos_pressed", msg("sos_button", map[string]any{"sos": true}, at(14, 3, 0)), true, "一键呼救：王秀英，3 栋 2 单元 401"},
		{"sos_pressed", msg("sos_button", map[string]any{"sos": 1.0}, at(14, 3, 0)), true, "王秀英"},
		{"sos_pressed", msg("sos_button", map[string]any{"battery": 80.0}, at(14, 3, 0)), false, ""},
		{"sos_unreadable", &rules.Env{Event: rules.EventTelemetry, Unreadable: true, UnreadableReason: "not_json",
			Device: rules.Device{Kind: "sos_button", Name: "床头呼救"}, Household: home, Now: at(14, 3, 0)}, true, "无法识别的呼救信号：床头呼救"},
		{"sos_unreadable", msg("sos_button", map[string]any{"sos": true}, at(14, 3, 0)), false, ""},
		{"smoke_alarm", msg("smoke", map[string]any{"smoke": true}, at(14, 12, 0)), true, "烟雾报警"},
		{"gas_alarm", msg("gas", map[string]any{"gas": true}, at(14, 12, 0)), true, "燃气泄漏"},
		{"water_leak_alarm", msg("water_leak", map[string]any{"leak": true}, at(14, 12, 0)), true, "漏水报警"},
		{"door_open_night_alone", msg("door_magnet", map[string]any{"open": true}, at(14, 23, 40)), true, "深夜开门：王秀英"},
		{"door_open_night_alone", msg("door_magnet", map[string]any{"open": true}, at(14, 4, 59)), true, "（4 点）"},
		{"door_open_night_alone", msg("door_magnet", map[string]any{"open": true}, at(14, 5, 0)), false, ""},
		{"door_open_night_alone", msg("door_magnet", map[string]any{"open": true}, at(14, 14, 0)), false, ""},
		{"battery_low", msg("pir", map[string]any{"battery": 14.0}, at(14, 9, 0)), true, "电量低（14%）"},
		{"battery_low", msg("pir", map[string]any{"battery": 15.0}, at(14, 9, 0)), false, ""},
		{"battery_low", msg("pir", map[string]any{"motion": true}, at(14, 9, 0)), false, ""},
		{"device_offline", &rules.Env{Event: rules.EventSchedule, Now: at(14, 9, 0), Household: home,
			Device: rules.Device{Kind: "door_magnet", Name: "入户门磁", LastSeen: at(14, 7, 50)}}, true, "设备离线超过 1 小时：入户门磁"},
		{"device_offline", &rules.Env{Event: rules.EventSchedule, Now: at(14, 9, 0),
			Device: rules.Device{Kind: "door_magnet", LastSeen: at(14, 8, 30)}}, false, ""},
		{"device_offline", &rules.Env{Event: rules.EventSchedule, Now: at(14, 9, 0),
			Device: rules.Device{Kind: "door_magnet"}}, false, ""}, // never connected
		{"sos_monthly_test", &rules.Env{Event: rules.EventSchedule, Now: at(1, 10, 0), Elder: alone,
			Device: rules.Device{Kind: "sos_button", Name: "床头呼救"}}, true, "请协助 王秀英 按一下呼救按钮（床头呼救）"},
		{"no_motion_daytime", &rules.Env{Event: rules.EventSilence, Now: at(15, 18, 0), Elder: alone, Household: home,
			Device: rules.Device{Kind: "pir"}}, true, "王秀英 白天超过 12 小时无活动"},
	}
	for _, tt := range tests {
		c, ok := set[tt.rule]
		if !ok {
			t.Fatalf("no shipped rule %s", tt.rule)
		}
		r := c.Evaluate(tt.env)
		if r.Err != nil || r.Fired != tt.fired {
			t.Errorf("%s at %s: fired=%v err=%v, want fired=%v", tt.rule, tt.env.Now.Format("15:04"), r.Fired, r.Err, tt.fired)
			continue
		}
		if tt.fired && !strings.Contains(r.Actions[0].Title, tt.title) {
			t.Errorf("%s: title %q does not contain %q", tt.rule, r.Actions[0].Title, tt.title)
		}
	}

	// The silence rule: due 12 h of daytime after the last motion, cleared
	// by motion, suspended in hospital.
	quiet := set["no_motion_daytime"]
	if due, want := quiet.SilenceDeadline(at(14, 20, 0)), at(15, 18, 0); !due.Equal(want) {
		t.Errorf("deadline after motion at 20:00 = %v, want %v", due, want)
	}
	if r := quiet.Evaluate(msg("pir", map[string]any{"motion": true}, at(15, 19, 0))); !r.Rearm || !r.Clear {
		t.Errorf("motion: rearm=%v clear=%v", r.Rearm, r.Clear)
	}
	inHospital := &rules.Env{Event: rules.EventSilence, Now: at(15, 18, 0), Device: rules.Device{Kind: "pir"},
		Elder: rules.Elder{ID: "e1", Mode: rules.ModeHospital}}
	if r := quiet.Evaluate(inHospital); r.Fired || !r.Suspended {
		t.Errorf("in hospital: fired=%v suspended=%v", r.Fired, r.Suspended)
	}
	// The offline rule clears when the device is back.
	back := &rules.Env{Event: rules.EventSchedule, Now: at(14, 9, 0), Device: rules.Device{Kind: "pir", Online: true, LastSeen: at(14, 8, 59)}}
	if r := set["device_offline"].Evaluate(back); r.Fired || !r.Clear {
		t.Errorf("device back: fired=%v clear=%v", r.Fired, r.Clear)
	}
}
