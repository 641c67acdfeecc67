package testapp

import (
	"net/http/httptest"
	"testing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
)

// Serve starts app's HTTP API on 127.0.0.1 (a free port) the way
// `fengqiao serve` builds it: PocketBase's router, then every OnServe hook
// (fengqiao's included). It returns the base URL; the server stops when t
// ends. Use it for what needs a real connection, such as realtime (SSE).
func Serve(t testing.TB, app *tests.TestApp) string {
	t.Helper()
	router, err := apis.NewRouter(app)
	if err != nil {
		t.Fatalf("testapp: router: %v", err)
	}
	srv := httptest.NewUnstartedServer(nil)
	e := &core.ServeEvent{Router: router, Server: srv.Config}
	e.App = app
	err = app.OnServe().Trigger(e, func(e *core.ServeEvent) error {
		mux, err := e.Router.BuildMux()
		if err != nil {
			return err
		}
		srv.Config.Handler = mux
		return nil
	})
	if err != nil {
		t.Fatalf("testapp: serve: %v", err)
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

// Create saves a new record of collection with data (as record.Load
// would take it; "password" is set with SetPassword) and returns it, or
// fails the test. Hooks run as for any Go save.
func Create(t testing.TB, app core.App, collection string, data map[string]any) *core.Record {
	t.Helper()
	col, err := app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		t.Fatalf("testapp: collection %s: %v", collection, err)
	}
	r := core.NewRecord(col)
	for k, v := range data {
		if pw, ok := v.(string); ok && k == "password" {
			r.SetPassword(pw)
			continue
		}
		r.Set(k, v)
	}
	if err := app.Save(r); err != nil {
		t.Fatalf("testapp: create %s: %v", collection, err)
	}
	return r
}
