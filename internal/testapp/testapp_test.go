package testapp_test

import (
	"net/http"
	"os"
	"slices"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/internal/testapp"
)

func TestMain(m *testing.M) { os.Exit(testapp.Run(m)) }

// TestNewIsEmpty: New applies the migrations and seeds nothing else.
func TestNewIsEmpty(t *testing.T) {
	app := testapp.New(t)
	for _, name := range []string{"users", "cases", "households"} {
		n, err := app.CountRecords(name)
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s has %d records in an empty app", name, n)
		}
	}
	if n, _ := app.CountRecords("categories"); n == 0 {
		t.Error("the catalogue migration did not run")
	}
	if app.Settings().RateLimits.Enabled {
		t.Error("the rate limiter should be off in test apps")
	}
}

// TestTokensAreTheirRoles: each role's token authenticates as its user.
func TestTokensAreTheirRoles(t *testing.T) {
	c := testapp.Shared(t)
	if c.Token(testapp.Guest) != "" {
		t.Error("a guest has no token")
	}
	for _, role := range testapp.Roles[1:] {
		collection := "users"
		if role == testapp.Superuser {
			collection = core.CollectionNameSuperusers
		}
		s := tests.ApiScenario{
			Name: string(role), Method: http.MethodPost, URL: "/api/collections/" + collection + "/auth-refresh",
			Headers: c.Auth(role), TestAppFactory: c.Factory, ExpectedStatus: 200,
			ExpectedContent: []string{`"id":"` + c.ID(testapp.UserKey(role)) + `"`},
		}
		s.Test(t)
	}
}

// TestClonesAreIndependent: a write in one clone is not seen by the next.
func TestClonesAreIndependent(t *testing.T) {
	c := testapp.Shared(t)
	a := c.Clone(t)
	if err := a.Delete(c.Record(t, a, "place.clinic")); err != nil {
		t.Fatal(err)
	}
	b := c.Clone(t)
	if _, err := b.FindRecordById("places", c.ID("place.clinic")); err != nil {
		t.Errorf("a delete in one clone reached another: %v", err)
	}
}

// TestCommunityShape: the records the access tables rely on, with the
// intake's work done (numbers and submit events).
func TestCommunityShape(t *testing.T) {
	c := testapp.Shared(t)
	app := c.Clone(t)
	for _, key := range c.Keys("cases") {
		r := c.Record(t, app, key)
		if r.GetString("number") == "" || r.GetString("status") != "submitted" {
			t.Errorf("%s: number %q status %q", key, r.GetString("number"), r.GetString("status"))
		}
	}
	if got, want := len(c.Keys("case_events")), len(c.Keys("cases")); got != want {
		t.Errorf("%d case events for %d cases", got, want)
	}
	if !slices.Contains(c.Keys("departments"), "dept.police") || !slices.Contains(c.Keys("categories"), "category.complaint.noise") {
		t.Error("the catalogue is not keyed by code")
	}
	mixed := c.Record(t, app, "user.mixed").GetStringSlice("roles")
	if !slices.Equal(mixed, []string{"volunteer", "resident"}) {
		t.Errorf("user.mixed roles %v", mixed)
	}
	for _, role := range testapp.Roles[1:] {
		if c.Token(role) == "" {
			t.Errorf("%s has no token", role)
		}
	}
}
