package hooks_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/internal/testapp"
)

// TestRuleDryRun: staff and admins try a stored rule or an unsaved one
// against a sample; a broken rule is a 400 naming the field with line and
// column; nobody else may.
func TestRuleDryRun(t *testing.T) {
	c := testapp.Shared(t)
	url := "/api/fengqiao/rules/dry-run"
	sos := map[string]any{"rule": c.ID("rule.sos_pressed"), "device": "sos-e1", "payload": map[string]any{"sos": true}}
	var scenarios []tests.ApiScenario
	for _, role := range testapp.Roles {
		s := tests.ApiScenario{Name: "sos_pressed as " + string(role), Method: http.MethodPost, URL: url, Body: body(sos),
			Headers: c.Auth(role), TestAppFactory: c.Factory, ExpectedStatus: http.StatusForbidden, ExpectedContent: []string{`"data":{}`}}
		switch role {
		case testapp.Guest:
			s.ExpectedStatus = http.StatusUnauthorized
		case testapp.Staff, testapp.Secretary, testapp.Superuser:
			s.ExpectedStatus = http.StatusOK
			s.ExpectedContent = []string{`"fires":true`, `"type":"raise"`, `"title":"一键呼救：陈阿婆，枫桥花园 building.b1 302"`,
				`"payload.sos":true`, `"severity":"critical"`}
		}
		scenarios = append(scenarios, s)
	}
	staff := func(name string, b any, status int, content ...string) tests.ApiScenario {
		return tests.ApiScenario{Name: name, Method: http.MethodPost, URL: url, Body: body(b), Headers: c.Auth(testapp.Staff),
			TestAppFactory: c.Factory, ExpectedStatus: status, ExpectedContent: content}
	}
	scenarios = append(scenarios,
		staff("unsaved rule, does not fire", map[string]any{
			"rule":   map[string]any{"name": "t", "when": "telemetry", "condition": "payload.sos == true && elder.lives_alone"},
			"device": c.ID("device.e1"), "payload": map[string]any{"sos": false}},
			http.StatusOK, `"fires":false`, `"elder.lives_alone":true`, `"payload.sos":false`),
		staff("broken condition: line and column", map[string]any{
			"rule": map[string]any{"name": "t", "when": "telemetry", "condition": "payload.sos == true &&\n elder.lives_alon"}},
			http.StatusBadRequest, `"condition":{"code":"validation_rule_condition","message":"Line 2, column 8: elder has no field lives_alon."`),
		staff("unknown rule id", map[string]any{"rule": "nosuchrule00000"}, http.StatusBadRequest, `"rule":{"code":"validation_unknown_rule"`),
		staff("no rule", map[string]any{"device": "sos-e1"}, http.StatusBadRequest, `"rule":{"code":"validation_required"`),
		staff("unknown device", map[string]any{"rule": c.ID("rule.sos_pressed"), "device": "nope"}, http.StatusBadRequest,
			`"device":{"code":"validation_unknown_device"`),
		staff("bad event", map[string]any{"rule": c.ID("rule.sos_pressed"), "event": "lunch"}, http.StatusBadRequest, `"event":{`),
		staff("door at night", map[string]any{"rule": c.ID("rule.door_open_night_alone"), "device": "sos-e1",
			"payload": map[string]any{"open": true}, "now": "2026-03-14T12:00:00Z"}, http.StatusOK, `"fires":false`),
	)
	for _, s := range scenarios {
		s.Test(t)
	}
}
