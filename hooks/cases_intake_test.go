package hooks_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/internal/testapp"
)

var caseNumber = regexp.MustCompile(`^[0-9]{4}-[0-9]{6}$`)

// TestCaseIntake: a case reported through the API gets the next number of
// the year, status submitted, a deadline from its category and a "submit"
// event on its timeline; one saved from Go gets the number after it.
func TestCaseIntake(t *testing.T) {
	c := testapp.Shared(t)
	year := time.Now().Year()
	seeded := len(c.Keys("cases")) // numbered YYYY-000001…
	s := tests.ApiScenario{
		Name: "resident reports a noise complaint", Method: http.MethodPost, URL: "/api/collections/cases/records",
		Body:           strings.NewReader(`{"kind":"complaint","title":"intake","source":"resident_app","category":"` + c.ID("category.complaint.noise") + `"}`),
		Headers:        c.Auth(testapp.Resident),
		TestAppFactory: c.Factory,
		ExpectedStatus: 200,
		ExpectedContent: []string{fmt.Sprintf(`"number":"%d-%06d"`, year, seeded+1), `"status":"submitted"`,
			`"reporter":"` + c.ID("user.resident") + `"`},
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			created, err := app.FindFirstRecordByData("cases", "title", "intake")
			if err != nil {
				t.Fatal(err)
			}
			checkIntake(t, app, created, fmt.Sprintf("%d-%06d", year, seeded+1), 48*time.Hour, c.ID("user.resident"))

			col, err := app.FindCollectionByNameOrId("cases")
			if err != nil {
				t.Fatal(err)
			}
			next := core.NewRecord(col)
			next.Load(map[string]any{"kind": "repair", "title": "from go", "source": "walk_in", "category": c.ID("category.repair.elevator")})
			if err := app.Save(next); err != nil {
				t.Fatal(err)
			}
			checkIntake(t, app, next, fmt.Sprintf("%d-%06d", year, seeded+2), 4*time.Hour, "")
		},
	}
	s.Test(t)
}

// checkIntake checks number, status, deadline and the submit event of r.
func checkIntake(t testing.TB, app core.App, r *core.Record, number string, deadline time.Duration, actor string) {
	t.Helper()
	if got := r.GetString("number"); got != number || !caseNumber.MatchString(got) {
		t.Errorf("number %q, want %q", got, number)
	}
	if got := r.GetString("status"); got != "submitted" {
		t.Errorf("status %q, want submitted", got)
	}
	due := r.GetDateTime("due_at").Time()
	if want := r.GetDateTime("created").Time().Add(deadline); due.Sub(want).Abs() > time.Minute {
		t.Errorf("due_at %v, want created + %v = %v", due, deadline, want)
	}
	events, err := app.FindAllRecords("case_events")
	if err != nil {
		t.Fatal(err)
	}
	var found int
	for _, ev := range events {
		if ev.GetString("case") != r.Id {
			continue
		}
		found++
		if ev.GetString("action") != "submit" || ev.GetString("to_status") != "submitted" || ev.GetString("actor") != actor {
			t.Errorf("timeline of %s: %v", number, ev.PublicExport())
		}
	}
	if found != 1 {
		t.Errorf("case %s has %d timeline events, want 1 (submit)", number, found)
	}
}

// TestTimelinesAppendOnly: case and alarm events cannot be changed or
// deleted, even from Go (the API refusals, superusers included, are in
// the access matrix); new events can be added.
func TestTimelinesAppendOnly(t *testing.T) {
	c := testapp.Shared(t)
	app := c.Clone(t)
	for _, key := range []string{"event.h1", "aevent.e1"} {
		r := c.Record(t, app, key)
		before := r.GetString("note")
		r.Set("note", "rewritten history")
		if err := app.Save(r); err == nil {
			t.Errorf("%s: saving a changed event succeeded", key)
		}
		if err := app.Delete(c.Record(t, app, key)); err == nil {
			t.Errorf("%s: deleting an event succeeded", key)
		}
		if got := c.Record(t, app, key).GetString("note"); got != before {
			t.Errorf("%s: note is %q after the refused save, want %q", key, got, before)
		}
		added := core.NewRecord(r.Collection())
		added.Load(map[string]any{"case": c.ID("case.h1"), "alarm": c.ID("alarm.e1"), "action": "comment", "note": "appended"})
		if err := app.Save(added); err != nil {
			t.Errorf("%s: appending an event: %v", r.Collection().Name, err)
		}
	}
}
