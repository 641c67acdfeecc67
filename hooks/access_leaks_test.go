package hooks_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/internal/testapp"
)

// leak is one attempt to learn about records through a list filter or
// sort, or through expand: who asks, what, and which records must (not)
// show up in the answer.
type leak struct {
	name      string
	role      testapp.Role
	url       string // path and query; the query is encoded by the test
	status    int
	show, not []string // record keys that must / must not appear
	refused   string   // the parameter a 403 must name
}

// TestNoLeakThroughFilters: PocketBase applies a related collection's list
// rule to the rows a filter joins, but not to the "every item" subquery of
// a back-relation or multiple relation (operators without "?"). Without the
// guard, a resident listing grids got grid g1 for
// `cases_via_grid.title !~ 'nomatch'` and nothing for
// `cases_via_grid.title !~ 'patrol'`: proof that a case they may not see
// (case.patrol) has "patrol" in its title. The guard refuses paths into
// what the caller cannot list in full, naming the parameter, and lets
// through paths into what they can.
func TestNoLeakThroughFilters(t *testing.T) {
	c := testapp.Shared(t)
	r, g, gw := testapp.Resident, testapp.Guest, testapp.GridWorker
	leaks := []leak{
		// Back-relations from collections every member (or everyone) may list.
		{"grids: every case of the grid lacks 'patrol'", r, "grids?filter=cases_via_grid.title!~'patrol'", 403, nil, []string{"grid.g1", "grid.g2"}, "filter"},
		{"grids: some case of the grid has 'h2'", r, "grids?filter=cases_via_grid.title?~'h2'", 403, nil, []string{"grid.g2"}, "filter"},
		{"grids → cases, inside a function", r, "grids?filter=strftime('%Y',cases_via_grid.created)!=''", 403, nil, []string{"grid.g2"}, "filter"},
		{"grids sorted by cases", r, "grids?sort=-cases_via_grid.title", 403, nil, nil, "sort"},
		{"buildings → households", r, "buildings?filter=households_via_building.head_name!~'何'", 403, nil, []string{"building.b2"}, "filter"},
		{"departments → cases", r, "departments?filter=cases_via_lead_department.title!~'h2'", 403, nil, []string{"dept.police"}, "filter"},
		{"guest: categories → cases", g, "categories?filter=cases_via_category.description!~'h2'", 403, nil, []string{"category.dispute.neighbor"}, "filter"},
		{"guest: notices → author's phone", g, "notices?filter=author.phone~'1380'", 403, nil, []string{"notice.published"}, "filter"},
		{"guest: parking → devices", g, "parking_spaces?filter=devices_via_parking_space.client_id!~'park'", 403, nil, []string{"parking.public"}, "filter"},
		// Relation paths from what the resident may see.
		{"cases → household", r, "cases?filter=household.head_name~'何'", 403, nil, []string{"case.h2"}, "filter"},
		{"case_events → case", r, "case_events?filter=case.title~'h2'", 403, nil, []string{"event.h2"}, "filter"},
		{"households → cases", r, "households?filter=cases_via_household.title!~'h2'", 403, nil, []string{"household.h2"}, "filter"},
		{"users → household", r, "users?filter=household.head_name~'何'", 403, nil, []string{"user.other"}, "filter"},
		{"@collection", r, "cases?filter=@collection.cases.title~'h2'", 403, nil, []string{"case.h2"}, "filter"},
		{"grid worker: cases → reporter", gw, "cases?filter=reporter.phone~'139'", 403, nil, nil, "filter"},
		// What stays allowed: own fields, and hops into what one may list in full.
		{"own field, visible", r, "cases?filter=title~'h1'", 200, []string{"case.h1"}, []string{"case.h2", "case.mate"}, ""},
		{"own field, not visible", r, "cases?filter=title~'h2'", 200, nil, []string{"case.h2"}, ""},
		{"hop into grids", r, "cases?filter=grid.code='G01'", 200, []string{"case.h1", "case.mate", "case.unverified"}, []string{"case.patrol", "case.h2"}, ""},
		{"hop into the public catalogue", r, "cases?filter=category.kind='complaint'", 200, []string{"case.h1", "case.unverified"}, []string{"case.hotline", "case.mate"}, ""},
		{"grid worker: hop through buildings into grids", gw, "households?filter=building.grid.code='G01'", 200, []string{"household.h1", "household.h3"}, []string{"household.h2"}, ""},
		{"workforce: hop into the duty roster", gw, "users?filter=duty_roster_via_user.shift='day'", 200, []string{"user.staff"}, []string{"user.other"}, ""},
		{"staff see everything anyway", testapp.Staff, "grids?filter=cases_via_grid.title?~'h2'", 200, []string{"grid.g2"}, []string{"grid.g1"}, ""},
		{"superuser too", testapp.Superuser, "grids?filter=cases_via_grid.title?~'h2'", 200, []string{"grid.g2"}, []string{"grid.g1"}, ""},
		// Not a leak: an unknown field stays PocketBase's own 400.
		{"unknown field", r, "grids?filter=no_such_field='x'", 400, nil, nil, ""},
	}
	for _, l := range leaks {
		s := l.scenario(c)
		s.Test(t)
	}
}

// TestNoLeakThroughExpand: expand applies the view rule of each expanded
// record, so a relation to something the caller may not view expands to
// nothing.
func TestNoLeakThroughExpand(t *testing.T) {
	c := testapp.Shared(t)
	r := testapp.Resident
	leaks := []leak{
		{"own case expands own household and self", r, "cases/" + c.ID("case.h1") + "?expand=household,reporter", 200,
			[]string{"household.h1", "user.resident"}, nil, ""},
		{"grid g1 expands only the resident's cases", r, "grids/" + c.ID("grid.g1") + "?expand=cases_via_grid", 200,
			[]string{"case.h1", "case.mate", "case.unverified"}, []string{"case.patrol"}, ""},
		{"grid g2 expands none of its cases", r, "grids/" + c.ID("grid.g2") + "?expand=cases_via_grid", 200, []string{"grid.g2"}, []string{"case.h2", "case.hotline"}, ""},
		{"a case's mediator is not expanded", testapp.OtherResident, "cases/" + c.ID("case.h2") + "?expand=mediator,lead_department", 200,
			[]string{"dept.police"}, []string{"user.mediator"}, ""},
		{"the unverified resident does not get the household", testapp.Unverified, "cases/" + c.ID("case.unverified") + "?expand=household", 200,
			[]string{"case.unverified"}, []string{"household.h1"}, ""},
		{"an inactive pairing does not open the elder", testapp.Volunteer, "pairings/" + c.ID("pairing.inactive") + "?expand=elder", 200,
			[]string{"pairing.inactive"}, []string{"elder.e2"}, ""},
		{"a published notice does not open its author", testapp.Guest, "notices/" + c.ID("notice.published") + "?expand=author", 200,
			[]string{"notice.published"}, []string{"user.staff"}, ""},
		{"guest: catalogue expands no cases", testapp.Guest, "categories?expand=cases_via_category", 200,
			[]string{"category.dispute.neighbor"}, []string{"case.h1", "case.h2", "case.hotline"}, ""},
		{"timeline expands only the visible case", r, "case_events?expand=case", 200,
			[]string{"event.h1", "case.h1"}, []string{"case.h2", "event.h2"}, ""},
	}
	for _, l := range leaks {
		s := l.scenario(c)
		s.Test(t)
	}
}

// scenario turns a leak into an ApiScenario on a fresh copy of the
// community (a fresh copy also keeps PocketBase's throttle of empty
// filtered lists out of the way).
func (l leak) scenario(c *testapp.Community) tests.ApiScenario {
	path, rawQuery, _ := strings.Cut(l.url, "?")
	collection, id, _ := strings.Cut(path, "/")
	u := "/api/collections/" + collection + "/records"
	if id != "" {
		u += "/" + id
	}
	q := url.Values{}
	for _, kv := range strings.Split(rawQuery, "&") {
		k, v, _ := strings.Cut(kv, "=")
		q.Set(k, v)
	}
	s := tests.ApiScenario{
		Name: string(l.role) + "/" + l.name, Method: http.MethodGet,
		URL:     u + "?" + q.Encode(),
		Headers: c.Auth(l.role), TestAppFactory: c.Factory, ExpectedStatus: l.status,
		ExpectedContent: []string{fmt.Sprintf(`"status":%d`, l.status)},
	}
	if l.status == http.StatusOK {
		s.ExpectedContent = nil
		for _, k := range l.show {
			s.ExpectedContent = append(s.ExpectedContent, `"id":"`+c.ID(k)+`"`)
		}
		if len(s.ExpectedContent) == 0 {
			s.ExpectedContent = []string{`"totalItems":0`}
		}
	}
	if l.refused != "" {
		s.ExpectedContent = append(s.ExpectedContent, fmt.Sprintf(`"data":{%q:{"code":"validation_relation_not_listable"`, l.refused))
	}
	for _, k := range l.not {
		s.NotExpectedContent = append(s.NotExpectedContent, `"id":"`+c.ID(k)+`"`)
	}
	return s
}
