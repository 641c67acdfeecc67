package alarms

import (
	"fmt"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
)

// Viewer is what the alarms view rule reads of the caller (@request.auth),
// taken from an auth record once so that deciding for many alarms costs
// no lookups. The zero Viewer is a guest.
type Viewer struct {
	// Superuser: an admin (a _superusers record) sees everything, as
	// PocketBase lets superusers past every rule.
	Superuser bool
	// ID is the users record id.
	ID string
	// Roles, Grids, Household and HouseholdVerified are the users fields
	// of the same names.
	Roles             []string
	Grids             []string
	Household         string
	HouseholdVerified bool
}

// ViewerOf describes an auth record (nil: a guest).
func ViewerOf(auth *core.Record) Viewer {
	if auth == nil {
		return Viewer{}
	}
	if auth.IsSuperuser() {
		return Viewer{Superuser: true, ID: auth.Id}
	}
	u := model.AsUser(auth)
	return Viewer{ID: auth.Id, Roles: u.Roles(), Grids: u.Grids(), Household: u.Household(),
		HouseholdVerified: u.HouseholdVerified()}
}

// StaffLike reports whether the viewer sees every alarm: workstation
// staff, the secretary, or an admin.
func (v Viewer) StaffLike() bool {
	return v.Superuser || slices.Contains(v.Roles, model.RoleStaff) || slices.Contains(v.Roles, model.RoleSecretary)
}

// AlarmScope is what the alarms view rule reads of an alarm: who it
// concerns.
type AlarmScope struct {
	Elder, Household, Grid string
}

// anyEquals is the rule's `@request.auth.grids:length > 0 &&
// @request.auth.grids:each ?= grid`: "some item equals", and a grid worker
// without grids matches nothing (":each ?=" alone would match an alarm
// without a grid, since PocketBase reads an empty list as one NULL item).
func anyEquals(items []string, v string) bool {
	return len(items) > 0 && slices.Contains(items, v)
}

// ScopeOf reads an alarm record's scope.
func ScopeOf(r *core.Record) AlarmScope {
	a := model.AsAlarm(r)
	return AlarmScope{Elder: a.Elder(), Household: a.Household(), Grid: a.Grid()}
}

// CanView decides in memory what the alarms collection's view rule
// (alarmVisible in pb_migrations/1796400006_access.go) decides in SQL:
//
//   - staff and the secretary (and admins) see every alarm;
//   - a verified member of a household sees the household's alarms;
//   - a grid worker sees the alarms of their grids (and, as the rule
//     has it, one without grids sees the alarms without a grid);
//   - a volunteer sees the alarms of an elder they are actively paired
//     with (the context cache's pairings; a database read only before
//     the cache is loaded).
//
// The realtime alarm feed asks it for every client of every alarm change;
// hooks/alarms_realtime_rule_test.go holds it to PocketBase's own check of
// the rule for every role of the test community, so the two cannot drift.
func (e *Engine) CanView(v Viewer, a AlarmScope) (bool, error) {
	if v.StaffLike() {
		return true, nil
	}
	if v.Household != "" && v.HouseholdVerified && a.Household == v.Household {
		return true, nil
	}
	if slices.Contains(v.Roles, model.RoleGridWorker) && anyEquals(v.Grids, a.Grid) {
		return true, nil
	}
	if a.Elder == "" || v.ID == "" || !slices.Contains(v.Roles, model.RoleVolunteer) {
		return false, nil
	}
	if paired, ok := e.ctx.pairedWith(a.Elder, v.ID); ok {
		return paired, nil
	}
	n, err := e.app.CountRecords(model.CollectionPairings, dbx.HashExp{"volunteer": v.ID, "elder": a.Elder, "active": true})
	if err != nil {
		return false, fmt.Errorf("pairings of volunteer %s: %w", v.ID, err)
	}
	return n > 0, nil
}
