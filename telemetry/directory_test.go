package telemetry

import (
	"slices"
	"sync"
	"testing"

	"github.com/fengqiao/fengqiao/model"
)

type fakeKicker struct {
	mu     sync.Mutex
	kicked []string
}

func (k *fakeKicker) Kick(clientID, reason string) {
	k.mu.Lock()
	k.kicked = append(k.kicked, clientID+": "+reason)
	k.mu.Unlock()
}

func (k *fakeKicker) list() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return slices.Clone(k.kicked)
}

func TestDirectoryAuthenticate(t *testing.T) {
	app := newTestApp(t)
	addDevice(t, app, "sos-1", model.KindSOSButton, nil)
	addDevice(t, app, "door-1", model.KindDoorMagnet, map[string]any{"disabled": true})
	addDevice(t, app, "siren-1", model.KindSiren, map[string]any{
		"subscribe_topics": []string{"alarms/critical/+"}, "publish_topics": []string{"devices/siren-1/status"}})
	addDevice(t, app, "notoken", model.KindPIR, map[string]any{"token_hash": ""})

	dir := NewDirectory(nil)
	if err := dir.Load(app); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, id, token string
		ok              bool
	}{
		{"right token", "sos-1", "tok-sos-1", true},
		{"wrong token", "sos-1", "tok-sos-2", false},
		{"another device's token", "sos-1", "tok-siren-1", false},
		{"empty token", "sos-1", "", false},
		{"unknown device", "ghost", "tok-ghost", false},
		{"disabled device", "door-1", "tok-door-1", false},
		{"device without token", "notoken", "", false},
		{"integration account", "siren-1", "tok-siren-1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			acc, ok := dir.Authenticate(tt.id, []byte(tt.token))
			if ok != tt.ok {
				t.Fatalf("Authenticate(%s) = %v, want %v", tt.id, ok, tt.ok)
			}
			if ok && acc.ID != tt.id {
				t.Fatalf("account id %q", acc.ID)
			}
		})
	}
	acc, _ := dir.Authenticate("siren-1", []byte("tok-siren-1"))
	if !acc.Integration || !slices.Equal(acc.Subscribe, []string{"alarms/critical/+"}) || acc.Kind != model.KindSiren {
		t.Fatalf("siren account = %+v", acc)
	}
	if acc, _ := dir.Authenticate("sos-1", []byte("tok-sos-1")); acc.Integration || acc.Kind != model.KindSOSButton {
		t.Fatalf("sos account = %+v", acc)
	}
	if dir.Len() != 2 {
		t.Fatalf("Len = %d, want 2", dir.Len())
	}
}

func TestDirectoryPutRemoveKick(t *testing.T) {
	app := newTestApp(t)
	dev := addDevice(t, app, "door-7", model.KindDoorMagnet, nil)
	dir := NewDirectory(nil)
	k := &fakeKicker{}
	dir.SetKicker(k)
	if err := dir.Load(app); err != nil {
		t.Fatal(err)
	}

	steps := []struct {
		name      string
		change    func()
		remove    bool
		login     string // client id and token to try afterwards
		token     string
		ok        bool
		wantKicks []string
	}{
		{"rename only: no kick", func() { dev.SetName("front door") }, false, "door-7", "tok-door-7", true, nil},
		{"new token: old one kicked and refused", func() { dev.SetTokenHash(model.HashToken("new")) }, false,
			"door-7", "tok-door-7", false, []string{"door-7: token changed"}},
		{"new token works", func() {}, false, "door-7", "new", true, []string{"door-7: token changed"}},
		{"client id changed", func() { dev.SetClientID("door-8") }, false, "door-8", "new", true,
			[]string{"door-7: token changed", "door-7: client id changed"}},
		{"disabled: kicked and refused", func() { dev.SetDisabled(true) }, false, "door-8", "new", false,
			[]string{"door-7: token changed", "door-7: client id changed", "door-8: device disabled"}},
		{"enabled again", func() { dev.SetDisabled(false) }, false, "door-8", "new", true,
			[]string{"door-7: token changed", "door-7: client id changed", "door-8: device disabled"}},
		{"deleted: kicked and refused", nil, true, "door-8", "new", false,
			[]string{"door-7: token changed", "door-7: client id changed", "door-8: device disabled", "door-8: device deleted"}},
	}
	for _, s := range steps {
		if s.remove {
			dir.Remove(dev.Record)
		} else {
			s.change()
			dir.Put(dev.Record)
		}
		if _, ok := dir.Authenticate(s.login, []byte(s.token)); ok != s.ok {
			t.Fatalf("%s: Authenticate(%s) = %v, want %v", s.name, s.login, ok, s.ok)
		}
		if got := k.list(); !slices.Equal(got, s.wantKicks) {
			t.Fatalf("%s: kicks %q, want %q", s.name, got, s.wantKicks)
		}
	}
}

// TestDirectorySync picks up changes no hook of this process saw (the
// `fengqiao device` commands run as another process).
func TestDirectorySync(t *testing.T) {
	app := newTestApp(t)
	dir := NewDirectory(nil)
	k := &fakeKicker{}
	dir.SetKicker(k)
	if err := dir.Load(app); err != nil {
		t.Fatal(err)
	}
	dev := addDevice(t, app, "smoke-1", model.KindSmoke, nil) // no hook bound: the directory does not know
	siren := addDevice(t, app, "siren-1", model.KindSiren, map[string]any{"subscribe_topics": []string{"alarms/#"}})
	if _, ok := dir.Authenticate("smoke-1", []byte("tok-smoke-1")); ok {
		t.Fatal("known before Sync")
	}
	steps := []struct {
		name   string
		change func() error
		ok     bool
		kicks  []string
	}{
		{"added", func() error { return nil }, true, nil},
		{"disabled", func() error { dev.SetDisabled(true); return app.Save(dev) }, false, []string{"smoke-1: device disabled"}},
		{"enabled", func() error { dev.SetDisabled(false); return app.Save(dev) }, true, []string{"smoke-1: device disabled"}},
		{"deleted", func() error { return app.Delete(dev) }, false, []string{"smoke-1: device disabled", "smoke-1: device deleted"}},
	}
	for _, s := range steps {
		if err := s.change(); err != nil {
			t.Fatal(err)
		}
		if err := dir.Sync(app); err != nil {
			t.Fatal(err)
		}
		if _, ok := dir.Authenticate("smoke-1", []byte("tok-smoke-1")); ok != s.ok {
			t.Fatalf("%s: Authenticate = %v, want %v", s.name, ok, s.ok)
		}
		if got := k.list(); !slices.Equal(got, s.kicks) {
			t.Fatalf("%s: kicks %q, want %q", s.name, got, s.kicks)
		}
	}
	acc, ok := dir.Authenticate("siren-1", []byte("tok-siren-1"))
	if !ok || !acc.Integration || !slices.Equal(acc.Subscribe, []string{"alarms/#"}) {
		t.Fatalf("siren after Sync = %+v, %v", acc, ok)
	}
	_ = siren
}
