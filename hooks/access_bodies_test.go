package hooks_test

import (
	"encoding/json"
	"time"

	"github.com/fengqiao/fengqiao/internal/testapp"
)

// createBody is a valid new record of each collection (a superuser's create
// with it must succeed, so a refusal for another role is the rules').
func createBody(c *testapp.Community, collection string) string {
	now := time.Now().UTC().Format("2006-01-02 15:04:05.000Z")
	later := time.Now().Add(time.Hour).UTC().Format("2006-01-02 15:04:05.000Z")
	bodies := map[string]map[string]any{
		"users":       {"phone": "13912345678", "name": "new member", "password": "pw-123456789", "passwordConfirm": "pw-123456789"},
		"grids":       {"name": "新网格", "code": "G77"},
		"buildings":   {"grid": c.ID("grid.g1"), "name": "9栋", "address": "枫桥花园9栋"},
		"departments": {"name": "新部门", "code": "new_dept", "kind": "other", "presence": "on_demand"},
		"households":  {"building": c.ID("building.b1"), "room": "999", "address": "枫桥花园 999"},
		"categories":  {"code": "consult.new", "name": "新类别", "kind": "consult", "deadline_hours": 24},
		"cases":       {"kind": "complaint", "title": "new case", "source": "resident_app", "category": c.ID("category.complaint.noise")},
		"case_events": {"case": c.ID("case.h1"), "action": "comment", "note": "new event"},
		"elders":      {"name": "新老人", "birth_year": 1940, "household": c.ID("household.h1")},
		"pairings":    {"volunteer": c.ID("user.mixed"), "elder": c.ID("elder.e1"), "interval_days": 15, "active": true},
		"visits": {"pairing": c.ID("pairing.active"), "volunteer": c.ID("user.volunteer"), "elder": c.ID("elder.e1"),
			"visited_at": now, "services": []string{"chat"}},
		"devices":             {"kind": "door_magnet", "name": "new door", "client_id": "door-new", "new_token": "matrix-test-token-0001"},
		"readings":            {"device": c.ID("device.e1"), "topic": "devices/sos-e1/up", "data": map[string]any{"sos": false}},
		"rules":               {"name": "new rule", "when": "telemetry"},
		"escalation_policies": {"name": "major", "severity": "major"},
		"channels":            {"name": "new channel", "kind": "webhook"},
		"alarms":              {"severity": "major", "title": "new alarm", "status": "active", "first_seen": now, "last_seen": now},
		"alarm_events":        {"alarm": c.ID("alarm.e1"), "action": "comment", "note": "new alarm event"},
		"deliveries":          {"kind": "inapp", "status": "pending", "title": "new delivery"},
		"notices":             {"title": "new notice", "category": "general"},
		"parking_spaces":      {"code": "Z99", "zone": "北区", "kind": "visitor"},
		"places":              {"name": "新公园", "kind": "park"},
		"data_sources":        {"name": "new source", "code": "newsrc", "kind": "other"},
		"duty_roster":         {"user": c.ID("user.staff"), "starts_at": now, "ends_at": later, "shift": "day"},
	}
	b, err := json.Marshal(bodies[collection])
	if err != nil {
		panic(err)
	}
	return string(b)
}

// updateField is a plain text field of each collection that an update
// scenario changes (no guard and no workflow owns it).
var updateField = map[string]string{
	"users": "name", "grids": "name", "buildings": "name", "departments": "name", "households": "head_name",
	"categories": "name", "cases": "title", "case_events": "note", "elders": "name", "pairings": "notes",
	"visits": "notes", "devices": "name", "readings": "topic", "rules": "name", "escalation_policies": "name",
	"channels": "name", "alarms": "title", "alarm_events": "note", "deliveries": "title", "notices": "title",
	"parking_spaces": "zone", "places": "name", "data_sources": "name", "duty_roster": "notes",
}

// deleteVictim is a record of each collection that nothing requires, so
// an allowed delete can succeed (cases and alarms have none: their
// timelines pin them).
var deleteVictim = map[string]string{
	"users": "user.secretary", "grids": "grid.spare", "buildings": "building.spare", "departments": "dept.legal",
	"households": "household.spare", "categories": "category.consult.policy", "elders": "elder.e2",
	"pairings": "pairing.inactive", "visits": "visit.e1", "devices": "device.parking", "readings": "reading.e1",
	"rules": "rule.test", "escalation_policies": "policy.test", "channels": "channel.webhook",
	"deliveries": "delivery.staff", "notices": "notice.draft", "parking_spaces": "parking.private",
	"places": "place.clinic", "data_sources": "source.hotline", "duty_roster": "duty.staff",
}
