package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/internal/testapp"
)

// TestSignInNeedsARole: members sign in by phone; a user without any role
// (all roles taken away) cannot.
func TestSignInNeedsARole(t *testing.T) {
	c := testapp.Shared(t)
	login := func(phone string) *strings.Reader {
		return strings.NewReader(`{"identity":"` + phone + `","password":"` + testapp.Password + `"}`)
	}
	scenarios := []tests.ApiScenario{
		{
			Name: "resident signs in by phone", Method: http.MethodPost, URL: "/api/collections/users/auth-with-password",
			Body: login("13900000001"), ExpectedStatus: 200, ExpectedContent: []string{`"token":`, `"id":"` + c.ID("user.resident") + `"`},
		},
		{
			Name: "a member whose roles were all taken away", Method: http.MethodPost, URL: "/api/collections/users/auth-with-password",
			Body: login("13900000002"), ExpectedStatus: 403, ExpectedContent: []string{`"status":403`}, NotExpectedContent: []string{`"token"`},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				u := c.Record(t, app, "user.housemate")
				u.Set("roles", []string{})
				if err := app.Save(u); err != nil {
					t.Fatal(err)
				}
			},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = c.Factory
		s.Test(t)
	}
}
