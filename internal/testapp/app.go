package testapp

import (
	"fmt"
	"os"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/hooks"
	_ "github.com/fengqiao/fengqiao/pb_migrations" // registers fengqiao's migrations
)

// New returns an app on an empty data dir with PocketBase's system
// migrations and fengqiao's migrations applied and fengqiao's hooks
// registered; it is removed when t ends. PocketBase's own test fixtures
// are not loaded.
func New(t testing.TB) *tests.TestApp {
	t.Helper()
	empty := t.TempDir()
	app, err := open(empty)
	if err != nil {
		t.Fatalf("testapp: %v", err)
	}
	t.Cleanup(app.Cleanup)
	return app
}

// open clones dir into a new temporary data dir, applies any missing
// migration and registers fengqiao's hooks with Config().
func open(dir string) (*tests.TestApp, error) {
	app, err := tests.NewTestApp(dir)
	if err != nil {
		return nil, fmt.Errorf("new test app from %s: %w", dir, err)
	}
	if err := register(app); err != nil {
		app.Cleanup()
		return nil, err
	}
	return app, nil
}

// Config is the hooks configuration of test apps: the defaults, with the
// MQTT TCP listener on a free loopback port (it only listens when Serve
// starts a real server) and no TLS listener.
func Config() hooks.Config {
	cfg := hooks.DefaultConfig()
	cfg.MQTT, cfg.MQTTTLS = "127.0.0.1:0", ""
	return cfg
}

// register binds fengqiao's hooks as main.go does, minus the banner.
func register(app *tests.TestApp) error {
	if err := hooks.Register(app, Config()); err != nil {
		return fmt.Errorf("register hooks: %w", err)
	}
	app.OnServe().Unbind("fengqiaoBanner")
	s := app.Settings()
	if s.RateLimits.Enabled {
		s.RateLimits.Enabled = false
		if err := app.Save(s); err != nil {
			return fmt.Errorf("switch the rate limiter off: %w", err)
		}
	}
	return nil
}

// Run runs the tests of m, then removes the shared community's data dir.
// Call it from TestMain: os.Exit(testapp.Run(m)).
func Run(m *testing.M) int {
	code := m.Run()
	if shared.c != nil {
		if err := os.RemoveAll(shared.c.Dir); err != nil {
			fmt.Fprintf(os.Stderr, "testapp: remove %s: %v\n", shared.c.Dir, err)
		}
	}
	return code
}

// Token returns a fresh auth token of record (a users or _superusers
// record), or fails the test.
func Token(t testing.TB, record *core.Record) string {
	t.Helper()
	token, err := record.NewAuthToken()
	if err != nil {
		t.Fatalf("testapp: auth token of %s: %v", record.Id, err)
	}
	return token
}
