package hooks

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/alarms"
	"github.com/fengqiao/fengqiao/model"
)

// alarmComment is POST /api/fengqiao/alarms/{id}/comment {"note"}: a
// note in the alarm's log. Who may: as for ack.
func alarmComment(e *core.RequestEvent) error {
	var body struct {
		Note string `json:"note"`
	}
	return alarmChange(e, &body, func(id string, by alarms.Actor) (*model.Alarm, error) {
		return alarms.Comment(e.App, id, by, body.Note)
	})
}
