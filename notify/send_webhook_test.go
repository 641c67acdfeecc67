package notify

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// verifyStandardWebhook checks a request the way the Standard Webhooks
// spec tells receivers to, written apart from the sender's code: the key
// is the base64 after "whsec_" (or the secret's bytes), the signed
// content "{id}.{timestamp}.{body}", any of the space-separated "v1,…"
// signatures may match, the timestamp within 5 minutes.
func verifyStandardWebhook(secret string, h http.Header, body []byte, now time.Time) error {
	id, ts, sigs := h.Get("webhook-id"), h.Get("webhook-timestamp"), h.Get("webhook-signature")
	if id == "" || ts == "" || sigs == "" {
		return fmt.Errorf("missing headers: id %q timestamp %q signature %q", id, ts, sigs)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("timestamp %q: %v", ts, err)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > 5*time.Minute || d < -5*time.Minute {
		return fmt.Errorf("timestamp %s is %s away", ts, d)
	}
	key := []byte(secret)
	if strings.HasPrefix(secret, "whsec_") {
		if key, err = base64.StdEncoding.DecodeString(secret[len("whsec_"):]); err != nil {
			return err
		}
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%s.%s", id, ts, body)
	want := mac.Sum(nil)
	for _, s := range strings.Fields(sigs) {
		version, b64, ok := strings.Cut(s, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(b64)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return fmt.Errorf("no signature in %q matches", sigs)
}

// TestSignWebhookKnownAnswer: the test vector published with the
// Standard Webhooks reference libraries.
func TestSignWebhookKnownAnswer(t *testing.T) {
	key, err := webhookKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if err != nil {
		t.Fatal(err)
	}
	got := signWebhook(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", []byte(`{"test": 2432232314}`))
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Fatalf("signature %s, want %s", got, want)
	}
}

func TestWebhookSender(t *testing.T) {
	app := newBareApp(t)
	type request struct {
		header http.Header
		body   []byte
	}
	for _, tc := range []struct {
		name    string
		secret  string
		status  int
		answer  string
		wantErr string // "" means sent
		perm    bool
	}{
		{name: "whsec secret", secret: "whsec_" + base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef")), status: 200},
		{name: "raw secret", secret: "plain-shared-secret", status: 204},
		{name: "unsigned", status: 200},
		{name: "server error", secret: "s", status: 503, answer: "upstream down\n\n", wantErr: "HTTP 503"},
		{name: "client error is retried too", secret: "s", status: 404, answer: "no such hook", wantErr: "no such hook"},
		{name: "bad whsec", secret: "whsec_***", status: 200, wantErr: "not base64", perm: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := make(chan request, 1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				got <- request{r.Header.Clone(), body}
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.answer)
			}))
			defer srv.Close()
			j := testJob(t, app, "webhook", srv.URL, testChannel(t, app, "webhook", srv.URL+"/hook", tc.secret, nil))
			err := testSenders(app, nil).webhook(ctx(t), j)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				if isPermanent(err) != tc.perm {
					t.Fatalf("permanent = %v, want %v (%v)", isPermanent(err), tc.perm, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			req := <-got
			if id := req.header.Get("webhook-id"); id != j.d.Id {
				t.Errorf("webhook-id %q, want the delivery id %q", id, j.d.Id)
			}
			if tc.secret == "" {
				if s := req.header.Get("webhook-signature"); s != "" {
					t.Errorf("unsigned webhook carries a signature %q", s)
				}
			} else if err := verifyStandardWebhook(tc.secret, req.header, req.body, time.Now()); err != nil {
				t.Errorf("signature: %v", err)
			}
			if ct := req.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("content type %q", ct)
			}
			var ev struct {
				Type      string  `json:"type"`
				Timestamp string  `json:"timestamp"`
				Data      Payload `json:"data"`
			}
			if err := json.Unmarshal(req.body, &ev); err != nil {
				t.Fatal(err)
			}
			if ev.Type != "alarm.notification" || ev.Data.Title != j.p.Title || ev.Data.Elder != "陈阿婆" || ev.Data.Alarm != "alarm1" {
				t.Errorf("body %s", req.body)
			}
			if _, err := time.Parse(time.RFC3339, ev.Timestamp); err != nil {
				t.Errorf("timestamp %q: %v", ev.Timestamp, err)
			}
		})
	}
}

// TestWebhookTamperedBodyFails: the verifier above can fail (it is not a
// test that always passes).
func TestWebhookTamperedBodyFails(t *testing.T) {
	key, _ := webhookKey("whsec_" + base64.StdEncoding.EncodeToString([]byte("k")))
	h := http.Header{}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	h.Set("webhook-id", "msg_1")
	h.Set("webhook-timestamp", ts)
	h.Set("webhook-signature", signWebhook(key, "msg_1", ts, []byte(`{"a":1}`)))
	secret := "whsec_" + base64.StdEncoding.EncodeToString([]byte("k"))
	if err := verifyStandardWebhook(secret, h, []byte(`{"a":1}`), time.Now()); err != nil {
		t.Fatalf("genuine request refused: %v", err)
	}
	if err := verifyStandardWebhook(secret, h, []byte(`{"a":2}`), time.Now()); err == nil {
		t.Fatal("tampered body accepted")
	}
	if err := verifyStandardWebhook(secret, h, []byte(`{"a":1}`), time.Now().Add(time.Hour)); err == nil {
		t.Fatal("stale timestamp accepted")
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	app := newBareApp(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	err := testSenders(app, nil).webhook(ctx(t), testJob(t, app, "webhook", "", testChannel(t, app, "webhook", srv.URL, "", nil)))
	if got := retryAfterOf(err); got != 2*time.Minute {
		t.Fatalf("retry after %s (%v), want 2m", got, err)
	}
	if got := backoff(time.Second, time.Hour, 1, retryAfterOf(err)); got != 2*time.Minute {
		t.Fatalf("backoff %s, want the asked 2m", got)
	}
}

func TestBackoff(t *testing.T) {
	for _, tc := range []struct {
		attempts int
		asked    time.Duration
		want     time.Duration
	}{
		{1, 0, 10 * time.Second},
		{2, 0, 20 * time.Second},
		{4, 0, 80 * time.Second},
		{7, 0, 10 * time.Minute}, // 640s capped
		{1000, 0, 10 * time.Minute},
		{1, time.Hour, 10 * time.Minute}, // the receiver's wish is capped too
	} {
		if got := backoff(10*time.Second, 10*time.Minute, tc.attempts, tc.asked); got != tc.want {
			t.Errorf("backoff after %d attempts (asked %s) = %s, want %s", tc.attempts, tc.asked, got, tc.want)
		}
	}
}
