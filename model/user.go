package model

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
)

// Roles a community member can hold (users.roles).
const (
	RoleResident   = "resident"
	RoleVolunteer  = "volunteer"
	RoleGridWorker = "grid_worker"
	RoleMediator   = "mediator"
	RoleDeptStaff  = "dept_staff"
	RoleStaff      = "staff"
	RoleSecretary  = "secretary"
)

// AllRoles lists every role in the order the UI shows them.
var AllRoles = []string{RoleResident, RoleVolunteer, RoleGridWorker, RoleMediator, RoleDeptStaff, RoleStaff, RoleSecretary}

var _ core.RecordProxy = (*User)(nil)

// User is a community member: a resident, a volunteer or one of the
// workforce roles.
type User struct {
	core.BaseRecordProxy
}

// NewUser returns a blank user.
func NewUser(app core.App) (*User, error) {
	r, err := newRecord(app, CollectionUsers)
	if err != nil {
		return nil, err
	}
	u := &User{}
	u.SetProxyRecord(r)
	return u, nil
}

// AsUser wraps a users record.
func AsUser(r *core.Record) *User {
	u := &User{}
	u.SetProxyRecord(r)
	return u
}

func (u *User) Name() string           { return u.GetString("name") }
func (u *User) SetName(v string)       { u.Set("name", v) }
func (u *User) Phone() string          { return u.GetString("phone") }
func (u *User) SetPhone(v string)      { u.Set("phone", v) }
func (u *User) Roles() []string        { return u.GetStringSlice("roles") }
func (u *User) SetRoles(v ...string)   { u.Set("roles", v) }
func (u *User) Department() string     { return u.GetString("department") }
func (u *User) SetDepartment(v string) { u.Set("department", v) }
func (u *User) Grids() []string        { return u.GetStringSlice("grids") }
func (u *User) SetGrids(v ...string)   { u.Set("grids", v) }
func (u *User) Household() string      { return u.GetString("household") }
func (u *User) SetHousehold(v string)  { u.Set("household", v) }

// HouseholdVerified says staff confirmed the user lives in Household().
func (u *User) HouseholdVerified() bool     { return u.GetBool("household_verified") }
func (u *User) SetHouseholdVerified(v bool) { u.Set("household_verified", v) }

// HasRole reports whether the user holds role.
func (u *User) HasRole(role string) bool { return slices.Contains(u.Roles(), role) }

// IsStaffLike reports whether the user sees the whole community: station
// staff and the secretary.
func (u *User) IsStaffLike() bool { return u.HasRole(RoleStaff) || u.HasRole(RoleSecretary) }
