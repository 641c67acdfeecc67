package hooks

import (
	"errors"
	"net/http"

	validation "github.com/go-ozzo/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/alarms"
	"github.com/fengqiao/fengqiao/model"
)

// bindAlarmRoutes adds the alarm endpoints. Alarms are never PATCHed:
// every state change goes through one of these, which validates it,
// changes the alarm and appends its alarm_events row in one transaction.
// Each endpoint is in its own file (alarms_routes_*.go).
func bindAlarmRoutes(e *core.ServeEvent) {
	g := e.Router.Group("/api/fengqiao")
	g.POST("/alarms/{id}/ack", alarmAck).Bind(apis.RequireAuth())
	g.POST("/alarms/{id}/comment", alarmComment).Bind(apis.RequireAuth())
	g.POST("/alarms/{id}/assign", alarmAssign).Bind(apis.RequireAuth())
	g.POST("/alarms/{id}/snooze", alarmSnooze).Bind(apis.RequireAuth())
	g.POST("/alarms/{id}/resolve", alarmResolve).Bind(apis.RequireAuth())
	g.POST("/alarms/{id}/case", alarmToCase).Bind(apis.RequireAuth())
	g.GET("/alarms/figures", alarmFigures).Bind(apis.RequireAuth())
	g.POST("/rules/dry-run", ruleDryRun).Bind(apis.RequireAuth())
}

// visibleAlarm loads the alarm of the {id} path parameter if the caller
// may see it (the alarms view rule); otherwise a 404, as PocketBase
// answers for records one may not see.
func visibleAlarm(e *core.RequestEvent) (*core.Record, error) {
	id := e.Request.PathValue("id")
	r, err := e.App.FindRecordById(model.CollectionAlarms, id)
	if err != nil {
		return nil, e.NotFoundError("", nil)
	}
	info, err := e.RequestInfo()
	if err != nil {
		return nil, e.BadRequestError("", err)
	}
	ok, err := e.App.CanAccessRecord(r, info, r.Collection().ViewRule)
	if err != nil || !ok {
		return nil, e.NotFoundError("", nil)
	}
	return r, nil
}

// alarmError answers an error of the alarms package the PocketBase way:
// field problems are a 400 naming the field.
func alarmError(e *core.RequestEvent, err error) error {
	var verrs validation.Errors
	switch {
	case errors.As(err, &verrs):
		return e.BadRequestError("The alarm could not be changed: see the fields.", verrs)
	case errors.Is(err, alarms.ErrNotFound):
		return e.NotFoundError("", nil)
	case errors.Is(err, alarms.ErrForbidden):
		return e.ForbiddenError("You may not do this to this alarm.", nil)
	}
	return e.InternalServerError("", err)
}

// alarmChange is the common shape of the change endpoints: the alarm must
// be visible to the caller, the body is read into body, and change does
// the work (permissions included); the answer is the alarm.
func alarmChange[T any](e *core.RequestEvent, body *T, change func(id string, by alarms.Actor) (*model.Alarm, error)) error {
	r, err := visibleAlarm(e)
	if err != nil {
		return err
	}
	if err := e.BindBody(body); err != nil {
		return e.BadRequestError("The request body is not valid JSON for this action.", err)
	}
	a, err := change(r.Id, alarms.ActorOf(e.Auth))
	if err != nil {
		return alarmError(e, err)
	}
	return e.JSON(http.StatusOK, a.Record)
}

// staffOnly answers 403 unless the caller is staff, the secretary or an
// admin.
func staffOnly(e *core.RequestEvent) error {
	if e.HasSuperuserAuth() {
		return nil
	}
	if e.Auth != nil && model.AsUser(e.Auth).IsStaffLike() {
		return nil
	}
	return e.ForbiddenError("Only workstation staff may do this.", nil)
}
