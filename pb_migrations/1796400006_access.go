package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The role matrix of DESIGN.md as API rules, in one place. Default deny:
// nil means superusers only. Fields that only the workflow or staff may set
// are guarded by hooks/guards.go, which names the field in its error (a
// failing rule can only say "Failed to create record").
func init() {
	m.Register(func(app core.App) error {
		for name, r := range accessRules() {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			setRules(c, r.list, r.view, r.create, r.update, r.del)
			if c.Name == "users" {
				// Signing in needs a role: taking all of a member's roles
				// away suspends the account (PocketBase's default "" lets
				// any record with a password in).
				c.AuthRule = ptr(`roles:length > 0`)
			}
			for _, name := range privateFiles[c.Name] {
				// Unprotected files are served to anyone who has the URL,
				// without any rule; protected ones need a file token and
				// the record's view rule.
				c.Fields.GetByName(name).(*core.FileField).Protected = true
			}
			if err := saveCollection(app, c); err != nil {
				return err
			}
		}
		return nil
	}, nil)
}

// privateFiles are the file fields only those who may view the record may
// download: photos of disputes and of elders' homes.
var privateFiles = map[string][]string{"cases": {"photos"}, "visits": {"photos"}}

type ruleSet struct{ list, view, create, update, del *string }

// same uses one rule for list and view.
func same(read string, create, update, del *string) ruleSet {
	return ruleSet{ptr(read), ptr(read), create, update, del}
}

// verifiedHousehold: the member's household binding was confirmed by staff.
const verifiedHousehold = `@request.auth.household != "" && @request.auth.household_verified = true`

// pairedWith says the caller is a volunteer actively paired with the elder
// whose id is the expression elderID. The @collection.pairings references
// share one join, so they all match the same pairing row.
func pairedWith(elderID string) string {
	return pairedWhere("elder", elderID)
}

// pairedWhere is pairedWith for any field of the pairing (e.g. the elder's
// household: "elder.household").
func pairedWhere(field, value string) string {
	return isVolunteer + ` && @collection.pairings.volunteer ?= @request.auth.id && @collection.pairings.active ?= true && @collection.pairings.` +
		field + ` ?= ` + value
}

// caseVisible: staff; the reporter; the reporter's household; the grid
// worker of the case's grid; the departments it was dispatched to; its
// mediator. p prefixes the case's fields ("" or "case.").
func caseVisible(p string) string {
	return anyOf(staffLike,
		mine(p+`reporter`),
		verifiedHousehold+` && `+p+`household = @request.auth.household`,
		inMyGrids(p+`grid`),
		isDeptStaff+` && `+hasDept+` && (`+p+`lead_department = @request.auth.department || `+p+`assisting_departments:each ?= @request.auth.department)`,
		isMediator+` && `+mine(p+`mediator`),
	)
}

// elderVisible: staff; the elder's household; the grid worker of their
// grid; their paired volunteer. p prefixes the elder's fields.
func elderVisible(p string) string {
	id := "id"
	if p != "" {
		id = p[:len(p)-1] // "elder." → "elder": the relation holds the id
	}
	return anyOf(staffLike,
		verifiedHousehold+` && `+p+`household = @request.auth.household`,
		inMyGrids(p+`household.building.grid`),
		pairedWith(id),
	)
}

// alarmVisible: alarms carry their grid, household and elder directly.
func alarmVisible(p string) string {
	return anyOf(staffLike,
		verifiedHousehold+` && `+p+`household = @request.auth.household`,
		inMyGrids(p+`grid`),
		pairedWith(p+`elder`),
	)
}

func accessRules() map[string]ruleSet {
	staff := ptr(staffLike)
	self := `id = @request.auth.id`
	return map[string]ruleSet{
		// People: yourself; staff everyone; the workforce its colleagues;
		// grid workers the residents of their grids. Guests may sign up
		// (as plain residents: hooks/guards.go).
		"users": same(anyOf(self, staffLike,
			workforce+` && `+colleague,
			inMyGrids(`household.building.grid`)),
			ptr(anyOf(`@request.auth.id = ""`, staffLike)), ptr(anyOf(self, staffLike)), nil),

		"grids":       same(signedIn, staff, staff, nil),
		"buildings":   same(signedIn, staff, staff, nil),
		"departments": same(signedIn, nil, staff, nil),
		"households": same(anyOf(staffLike,
			verifiedHousehold+` && id = @request.auth.household`,
			inMyGrids(`building.grid`),
			pairedWhere("elder.household", "id")),
			staff, staff, nil),
		// The service catalogue is public (Open311 services, report form).
		"categories": same("", nil, nil, nil),

		// Any member may report a case; workflow fields are the workflow's.
		"cases":       same(caseVisible(""), ptr(signedIn), staff, nil),
		"case_events": same(caseVisible("case."), nil, nil, nil),

		"elders": same(elderVisible(""), staff, staff, nil),
		"pairings": same(anyOf(staffLike, mine(`volunteer`),
			inMyGrids(`elder.household.building.grid`)), staff, staff, staff),
		"visits": same(anyOf(staffLike, mine(`volunteer`),
			inMyGrids(`elder.household.building.grid`)),
			ptr(anyOf(staffLike, isVolunteer+` && @request.body.volunteer = @request.auth.id && @request.body.pairing.volunteer = @request.auth.id && @request.body.pairing.elder = @request.body.elder && @request.body.pairing.active = true`)),
			ptr(anyOf(staffLike, mine(`volunteer`)+` && `+unset("volunteer", "pairing", "elder"))), nil),

		// Devices are provisioned by admins; members see the ones that
		// concern them.
		"devices": same(anyOf(staffLike,
			verifiedHousehold+` && (household = @request.auth.household || elder.household = @request.auth.household)`,
			inMyGrids(`household.building.grid`), inMyGrids(`elder.household.building.grid`),
			pairedWith(`elder`)), nil, nil, nil),
		"readings": same(staffLike, nil, nil, nil),

		"rules":               same(staffLike, nil, nil, nil),
		"escalation_policies": same(staffLike, nil, nil, nil),
		"channels":            same(staffLike, nil, nil, nil),
		// Alarm state changes go through the alarm endpoints, never a PATCH.
		"alarms":       same(alarmVisible(""), nil, nil, nil),
		"alarm_events": same(alarmVisible("alarm."), nil, nil, nil),
		"deliveries":   same(anyOf(staffLike, mine(`recipient`)), nil, nil, nil),

		// Public: published notices, parking availability, places.
		"notices":        same(anyOf(`published = true`, staffLike), staff, staff, staff),
		"parking_spaces": same(anyOf(`public = true`, staffLike), nil, staff, nil),
		"places":         same("", staff, staff, staff),
		"data_sources":   same(staffLike, nil, nil, nil),
		"duty_roster":    same(workforce, staff, staff, staff),
	}
}
