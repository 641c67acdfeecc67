package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// dingtalkConfig is a dingtalk channel's optional config: members to @
// by phone, or everyone.
type dingtalkConfig struct {
	AtMobiles []string `json:"at_mobiles"`
	AtAll     bool     `json:"at_all"`
}

// dingtalk posts to a DingTalk (钉钉) group robot
// (https://oapi.dingtalk.com/robot/send?access_token=…):
//
//	{"msgtype":"markdown","markdown":{"title":"【紧急】…","text":"### …"},"at":{"atMobiles":[…],"isAtAll":false}}
//
// With a secret (the robot's 加签 "SEC…" string) the URL also gets
// timestamp (Unix milliseconds) and sign = base64(HMAC-SHA256(secret,
// timestamp+"\n"+secret)), URL-encoded. Sent when the answer is
// {"errcode":0}.
func (s *senders) dingtalk(ctx context.Context, j *job) error {
	var cfg dingtalkConfig
	if err := j.ch.Config(&cfg); err != nil {
		return permanent("dingtalk channel %q: config: %v", j.ch.Name(), err)
	}
	text := markdown(j.p)
	if len(cfg.AtMobiles) > 0 {
		// DingTalk only notifies members whose @phone is in the text.
		text += "\n@" + strings.Join(cfg.AtMobiles, " @")
	}
	msg := map[string]any{
		"msgtype":  "markdown",
		"markdown": map[string]string{"title": subject(j.p), "text": text},
		"at":       map[string]any{"atMobiles": nonNil(cfg.AtMobiles), "isAtAll": cfg.AtAll},
	}
	target := j.ch.URL()
	if secret := j.ch.Secret(); secret != "" {
		u, err := url.Parse(target)
		if err != nil {
			return permanent("dingtalk channel %q: url: %v", j.ch.Name(), err)
		}
		ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
		q := u.Query()
		q.Set("timestamp", ts)
		q.Set("sign", dingtalkSign(secret, ts))
		u.RawQuery = q.Encode()
		target = u.String()
	}
	answer, err := s.postJSON(ctx, target, msg, nil)
	if err != nil {
		return err
	}
	return checkRobot("dingtalk", answer)
}

// dingtalkSign is the 加签 signature, before URL encoding.
func dingtalkSign(secret, timestamp string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
