package notify

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestEmailSender(t *testing.T) {
	app := newBareApp(t)
	s := testSenders(app, nil)
	j := testJob(t, app, "email", "grid.worker@fengqiao.test", nil)
	j.p.Name = "网格员 李"
	if err := s.email(ctx(t), j); err != nil {
		t.Fatal(err)
	}
	if n := app.TestMailer.TotalSend(); n != 1 {
		t.Fatalf("%d mails sent, want 1", n)
	}
	m := app.TestMailer.LastMessage()
	meta := app.Settings().Meta
	if m.From.Address != meta.SenderAddress || m.From.Name != meta.SenderName {
		t.Errorf("from %v, want the app's sender %s <%s>", m.From, meta.SenderName, meta.SenderAddress)
	}
	if len(m.To) != 1 || m.To[0].Address != "grid.worker@fengqiao.test" || m.To[0].Name != "网格员 李" {
		t.Errorf("to %v", m.To)
	}
	if m.Subject != "【紧急】SOS: 陈阿婆" || !strings.Contains(m.Text, "地址：枫桥花园1栋302") || !strings.Contains(m.HTML, "<h3>【紧急】SOS: 陈阿婆</h3>") {
		t.Errorf("message %+v", m)
	}
	if m.Headers["X-Fengqiao-Delivery"] != j.d.Id {
		t.Errorf("headers %v", m.Headers)
	}

	bad := testJob(t, app, "email", "not an address", nil)
	if err := s.email(ctx(t), bad); err == nil || !isPermanent(err) {
		t.Fatalf("bad address: %v, want a permanent error", err)
	}
}

// gatewayRequest is what a fake SMS gateway received.
type gatewayRequest struct {
	method, contentType, auth string
	query                     url.Values
	body                      string
}

func TestSMSSender(t *testing.T) {
	app := newBareApp(t)
	s := testSenders(app, nil)
	for _, tc := range []struct {
		name    string
		status  int
		answer  string
		config  func(base string) SMSTemplate
		wantErr string
		check   func(t *testing.T, r gatewayRequest)
	}{
		{name: "yunpian-style form gateway", status: 200, answer: `{"code":0,"msg":"发送成功","count":1}`,
			config: func(base string) SMSTemplate {
				return SMSTemplate{Method: "POST", URL: base + "/v2/sms/single_send.json",
					Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded;charset=utf-8"},
					Body:    "apikey={{secret}}&mobile={{phone}}&text={{text}}",
					Text:    "【枫桥社区】{{title}}，地址：{{address}}",
					Success: SMSSuccess{Path: "code", Value: "0"}}
			},
			check: func(t *testing.T, r gatewayRequest) {
				form, err := url.ParseQuery(r.body)
				if err != nil {
					t.Fatal(err)
				}
				if r.method != "POST" || form.Get("apikey") != "key&=1" || form.Get("mobile") != "13900000001" ||
					form.Get("text") != "【枫桥社区】SOS: 陈阿婆，地址：枫桥花园1栋302" {
					t.Errorf("request %+v form %v", r, form)
				}
			}},
		{name: "json gateway with a header", status: 200, answer: `{"result":{"items":[{"status":"OK"}]}}`,
			config: func(base string) SMSTemplate {
				return SMSTemplate{URL: base + "/send",
					Headers: map[string]string{"Content-Type": "application/json", "Authorization": "Bearer {{secret}}"},
					Body:    `{"to":"{{phone}}","content":"{{text}}"}`,
					Text:    `{{title}} "quoted" {{body}}`,
					Success: SMSSuccess{Status: 200, Path: "result.items.0.status", Value: "OK"}}
			},
			check: func(t *testing.T, r gatewayRequest) {
				var body map[string]string
				if err := json.Unmarshal([]byte(r.body), &body); err != nil {
					t.Fatalf("body %q is not JSON: %v", r.body, err)
				}
				if body["to"] != "13900000001" || body["content"] != `SOS: 陈阿婆 "quoted" 按下了紧急按钮` || r.auth != "Bearer key&=1" {
					t.Errorf("body %v auth %q", body, r.auth)
				}
			}},
		{name: "smsbao-style GET", status: 200, answer: "0\n",
			config: func(base string) SMSTemplate {
				return SMSTemplate{Method: "get", URL: base + "/sms?u=fq&p={{secret}}&m={{phone}}&c={{text}}", Success: SMSSuccess{Body: "0"}}
			},
			check: func(t *testing.T, r gatewayRequest) {
				if r.method != "GET" || r.query.Get("p") != "key&=1" || r.query.Get("m") != "13900000001" || r.query.Get("c") != "【紧急】SOS: 陈阿婆" {
					t.Errorf("request %+v", r)
				}
			}},
		{name: "gateway refuses in JSON", status: 200, answer: `{"code":2,"msg":"余额不足"}`, wantErr: "code=2, want 0",
			config: func(base string) SMSTemplate {
				return SMSTemplate{URL: base, Body: "m={{phone}}", Success: SMSSuccess{Path: "code", Value: "0"}}
			}},
		{name: "gateway refuses in text", status: 200, answer: "30", wantErr: `want "0"`,
			config: func(base string) SMSTemplate { return SMSTemplate{URL: base, Success: SMSSuccess{Body: "0"}} }},
		{name: "unexpected status", status: 202, answer: "queued", wantErr: "HTTP 202",
			config: func(base string) SMSTemplate { return SMSTemplate{URL: base, Success: SMSSuccess{Status: 200}} }},
		{name: "gateway down", status: 502, answer: "bad gateway", wantErr: "HTTP 502",
			config: func(base string) SMSTemplate { return SMSTemplate{URL: base} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := make(chan gatewayRequest, 1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				got <- gatewayRequest{r.Method, r.Header.Get("Content-Type"), r.Header.Get("Authorization"), r.URL.Query(), string(body)}
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.answer)
			}))
			defer srv.Close()
			ch := testChannel(t, app, "sms", "", "key&=1", tc.config(srv.URL))
			err := s.sms(ctx(t), testJob(t, app, "sms", "13900000001", ch))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || isPermanent(err) {
					t.Fatalf("error %v, want a retried one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, <-got)
		})
	}
}

func TestSMSMisconfigured(t *testing.T) {
	app := newBareApp(t)
	s := testSenders(app, nil)
	noURL := testChannel(t, app, "sms", "", "", SMSTemplate{Body: "x"})
	if err := s.sms(ctx(t), testJob(t, app, "sms", "13900000001", noURL)); err == nil || !isPermanent(err) {
		t.Fatalf("no url: %v, want a permanent error", err)
	}
	notATemplate := testChannel(t, app, "sms", "http://127.0.0.1:9", "", []int{1})
	if err := s.sms(ctx(t), testJob(t, app, "sms", "13900000001", notATemplate)); err == nil || !isPermanent(err) {
		t.Fatalf("bad config: %v, want a permanent error", err)
	}
}

func TestJSONPath(t *testing.T) {
	doc := []byte(`{"code":0,"data":{"list":[{"ok":true},{"id":"x1"}]},"n":1.50}`)
	for path, want := range map[string]string{"code": "0", "data.list.0.ok": "true", "data.list.1.id": "x1", "n": "1.50"} {
		if got, err := jsonPath(doc, path); err != nil || got != want {
			t.Errorf("%s = %q (%v), want %q", path, got, err, want)
		}
	}
	for _, path := range []string{"missing", "data.list.5", "code.x", "data.list.a"} {
		if got, err := jsonPath(doc, path); err == nil {
			t.Errorf("%s = %q, want an error", path, got)
		}
	}
}

// recordingPublisher is a Publisher that keeps what it was given (the
// broker's side is tested by the broker's own tests).
type recordingPublisher struct {
	topics   []string
	payloads [][]byte
	retain   []bool
	qos      []byte
	err      error
}

func (p *recordingPublisher) Publish(topic string, payload []byte, retain bool, qos byte) error {
	if p.err != nil {
		return p.err
	}
	p.topics, p.payloads = append(p.topics, topic), append(p.payloads, payload)
	p.retain, p.qos = append(p.retain, retain), append(p.qos, qos)
	return nil
}

func TestMQTTSender(t *testing.T) {
	app := newBareApp(t)
	pub := &recordingPublisher{}
	ch := testChannel(t, app, "mqtt", "", "", nil)
	if err := testSenders(app, pub).mqtt(ctx(t), testJob(t, app, "mqtt", "alarms/critical/alarm1", ch)); err != nil {
		t.Fatal(err)
	}
	if len(pub.topics) != 1 || pub.topics[0] != "alarms/critical/alarm1" || pub.retain[0] || pub.qos[0] != 1 {
		t.Fatalf("published %v retain %v qos %v", pub.topics, pub.retain, pub.qos)
	}
	var got map[string]any
	if err := json.Unmarshal(pub.payloads[0], &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"id": "alarm1", "severity": "critical", "title": "SOS: 陈阿婆", "elder": "陈阿婆",
		"address": "枫桥花园1栋302", "at": "2026-03-01T02:30:00Z"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if len(got) != len(want) {
		t.Errorf("payload %v has other keys", got)
	}

	if err := testSenders(app, nil).mqtt(ctx(t), testJob(t, app, "mqtt", "alarms/critical/alarm1", ch)); err == nil || isPermanent(err) {
		t.Fatalf("no broker: %v, want a retried error", err)
	}
	failing := &recordingPublisher{err: errors.New("broker publish: broker not running")}
	if err := testSenders(app, failing).mqtt(ctx(t), testJob(t, app, "mqtt", "alarms/critical/alarm1", ch)); err == nil || isPermanent(err) {
		t.Fatalf("publish error: %v, want a retried error", err)
	}
}

// TestSirenDeliveryNeedsNoChannel: the row the "mqtt" step channel writes
// has no channels record and is published all the same.
func TestSirenDeliveryNeedsNoChannel(t *testing.T) {
	app := newBareApp(t)
	pub := &recordingPublisher{}
	j := testJob(t, app, "mqtt", "alarms/critical/alarm1", nil)
	if err := testSenders(app, pub).send(ctx(t), j.d.Record, time.Second); err != nil {
		t.Fatalf("send: %v", err)
	}
	if len(pub.topics) != 1 || pub.topics[0] != "alarms/critical/alarm1" {
		t.Fatalf("published %v", pub.topics)
	}
}
