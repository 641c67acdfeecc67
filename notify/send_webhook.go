package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// webhookEvent is the generic webhook's JSON, shaped as Standard Webhooks
// suggests: a type, when it was sent, and the notification as data.
type webhookEvent struct {
	Type      string  `json:"type"`
	Timestamp string  `json:"timestamp"`
	Data      Payload `json:"data"`
}

// webhook posts the notification as JSON, signed the Standard Webhooks
// way (https://www.standardwebhooks.com): webhook-id is the delivery id
// (the same on every retry, so receivers can drop duplicates),
// webhook-timestamp the Unix seconds of this attempt, webhook-signature
// "v1,<base64 HMAC-SHA256(key, id.timestamp.body)>". 2xx means sent.
func (s *senders) webhook(ctx context.Context, j *job) error {
	key, err := webhookKey(j.ch.Secret())
	if err != nil {
		return err
	}
	now := time.Now()
	typ := "notification"
	switch {
	case j.p.Alarm != "":
		typ = "alarm.notification"
	case j.p.Case != "":
		typ = "case.notification"
	}
	body, err := json.Marshal(webhookEvent{Type: typ, Timestamp: now.UTC().Format(time.RFC3339), Data: j.p})
	if err != nil {
		return permanent("encode webhook: %v", err)
	}
	id, ts := j.d.Id, strconv.FormatInt(now.Unix(), 10)
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("webhook-id", id)
	h.Set("webhook-timestamp", ts)
	if key != nil {
		h.Set("webhook-signature", signWebhook(key, id, ts, body))
	}
	_, _, err = s.do(ctx, http.MethodPost, j.ch.URL(), h, body, 0)
	return err
}

// webhookKey is the HMAC key of a channel secret: "whsec_<base64>" per the
// spec, any other string as its own bytes (what the spec's libraries do
// too), none for an unsigned webhook.
func webhookKey(secret string) ([]byte, error) {
	if secret == "" {
		return nil, nil
	}
	rest, ok := strings.CutPrefix(secret, "whsec_")
	if !ok {
		return []byte(secret), nil
	}
	key, err := base64.StdEncoding.DecodeString(rest)
	if err != nil || len(key) == 0 {
		return nil, permanent("the channel's secret starts with whsec_ but the rest is not base64")
	}
	return key, nil
}

// signWebhook is the webhook-signature header value.
func signWebhook(key []byte, id, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + timestamp + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
