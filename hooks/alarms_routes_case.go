package hooks

import (
	"net/http"

	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/alarms"
)

// alarmToCase is POST /api/fengqiao/alarms/{id}/case {"note"?}: staff
// turn the alarm into a case (source sensor_alarm, kind safety) linked
// from the alarm. It answers {"alarm", "case"}.
func alarmToCase(e *core.RequestEvent) error {
	r, err := visibleAlarm(e)
	if err != nil {
		return err
	}
	var body struct {
		Note string `json:"note"`
	}
	if err := e.BindBody(&body); err != nil {
		return e.BadRequestError("The request body is not valid JSON for this action.", err)
	}
	a, kase, err := alarms.ToCase(e.App, r.Id, alarms.ActorOf(e.Auth), body.Note)
	if err != nil {
		return alarmError(e, err)
	}
	return e.JSON(http.StatusOK, map[string]any{"alarm": a.Record, "case": kase})
}
