package testapp

// Role is one kind of caller in the seeded community: a role of DESIGN.md,
// sometimes twice (own grid vs other grid, two departments, two
// households) so a test can tell "mine" from "someone else's".
type Role string

// The callers of the seeded community. Each signed-in role is one user
// (see userOf); Guest has no token and Superuser is a _superusers record.
const (
	Guest           Role = "guest"
	Resident        Role = "resident"          // household h1, verified by staff
	OtherResident   Role = "other_resident"    // household h2 (grid g2), verified
	Unverified      Role = "unverified"        // bound to h1, not yet verified
	Volunteer       Role = "volunteer"         // paired with elder e1 (active), e2 (inactive)
	GridWorker      Role = "grid_worker"       // grid g1
	OtherGridWorker Role = "other_grid_worker" // grid g2
	Mediator        Role = "mediator"          // mediation department; mediator of case.h2
	DeptStaff       Role = "dept_staff"        // police
	OtherDeptStaff  Role = "other_dept_staff"  // property management
	Staff           Role = "staff"
	Secretary       Role = "secretary"
	Superuser       Role = "superuser"
)

// Roles lists every caller, guest first and superuser last.
var Roles = []Role{Guest, Resident, OtherResident, Unverified, Volunteer, GridWorker, OtherGridWorker,
	Mediator, DeptStaff, OtherDeptStaff, Staff, Secretary, Superuser}

// userOf maps each signed-in role to the key of its seeded record.
var userOf = map[Role]string{
	Resident:        "user.resident",
	OtherResident:   "user.other",
	Unverified:      "user.unverified",
	Volunteer:       "user.volunteer",
	GridWorker:      "user.grid1",
	OtherGridWorker: "user.grid2",
	Mediator:        "user.mediator",
	DeptStaff:       "user.police",
	OtherDeptStaff:  "user.property",
	Staff:           "user.staff",
	Secretary:       "user.secretary",
	Superuser:       "superuser",
}

// UserKey returns the record key of role's user ("" for Guest).
func UserKey(role Role) string { return userOf[role] }

// prefixes are the key prefixes of the seeded records, per collection.
var prefixes = map[string]string{
	"users": "user.", "_superusers": "", "grids": "grid.", "buildings": "building.", "households": "household.",
	"departments": "dept.", "categories": "category.", "cases": "case.", "case_events": "event.",
	"elders": "elder.", "pairings": "pairing.", "visits": "visit.", "devices": "device.", "readings": "reading.",
	"rules": "rule.", "escalation_policies": "policy.", "channels": "channel.", "alarms": "alarm.",
	"alarm_events": "aevent.", "deliveries": "delivery.", "notices": "notice.", "parking_spaces": "parking.",
	"places": "place.", "data_sources": "source.", "duty_roster": "duty.",
}

// Prefix returns the key prefix of collection's seeded records ("case."
// for cases); a collection added later gets "<name>.".
func Prefix(collection string) string {
	if p, ok := prefixes[collection]; ok {
		return p
	}
	return collection + "."
}
