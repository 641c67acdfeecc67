package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/internal/testapp"
	"github.com/fengqiao/fengqiao/model"
)

// TestDeviceTokenFromAdminUI: an admin provisions a device in the admin UI
// by typing a token into new_token; only its hash is stored.
func TestDeviceTokenFromAdminUI(t *testing.T) {
	c := testapp.Shared(t)
	const token = "k7Q2m9XfR4tW8zLp3Vb6"
	body := func(extra string) *strings.Reader {
		return strings.NewReader(`{"kind":"sos_button","name":"新按钮","client_id":"sos-new-1"` + extra + `}`)
	}
	scenarios := []tests.ApiScenario{
		{
			Name: "no token: refused, naming new_token and suggesting one", Method: http.MethodPost,
			URL: "/api/collections/devices/records", Body: body(""), Headers: c.Auth(testapp.Superuser),
			ExpectedStatus: 400, ExpectedContent: []string{`"new_token":{"code":"validation_token_required"`},
			TestAppFactory: c.Factory,
		},
		{
			Name: "short token: refused", Method: http.MethodPost,
			URL: "/api/collections/devices/records", Body: body(`,"new_token":"short"`), Headers: c.Auth(testapp.Superuser),
			ExpectedStatus: 400, ExpectedContent: []string{`"new_token":{"code":"validation_token_too_short"`},
			TestAppFactory: c.Factory,
		},
		{
			Name: "token: hashed, plaintext not kept", Method: http.MethodPost,
			URL: "/api/collections/devices/records", Body: body(`,"new_token":"` + token + `"`), Headers: c.Auth(testapp.Superuser),
			ExpectedStatus: 200, ExpectedContent: []string{`"client_id":"sos-new-1"`, `"new_token":""`},
			NotExpectedContent: []string{token},
			TestAppFactory:     c.Factory,
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
				r, err := app.FindFirstRecordByData(model.CollectionDevices, "client_id", "sos-new-1")
				if err != nil {
					t.Fatal(err)
				}
				if got := model.AsDevice(r).TokenHash(); got != model.HashToken(token) {
					t.Errorf("token_hash %q, want the token's SHA-256", got)
				}
				if r.GetString("new_token") != "" {
					t.Error("the plaintext token was stored")
				}
			},
		},
		{
			Name: "staff cannot provision devices", Method: http.MethodPost,
			URL: "/api/collections/devices/records", Body: body(`,"new_token":"` + token + `"`), Headers: c.Auth(testapp.Staff),
			ExpectedStatus: 403, ExpectedContent: []string{`"data":{}`},
			TestAppFactory: c.Factory,
		},
	}
	for _, s := range scenarios {
		s.Test(t)
	}
}
