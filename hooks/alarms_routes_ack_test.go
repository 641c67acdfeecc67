package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/internal/testapp"
)

// TestAlarmAck: staff, the secretary and admins acknowledge any alarm; the
// grid worker of the alarm's grid and the elder's paired volunteer theirs;
// those who cannot see the alarm get a 404, a resident who can see it a
// 403. The acknowledgement is logged with its actor and stops escalation.
func TestAlarmAck(t *testing.T) {
	c := testapp.Shared(t)
	status := map[testapp.Role]int{
		testapp.GridWorker: http.StatusOK, testapp.Volunteer: http.StatusOK, testapp.Staff: http.StatusOK,
		testapp.Secretary: http.StatusOK, testapp.Superuser: http.StatusOK,
	}
	scenarios := roleScenarios(c, "ack alarm.e1", http.MethodPost, alarmURL(c, "alarm.e1", "ack"), map[string]any{"note": "on my way"}, status,
		[]string{`"status":"acknowledged"`, `"id":"` + c.ID("alarm.e1") + `"`},
		func(t testing.TB, app *tests.TestApp, role testapp.Role, res *http.Response) {
			if res.StatusCode != http.StatusOK {
				return
			}
			a, err := app.FindRecordById("alarms", c.ID("alarm.e1"))
			if err != nil {
				t.Fatal(err)
			}
			if a.GetString("status") != "acknowledged" || a.GetDateTime("acknowledged_at").IsZero() || !a.GetDateTime("next_escalation_at").IsZero() {
				t.Errorf("%s: alarm %s acknowledged_at %v next %v", role, a.GetString("status"), a.GetDateTime("acknowledged_at"), a.GetDateTime("next_escalation_at"))
			}
			action, actor, note := lastAlarmEvent(t, app, a.Id)
			wantActor := ""
			if role != testapp.Superuser {
				wantActor = c.ID(testapp.UserKey(role))
			}
			if action != "acknowledge" || actor != wantActor || note != "on my way" {
				t.Errorf("%s: event %s by %q note %q", role, action, actor, note)
			}
		})
	scenarios = append(scenarios,
		// A verified resident of the alarm's household sees it but may not act.
		tests.ApiScenario{Name: "resident of the household: 403", Method: http.MethodPost, URL: alarmURL(c, "alarm.h2", "ack"),
			Headers: c.Auth(testapp.OtherResident), TestAppFactory: c.Factory, ExpectedStatus: http.StatusForbidden,
			ExpectedContent: []string{`"status":403`}},
		tests.ApiScenario{Name: "grid worker of g2 acks alarm.h2", Method: http.MethodPost, URL: alarmURL(c, "alarm.h2", "ack"),
			Headers: c.Auth(testapp.OtherGridWorker), TestAppFactory: c.Factory, ExpectedStatus: http.StatusOK,
			ExpectedContent: []string{`"status":"acknowledged"`}},
		tests.ApiScenario{Name: "ack twice: 400 naming status", Method: http.MethodPost, URL: alarmURL(c, "alarm.e1", "ack"),
			Headers: c.Auth(testapp.Staff), TestAppFactory: c.Factory, ExpectedStatus: http.StatusBadRequest,
			ExpectedContent: []string{`"status":{"code":"validation_alarm_acknowledged"`},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				ackDirect(t, app, c.ID("alarm.e1"))
			}},
		tests.ApiScenario{Name: "unknown alarm", Method: http.MethodPost, URL: "/api/fengqiao/alarms/nosuchalarm0000/ack",
			Headers: c.Auth(testapp.Staff), TestAppFactory: c.Factory, ExpectedStatus: http.StatusNotFound,
			ExpectedContent: []string{`"status":404`}},
		tests.ApiScenario{Name: "body not JSON", Method: http.MethodPost, URL: alarmURL(c, "alarm.e1", "ack"),
			Body: strings.NewReader("{"), Headers: map[string]string{"Authorization": c.Token(testapp.Staff), "Content-Type": "application/json"},
			TestAppFactory: c.Factory, ExpectedStatus: http.StatusBadRequest, ExpectedContent: []string{`"status":400`}},
	)
	for _, s := range scenarios {
		s.Test(t)
	}
}
