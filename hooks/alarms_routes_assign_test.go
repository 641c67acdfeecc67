package hooks_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/internal/testapp"
)

// TestAlarmAssign: only staff, the secretary and admins assign; the
// assignee must be a member of the workforce or a volunteer.
func TestAlarmAssign(t *testing.T) {
	c := testapp.Shared(t)
	status := map[testapp.Role]int{
		testapp.GridWorker: http.StatusForbidden, testapp.Volunteer: http.StatusForbidden, testapp.Staff: http.StatusOK,
		testapp.Secretary: http.StatusOK, testapp.Superuser: http.StatusOK,
	}
	scenarios := roleScenarios(c, "assign alarm.e1", http.MethodPost, alarmURL(c, "alarm.e1", "assign"),
		map[string]any{"assignee": c.ID("user.grid1")}, status, []string{`"assignee":"` + c.ID("user.grid1") + `"`},
		func(t testing.TB, app *tests.TestApp, role testapp.Role, res *http.Response) {
			if res.StatusCode == http.StatusOK {
				if action, _, _ := lastAlarmEvent(t, app, c.ID("alarm.e1")); action != "assign" {
					t.Errorf("%s: event %s", role, action)
				}
			}
		})
	scenarios = append(scenarios,
		tests.ApiScenario{Name: "assign to a resident: 400 naming assignee", Method: http.MethodPost,
			URL: alarmURL(c, "alarm.e1", "assign"), Body: body(map[string]any{"assignee": c.ID("user.resident")}),
			Headers: c.Auth(testapp.Staff), TestAppFactory: c.Factory, ExpectedStatus: http.StatusBadRequest,
			ExpectedContent: []string{`"assignee":{"code":"validation_invalid_assignee"`}},
		tests.ApiScenario{Name: "assign to nobody: 400 naming assignee", Method: http.MethodPost,
			URL: alarmURL(c, "alarm.e1", "assign"), Body: body(map[string]any{"assignee": "nosuchuser00000"}),
			Headers: c.Auth(testapp.Staff), TestAppFactory: c.Factory, ExpectedStatus: http.StatusBadRequest,
			ExpectedContent: []string{`"assignee":{`}},
	)
	for _, s := range scenarios {
		s.Test(t)
	}
}
