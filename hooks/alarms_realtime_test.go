package hooks_test

import (
	"bufio"
	"bytes"
	"context"
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

// feedEvent is one server-sent event with its raw data.
type feedEvent struct {
	name   string
	action string
	record map[string]any
}

func (e feedEvent) id() string { s, _ := e.record["id"].(string); return s }

// feedClient is a realtime connection that keeps whole events.
type feedClient struct {
	id      string
	events  chan feedEvent
	backlog []feedEvent
}

// connectFeed opens /api/realtime and subscribes with token (may be "").
func connectFeed(t *testing.T, base, token string, subs ...string) *feedClient {
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
	cl := &feedClient{events: make(chan feedEvent, 256)}
	connected := make(chan string, 1)
	go func() {
		defer close(cl.events)
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
				var msg struct {
					ClientID string
					Action   string
					Record   map[string]any
				}
				_ = json.Unmarshal([]byte(data), &msg)
				if name == "PB_CONNECT" {
					connected <- msg.ClientID
				} else {
					cl.events <- feedEvent{name: name, action: msg.Action, record: msg.Record}
				}
				name, data = "", ""
			}
		}
	}()
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
	if token != "" {
		post.Header.Set("Authorization", token)
	}
	sres, err := http.DefaultClient.Do(post)
	if err != nil {
		t.Fatal(err)
	}
	sres.Body.Close()
	if sres.StatusCode != http.StatusNoContent {
		t.Fatalf("subscribe %v: status %d", subs, sres.StatusCode)
	}
	return cl
}

// next returns the next event on topic; events on other topics wait in
// the backlog for their turn. It fails after a generous wait: a missing
// event is the failure.
func (cl *feedClient) next(t *testing.T, topic string) feedEvent {
	t.Helper()
	for i, ev := range cl.backlog {
		if ev.name == topic {
			cl.backlog = append(cl.backlog[:i:i], cl.backlog[i+1:]...)
			return ev
		}
	}
	deadline := time.After(10 * time.Second)
	for {
		select {
		case ev, ok := <-cl.events:
			if !ok {
				t.Fatalf("stream closed while waiting for %s", topic)
			}
			if ev.name == topic {
				return ev
			}
			cl.backlog = append(cl.backlog, ev)
		case <-deadline:
			t.Fatalf("no event on %s", topic)
		}
	}
}

// quiet returns what arrives in the next moment.
func (cl *feedClient) quiet() []feedEvent {
	got := cl.backlog
	stop := time.After(300 * time.Millisecond)
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

	sameAsPocketBase := func(cl *feedClient, who string) feedEvent {
		t.Helper()
		pb, feed := cl.next(t, boardTopic()), cl.next(t, model.TopicAlarms)
		if pb.id() != a.Id || feed.id() != a.Id || feed.action != pb.action {
			t.Fatalf("%s: PocketBase %s %s, feed %s %s", who, pb.action, pb.id(), feed.action, feed.id())
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
	for who, cl := range map[string]*feedClient{"grid worker": grid, "volunteer": volunteer} {
		ev := cl.next(t, model.TopicAlarms)
		if ev.action != "create" || ev.id() != a.Id || ev.record["expand"] != nil || ev.record["title"] != "feed SOS" {
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
	for who, cl := range map[string]*feedClient{"grid worker": grid, "volunteer": volunteer} {
		if ev := cl.next(t, model.TopicAlarms); ev.action != "update" || ev.record["status"] != model.AlarmAcknowledged {
			t.Errorf("%s: %s %v", who, ev.action, ev.record)
		}
		for n := 2; n <= 4; n++ { // in order
			if ev := cl.next(t, model.TopicAlarms); ev.action != "update" || ev.record["count"] != float64(n) {
				t.Errorf("%s: update %d: %s count %v", who, n, ev.action, ev.record["count"])
			}
		}
	}
	for who, cl := range map[string]*feedClient{"resident of another household": resident, "grid worker of another grid": otherGrid, "guest": guest} {
		for _, ev := range cl.quiet() {
			t.Errorf("%s heard %s %s on %s", who, ev.action, ev.id(), ev.name)
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
	if ev := cl.next(t, model.TopicAlarms); ev.id() != a.Id {
		t.Fatalf("event about %s", ev.id())
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
	for _, ev := range cl.quiet() {
		t.Errorf("heard %s %s on %s after unsubscribing", ev.action, ev.id(), ev.name)
	}
}
