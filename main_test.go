package main

import (
	"os"
	"testing"
)

// TestNewApp: the appliance's flags and commands are registered, and
// data.db is opened by hooks.DBConnect (no automatic checkpoints: the
// checkpointer runs them beside the writers).
func TestNewApp(t *testing.T) {
	dir := t.TempDir()
	// PocketBase reads --dir from os.Args as the app is made, as in main.
	saved := os.Args
	os.Args = []string{"fengqiao", "--dir", dir, "--mqtt", "127.0.0.1:0", "--readings-days", "7"}
	defer func() { os.Args = saved }()
	app := newApp(os.Args[1:])
	for _, f := range []string{"mqtt", "mqtt-tls", "mqtt-cert", "mqtt-key", "mqtt-max-clients", "readings-days", "demo", "public-url"} {
		if app.RootCmd.PersistentFlags().Lookup(f) == nil {
			t.Errorf("flag --%s missing", f)
		}
	}
	if got := app.RootCmd.PersistentFlags().Lookup("readings-days").Value.String(); got != "7" {
		t.Errorf("--readings-days parsed as %s", got)
	}
	names := map[string]bool{}
	for _, c := range app.RootCmd.Commands() {
		names[c.Name()] = true
	}
	// serve and superuser are PocketBase's, added by Start.
	for _, c := range []string{"migrate", "device", "simulate", "bench"} {
		if !names[c] {
			t.Errorf("command %s missing (have %v)", c, names)
		}
	}
	if app.DataDir() != dir {
		t.Errorf("data dir %s, want %s", app.DataDir(), dir)
	}
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = app.ResetBootstrapState() }()
	var n int
	if err := app.DB().NewQuery("PRAGMA wal_autocheckpoint").Row(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("data.db wal_autocheckpoint %d, want 0 (hooks.DBConnect)", n)
	}
}
