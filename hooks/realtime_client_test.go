package hooks_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/fengqiao/fengqiao/loadgen"
)

// The realtime (SSE) test client the access, alarm-feed, notify and
// end-to-end tests share.

// sseEvent is one server-sent event: the subscription (topic) it answers,
// its action, and the record it carries (whole, and its id).
type sseEvent struct {
	topic, action, recordID string
	record                  map[string]any
}

// sseClient is a realtime connection to a test server. Events another
// call of next skipped wait in backlog.
type sseClient struct {
	id      string
	events  chan sseEvent
	backlog []sseEvent
}

// openRealtime opens /api/realtime, waits for PB_CONNECT and subscribes
// to subs with the given request headers (auth). It returns the status of
// the subscription request.
func openRealtime(t *testing.T, base string, header map[string]string, subs ...string) (*sseClient, int) {
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
	cl := &sseClient{events: make(chan sseEvent, 256)}
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
	for k, v := range header {
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
	defer close(cl.events)
	_ = loadgen.ReadSSE(res.Body, func(event, data string) { // a broken stream fails the waits
		var msg struct {
			ClientID string
			Action   string
			Record   map[string]any
		}
		_ = json.Unmarshal([]byte(data), &msg)
		if event == "PB_CONNECT" {
			connected <- msg.ClientID
			return
		}
		id, _ := msg.Record["id"].(string)
		cl.events <- sseEvent{topic: event, action: msg.Action, recordID: id, record: msg.Record}
	})
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

// next returns the next event on topic; events on other topics wait in
// the backlog for their turn. It fails after a generous wait: a missing
// event is the failure.
func (cl *sseClient) next(t *testing.T, topic string) sseEvent {
	t.Helper()
	for i, ev := range cl.backlog {
		if ev.topic == topic {
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
			if ev.topic == topic {
				return ev
			}
			cl.backlog = append(cl.backlog, ev)
		case <-deadline:
			t.Fatalf("no event on %s", topic)
		}
	}
}

// drain adds what arrives in the next moment to got.
func (cl *sseClient) drain(got []sseEvent) []sseEvent {
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
