package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Known answers computed with Python's hmac module, apart from this code.
func TestRobotSignaturesKnownAnswers(t *testing.T) {
	if got, want := dingtalkSign("SEC0123456789abcdef", "1700000000000"), "TSZbRFUuvaSQaRKUpF970OPCb2/LcQAP3wOvwZIzBZk="; got != want {
		t.Errorf("dingtalk sign %s, want %s", got, want)
	}
	if got, want := feishuSign("feishu-secret", "1700000000"), "OrBzY1Y01Gq+HgJsl+7OfWcMVwc7YocohQm5iiZwjhU="; got != want {
		t.Errorf("feishu sign %s, want %s", got, want)
	}
}

// robotRequest is what a fake robot received.
type robotRequest struct {
	query url.Values
	body  map[string]any
}

// robotServer answers every request with answer and hands over what it got.
func robotServer(t *testing.T, answer string) (*httptest.Server, chan robotRequest) {
	got := make(chan robotRequest, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var body map[string]any
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Errorf("robot got non-JSON %q", raw)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("content type %q", ct)
		}
		got <- robotRequest{r.URL.Query(), body}
		io.WriteString(w, answer)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

// dig walks a decoded JSON document.
func dig(v any, path ...string) any {
	for _, k := range path {
		switch n := v.(type) {
		case map[string]any:
			v = n[k]
		case []any:
			i, _ := strconv.Atoi(k)
			if i >= len(n) {
				return nil
			}
			v = n[i]
		default:
			return nil
		}
	}
	return v
}

func TestRobotSenders(t *testing.T) {
	app := newBareApp(t)
	s := testSenders(app, nil)
	ok := `{"errcode":0,"errmsg":"ok"}`
	for _, tc := range []struct {
		name, kind, secret, answer string
		config                     any
		wantErr                    string
		check                      func(t *testing.T, r robotRequest)
	}{
		{name: "wecom markdown", kind: "wecom", answer: ok, check: func(t *testing.T, r robotRequest) {
			if dig(r.body, "msgtype") != "markdown" {
				t.Errorf("msgtype %v", dig(r.body, "msgtype"))
			}
			content, _ := dig(r.body, "markdown", "content").(string)
			for _, want := range []string{"### 【紧急】SOS: 陈阿婆", "> 地址：枫桥花园1栋302", "按下了紧急按钮"} {
				if !strings.Contains(content, want) {
					t.Errorf("content %q lacks %q", content, want)
				}
			}
			if r.query.Get("key") != "k1" {
				t.Errorf("the robot key in the URL was lost: %v", r.query)
			}
		}},
		{name: "wecom errcode", kind: "wecom", answer: `{"errcode":93000,"errmsg":"invalid webhook url"}`, wantErr: "code 93000: invalid webhook url"},
		{name: "dingtalk unsigned", kind: "dingtalk", answer: ok, config: map[string]any{"at_mobiles": []string{"13800000011"}}, check: func(t *testing.T, r robotRequest) {
			if r.query.Has("sign") || r.query.Has("timestamp") {
				t.Errorf("unsigned robot got %v", r.query)
			}
			text, _ := dig(r.body, "markdown", "text").(string)
			if dig(r.body, "msgtype") != "markdown" || dig(r.body, "markdown", "title") != "【紧急】SOS: 陈阿婆" || !strings.Contains(text, "@13800000011") {
				t.Errorf("body %v", r.body)
			}
			if dig(r.body, "at", "atMobiles", "0") != "13800000011" || dig(r.body, "at", "isAtAll") != false {
				t.Errorf("at %v", dig(r.body, "at"))
			}
		}},
		{name: "dingtalk 加签", kind: "dingtalk", secret: "SECabc", answer: ok, check: func(t *testing.T, r robotRequest) {
			ts := r.query.Get("timestamp")
			ms, err := strconv.ParseInt(ts, 10, 64)
			if err != nil || time.Since(time.UnixMilli(ms)).Abs() > time.Minute {
				t.Fatalf("timestamp %q is not now in milliseconds", ts)
			}
			mac := hmac.New(sha256.New, []byte("SECabc"))
			mac.Write([]byte(ts + "\nSECabc"))
			// url.Values already undid the URL encoding.
			if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); r.query.Get("sign") != want {
				t.Errorf("sign %q, want %q", r.query.Get("sign"), want)
			}
			if r.query.Get("key") != "k1" {
				t.Errorf("the access token in the URL was lost: %v", r.query)
			}
		}},
		{name: "dingtalk errcode", kind: "dingtalk", answer: `{"errcode":310000,"errmsg":"sign not match"}`, wantErr: "310000"},
		{name: "feishu post signed", kind: "feishu", secret: "fs", answer: `{"code":0,"msg":"success","data":{}}`, check: func(t *testing.T, r robotRequest) {
			ts, _ := r.body["timestamp"].(string)
			sec, err := strconv.ParseInt(ts, 10, 64)
			if err != nil || time.Since(time.Unix(sec, 0)).Abs() > time.Minute {
				t.Fatalf("timestamp %q is not now in seconds", ts)
			}
			mac := hmac.New(sha256.New, []byte(ts+"\nfs"))
			if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); r.body["sign"] != want {
				t.Errorf("sign %v, want %s", r.body["sign"], want)
			}
			if r.body["msg_type"] != "post" || dig(r.body, "content", "post", "zh_cn", "title") != "【紧急】SOS: 陈阿婆" {
				t.Errorf("body %v", r.body)
			}
			if dig(r.body, "content", "post", "zh_cn", "content", "0", "0", "tag") != "text" {
				t.Errorf("post content %v", dig(r.body, "content", "post", "zh_cn", "content"))
			}
		}},
		{name: "feishu text unsigned", kind: "feishu", config: map[string]any{"msg_type": "text"}, answer: `{"StatusCode":0,"StatusMessage":"success"}`, check: func(t *testing.T, r robotRequest) {
			text, _ := dig(r.body, "content", "text").(string)
			if r.body["msg_type"] != "text" || !strings.HasPrefix(text, "【紧急】SOS: 陈阿婆\n老人：陈阿婆") || r.body["sign"] != nil {
				t.Errorf("body %v", r.body)
			}
		}},
		{name: "feishu code", kind: "feishu", answer: `{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}`, wantErr: "code 19021"},
		{name: "robot answers html", kind: "wecom", answer: `<html>gateway</html>`, wantErr: "other than JSON"},
		{name: "robot answers no code", kind: "dingtalk", answer: `{}`, wantErr: "without a code"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, got := robotServer(t, tc.answer)
			ch := testChannel(t, app, tc.kind, srv.URL+"/send?key=k1", tc.secret, tc.config)
			j := testJob(t, app, tc.kind, ch.URL(), ch)
			err := s.forKind(tc.kind)(ctx(t), j)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				if isPermanent(err) {
					t.Fatalf("a robot's refusal must be retried, got a permanent error: %v", err)
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

func TestWeComContentLimit(t *testing.T) {
	app := newBareApp(t)
	srv, got := robotServer(t, `{"errcode":0}`)
	ch := testChannel(t, app, "wecom", srv.URL, "", nil)
	j := testJob(t, app, "wecom", "", ch)
	j.p.Body = strings.Repeat("长", 3000) // 9000 bytes
	if err := testSenders(app, nil).wecom(ctx(t), j); err != nil {
		t.Fatal(err)
	}
	content, _ := dig((<-got).body, "markdown", "content").(string)
	if len(content) > wecomMaxContent || !strings.HasPrefix(content, "### 【紧急】") {
		t.Fatalf("content of %d bytes", len(content))
	}
}
