package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/alarms"
	"github.com/fengqiao/fengqiao/model"
)

// alarmResolve is POST /api/fengqiao/alarms/{id}/resolve {"note",
// "false_alarm"?}: staff close the alarm with a note saying what was done.
func alarmResolve(e *core.RequestEvent) error {
	var body struct {
		Note       string `json:"note"`
		FalseAlarm bool   `json:"false_alarm"`
	}
	return alarmChange(e, &body, func(id string, by alarms.Actor) (*model.Alarm, error) {
		return alarms.Resolve(e.App, id, by, body.Note, body.FalseAlarm)
	})
}
