package hooks

import (
	"strings"
	"time"

	validation "github.com/go-ozzo/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/fengqiao/fengqiao/alarms"
	"github.com/fengqiao/fengqiao/model"
)

// alarmSnooze is POST /api/fengqiao/alarms/{id}/snooze {"until" | "for",
// "note"?}: staff put the alarm aside until a time (RFC 3339 or
// PocketBase's date format) or for a while ("30m", "2h"); no escalation
// meanwhile, then it is active again.
func alarmSnooze(e *core.RequestEvent) error {
	var body struct {
		Until string `json:"until"`
		For   string `json:"for"`
		Note  string `json:"note"`
	}
	return alarmChange(e, &body, func(id string, by alarms.Actor) (*model.Alarm, error) {
		until, err := snoozeUntil(body.Until, body.For, time.Now())
		if err != nil {
			return nil, err
		}
		return alarms.Snooze(e.App, id, by, until, body.Note)
	})
}

// snoozeUntil reads the end of a snooze from until or for.
func snoozeUntil(until, dur string, now time.Time) (time.Time, error) {
	until, dur = strings.TrimSpace(until), strings.TrimSpace(dur)
	switch {
	case until != "" && dur != "":
		return time.Time{}, validation.Errors{"for": validation.NewError("validation_snooze_both", "Give until or for, not both.")}
	case dur != "":
		d, err := time.ParseDuration(dur)
		if err != nil || d <= 0 {
			return time.Time{}, validation.Errors{"for": validation.NewError("validation_invalid_duration",
				"Say how long, e.g. \"30m\" or \"2h\".")}
		}
		return now.Add(d), nil
	case until != "":
		t, err := time.Parse(time.RFC3339, until)
		if err != nil {
			dt, err2 := types.ParseDateTime(until)
			if err2 != nil || dt.IsZero() {
				return time.Time{}, validation.Errors{"until": validation.NewError("validation_invalid_date",
					"A date and time, e.g. 2026-03-14T18:00:00+08:00.")}
			}
			t = dt.Time()
		}
		return t, nil
	}
	return time.Time{}, nil // alarms.Snooze names the missing field
}
