package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/alarms"
	"github.com/fengqiao/fengqiao/internal/testapp"
)

// TestRuleRefusedWhenSaved: the admin UI's save of a rule that does not
// compile is refused with a validation error on the field, carrying
// expr's message, line and column; PocketBase's own field errors come
// along.
func TestRuleRefusedWhenSaved(t *testing.T) {
	c := testapp.Shared(t)
	create := func(name, b string, status int, content ...string) tests.ApiScenario {
		return tests.ApiScenario{Name: name, Method: http.MethodPost, URL: "/api/collections/rules/records",
			Body: strings.NewReader(b), Headers: c.Auth(testapp.Superuser), TestAppFactory: c.Factory,
			ExpectedStatus: status, ExpectedContent: content}
	}
	for _, s := range []tests.ApiScenario{
		create("bad condition", `{"name":"x","when":"telemetry","condition":"payload.sos == true &&\n elder.lives_alon"}`,
			http.StatusBadRequest, `"condition":{"code":"validation_rule_condition","message":"Line 2, column 8: elder has no field lives_alon."`),
		create("bad action and a missing name", `{"when":"telemetry","actions":[{"type":"raise","severity":"urgent","title":"x"}]}`,
			http.StatusBadRequest, `"actions":{"code":"validation_rule_actions"`, `Actions[0].severity: severity`, `"name":{"code":"validation_required"`),
		create("case rules are not available", `{"name":"x","when":"case"}`, http.StatusBadRequest, `"when":{"code":"validation_rule_when"`),
		create("a good rule", `{"name":"x","when":"telemetry","enabled":true,"condition":"payload.open == true"}`, http.StatusOK, `"name":"x"`),
		{Name: "a bad policy", Method: http.MethodPost, URL: "/api/collections/escalation_policies/records",
			Body:    strings.NewReader(`{"name":"p","severity":"major","steps":[{"after":"soon","audiences":["on_duty"],"channels":["inapp"]}]}`),
			Headers: c.Auth(testapp.Superuser), TestAppFactory: c.Factory, ExpectedStatus: http.StatusBadRequest,
			ExpectedContent: []string{`"steps":{"code":"validation_policy_steps"`}},
	} {
		s.Test(t)
	}
}

// TestRuleChangesReachTheEngine: a rule saved in the admin UI is in force
// at once; the engine's bookkeeping on a rule survives an edit that sends
// back stale counts; a disabled rule is out of force.
func TestRuleChangesReachTheEngine(t *testing.T) {
	c := testapp.Shared(t)
	app := c.Clone(t)
	testapp.Serve(t, app)
	eng := app.Store().Get("fengqiao.alarms").(*alarms.Engine)
	<-eng.Ready()

	rule := testapp.Create(t, app, "rules", map[string]any{"name": "door", "when": "telemetry", "enabled": true,
		"condition": "payload.open == true"})
	if _, ok := eng.Rule(rule.Id); !ok {
		t.Fatal("a new rule is not in force")
	}
	if _, err := app.DB().NewQuery("UPDATE rules SET hits = 7 WHERE id = {:id}").Bind(map[string]any{"id": rule.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	s := tests.ApiScenario{Name: "admin edit with stale hits", Method: http.MethodPatch, URL: "/api/collections/rules/records/" + rule.Id,
		Body: strings.NewReader(`{"name":"door renamed","hits":0,"enabled":false}`), Headers: c.Auth(testapp.Superuser),
		TestAppFactory: func(testing.TB) *tests.TestApp { return app }, DisableTestAppCleanup: true,
		ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"hits":7`, `"name":"door renamed"`}}
	s.Test(t)
	if _, ok := eng.Rule(rule.Id); ok {
		t.Error("a disabled rule is still in force")
	}
}
