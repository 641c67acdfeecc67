package hooks

import (
	"path/filepath"
	"testing"

	"github.com/pocketbase/pocketbase/tests"
)

// TestDBConnectLeavesCheckpointsToTheCheckpointer: data.db opens without
// automatic checkpoints, other databases keep SQLite's default.
func TestDBConnectLeavesCheckpointsToTheCheckpointer(t *testing.T) {
	dir := t.TempDir()
	for name, want := range map[string]int{"data.db": 0, "auxiliary.db": 1000} {
		db, err := DBConnect(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.NewQuery("PRAGMA wal_autocheckpoint").Row(&n); err != nil {
			t.Fatal(err)
		}
		var mode string
		if err := db.NewQuery("PRAGMA journal_mode").Row(&mode); err != nil {
			t.Fatal(err)
		}
		if n != want || mode != "wal" {
			t.Errorf("%s: wal_autocheckpoint %d (want %d), journal_mode %s (want wal)", name, n, want, mode)
		}
		_ = db.Close()
	}
}

// TestCheckpointCopiesTheLog: after writes, a passive checkpoint leaves
// every frame of the log copied into the database file.
func TestCheckpointCopiesTheLog(t *testing.T) {
	app, err := tests.NewTestApp()
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	if _, err := app.DB().NewQuery("CREATE TABLE cp_probe (v TEXT)").Execute(); err != nil {
		t.Fatal(err)
	}
	for range 50 {
		if _, err := app.DB().NewQuery("INSERT INTO cp_probe VALUES (hex(randomblob(512)))").Execute(); err != nil {
			t.Fatal(err)
		}
	}
	res, err := checkpoint(app)
	if err != nil {
		t.Fatal(err)
	}
	if res.Log <= 0 || res.Checkpointed != res.Log {
		t.Errorf("after a checkpoint: %d of %d frames copied", res.Checkpointed, res.Log)
	}
}
