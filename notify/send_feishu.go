package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// feishuConfig is a feishu channel's optional config: msg_type "post"
// (rich text with a title, the default) or "text".
type feishuConfig struct {
	MsgType string `json:"msg_type"`
}

// feishu posts to a Feishu (飞书) custom bot
// (https://open.feishu.cn/open-apis/bot/v2/hook/…):
//
//	{"msg_type":"post","content":{"post":{"zh_cn":{"title":"【紧急】…","content":[[{"tag":"text","text":"地址：…"}]]}}}}
//	{"msg_type":"text","content":{"text":"【紧急】…\n地址：…"}}
//
// With a secret (签名校验) the body also has "timestamp" (Unix seconds, as
// a string) and "sign" = base64(HMAC-SHA256 keyed with
// timestamp+"\n"+secret, over an empty message). Sent when the answer's
// code (or the older StatusCode) is 0.
func (s *senders) feishu(ctx context.Context, j *job) error {
	var cfg feishuConfig
	if err := j.ch.Config(&cfg); err != nil {
		return permanent("feishu channel %q: config: %v", j.ch.Name(), err)
	}
	msg := map[string]any{}
	switch cfg.MsgType {
	case "", "post":
		var lines [][]map[string]string
		for _, f := range facts(j.p) {
			lines = append(lines, []map[string]string{{"tag": "text", "text": f[0] + "：" + f[1]}})
		}
		for _, l := range strings.Split(j.p.Body, "\n") {
			if l != "" {
				lines = append(lines, []map[string]string{{"tag": "text", "text": l}})
			}
		}
		msg["msg_type"] = "post"
		msg["content"] = map[string]any{"post": map[string]any{"zh_cn": map[string]any{"title": subject(j.p), "content": lines}}}
	case "text":
		msg["msg_type"] = "text"
		msg["content"] = map[string]string{"text": plainText(j.p)}
	default:
		return permanent("feishu channel %q: msg_type must be post or text, not %q", j.ch.Name(), cfg.MsgType)
	}
	if secret := j.ch.Secret(); secret != "" {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		msg["timestamp"] = ts
		msg["sign"] = feishuSign(secret, ts)
	}
	answer, err := s.postJSON(ctx, j.ch.URL(), msg, nil)
	if err != nil {
		return err
	}
	return checkRobot("feishu", answer)
}

// feishuSign is the 签名校验 signature: the key is timestamp+"\n"+secret,
// the message empty.
func feishuSign(secret, timestamp string) string {
	mac := hmac.New(sha256.New, []byte(timestamp+"\n"+secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
