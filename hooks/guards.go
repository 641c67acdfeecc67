package hooks

import (
	"net/http"
	"slices"
	"sort"
	"strings"

	validation "github.com/go-ozzo/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"

	"github.com/fengqiao/fengqiao/model"
)

// fieldGuard lists the fields of one collection that an API caller may not
// send. API rules decide who may create or update a record at all; guards
// decide which fields, and name the field in the error.
type fieldGuard struct {
	// workflow fields are set by fengqiao's own logic, never by a request
	// (superusers in the admin UI excepted).
	workflow []string
	// staffOnlyCreate / staffOnlyUpdate may be sent only by station staff
	// and the secretary.
	staffOnlyCreate []string
	staffOnlyUpdate []string
	// ownOnlyCreate may be sent by others than staff only with the
	// caller's own value (the function returns it; "" allows none).
	ownOnlyCreate map[string]func(u *model.User) string
}

var guards = map[string]fieldGuard{
	model.CollectionUsers: {
		staffOnlyCreate: []string{"roles", "department", "grids", "household_verified", "verified"},
		staffOnlyUpdate: []string{"roles", "department", "grids", "household", "household_verified", "verified"},
	},
	model.CollectionCases: {
		workflow: []string{"number", "status", "overdue", "accepted_at", "resolved_at", "closed_at",
			"whistle", "whistle_at", "checkin_due_at", "supervision_level", "satisfaction", "feedback", "outcome"},
		staffOnlyCreate: []string{"lead_department", "assisting_departments", "mediator", "handler", "due_at",
			"difficulty", "data_source", "external_id", "resolution", "agreement"},
		// A member reports as themself, from their own verified household:
		// the household decides who else sees the case.
		ownOnlyCreate: map[string]func(u *model.User) string{
			"reporter": func(u *model.User) string { return u.Id },
			"household": func(u *model.User) string {
				if u.HouseholdVerified() {
					return u.Household()
				}
				return ""
			},
		},
	},
}

// bindGuards checks every record create and update request against guards.
func bindGuards(app core.App, _ Config) error {
	collections := make([]string, 0, len(guards))
	for name := range guards {
		collections = append(collections, name)
	}
	app.OnRecordCreateRequest(collections...).Bind(&hook.Handler[*core.RecordRequestEvent]{
		Id: "fieldGuardCreate",
		Func: func(e *core.RecordRequestEvent) error {
			g := guards[e.Collection.Name]
			if err := checkFields(e, g.workflow, g.staffOnlyCreate, g.ownOnlyCreate); err != nil {
				return err
			}
			if e.Collection.Name == model.CollectionUsers && !callerIsStaff(e) {
				// Self-registration makes a plain resident, whatever was sent.
				e.Record.Set("roles", []string{model.RoleResident})
			}
			return e.Next()
		},
	})
	app.OnRecordUpdateRequest(collections...).Bind(&hook.Handler[*core.RecordRequestEvent]{
		Id: "fieldGuardUpdate",
		Func: func(e *core.RecordRequestEvent) error {
			g := guards[e.Collection.Name]
			if err := checkFields(e, g.workflow, g.staffOnlyUpdate, nil); err != nil {
				return err
			}
			return e.Next()
		},
	})
	bindFilterGuard(app)
	return nil
}

// checkFields refuses a request body that names a workflow field, a
// staff-only field when the caller is not staff, or an own-only field with
// someone else's value. Superusers pass.
func checkFields(e *core.RecordRequestEvent, workflow, staffOnly []string, ownOnly map[string]func(*model.User) string) error {
	if e.HasSuperuserAuth() {
		return nil
	}
	info, err := e.RequestInfo()
	if err != nil {
		return e.BadRequestError("Failed to read the request.", err)
	}
	staff := callerIsStaff(e)
	errs := validation.Errors{}
	for _, key := range bodyFields(info.Body) {
		switch {
		case slices.Contains(workflow, key):
			errs[key] = validation.NewError("validation_workflow_field", "This field is set by the workflow and cannot be sent.")
		case !staff && slices.Contains(staffOnly, key):
			errs[key] = validation.NewError("validation_staff_only_field", "Only station staff can set this field.")
		case !staff && ownOnly[key] != nil && !isOwnValue(e, ownOnly[key], e.Record.GetString(key)):
			errs[key] = validation.NewError("validation_own_value_only", "Only your own value can be set here.")
		}
	}
	if len(errs) > 0 {
		return router.NewApiError(http.StatusForbidden, "You are not allowed to set some of the submitted fields.", errs)
	}
	return nil
}

// isOwnValue reports whether a sent value (as loaded into the record, so
// ["id"] and "id" read alike) is empty or the caller's own.
func isOwnValue(e *core.RecordRequestEvent, own func(*model.User) string, v string) bool {
	if v == "" {
		return true
	}
	if e.Auth == nil || e.Auth.Collection().Name != model.CollectionUsers {
		return false
	}
	return v == own(model.AsUser(e.Auth))
}

// bodyFields returns the field names in a request body, without
// PocketBase's "+field" / "field+" / "field-" modifiers, sorted.
func bodyFields(body map[string]any) []string {
	out := make([]string, 0, len(body))
	for k := range body {
		out = append(out, strings.Trim(k, "+-"))
	}
	sort.Strings(out)
	return out
}

// callerIsStaff reports whether the request is by station staff or the
// secretary (superusers are handled before).
func callerIsStaff(e *core.RecordRequestEvent) bool {
	return e.Auth != nil && e.Auth.Collection().Name == model.CollectionUsers && model.AsUser(e.Auth).IsStaffLike()
}
