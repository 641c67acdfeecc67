package hooks_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/alarms"
	"github.com/fengqiao/fengqiao/internal/testapp"
)

// alarmURL is the endpoint of action on the seeded alarm key.
func alarmURL(c *testapp.Community, key, action string) string {
	return "/api/fengqiao/alarms/" + c.ID(key) + "/" + action
}

// ackDirect acknowledges an alarm as an admin, around the API.
func ackDirect(t testing.TB, app core.App, id string) {
	t.Helper()
	if _, err := alarms.Acknowledge(app, id, alarms.Actor{Superuser: true}, ""); err != nil {
		t.Fatal(err)
	}
}

// body encodes v as a JSON request body.
func body(v any) io.Reader {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return strings.NewReader(string(b))
}

// lastAlarmEvent returns the action and actor of an alarm's newest log row.
func lastAlarmEvent(t testing.TB, app core.App, alarmID string) (action, actor, note string) {
	t.Helper()
	var recs []*core.Record
	err := app.RecordQuery("alarm_events").AndWhere(dbx.HashExp{"alarm": alarmID}).
		OrderBy("created DESC", "rowid DESC").Limit(1).All(&recs)
	if err != nil || len(recs) == 0 {
		t.Fatalf("alarm %s has no events: %v", alarmID, err)
	}
	return recs[0].GetString("action"), recs[0].GetString("actor"), recs[0].GetString("note")
}

// roleScenarios makes one scenario per role: method url with body, the
// expected status by role (404 for roles not listed: they cannot see the
// alarm; 401 for guests), okContent expected in a 200 answer, and after
// run on each.
func roleScenarios(c *testapp.Community, name, method, url string, reqBody any, status map[testapp.Role]int, okContent []string,
	after func(t testing.TB, app *tests.TestApp, role testapp.Role, res *http.Response)) []tests.ApiScenario {
	var out []tests.ApiScenario
	for _, role := range testapp.Roles {
		want, ok := status[role]
		if !ok {
			want = http.StatusNotFound // cannot see the alarm
		}
		s := tests.ApiScenario{
			Name: name + " as " + string(role), Method: method, URL: url, Headers: c.Auth(role),
			ExpectedStatus: want, TestAppFactory: c.Factory,
		}
		if reqBody != nil {
			s.Body = body(reqBody)
		}
		if role == testapp.Guest {
			s.ExpectedStatus = http.StatusUnauthorized
		}
		switch s.ExpectedStatus {
		case http.StatusOK:
			s.ExpectedContent = okContent
		default:
			s.ExpectedContent = []string{`"data":{}`}
		}
		if after != nil {
			r := role
			s.AfterTestFunc = func(t testing.TB, app *tests.TestApp, res *http.Response) { after(t, app, r, res) }
		}
		out = append(out, s)
	}
	return out
}
