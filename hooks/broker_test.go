package hooks

import (
	"errors"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/model"
	_ "github.com/fengqiao/fengqiao/pb_migrations"
	"github.com/fengqiao/fengqiao/telemetry"
)

// newBrokerTestApp is an empty app with fengqiao's schema (no hooks).
func newBrokerTestApp(t *testing.T) *tests.TestApp {
	t.Helper()
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	return app
}

// newTestDevice creates a device whose token is "tok-"+clientID.
func newTestDevice(t *testing.T, app core.App, clientID, kind string, set map[string]any) *model.Device {
	t.Helper()
	d, err := model.NewDevice(app)
	if err != nil {
		t.Fatal(err)
	}
	d.SetClientID(clientID)
	d.SetKind(kind)
	d.SetName("test " + clientID)
	d.SetTokenHash(model.HashToken("tok-" + clientID))
	for k, v := range set {
		d.Set(k, v)
	}
	if err := app.Save(d); err != nil {
		t.Fatalf("save device %s: %v", clientID, err)
	}
	return d
}

type kicks struct {
	mu  sync.Mutex
	got []string
}

func (k *kicks) Kick(clientID, reason string) {
	k.mu.Lock()
	k.got = append(k.got, clientID+": "+reason)
	k.mu.Unlock()
}

func (k *kicks) list() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return slices.Clone(k.got)
}

// TestDeviceDirectoryHooks: record hooks keep the directory fresh as
// devices are created, changed, disabled and deleted; disabled and deleted
// devices are refused and kicked.
func TestDeviceDirectoryHooks(t *testing.T) {
	app := newBrokerTestApp(t)
	dir := telemetry.NewDirectory(nil)
	k := &kicks{}
	dir.SetKicker(k)
	bindDeviceDirectory(app, dir)

	dev := newTestDevice(t, app, "door-1", model.KindDoorMagnet, nil)
	login := func() bool { _, ok := dir.Authenticate("door-1", []byte("tok-door-1")); return ok }
	steps := []struct {
		name   string
		change func() error
		ok     bool
		kicks  []string
	}{
		{"created", func() error { return nil }, true, nil},
		{"renamed", func() error { dev.SetName("front door"); return app.Save(dev) }, true, nil},
		{"disabled", func() error { dev.SetDisabled(true); return app.Save(dev) }, false, []string{"door-1: device disabled"}},
		{"enabled", func() error { dev.SetDisabled(false); return app.Save(dev) }, true, []string{"door-1: device disabled"}},
		{"failed transaction changes nothing", func() error {
			err := app.RunInTransaction(func(tx core.App) error {
				dev.SetDisabled(true)
				if err := tx.Save(dev); err != nil {
					return err
				}
				return errRollback
			})
			dev.SetDisabled(false)
			if err != errRollback {
				return err
			}
			return nil
		}, true, []string{"door-1: device disabled"}},
		{"deleted", func() error { return app.Delete(dev) }, false, []string{"door-1: device disabled", "door-1: device deleted"}},
	}
	for _, s := range steps {
		if err := s.change(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if login() != s.ok {
			t.Fatalf("%s: login = %v, want %v", s.name, !s.ok, s.ok)
		}
		if got := k.list(); !slices.Equal(got, s.kicks) {
			t.Fatalf("%s: kicks %q, want %q", s.name, got, s.kicks)
		}
	}
}

var errRollback = errors.New("rollback")

// serveApp runs app's OnServe hooks (fengqiao's included) on PocketBase's
// router behind an httptest server on 127.0.0.1, as `fengqiao serve` does.
func serveApp(t *testing.T, app core.App) string {
	t.Helper()
	router, err := apis.NewRouter(app)
	if err != nil {
		t.Fatal(err)
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
		t.Fatalf("serve: %v", err)
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

// waitUntil polls cond for up to 5 s.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
