package testapp

import (
	"strings"
	"time"
)

// Ref is the key of another seeded record; in a spec's data it is replaced
// by that record's id (a []Ref by the list of ids).
type Ref string

// spec is one seeded record: its key, its collection and its fields.
// "password" is set with SetPassword; "photos" etc. may hold files.
type spec struct {
	key, collection string
	data            map[string]any
}

// Password is the password of every seeded user and of the superuser.
const Password = "fengqiao-test"

// SuperuserEmail is the seeded superuser's login.
const SuperuserEmail = "root@fengqiao.test"

// community is the seeded community, in dependency order. Its shape:
//
//	grid g1: building b1: households h1 (resident, housemate, unverified),
//	         h3 (elder e1, paired with the volunteer), spare;
//	         building spare (empty)
//	grid g2: building b2: household h2 (other resident, elder e2 with an
//	         inactive pairing), spare (user.mixed: volunteer and resident)
//	grid spare: nothing in it
//
// Cases: case.h1 (resident), case.mate (housemate, same household),
// case.unverified (the unverified resident, h1), case.patrol (grid g1, by
// the grid worker, no household), case.h2 (other resident; lead police,
// mediator; a photo), case.hotline (grid g2; lead property, police
// assisting). Each case has its intake "submit" event, keyed event.<case>.
// The catalogue's departments and categories are keyed dept.<code> and
// category.<code>.
func community(now time.Time) []spec {
	hour := now.Add(-time.Hour)
	return []spec{
		{"grid.g1", "grids", map[string]any{"name": "第一网格", "code": "G01"}},
		{"grid.g2", "grids", map[string]any{"name": "第二网格", "code": "G02"}},
		{"grid.spare", "grids", map[string]any{"name": "备用网格", "code": "G09"}},
		{"building.b1", "buildings", map[string]any{"grid": Ref("grid.g1"), "name": "1栋", "address": "枫桥花园1栋"}},
		{"building.b2", "buildings", map[string]any{"grid": Ref("grid.g2"), "name": "5栋", "address": "枫桥花园5栋"}},
		{"building.spare", "buildings", map[string]any{"grid": Ref("grid.g1"), "name": "2栋", "address": "枫桥花园2栋"}},
		{"household.h1", "households", household("building.b1", "101", "骆建华")},
		{"household.h2", "households", household("building.b2", "502", "何秀英")},
		{"household.h3", "households", household("building.b1", "302", "陈国强")},
		{"household.spare", "households", household("building.b2", "601", "杨桂兰")},

		{"user.resident", "users", user("13900000001", "resident", "household.h1", true)},
		{"user.housemate", "users", user("13900000002", "resident", "household.h1", true)},
		{"user.unverified", "users", user("13900000003", "resident", "household.h1", false)},
		{"user.other", "users", user("13900000004", "resident", "household.h2", true)},
		// mixed: a silver-age volunteer who lives here too, like the demo's volunteers.
		{"user.mixed", "users", with(user("13800000042", "volunteer", "household.spare", true), "roles", []string{"volunteer", "resident"})},
		{"user.volunteer", "users", user("13800000041", "volunteer", "", false)},
		{"user.grid1", "users", with(user("13800000011", "grid_worker", "", false), "grids", []Ref{"grid.g1"})},
		{"user.grid2", "users", with(user("13800000012", "grid_worker", "", false), "grids", []Ref{"grid.g2"})},
		{"user.mediator", "users", with(user("13800000021", "mediator", "", false), "department", Ref("dept.mediation"))},
		{"user.police", "users", with(user("13800000031", "dept_staff", "", false), "department", Ref("dept.police"))},
		{"user.property", "users", with(user("13800000037", "dept_staff", "", false), "department", Ref("dept.property"))},
		{"user.staff", "users", user("13800000002", "staff", "", false)},
		{"user.secretary", "users", user("13800000001", "secretary", "", false)},
		{"superuser", "_superusers", map[string]any{"email": SuperuserEmail, "password": Password}},

		{"case.h1", "cases", kase("category.complaint.noise", "h1 楼上噪音", "user.resident", "household.h1", "grid.g1", "resident_app")},
		{"case.mate", "cases", kase("category.repair.water", "mate 厨房漏水", "user.housemate", "household.h1", "grid.g1", "resident_app")},
		{"case.unverified", "cases", kase("category.complaint.dogs", "unverified 养犬", "user.unverified", "household.h1", "grid.g1", "resident_app")},
		{"case.patrol", "cases", kase("category.repair.road", "patrol 道路破损", "user.grid1", "", "grid.g1", "grid_patrol")},
		{"case.h2", "cases", with(with(with(kase("category.dispute.neighbor", "h2 邻里纠纷", "user.other", "household.h2", "grid.g2", "walk_in"),
			"lead_department", Ref("dept.police")), "mediator", Ref("user.mediator")), "photos", photo("h2-scene.png"))},
		{"case.hotline", "cases", with(with(with(kase("category.complaint.property_service", "hotline 物业投诉", "", "", "grid.g2", "hotline_12345"),
			"lead_department", Ref("dept.property")), "assisting_departments", []Ref{"dept.police"}), "reporter_name", "12345来电人")},

		{"elder.e1", "elders", map[string]any{"name": "陈阿婆", "birth_year": 1938, "household": Ref("household.h3"), "lives_alone": true}},
		{"elder.e2", "elders", map[string]any{"name": "何大爷", "birth_year": 1942, "household": Ref("household.h2"), "empty_nest": true}},
		{"pairing.active", "pairings", map[string]any{"volunteer": Ref("user.volunteer"), "elder": Ref("elder.e1"), "interval_days": 15, "active": true}},
		{"pairing.inactive", "pairings", map[string]any{"volunteer": Ref("user.volunteer"), "elder": Ref("elder.e2"), "interval_days": 15, "active": false}},
		{"visit.e1", "visits", map[string]any{"pairing": Ref("pairing.active"), "volunteer": Ref("user.volunteer"), "elder": Ref("elder.e1"),
			"visited_at": hour, "services": []string{"chat"}, "notes": "visit e1"}},

		{"parking.public", "parking_spaces", map[string]any{"code": "A01", "zone": "东门", "kind": "visitor", "public": true}},
		{"parking.private", "parking_spaces", map[string]any{"code": "A02", "zone": "东门", "kind": "resident", "public": false}},
		{"device.e1", "devices", map[string]any{"kind": "sos_button", "name": "e1 SOS", "client_id": "sos-e1", "token_hash": hexHash("sos-e1"),
			"elder": Ref("elder.e1"), "household": Ref("household.h3")}},
		{"device.h2", "devices", map[string]any{"kind": "smoke", "name": "h2 smoke", "client_id": "smoke-h2", "token_hash": hexHash("smoke-h2"),
			"household": Ref("household.h2")}},
		{"device.parking", "devices", map[string]any{"kind": "parking", "name": "A01 sensor", "client_id": "park-a01", "token_hash": hexHash("park-a01"),
			"parking_space": Ref("parking.public")}},
		{"reading.e1", "readings", map[string]any{"device": Ref("device.e1"), "topic": "devices/sos-e1/up", "data": map[string]any{"sos": true}}},

		{"rule.test", "rules", map[string]any{"name": "test rule", "when": "telemetry", "enabled": true, "condition": "payload.sos == true"}},
		{"policy.test", "escalation_policies", map[string]any{"name": "test policy", "severity": "critical", "enabled": true}},
		{"channel.webhook", "channels", map[string]any{"name": "hook", "kind": "webhook", "url": "https://example.com/hook", "secret": "channel-secret-value"}},
		{"alarm.e1", "alarms", alarm("device.e1", "elder.e1", "household.h3", "grid.g1", "e1 SOS", hour)},
		{"alarm.h2", "alarms", alarm("device.h2", "", "household.h2", "grid.g2", "h2 smoke", hour)},
		{"aevent.e1", "alarm_events", map[string]any{"alarm": Ref("alarm.e1"), "action": "raise", "to_status": "active", "note": "aevent e1"}},
		{"aevent.h2", "alarm_events", map[string]any{"alarm": Ref("alarm.h2"), "action": "raise", "to_status": "active", "note": "aevent h2"}},
		{"delivery.grid1", "deliveries", map[string]any{"alarm": Ref("alarm.e1"), "kind": "inapp", "recipient": Ref("user.grid1"), "status": "pending", "title": "delivery grid1"}},
		// webhook: no recipient, like every delivery to a channel.
		{"delivery.webhook", "deliveries", map[string]any{"alarm": Ref("alarm.h2"), "kind": "webhook", "channel": Ref("channel.webhook"), "status": "failed", "title": "delivery webhook"}},
		{"delivery.staff", "deliveries", map[string]any{"alarm": Ref("alarm.h2"), "kind": "inapp", "recipient": Ref("user.staff"), "status": "sent", "title": "delivery staff"}},

		{"notice.published", "notices", map[string]any{"title": "published notice", "category": "general", "published": true, "published_at": hour, "author": Ref("user.staff")}},
		{"notice.draft", "notices", map[string]any{"title": "draft notice", "category": "general", "published": false, "author": Ref("user.staff")}},
		{"place.clinic", "places", map[string]any{"name": "社区卫生服务站", "kind": "clinic", "walk_minutes": 3}},
		{"source.hotline", "data_sources", map[string]any{"name": "12345", "code": "hotline12345", "kind": "hotline_12345", "key_hash": hexHash("source-key")}},
		{"duty.staff", "duty_roster", map[string]any{"user": Ref("user.staff"), "starts_at": hour, "ends_at": now.Add(11 * time.Hour), "shift": "day"}},
	}
}

func household(building, room, head string) map[string]any {
	return map[string]any{"building": Ref(building), "unit": "1", "room": room, "address": "枫桥花园 " + building + " " + room,
		"head_name": head, "phone": "0575-8707" + room}
}

func user(phone, role, household string, verified bool) map[string]any {
	d := map[string]any{"name": role + " " + phone, "phone": phone, "roles": []string{role}, "password": Password,
		"household_verified": verified}
	if household != "" {
		d["household"] = Ref(household)
	}
	return d
}

func kase(category, title, reporter, household, grid, source string) map[string]any {
	kind, _, _ := strings.Cut(strings.TrimPrefix(category, "category."), ".")
	d := map[string]any{"kind": kind, "category": Ref(category), "title": title, "description": title + " description",
		"grid": Ref(grid), "source": source, "reporter_phone": "13900009999", "parties": []map[string]string{{"name": title + " party"}}}
	if reporter != "" {
		d["reporter"] = Ref(reporter)
	}
	if household != "" {
		d["household"] = Ref(household)
	}
	return d
}

func alarm(device, elder, household, grid, title string, at time.Time) map[string]any {
	d := map[string]any{"device": Ref(device), "household": Ref(household), "grid": Ref(grid), "severity": "critical",
		"title": title, "status": "active", "count": 1, "first_seen": at, "last_seen": at}
	if elder != "" {
		d["elder"] = Ref(elder)
	}
	return d
}

// with returns d with one more field.
func with(d map[string]any, field string, v any) map[string]any {
	d[field] = v
	return d
}
