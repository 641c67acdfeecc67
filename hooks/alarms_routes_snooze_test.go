package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/internal/testapp"
)

// TestAlarmSnooze: staff snooze until a time or for a while; the bad
// inputs are 400s naming until or for.
func TestAlarmSnooze(t *testing.T) {
	c := testapp.Shared(t)
	status := map[testapp.Role]int{
		testapp.GridWorker: http.StatusForbidden, testapp.Volunteer: http.StatusForbidden, testapp.Staff: http.StatusOK,
		testapp.Secretary: http.StatusOK, testapp.Superuser: http.StatusOK,
	}
	scenarios := roleScenarios(c, "snooze alarm.e1 for 30m", http.MethodPost, alarmURL(c, "alarm.e1", "snooze"),
		map[string]any{"for": "30m", "note": "family on the phone"}, status, []string{`"status":"snoozed"`},
		func(t testing.TB, app *tests.TestApp, role testapp.Role, res *http.Response) {
			if res.StatusCode != http.StatusOK {
				return
			}
			a, _ := app.FindRecordById("alarms", c.ID("alarm.e1"))
			if until := a.GetDateTime("snoozed_until").Time(); until.Before(time.Now().Add(29*time.Minute)) || until.After(time.Now().Add(31*time.Minute)) {
				t.Errorf("%s: snoozed until %v", role, until)
			}
		})
	bad := func(name string, b map[string]any, field string) tests.ApiScenario {
		return tests.ApiScenario{Name: name, Method: http.MethodPost, URL: alarmURL(c, "alarm.e1", "snooze"), Body: body(b),
			Headers: c.Auth(testapp.Staff), TestAppFactory: c.Factory, ExpectedStatus: http.StatusBadRequest,
			ExpectedContent: []string{`"` + field + `":{"code":`}}
	}
	scenarios = append(scenarios,
		tests.ApiScenario{Name: "snooze until a time", Method: http.MethodPost, URL: alarmURL(c, "alarm.e1", "snooze"),
			Body: body(map[string]any{"until": time.Now().Add(2 * time.Hour).Format(time.RFC3339)}), Headers: c.Auth(testapp.Staff),
			TestAppFactory: c.Factory, ExpectedStatus: http.StatusOK, ExpectedContent: []string{`"status":"snoozed"`}},
		bad("no until", map[string]any{}, "until"),
		bad("until in the past", map[string]any{"until": time.Now().Add(-time.Hour).Format(time.RFC3339)}, "until"),
		bad("until not a date", map[string]any{"until": "tomorrow"}, "until"),
		bad("for not a duration", map[string]any{"for": "a while"}, "for"),
		bad("for too long", map[string]any{"for": "200h"}, "until"),
		bad("both", map[string]any{"for": "1h", "until": time.Now().Add(time.Hour).Format(time.RFC3339)}, "for"),
	)
	for _, s := range scenarios {
		s.Test(t)
	}
}
