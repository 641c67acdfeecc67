package hooks_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/internal/testapp"
)

// TestAlarmComment: the same people as for ack may comment; the note is
// required and lands in the alarm's log; the alarm's state is unchanged.
func TestAlarmComment(t *testing.T) {
	c := testapp.Shared(t)
	status := map[testapp.Role]int{
		testapp.GridWorker: http.StatusOK, testapp.Volunteer: http.StatusOK, testapp.Staff: http.StatusOK,
		testapp.Secretary: http.StatusOK, testapp.Superuser: http.StatusOK,
	}
	scenarios := roleScenarios(c, "comment alarm.e1", http.MethodPost, alarmURL(c, "alarm.e1", "comment"),
		map[string]any{"note": "已电话联系家属"}, status, []string{`"status":"active"`},
		func(t testing.TB, app *tests.TestApp, role testapp.Role, res *http.Response) {
			if res.StatusCode != http.StatusOK {
				return
			}
			if action, _, note := lastAlarmEvent(t, app, c.ID("alarm.e1")); action != "comment" || note != "已电话联系家属" {
				t.Errorf("%s: event %s %q", role, action, note)
			}
		})
	scenarios = append(scenarios, tests.ApiScenario{Name: "comment without a note: 400 naming note", Method: http.MethodPost,
		URL: alarmURL(c, "alarm.e1", "comment"), Body: body(map[string]any{"note": " "}), Headers: c.Auth(testapp.Staff),
		TestAppFactory: c.Factory, ExpectedStatus: http.StatusBadRequest,
		ExpectedContent: []string{`"note":{"code":"validation_required"`}})
	for _, s := range scenarios {
		s.Test(t)
	}
}
