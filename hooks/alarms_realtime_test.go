package hooks_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fengqiao/fengqiao/alarms"
	"github.com/fengqiao/fengqiao/internal/testapp"
	"github.com/fengqiao/fengqiao/model"
)

// connectFeed subscribes with token (may be ""), failing unless the
// subscription is accepted.
func connectFeed(t *testing.T, base, token string, subs ...string) *sseClient {
	t.Helper()
	header := map[string]string{}
	if token != "" {
		header["Authorization"] = token
	}
	cl, status := openRealtime(t, base, header, subs...)
	if status != http.StatusNoContent {
		t.Fatalf("subscribe %v: status %d", subs, status)
	}
	return cl
}

// boardTopic is how the board subscribed before the feed: alarms/* with
// its expand, the way the PocketBase SDK files it.
func boardTopic() string {
	opts, _ := json.Marshal(map[string]any{"query": map[string]string{"expand": strings.Join(model.AlarmBoardExpand, ",")}})
	return "alarms/*?options=" + url.QueryEscape(string(opts))
}

// TestAlarmFeedDelivers: over real SSE connections, an alarm's create and
// updates reach exactly those the view rule lets see it, in order; staff
// get the same record, expand included, as PocketBase's own alarms/*
// event with the board's expand; the others get the alarm's own fields.
func TestAlarmFeedDelivers(t *testing.T) {
	c := testapp.Shared(t)
	app := c.Clone(t)
	// The staff member has an e-mail: PocketBase shows it to them (only)
	// when they are the expanded acknowledger.
	staffUser := c.Record(t, app, "user.staff")
	staffUser.SetEmail("staff@fengqiao.test")
	if err := app.Save(staffUser); err != nil {
		t.Fatal(err)
	}
	base := testapp.Serve(t, app)
	eng := app.Store().Get("fengqiao.alarms").(*alarms.Engine)
	<-eng.Ready()

	// (a new e-mail invalidates the old token)
	staff := connectFeed(t, base, testapp.Token(t, staffUser), boardTopic(), model.TopicAlarms)
	secretary := connectFeed(t, base, c.Token(testapp.Secretary), boardTopic(), model.TopicAlarms)
	grid := connectFeed(t, base, c.Token(testapp.GridWorker), model.TopicAlarms)
	volunteer := connectFeed(t, base, c.Token(testapp.Volunteer), model.TopicAlarms)
	resident := connectFeed(t, base, c.Token(testapp.Resident), model.TopicAlarms)
	otherGrid := connectFeed(t, base, c.Token(testapp.OtherGridWorker), model.TopicAlarms)
	guest := connectFeed(t, base, "", model.TopicAlarms)

	now := time.Now()
	a := testapp.Create(t, app, "alarms", map[string]any{"device": c.ID("device.e1"), "elder": c.ID("elder.e1"),
		"household": c.ID("household.h3"), "grid": c.ID("grid.g1"), "severity": "critical", "title": "feed SOS",
		"status": "active", "count": 1, "first_seen": now, "last_seen": now})

	sameAsPocketBase := func(cl *sseClient, who string) sseEvent {
		t.Helper()
		pb, feed := cl.next(t, boardTopic()), cl.next(t, model.TopicAlarms)
		if pb.recordID != a.Id || feed.recordID != a.Id || feed.action != pb.action {
			t.Fatalf("%s: PocketBase %s %s, feed %s %s", who, pb.action, pb.recordID, feed.action, feed.recordID)
		}
		if !reflect.DeepEqual(pb.record, feed.record) {
			t.Errorf("%s: the feed's record differs from PocketBase's:\nfeed %v\npb   %v", who, feed.record, pb.record)
		}
		return feed
	}
	ev := sameAsPocketBase(staff, "staff create")
	if x, _ := ev.record["expand"].(map[string]any); x["elder"] == nil || x["device"] == nil || x["grid"] == nil || x["household"] == nil {
		t.Errorf("staff create: expand %v", ev.record["expand"])
	}
	sameAsPocketBase(secretary, "secretary create")
	for who, cl := range map[string]*sseClient{"grid worker": grid, "volunteer": volunteer} {
		ev := cl.next(t, model.TopicAlarms)
		if ev.action != "create" || ev.recordID != a.Id || ev.record["expand"] != nil || ev.record["title"] != "feed SOS" {
			t.Errorf("%s: %s %v", who, ev.action, ev.record)
		}
	}

	// Acknowledged by the staff member, then three repeats in a row.
	if _, err := alarms.Acknowledge(app, a.Id, alarms.ActorOf(staffUser), "on my way"); err != nil {
		t.Fatal(err)
	}
	ev = sameAsPocketBase(staff, "staff update (own e-mail)")
	if x, _ := ev.record["expand"].(map[string]any); x["acknowledged_by"].(map[string]any)["email"] != "staff@fengqiao.test" {
		t.Errorf("staff sees their own e-mail in the expand: %v", x["acknowledged_by"])
	}
	ev = sameAsPocketBase(secretary, "secretary update (not their e-mail)")
	if x, _ := ev.record["expand"].(map[string]any); x["acknowledged_by"].(map[string]any)["email"] != nil {
		t.Errorf("the secretary sees the staff member's e-mail: %v", x["acknowledged_by"])
	}
	// The elder and the household are renamed: the feed's kept copies of
	// them must not outlive the change.
	for _, key := range []string{"elder.e1", "household.h3"} {
		r := c.Record(t, app, key)
		r.Set(map[string]string{"elder.e1": "name", "household.h3": "address"}[key], "renamed "+key)
		if err := app.Save(r); err != nil {
			t.Fatal(err)
		}
	}
	for n := 2; n <= 4; n++ {
		r, err := app.FindRecordById("alarms", a.Id)
		if err != nil {
			t.Fatal(err)
		}
		r.Set("count", n)
		if err := app.Save(r); err != nil {
			t.Fatal(err)
		}
		ev := sameAsPocketBase(staff, fmt.Sprintf("staff update %d", n))
		if x, _ := ev.record["expand"].(map[string]any); x["elder"].(map[string]any)["name"] != "renamed elder.e1" {
			t.Errorf("staff update %d: the elder's old name: %v", n, x["elder"])
		}
	}
	for who, cl := range map[string]*sseClient{"grid worker": grid, "volunteer": volunteer} {
		if ev := cl.next(t, model.TopicAlarms); ev.action != "update" || ev.record["status"] != model.AlarmAcknowledged {
			t.Errorf("%s: %s %v", who, ev.action, ev.record)
		}
		for n := 2; n <= 4; n++ { // in order
			if ev := cl.next(t, model.TopicAlarms); ev.action != "update" || ev.record["count"] != float64(n) {
				t.Errorf("%s: update %d: %s count %v", who, n, ev.action, ev.record["count"])
			}
		}
	}
	for who, cl := range map[string]*sseClient{"resident of another household": resident, "grid worker of another grid": otherGrid, "guest": guest} {
		for _, ev := range cl.drain(cl.backlog) {
			t.Errorf("%s heard %s %s on %s", who, ev.action, ev.recordID, ev.topic)
		}
	}
}

// TestAlarmFeedUnsubscribe: a client that sets its subscriptions without
// the feed hears no more of it.
func TestAlarmFeedUnsubscribe(t *testing.T) {
	c := testapp.Shared(t)
	app := c.Clone(t)
	base := testapp.Serve(t, app)
	cl := connectFeed(t, base, c.Token(testapp.Staff), model.TopicAlarms)
	a := c.Record(t, app, "alarm.h2")
	a.Set("count", 2)
	if err := app.Save(a); err != nil {
		t.Fatal(err)
	}
	if ev := cl.next(t, model.TopicAlarms); ev.recordID != a.Id {
		t.Fatalf("event about %s", ev.recordID)
	}
	body, _ := json.Marshal(map[string]any{"clientId": cl.id, "subscriptions": []string{"grids/*"}})
	post, _ := http.NewRequest(http.MethodPost, base+"/api/realtime", bytes.NewReader(body))
	post.Header.Set("Content-Type", "application/json")
	post.Header.Set("Authorization", c.Token(testapp.Staff))
	res, err := http.DefaultClient.Do(post)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	a.Set("count", 3)
	if err := app.Save(a); err != nil {
		t.Fatal(err)
	}
	for _, ev := range cl.drain(cl.backlog) {
		t.Errorf("heard %s %s on %s after unsubscribing", ev.action, ev.recordID, ev.topic)
	}
}
