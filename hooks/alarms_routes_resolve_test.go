package hooks_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/alarms"
	"github.com/fengqiao/fengqiao/internal/testapp"
)

// TestAlarmResolve: staff resolve with a note (and may mark a false
// alarm); a resolved alarm cannot be resolved again.
func TestAlarmResolve(t *testing.T) {
	c := testapp.Shared(t)
	status := map[testapp.Role]int{
		testapp.GridWorker: http.StatusForbidden, testapp.Volunteer: http.StatusForbidden, testapp.Staff: http.StatusOK,
		testapp.Secretary: http.StatusOK, testapp.Superuser: http.StatusOK,
	}
	scenarios := roleScenarios(c, "resolve alarm.e1", http.MethodPost, alarmURL(c, "alarm.e1", "resolve"),
		map[string]any{"note": "误按，已回访", "false_alarm": true}, status,
		[]string{`"status":"resolved"`, `"false_alarm":true`, `"resolution":"误按，已回访"`},
		func(t testing.TB, app *tests.TestApp, role testapp.Role, res *http.Response) {
			if res.StatusCode != http.StatusOK {
				return
			}
			a, _ := app.FindRecordById("alarms", c.ID("alarm.e1"))
			if a.GetDateTime("resolved_at").IsZero() || a.GetDateTime("acknowledged_at").IsZero() || a.GetBool("cleared") {
				t.Errorf("%s: resolved_at %v acknowledged_at %v cleared %v", role, a.GetDateTime("resolved_at"),
					a.GetDateTime("acknowledged_at"), a.GetBool("cleared"))
			}
		})
	scenarios = append(scenarios,
		tests.ApiScenario{Name: "resolve without a note: 400 naming note", Method: http.MethodPost,
			URL: alarmURL(c, "alarm.e1", "resolve"), Body: body(map[string]any{}), Headers: c.Auth(testapp.Staff),
			TestAppFactory: c.Factory, ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"note":{"code":"validation_required"`}},
		tests.ApiScenario{Name: "resolve twice: 400 naming status", Method: http.MethodPost,
			URL: alarmURL(c, "alarm.e1", "resolve"), Body: body(map[string]any{"note": "again"}), Headers: c.Auth(testapp.Staff),
			TestAppFactory: c.Factory, ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"status":{"code":"validation_alarm_resolved"`},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				if _, err := alarms.Resolve(app, c.ID("alarm.e1"), alarms.Actor{Superuser: true}, "done", false); err != nil {
					t.Fatal(err)
				}
			}},
	)
	for _, s := range scenarios {
		s.Test(t)
	}
}
