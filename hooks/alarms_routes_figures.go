package hooks

import (
	"net/http"
	"strings"
	"time"

	validation "github.com/go-ozzo/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/fengqiao/fengqiao/alarms"
)

// defaultFiguresPeriod is the period when the query names none.
const defaultFiguresPeriod = 30 * 24 * time.Hour

// alarmFigures is GET /api/fengqiao/alarms/figures?from=&to= (staff):
// alarms raised in [from, to) by severity and kind, acknowledged within
// 60 s and 180 s (%), mean time to acknowledge and to resolve, false
// alarms. from and to are dates (2026-03-01), RFC 3339 times or
// PocketBase dates; the default is the last 30 days.
func alarmFigures(e *core.RequestEvent) error {
	if err := staffOnly(e); err != nil {
		return err
	}
	now := time.Now()
	q := e.Request.URL.Query()
	errs := validation.Errors{}
	to, ok := parseWhen(q.Get("to"), now)
	if !ok {
		errs["to"] = validation.NewError("validation_invalid_date", "Use a date like 2026-03-31 or an RFC 3339 time.")
	}
	from, ok := parseWhen(q.Get("from"), to.Add(-defaultFiguresPeriod))
	if !ok {
		errs["from"] = validation.NewError("validation_invalid_date", "Use a date like 2026-03-01 or an RFC 3339 time.")
	}
	if len(errs) == 0 && !from.Before(to) {
		errs["from"] = validation.NewError("validation_invalid_period", "from must be before to.")
	}
	if len(errs) > 0 {
		return e.BadRequestError("Invalid period.", errs)
	}
	f, err := alarms.ComputeFigures(e.App, from, to)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, f)
}

// parseWhen reads a date ("2026-03-01", midnight local time), an RFC 3339
// time or a PocketBase date; "" is def.
func parseWhen(s string, def time.Time) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return def, true
	}
	if t, err := time.ParseInLocation("2006-01-02", s, time.Local); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	if d, err := types.ParseDateTime(s); err == nil && !d.IsZero() {
		return d.Time(), true
	}
	return time.Time{}, false
}
