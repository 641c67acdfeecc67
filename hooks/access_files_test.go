package hooks_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/internal/testapp"
)

// TestCasePhotosFollowTheViewRule: a case's photos are protected files:
// served only with a file token of someone who may view the case. (An
// unprotected file is served to anyone who has its URL.)
func TestCasePhotosFollowTheViewRule(t *testing.T) {
	c := testapp.Shared(t)
	app := c.Clone(t)
	kase := c.Record(t, app, "case.h2")
	photos := kase.GetStringSlice("photos")
	if len(photos) != 1 {
		t.Fatalf("case.h2 photos: %v", photos)
	}
	url := "/api/files/cases/" + kase.Id + "/" + photos[0]
	fileToken := func(key string) string {
		token, err := c.Record(t, app, key).NewFileToken()
		if err != nil {
			t.Fatal(err)
		}
		return token
	}
	superuser, err := app.FindAuthRecordByEmail(core.CollectionNameSuperusers, testapp.SuperuserEmail)
	if err != nil {
		t.Fatal(err)
	}
	superToken, err := superuser.NewFileToken()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, token string
		status      int
	}{
		{"guest, no token", "", 404},
		{"another household's resident", fileToken("user.resident"), 404},
		{"grid worker of another grid", fileToken("user.grid1"), 404},
		{"the reporter", fileToken("user.other"), 200},
		{"the mediator", fileToken("user.mediator"), 200},
		{"staff", fileToken("user.staff"), 200},
		{"superuser", superToken, 200},
	} {
		s := tests.ApiScenario{
			Name: tc.name, Method: http.MethodGet, URL: url + "?token=" + tc.token,
			TestAppFactory: c.Factory, ExpectedStatus: tc.status,
		}
		if tc.status == 200 {
			s.ExpectedContent = []string{"PNG"}
		} else {
			s.ExpectedContent = []string{`"status":404`}
		}
		s.Test(t)
	}
}
