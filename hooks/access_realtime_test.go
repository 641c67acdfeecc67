package hooks_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fengqiao/fengqiao/internal/testapp"
)

// sseEvent is one server-sent event: the subscription it answers and the
// id of the record it carries.
type sseEvent struct{ topic, recordID, action string }

// sseClient is a realtime connection to the test server.
type sseClient struct {
	id     string
	events chan sseEvent
}

// connectRealtime opens /api/realtime, waits for PB_CONNECT and subscribes
// with role's token. It returns the status of the subscription request.
func connectRealtime(t *testing.T, base string, c *testapp.Community, role testapp.Role, subs ...string) (*sseClient, int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/realtime", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	cl := &sseClient{events: make(chan sseEvent, 64)}
	connected := make(chan string, 1)
	go cl.read(res, connected)
	select {
	case cl.id = <-connected:
	case <-time.After(10 * time.Second):
		t.Fatal("no PB_CONNECT from /api/realtime")
	}
	body, _ := json.Marshal(map[string]any{"clientId": cl.id, "subscriptions": subs})
	post, err := http.NewRequest(http.MethodPost, base+"/api/realtime", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	post.Header.Set("Content-Type", "application/json")
	for k, v := range c.Auth(role) {
		post.Header.Set(k, v)
	}
	sres, err := http.DefaultClient.Do(post)
	if err != nil {
		t.Fatal(err)
	}
	sres.Body.Close()
	return cl, sres.StatusCode
}

// read parses the event stream until it ends.
func (cl *sseClient) read(res *http.Response, connected chan<- string) {
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var name, data string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event:"):
			name = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			data = strings.TrimSpace(strings.TrimPrefix(line, "data:"))
		case line == "" && name != "":
			if name == "PB_CONNECT" {
				var msg struct{ ClientID string }
				_ = json.Unmarshal([]byte(data), &msg)
				connected <- msg.ClientID
			} else {
				var msg struct {
					Action string
					Record struct{ ID string }
				}
				_ = json.Unmarshal([]byte(data), &msg)
				cl.events <- sseEvent{topic: name, recordID: msg.Record.ID, action: msg.Action}
			}
			name, data = "", ""
		}
	}
	close(cl.events)
}

// collect returns the events received until one about each of ids has
// arrived, in any order, failing after a generous wait (a missing event is
// the failure; the wait only bounds a broken test).
func (cl *sseClient) collect(t *testing.T, ids ...string) []sseEvent {
	t.Helper()
	var got []sseEvent
	missing := map[string]bool{}
	for _, id := range ids {
		missing[id] = true
	}
	deadline := time.After(10 * time.Second)
	for len(missing) > 0 {
		select {
		case ev, ok := <-cl.events:
			if !ok {
				t.Fatalf("stream closed while waiting for %v; got %v", missing, got)
			}
			got = append(got, ev)
			delete(missing, ev.recordID)
		case <-deadline:
			t.Fatalf("no event about %v; got %v", missing, got)
		}
	}
	return got
}

// drain adds what arrives in the next moment to got.
func (cl *sseClient) drain(got []sseEvent) []sseEvent {
	stop := time.After(200 * time.Millisecond)
	for {
		select {
		case ev, ok := <-cl.events:
			if !ok {
				return got
			}
			got = append(got, ev)
		case <-stop:
			return got
		}
	}
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
