package pb_migrations

import "strings"

// Rule fragments for the role matrix in DESIGN.md. Every collection is
// default-deny: a nil rule locks it to superusers; these fragments open it
// to exactly the roles that need it. hooks/access_matrix_test.go proves
// the matrix; access_rules_test.go keeps "" (public) to its short list.

// Multi-valued fields (roles, grids, assisting_departments) are compared
// item by item with the :each modifier. Without it PocketBase compares the
// whole JSON array: `roles ?= "staff"` is then never true for ["staff"],
// and `roles ?!= "resident"` always is.
const (
	// signedIn is any logged-in community member (not a superuser token).
	signedIn = `@request.auth.collectionName = "users"`

	// staffLike is workstation staff and the community secretary: they see
	// everything in the community.
	staffLike = `(@request.auth.roles:each ?= "staff" || @request.auth.roles:each ?= "secretary")`

	isResident   = `@request.auth.roles:each ?= "resident"`
	isVolunteer  = `@request.auth.roles:each ?= "volunteer"`
	isGridWorker = `@request.auth.roles:each ?= "grid_worker"`
	isMediator   = `@request.auth.roles:each ?= "mediator"`
	isDeptStaff  = `@request.auth.roles:each ?= "dept_staff"`

	// hasHousehold guards "my household" comparisons: an unbound resident
	// has an empty household and must not match every record without one.
	hasHousehold = `@request.auth.household != ""`
	hasDept      = `@request.auth.department != ""`

	// workforce is every role that works cases or care: they may see the
	// duty roster, departments' members and so on.
	workforce = `(@request.auth.roles:each ?= "staff" || @request.auth.roles:each ?= "secretary" || @request.auth.roles:each ?= "grid_worker" || @request.auth.roles:each ?= "mediator" || @request.auth.roles:each ?= "dept_staff")`

	// colleague is a user (the record) who holds roles and none of them is
	// resident: the workforce and volunteers, never a resident's details.
	colleague = `roles:length > 0 && roles:each != "resident"`
)

// mine says the record's user relation field is the caller. A guest's id
// is "", which would match every record where the field is empty (a case
// from the 12345 hotline has no reporter): so a caller is required.
func mine(field string) string {
	return `@request.auth.id != "" && ` + field + ` = @request.auth.id`
}

// inMyGrids says the grid at path (a relation path of the record, e.g.
// "household.building.grid") is one of the caller's grids. The length
// guard matters: ":each ?=" over an empty list matches an empty value, so
// a grid worker without grids would see every record without a grid.
func inMyGrids(path string) string {
	return isGridWorker + ` && @request.auth.grids:length > 0 && @request.auth.grids:each ?= ` + path
}

// anyOf joins rule fragments with ||, each in parentheses.
func anyOf(parts ...string) string {
	return "(" + strings.Join(parts, ") || (") + ")"
}

// allOf joins rule fragments with &&, each in parentheses.
func allOf(parts ...string) string {
	return "(" + strings.Join(parts, ") && (") + ")"
}

// unset says none of the named body fields may be sent: used to keep
// workflow and privileged fields out of reach of a plain create or update.
func unset(fields ...string) string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = "@request.body." + f + ":isset = false"
	}
	return strings.Join(out, " && ")
}

func ptr(s string) *string { return &s }
