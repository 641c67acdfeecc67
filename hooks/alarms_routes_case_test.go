package hooks_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/alarms"
	"github.com/fengqiao/fengqiao/internal/testapp"
)

// TestAlarmToCase: staff turn an alarm into a safety case from a sensor
// alarm, filed under safety.elder, numbered by the case intake and linked
// from the alarm; a second time is refused naming case.
func TestAlarmToCase(t *testing.T) {
	c := testapp.Shared(t)
	status := map[testapp.Role]int{
		testapp.GridWorker: http.StatusForbidden, testapp.Volunteer: http.StatusForbidden, testapp.Staff: http.StatusOK,
		testapp.Secretary: http.StatusOK, testapp.Superuser: http.StatusOK,
	}
	scenarios := roleScenarios(c, "alarm.e1 to case", http.MethodPost, alarmURL(c, "alarm.e1", "case"),
		map[string]any{"note": "需要上门"}, status, []string{`"source":"sensor_alarm"`, `"kind":"safety"`, `"status":"submitted"`},
		func(t testing.TB, app *tests.TestApp, role testapp.Role, res *http.Response) {
			if res.StatusCode != http.StatusOK {
				return
			}
			a, _ := app.FindRecordById("alarms", c.ID("alarm.e1"))
			k, err := app.FindRecordById("cases", a.GetString("case"))
			if err != nil {
				t.Fatalf("%s: the alarm links no case: %v", role, err)
			}
			if k.GetString("category") != c.ID("category.safety.elder") || k.GetString("number") == "" ||
				k.GetString("grid") != c.ID("grid.g1") || k.GetString("household") != c.ID("household.h3") {
				t.Errorf("%s: case %v", role, k.PublicExport())
			}
			if action, _, _ := lastAlarmEvent(t, app, a.Id); action != "to_case" {
				t.Errorf("%s: event %s", role, action)
			}
		})
	scenarios = append(scenarios, tests.ApiScenario{Name: "a second case: 400 naming case", Method: http.MethodPost,
		URL: alarmURL(c, "alarm.e1", "case"), Headers: c.Auth(testapp.Staff), TestAppFactory: c.Factory,
		ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"case":{"code":"validation_alarm_has_case"`},
		BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
			if _, _, err := alarms.ToCase(app, c.ID("alarm.e1"), alarms.Actor{Superuser: true}, ""); err != nil {
				t.Fatal(err)
			}
		}})
	for _, s := range scenarios {
		s.Test(t)
	}
}
