package pb_migrations

import "strings"

// Rule fragments for the role matrix in DESIGN.md. Every collection is
// default-deny: a nil rule locks it to superusers; these fragments open it
// to exactly the roles that need it. access_test.go proves the matrix.

const (
	// signedIn is any logged-in community member (not a superuser token).
	signedIn = `@request.auth.collectionName = "users"`

	// staffLike is workstation staff and the community secretary: they see
	// everything in the community.
	staffLike = `(@request.auth.roles ?= "staff" || @request.auth.roles ?= "secretary")`

	isResident   = `@request.auth.roles ?= "resident"`
	isVolunteer  = `@request.auth.roles ?= "volunteer"`
	isGridWorker = `@request.auth.roles ?= "grid_worker"`
	isMediator   = `@request.auth.roles ?= "mediator"`
	isDeptStaff  = `@request.auth.roles ?= "dept_staff"`

	// hasHousehold guards "my household" comparisons: an unbound resident
	// has an empty household and must not match every record without one.
	hasHousehold = `@request.auth.household != ""`
	hasDept      = `@request.auth.department != ""`

	// workforce is every role that works cases or care: they may see the
	// duty roster, departments' members and so on.
	workforce = `(@request.auth.roles ?= "staff" || @request.auth.roles ?= "secretary" || @request.auth.roles ?= "grid_worker" || @request.auth.roles ?= "mediator" || @request.auth.roles ?= "dept_staff")`
)

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
