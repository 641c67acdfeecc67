package notify

import (
	"encoding/json"
	"fmt"
)

// robotAnswer is a group robot's JSON answer: WeCom and DingTalk say
// errcode/errmsg, Feishu code/msg (older Feishu hooks StatusCode).
type robotAnswer struct {
	ErrCode       *int   `json:"errcode"`
	ErrMsg        string `json:"errmsg"`
	Code          *int   `json:"code"`
	Msg           string `json:"msg"`
	StatusCode    *int   `json:"StatusCode"`
	StatusMessage string `json:"StatusMessage"`
}

// checkRobot turns an answer whose code is not 0 into an error (retried:
// the robots answer 200 to rate limits and bad signatures alike).
func checkRobot(robot string, answer []byte) error {
	var a robotAnswer
	if err := json.Unmarshal(answer, &a); err != nil {
		return fmt.Errorf("%s answered something other than JSON: %s", robot, snippet(answer))
	}
	for _, c := range []struct {
		code *int
		msg  string
	}{{a.ErrCode, a.ErrMsg}, {a.Code, a.Msg}, {a.StatusCode, a.StatusMessage}} {
		if c.code == nil {
			continue
		}
		if *c.code != 0 {
			return fmt.Errorf("%s refused the message: code %d: %s", robot, *c.code, c.msg)
		}
		return nil
	}
	return fmt.Errorf("%s answered without a code: %s", robot, snippet(answer))
}
