// Package testapp builds PocketBase test apps from fengqiao's own
// migrations and hooks, with a small seeded community to test against.
//
// Three ways in, from cheapest to most isolated:
//
//	c := testapp.Shared(t)          // the seeded community, built once per test binary
//	app := c.Clone(t)               // a private copy of it (writes allowed), removed after t
//	app := testapp.New(t)           // an empty app: only PocketBase's and fengqiao's migrations
//
// For tests.ApiScenario tables, use c.Factory as TestAppFactory (a fresh
// clone per scenario, cleaned up by the scenario), or c.ReadOnly(t) for
// scenarios that do not write (one app shared by all of them; set
// DisableTestAppCleanup). c.Auth(role) gives the Authorization header of
// each role; c.ID(key) the id of a seeded record (see community.go for the
// keys).
//
// More records: testapp.Create(t, app, "cases", map[string]any{…}) saves
// one through the app's hooks. A real HTTP server (for realtime/SSE, or a
// client library): base := testapp.Serve(t, app), on 127.0.0.1, with every
// OnServe hook run; its MQTT TCP listener (Config) is on a free port too.
// Tokens: c.Token(role), or testapp.Token(t, record) for a new user.
//
// Tests of a package that uses Shared should call Run from TestMain so the
// seeded data dir is removed when the binary exits:
//
//	func TestMain(m *testing.M) { os.Exit(testapp.Run(m)) }
//
// The seeded community (community.go has the full list):
//
//	grids        grid.g1 grid.g2 grid.spare
//	buildings    building.b1 (g1) building.b2 (g2) building.spare (g1, empty)
//	households   household.h1 (b1) h3 (b1, elder e1) h2 (b2, elder e2) spare (b2)
//	users        user.resident user.housemate user.unverified (h1), user.other (h2),
//	             user.mixed (volunteer and resident, spare), user.volunteer,
//	             user.grid1 user.grid2 user.mediator user.police user.property
//	             user.staff user.secretary; superuser (a _superusers record)
//	cases        case.h1 case.mate case.unverified case.patrol case.h2 case.hotline,
//	             each with its intake event: event.h1 …
//	care         elder.e1 elder.e2 pairing.active pairing.inactive visit.e1
//	devices      device.e1 device.h2 device.parking reading.e1
//	alarms       alarm.e1 alarm.h2 aevent.e1 aevent.h2 delivery.grid1
//	             delivery.staff delivery.webhook rule.test policy.test channel.webhook
//	public       notice.published notice.draft parking.public parking.private place.clinic
//	other        source.hotline duty.staff
//
// Records the migrations create are keyed too: dept.<code>,
// category.<code>, rule.<key>, policy.<key>. Roles (roles.go) map each
// caller to one of these users; every user's password is Password.
//
// The apps have the rate limiter switched off (one test client makes
// thousands of requests from one address) and the start-up banner unbound
// (it writes to stderr on every OnServe); a test that needs either can turn
// it back on for its own clone.
package testapp
