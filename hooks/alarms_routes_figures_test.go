package hooks_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/internal/testapp"
)

// TestAlarmFigures: staff read the figures of a period; others may not;
// a bad period is a 400 naming from or to.
func TestAlarmFigures(t *testing.T) {
	c := testapp.Shared(t)
	var scenarios []tests.ApiScenario
	for _, role := range testapp.Roles {
		s := tests.ApiScenario{Name: "figures as " + string(role), Method: http.MethodGet, URL: "/api/fengqiao/alarms/figures",
			Headers: c.Auth(role), TestAppFactory: c.Factory, ExpectedStatus: http.StatusForbidden, ExpectedContent: []string{`"data":{}`}}
		switch role {
		case testapp.Guest:
			s.ExpectedStatus = http.StatusUnauthorized
		case testapp.Staff, testapp.Secretary, testapp.Superuser:
			// The seeded community has two critical alarms, neither acknowledged.
			s.ExpectedStatus = http.StatusOK
			s.ExpectedContent = []string{`"total":2`, `"critical":{"count":2`, `"acknowledged_60s_pct":0`, `"by_kind":{"":2}`}
		}
		scenarios = append(scenarios, s)
	}
	get := func(name, query string, status int, content ...string) tests.ApiScenario {
		return tests.ApiScenario{Name: name, Method: http.MethodGet, URL: "/api/fengqiao/alarms/figures" + query,
			Headers: c.Auth(testapp.Staff), TestAppFactory: c.Factory, ExpectedStatus: status, ExpectedContent: content}
	}
	scenarios = append(scenarios,
		get("an empty period", "?from=2020-01-01&to=2020-02-01", http.StatusOK, `"total":0`, `"acknowledged_60s_pct":null`),
		get("bad from", "?from=yesterday", http.StatusBadRequest, `"from":{"code":"validation_invalid_date"`),
		get("bad to", "?to=2020-13-45", http.StatusBadRequest, `"to":{"code":"validation_invalid_date"`),
		get("from after to", "?from=2020-02-01&to=2020-01-01", http.StatusBadRequest, `"from":{"code":"validation_invalid_period"`),
	)
	for _, s := range scenarios {
		s.Test(t)
	}
}
