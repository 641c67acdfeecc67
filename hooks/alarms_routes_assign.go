package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/alarms"
	"github.com/fengqiao/fengqiao/model"
)

// alarmAssign is POST /api/fengqiao/alarms/{id}/assign {"assignee",
// "note"?}: staff give the alarm to a member of the workforce or a
// volunteer ("" takes it back).
func alarmAssign(e *core.RequestEvent) error {
	var body struct {
		Assignee string `json:"assignee"`
		Note     string `json:"note"`
	}
	return alarmChange(e, &body, func(id string, by alarms.Actor) (*model.Alarm, error) {
		return alarms.Assign(e.App, id, by, body.Assignee, body.Note)
	})
}
