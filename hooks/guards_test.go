package hooks_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/internal/testapp"
)

// fieldError is the JSON a guard answers for a refused field.
func fieldError(field, code string) string {
	return fmt.Sprintf(`%q:{"code":%q`, field, code)
}

const (
	workflowField = "validation_workflow_field"
	staffOnly     = "validation_staff_only_field"
	ownOnly       = "validation_own_value_only"
)

// TestFieldGuards: fields a caller may not send are refused with 403 and
// named in the error; nothing is stored.
func TestFieldGuards(t *testing.T) {
	c := testapp.Shared(t)
	newCase := func(extra string) string {
		return `{"kind":"complaint","title":"guarded","source":"resident_app"` + extra + `}`
	}
	casesUnchanged := countIs("cases", len(c.Keys("cases")))
	userRoles := func(key string, want ...string) func(testing.TB, *tests.TestApp, *http.Response) {
		return func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			if got := c.Record(t, app, key).GetStringSlice("roles"); !slices.Equal(got, want) {
				t.Errorf("%s roles = %v, want %v", key, got, want)
			}
		}
	}
	self := "/api/collections/users/records/" + c.ID("user.resident")
	scenarios := []tests.ApiScenario{
		{
			Name: "resident sends workflow and staff-only fields of a case", Method: http.MethodPost, URL: "/api/collections/cases/records",
			Body:           strings.NewReader(newCase(`,"status":"closed","number":"2026-999999","lead_department":"` + c.ID("dept.police") + `"`)),
			Headers:        c.Auth(testapp.Resident),
			ExpectedStatus: 403,
			ExpectedContent: []string{fieldError("lead_department", staffOnly), fieldError("number", workflowField),
				fieldError("status", workflowField)},
			AfterTestFunc: casesUnchanged,
		},
		{
			Name: "resident reports in someone else's name", Method: http.MethodPost, URL: "/api/collections/cases/records",
			Body: strings.NewReader(newCase(`,"reporter":"` + c.ID("user.other") + `"`)), Headers: c.Auth(testapp.Resident),
			ExpectedStatus: 403, ExpectedContent: []string{fieldError("reporter", ownOnly)}, AfterTestFunc: casesUnchanged,
		},
		{
			Name: "resident reports in someone else's name, as a list", Method: http.MethodPost, URL: "/api/collections/cases/records",
			Body: strings.NewReader(newCase(`,"reporter":["` + c.ID("user.other") + `"]`)), Headers: c.Auth(testapp.Resident),
			ExpectedStatus: 403, ExpectedContent: []string{fieldError("reporter", ownOnly)}, AfterTestFunc: casesUnchanged,
		},
		{
			Name: "resident files a case on another household", Method: http.MethodPost, URL: "/api/collections/cases/records",
			Body: strings.NewReader(newCase(`,"household":"` + c.ID("household.h2") + `"`)), Headers: c.Auth(testapp.Resident),
			ExpectedStatus: 403, ExpectedContent: []string{fieldError("household", ownOnly)}, AfterTestFunc: casesUnchanged,
		},
		{
			Name: "unverified resident names the household not yet confirmed", Method: http.MethodPost, URL: "/api/collections/cases/records",
			Body: strings.NewReader(newCase(`,"household":"` + c.ID("household.h1") + `"`)), Headers: c.Auth(testapp.Unverified),
			ExpectedStatus: 403, ExpectedContent: []string{fieldError("household", ownOnly)}, AfterTestFunc: casesUnchanged,
		},
		{
			Name: "resident reports as themself from their own household", Method: http.MethodPost, URL: "/api/collections/cases/records",
			Body:           strings.NewReader(newCase(`,"household":"` + c.ID("household.h1") + `","reporter":"` + c.ID("user.resident") + `"`)),
			Headers:        c.Auth(testapp.Resident),
			ExpectedStatus: 200, ExpectedContent: []string{`"reporter":"` + c.ID("user.resident") + `"`, `"status":"submitted"`},
		},
		{
			Name: "staff may not skip the workflow either", Method: http.MethodPost, URL: "/api/collections/cases/records",
			Body:           strings.NewReader(newCase(`,"status":"closed","lead_department":"` + c.ID("dept.police") + `"`)),
			Headers:        c.Auth(testapp.Staff),
			ExpectedStatus: 403, ExpectedContent: []string{fieldError("status", workflowField)},
			NotExpectedContent: []string{`"lead_department":{`}, AfterTestFunc: casesUnchanged,
		},
		{
			Name: "staff record a walk-in for a household, with its department", Method: http.MethodPost, URL: "/api/collections/cases/records",
			Body: strings.NewReader(newCase(`,"household":"` + c.ID("household.h2") + `","reporter":"` + c.ID("user.other") +
				`","lead_department":"` + c.ID("dept.police") + `"`)),
			Headers: c.Auth(testapp.Staff), ExpectedStatus: 200, ExpectedContent: []string{`"lead_department":"` + c.ID("dept.police") + `"`},
		},
		{
			Name: "superusers pass the guards", Method: http.MethodPost, URL: "/api/collections/cases/records",
			Body:    strings.NewReader(newCase(`,"status":"accepted"`)),
			Headers: c.Auth(testapp.Superuser), ExpectedStatus: 200, ExpectedContent: []string{`"status":"accepted"`},
		},

		// Sign-up and self-service.
		{
			Name: "guest signs up as staff", Method: http.MethodPost, URL: "/api/collections/users/records",
			Body:           strings.NewReader(signUp(`,"roles":["staff"]`)),
			ExpectedStatus: 403, ExpectedContent: []string{fieldError("roles", staffOnly)},
			AfterTestFunc: countIs("users", len(c.Keys("users"))),
		},
		{
			Name: "guest signs up already verified", Method: http.MethodPost, URL: "/api/collections/users/records",
			Body:           strings.NewReader(signUp(`,"household":"` + c.ID("household.h2") + `","household_verified":true`)),
			ExpectedStatus: 403, ExpectedContent: []string{fieldError("household_verified", staffOnly)},
			NotExpectedContent: []string{`"household":{`}, AfterTestFunc: countIs("users", len(c.Keys("users"))),
		},
		{
			Name: "guest signs up and is a resident waiting for verification", Method: http.MethodPost, URL: "/api/collections/users/records",
			Body:           strings.NewReader(signUp(`,"household":"` + c.ID("household.h2") + `"`)),
			ExpectedStatus: 200, ExpectedContent: []string{`"roles":["resident"]`, `"household_verified":false`},
		},
		{
			Name: "resident makes themself staff", Method: http.MethodPatch, URL: self, Body: strings.NewReader(`{"roles":["staff"]}`),
			Headers: c.Auth(testapp.Resident), ExpectedStatus: 403, ExpectedContent: []string{fieldError("roles", staffOnly)},
			AfterTestFunc: userRoles("user.resident", "resident"),
		},
		{
			Name: "resident adds a role with a modifier", Method: http.MethodPatch, URL: self, Body: strings.NewReader(`{"roles+":"staff"}`),
			Headers: c.Auth(testapp.Resident), ExpectedStatus: 403, ExpectedContent: []string{fieldError("roles", staffOnly)},
			AfterTestFunc: userRoles("user.resident", "resident"),
		},
		{
			Name: "resident moves to another household", Method: http.MethodPatch, URL: self,
			Body:    strings.NewReader(`{"household":"` + c.ID("household.h2") + `","name":"moved"}`),
			Headers: c.Auth(testapp.Resident), ExpectedStatus: 403, ExpectedContent: []string{fieldError("household", staffOnly)},
			NotExpectedContent: []string{`"name":{`},
		},
		{
			Name: "resident renames themself", Method: http.MethodPatch, URL: self, Body: strings.NewReader(`{"name":"新名字"}`),
			Headers: c.Auth(testapp.Resident), ExpectedStatus: 200, ExpectedContent: []string{`"name":"新名字"`},
		},
		{
			Name: "staff give a resident the volunteer role", Method: http.MethodPatch, URL: self,
			Body:    strings.NewReader(`{"roles":["resident","volunteer"]}`),
			Headers: c.Auth(testapp.Staff), ExpectedStatus: 200, ExpectedContent: []string{`"roles":["resident","volunteer"]`},
			AfterTestFunc: userRoles("user.resident", "resident", "volunteer"),
		},
		{
			Name: "staff verify a household binding", Method: http.MethodPatch, URL: "/api/collections/users/records/" + c.ID("user.unverified"),
			Body: strings.NewReader(`{"household_verified":true}`), Headers: c.Auth(testapp.Staff),
			ExpectedStatus: 200, ExpectedContent: []string{`"household_verified":true`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = c.Factory
		s.Test(t)
	}
	multipartRoles(t, c)
}

// multipartRoles: a multipart form with @jsonPayload is read like JSON.
func multipartRoles(t *testing.T, c *testapp.Community) {
	body, mw, err := tests.MockMultipartData(map[string]string{"@jsonPayload": `{"roles":["staff"]}`})
	if err != nil {
		t.Fatal(err)
	}
	headers := c.Auth(testapp.Resident)
	headers["Content-Type"] = mw.FormDataContentType()
	s := tests.ApiScenario{
		Name: "resident makes themself staff in a multipart form", Method: http.MethodPatch,
		URL: "/api/collections/users/records/" + c.ID("user.resident"), Body: body, Headers: headers,
		TestAppFactory: c.Factory, ExpectedStatus: 403, ExpectedContent: []string{fieldError("roles", staffOnly)},
	}
	s.Test(t)
}

// signUp is a guest's sign-up body with extra fields.
func signUp(extra string) string {
	return `{"phone":"13911112222","name":"新居民","password":"pw-123456789","passwordConfirm":"pw-123456789"` + extra + `}`
}

// countIs checks the number of records of collection after a scenario.
func countIs(collection string, want int) func(testing.TB, *tests.TestApp, *http.Response) {
	return func(t testing.TB, app *tests.TestApp, _ *http.Response) {
		n, err := app.CountRecords(collection)
		if err != nil {
			t.Fatal(err)
		}
		if int(n) != want {
			t.Errorf("%s has %d records, want %d", collection, n, want)
		}
	}
}
