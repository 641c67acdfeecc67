package notify

import "context"

// wecomMaxContent is WeCom's limit on a markdown message, in bytes.
const wecomMaxContent = 4096

// wecom posts to a WeCom (企业微信) group robot
// (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…):
//
//	{"msgtype":"markdown","markdown":{"content":"### 【紧急】…\n> 地址：…"}}
//
// The key in the URL is the robot's only credential. Sent when the answer
// is {"errcode":0}.
func (s *senders) wecom(ctx context.Context, j *job) error {
	msg := map[string]any{
		"msgtype":  "markdown",
		"markdown": map[string]string{"content": cutBytes(markdown(j.p), wecomMaxContent)},
	}
	answer, err := s.postJSON(ctx, j.ch.URL(), msg, nil)
	if err != nil {
		return err
	}
	return checkRobot("wecom", answer)
}
