package hooks_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/fengqiao/fengqiao/internal/testapp"
)

// connectRealtime subscribes with role's token; it returns the status of
// the subscription request.
func connectRealtime(t *testing.T, base string, c *testapp.Community, role testapp.Role, subs ...string) (*sseClient, int) {
	t.Helper()
	return openRealtime(t, base, c.Auth(role), subs...)
}

// TestRealtimeFollowsTheMatrix: realtime checks the same list and view
// rules. A resident subscribed to every case, and to another household's
// case by id, hears nothing of that case while staff do; the resident
// hears their own household's case, which is saved after it.
func TestRealtimeFollowsTheMatrix(t *testing.T) {
	c := testapp.Shared(t)
	app := c.Clone(t)
	base := testapp.Serve(t, app)

	other := c.ID("case.h2")
	resident, status := connectRealtime(t, base, c, testapp.Resident, "cases/*", "cases/"+other, "case_events/*")
	if status != http.StatusNoContent {
		t.Fatalf("resident subscription: %d", status)
	}
	staff, status := connectRealtime(t, base, c, testapp.Staff, "cases/*", "case_events/*")
	if status != http.StatusNoContent {
		t.Fatalf("staff subscription: %d", status)
	}

	// The other household's case changes, gets a new event, then a new
	// case is reported there; last, the resident's own case changes.
	h2 := c.Record(t, app, "case.h2")
	h2.Set("title", "h2 updated")
	if err := app.Save(h2); err != nil {
		t.Fatal(err)
	}
	fresh := testapp.Create(t, app, "cases", map[string]any{"kind": "dispute", "title": "h2 again", "source": "resident_app",
		"reporter": c.ID("user.other"), "household": c.ID("household.h2"), "grid": c.ID("grid.g2")})
	own := c.Record(t, app, "case.h1")
	own.Set("title", "h1 updated")
	if err := app.Save(own); err != nil {
		t.Fatal(err)
	}

	// Staff hear all three (the new case's submit event included).
	staff.collect(t, other, fresh.Id, own.Id)
	// The resident hears their own case; anything sent to them about the
	// others was queued before it: let stragglers arrive, then look.
	heard := resident.drain(resident.collect(t, own.Id))
	for _, ev := range heard {
		if ev.recordID == other || ev.recordID == fresh.Id {
			t.Errorf("resident heard %s about %s (another household's case)", ev.topic, ev.recordID)
		}
		if ev.topic == "case_events/*" {
			t.Errorf("resident heard a timeline event %s: nothing of theirs got one", ev.recordID)
		}
	}
}

// TestRealtimeFilterGuard: a subscription filter may not reach through a
// relation the caller cannot list in full.
func TestRealtimeFilterGuard(t *testing.T) {
	c := testapp.Shared(t)
	base := testapp.Serve(t, c.Clone(t))
	opts := func(filter string) string {
		b, _ := json.Marshal(map[string]any{"query": map[string]string{"filter": filter}})
		return "?options=" + url.QueryEscape(string(b))
	}
	for _, tc := range []struct {
		role   testapp.Role
		sub    string
		status int
	}{
		{testapp.Resident, "grids/*" + opts("cases_via_grid.title?~'h2'"), http.StatusForbidden},
		{testapp.Resident, "cases/*" + opts("household.head_name~'何'"), http.StatusForbidden},
		{testapp.Resident, "cases/*" + opts("@collection.cases.title?~'h2'"), http.StatusForbidden},
		{testapp.Resident, "cases/*" + opts("title~'h1'"), http.StatusNoContent},
		{testapp.Staff, "grids/*" + opts("cases_via_grid.title?~'h2'"), http.StatusNoContent},
	} {
		if _, status := connectRealtime(t, base, c, tc.role, tc.sub); status != tc.status {
			t.Errorf("%s subscribing to %s: status %d, want %d", tc.role, tc.sub, status, tc.status)
		}
	}
}
