package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/internal/testapp"
)

// TestVisitRules: the matrix shows a volunteer logging a visit on their
// active pairing; these are the conditions around it.
func TestVisitRules(t *testing.T) {
	c := testapp.Shared(t)
	visit := func(pairing, volunteer, elder string) *strings.Reader {
		return strings.NewReader(`{"pairing":"` + c.ID(pairing) + `","volunteer":"` + c.ID(volunteer) + `","elder":"` + c.ID(elder) +
			`","visited_at":"2026-01-02 10:00:00.000Z","services":["chat"]}`)
	}
	visits := len(c.Keys("visits"))
	ownVisit := "/api/collections/visits/records/" + c.ID("visit.e1")
	scenarios := []tests.ApiScenario{
		{
			Name: "volunteer logs a visit on an inactive pairing", Method: http.MethodPost, URL: "/api/collections/visits/records",
			Body: visit("pairing.inactive", "user.volunteer", "elder.e2"), Headers: c.Auth(testapp.Volunteer),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, AfterTestFunc: countIs("visits", visits),
		},
		{
			Name: "volunteer logs a visit to another elder on their pairing", Method: http.MethodPost, URL: "/api/collections/visits/records",
			Body: visit("pairing.active", "user.volunteer", "elder.e2"), Headers: c.Auth(testapp.Volunteer),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, AfterTestFunc: countIs("visits", visits),
		},
		{
			Name: "another volunteer logs a visit on someone else's pairing", Method: http.MethodPost, URL: "/api/collections/visits/records",
			Body: visit("pairing.active", "user.mixed", "elder.e1"), Headers: c.Auth(testapp.Volunteer),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, AfterTestFunc: countIs("visits", visits),
		},
		{
			Name: "volunteer moves their visit to another elder", Method: http.MethodPatch, URL: ownVisit,
			Body: strings.NewReader(`{"elder":"` + c.ID("elder.e2") + `"}`), Headers: c.Auth(testapp.Volunteer),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "volunteer corrects the notes of their visit", Method: http.MethodPatch, URL: ownVisit,
			Body: strings.NewReader(`{"notes":"带了降压药"}`), Headers: c.Auth(testapp.Volunteer),
			ExpectedStatus: 200, ExpectedContent: []string{`"notes":"带了降压药"`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = c.Factory
		s.Test(t)
	}
}
