package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/alarms"
	"github.com/fengqiao/fengqiao/model"
)

// alarmAck is POST /api/fengqiao/alarms/{id}/ack {"note"?}: the caller
// has the alarm; its escalation stops at once. Staff and the secretary
// may acknowledge any alarm, a grid worker those of their grids, a
// volunteer those of an elder they are paired with.
func alarmAck(e *core.RequestEvent) error {
	var body struct {
		Note string `json:"note"`
	}
	return alarmChange(e, &body, func(id string, by alarms.Actor) (*model.Alarm, error) {
		return alarms.Acknowledge(e.App, id, by, body.Note)
	})
}
