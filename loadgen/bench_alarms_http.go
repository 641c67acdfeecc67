package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/fengqiao/fengqiao/model"
)

// apiClient talks to the appliance's HTTP API as one signed-in member.
type apiClient struct {
	base, token string
	http        http.Client // no timeout: realtime streams stay open
}

// login signs in with a password (users, or _superusers for an admin).
func (c *apiClient) login(ctx context.Context, identity, password string, superuser bool) error {
	col := "users"
	if superuser {
		col = "_superusers"
	}
	var out struct {
		Token string `json:"token"`
	}
	err := c.call(ctx, http.MethodPost, "/api/collections/"+col+"/auth-with-password",
		map[string]string{"identity": identity, "password": password}, &out)
	if err != nil {
		return fmt.Errorf("log in as %s: %w", identity, err)
	}
	c.token = out.Token
	return nil
}

// resolve closes a bench alarm, so the board stays small.
func (c *apiClient) resolve(ctx context.Context, id string) error {
	return c.call(ctx, http.MethodPost, "/api/fengqiao/alarms/"+id+"/resolve", map[string]any{"note": "bench", "false_alarm": true}, nil)
}

// call sends a JSON request and decodes a JSON answer into out (if any).
func (c *apiClient) call(ctx context.Context, method, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", c.token)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, strings.TrimSpace(string(raw)))
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

// arrival is one alarm create event on one dashboard.
type arrival struct {
	id string
	at time.Time
}

// dashboardTopic is the dashboards' subscription: the alarm feed, as the
// board subscribes (ui/src/screens/Alarms.svelte), or PocketBase's
// record subscription with the board's expand, as the board did before it.
func dashboardTopic(record bool) string {
	if !record {
		return model.TopicAlarms
	}
	opts, _ := json.Marshal(map[string]any{"query": map[string]string{"expand": strings.Join(model.AlarmBoardExpand, ",")}})
	return "alarms/*?options=" + url.QueryEscape(string(opts))
}

// dashboardLabel names the dashboards' subscription in the report.
func dashboardLabel(record bool) string {
	if record {
		return "alarms/* with the board's expand (record subscription)"
	}
	return model.TopicAlarms + " (the alarm feed)"
}

// dashboards are realtime connections subscribed to topic; each alarm of
// this run (its payload carries the run and the press number) is sent to
// the waiter of its press.
type dashboards struct {
	n      int
	run    string
	topic  string
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	waiters map[int]chan arrival
}

// openDashboards connects n realtime clients and subscribes each.
func openDashboards(ctx context.Context, api *apiClient, n int, run, topic string) (*dashboards, error) {
	ctx, cancel := context.WithCancel(ctx)
	d := &dashboards{n: n, run: run, topic: topic, cancel: cancel, waiters: map[int]chan arrival{}}
	for i := 0; i < n; i++ {
		if err := d.connect(ctx, api); err != nil {
			d.close()
			return nil, fmt.Errorf("dashboard %d: %w", i+1, err)
		}
	}
	return d, nil
}

func (d *dashboards) connect(ctx context.Context, api *apiClient) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, api.base+"/api/realtime", nil)
	if err != nil {
		return err
	}
	res, err := api.http.Do(req)
	if err != nil {
		return err
	}
	connected := make(chan string, 1)
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		defer res.Body.Close()
		d.read(res.Body, connected)
	}()
	var id string
	select {
	case id = <-connected:
	case <-time.After(10 * time.Second):
		return fmt.Errorf("no PB_CONNECT")
	}
	return api.call(ctx, http.MethodPost, "/api/realtime", map[string]any{"clientId": id, "subscriptions": []string{d.topic}}, nil)
}

// read parses the event stream; create events of this run's alarms go to
// their press's waiter.
func (d *dashboards) read(body io.Reader, connected chan<- string) {
	_ = ReadSSE(body, func(event, data string) { // a broken stream shows as missing alarms
		now := time.Now()
		if event == "PB_CONNECT" {
			var m struct{ ClientID string }
			_ = json.Unmarshal([]byte(data), &m)
			connected <- m.ClientID
			return
		}
		d.deliver(data, now)
	})
}

func (d *dashboards) deliver(data string, now time.Time) {
	var m struct {
		Action string
		Record struct {
			ID      string `json:"id"`
			Payload struct {
				Bench string `json:"bench"`
				Seq   int    `json:"seq"`
			} `json:"payload"`
		}
	}
	if json.Unmarshal([]byte(data), &m) != nil || m.Action != "create" || m.Record.Payload.Bench != d.run {
		return
	}
	d.mu.Lock()
	w := d.waiters[m.Record.Payload.Seq]
	d.mu.Unlock()
	if w != nil {
		select {
		case w <- arrival{id: m.Record.ID, at: now}:
		default:
		}
	}
}

// expect registers the waiter of press seq.
func (d *dashboards) expect(seq int) <-chan arrival {
	w := make(chan arrival, d.n)
	d.mu.Lock()
	d.waiters[seq] = w
	d.mu.Unlock()
	return w
}

func (d *dashboards) forget(seq int) {
	d.mu.Lock()
	delete(d.waiters, seq)
	d.mu.Unlock()
}

func (d *dashboards) close() {
	d.cancel()
	d.wg.Wait()
}
