package pb_migrations_test

import (
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tests"
)

// TestReadingsQueryPlans pins the readings indexes to the queries that use
// them: every query the appliance runs on readings (copied from
// telemetry/prune.go, alarms/replay.go, alarms/counter_warm.go and
// loadgen/store.go) searches idx_readings_created, and no index starts with
// device (see 1796400400_readings_indexes.go).
func TestReadingsQueryPlans(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()

	var indexes []struct {
		Name string `db:"name"`
		SQL  string `db:"sql"`
	}
	if err := app.DB().NewQuery("SELECT name, COALESCE(sql, '') AS sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'readings'").
		All(&indexes); err != nil {
		t.Fatal(err)
	}
	for _, ix := range indexes {
		cols := strings.NewReplacer(" ", "", "\n", "", "\t", "", "`", "", "\"", "").Replace(ix.SQL)
		if strings.Contains(cols, "(device") {
			t.Errorf("index %s starts with device: %s", ix.Name, ix.SQL)
		}
	}

	const ts = "2026-01-01 00:00:00.000Z"
	queries := map[string]string{
		"prune": `DELETE FROM readings WHERE rowid IN (SELECT rowid FROM readings WHERE created < {:a} ORDER BY created LIMIT 5000)`,
		"replay": `SELECT id, device, topic, data, created FROM readings
			WHERE (created > {:a} OR (created = {:a} AND id > {:id})) AND created <= {:b} ORDER BY created ASC, id ASC LIMIT 500`,
		"warm count()": `SELECT id, device, topic, data, created FROM readings
			WHERE created >= {:a} AND created < {:b} ORDER BY created DESC LIMIT 20000`,
		"bench stored": `SELECT d.client_id, CAST(json_extract(r.data, '$.seq') AS INTEGER)
			FROM readings r JOIN devices d ON d.id = r.device WHERE r.created >= {:a} AND json_extract(r.data, '$.run') = {:id}`,
	}
	for name, q := range queries {
		var plan []struct {
			Detail string `db:"detail"`
		}
		err := app.DB().NewQuery("EXPLAIN QUERY PLAN " + q).Bind(dbx.Params{"a": ts, "b": ts, "id": "x"}).All(&plan)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var lines []string
		for _, p := range plan {
			lines = append(lines, p.Detail)
		}
		all := strings.Join(lines, "; ")
		if !strings.Contains(all, "INDEX idx_readings_created") {
			t.Errorf("%s does not use idx_readings_created: %s", name, all)
		}
		if strings.Contains(all, "SCAN r ") || strings.Contains(all, "SCAN readings") {
			t.Errorf("%s scans readings: %s", name, all)
		}
	}
}
