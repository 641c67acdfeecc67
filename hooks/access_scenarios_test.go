package hooks_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/internal/testapp"
)

// hiddenMarkers never appear in an API answer to anyone but a superuser.
var hiddenMarkers = []string{`"token_hash"`, `"key_hash"`, `"secret"`, `"tokenKey"`, `"password"`}

// TestAccessMatrix proves expectedAccess: every role × every collection ×
// list, view (each seeded record), create, update and delete, as
// tests.ApiScenario tables against the seeded community.
func TestAccessMatrix(t *testing.T) {
	c := testapp.Shared(t)
	blocks, err := parseAccess(expectedAccess, c)
	if err != nil {
		t.Fatalf("expectedAccess: %v", err)
	}
	assertCoversEveryCollection(t, c, blocks)

	var total atomic.Int64
	t.Cleanup(func() { t.Logf("%d scenarios", total.Load()) })
	for _, b := range blocks {
		t.Run(b.collection, func(t *testing.T) {
			t.Parallel()
			read := c.ReadOnly(t)
			col, err := read(t).FindCollectionByNameOrId(b.collection)
			if err != nil {
				t.Fatal(err)
			}
			g := scenarioGen{c: c, b: b, col: col, read: read}
			for _, role := range testapp.Roles {
				scenarios := g.role(t, role)
				total.Add(int64(len(scenarios)))
				for _, s := range scenarios {
					s.Test(t)
				}
			}
		})
	}
}

// assertCoversEveryCollection fails when a collection has no block (a new
// collection must state its matrix) or a block names no collection.
func assertCoversEveryCollection(t *testing.T, c *testapp.Community, blocks []accessBlock) {
	app := c.Clone(t)
	cols, err := app.FindAllCollections()
	if err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for _, col := range cols {
		if !col.System {
			want = append(want, col.Name)
		}
	}
	for _, b := range blocks {
		got = append(got, b.collection)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(want, got) {
		t.Fatalf("expectedAccess covers %v, the app has %v", got, want)
	}
}

// scenarioGen turns one block of the table into scenarios.
type scenarioGen struct {
	c    *testapp.Community
	b    accessBlock
	col  *core.Collection
	read func(testing.TB) *tests.TestApp
}

func (g scenarioGen) role(t *testing.T, role testapp.Role) []tests.ApiScenario {
	row := g.b.rows[role]
	must := func(cell string) []string {
		keys, err := g.b.keys(g.c, role, cell)
		if err != nil {
			t.Fatal(err)
		}
		return keys
	}
	readable := must(row.read)
	out := []tests.ApiScenario{g.list(role, readable)}
	for _, key := range viewKeys(g.c.Keys(g.b.collection)) {
		out = append(out, g.view(role, key, slices.Contains(readable, key)))
	}
	out = append(out, g.create(role, row.create == "+"))
	updatable := must(row.update)
	for _, target := range targets(g.c.Keys(g.b.collection), updatable, readable, "") {
		out = append(out, g.update(role, target, slices.Contains(updatable, target)))
	}
	deletable := must(row.del)
	for _, target := range targets(g.c.Keys(g.b.collection), deletable, readable, deleteVictim[g.b.collection]) {
		out = append(out, g.delete(role, target, slices.Contains(deletable, target)))
	}
	return out
}

// viewKeys is every seeded record, but only three of the long catalogue
// lists (they all share one rule).
func viewKeys(keys []string) []string {
	if len(keys) > 10 {
		return keys[:3]
	}
	return keys
}

// targets picks the records a write is tried on: one the role may write
// (the victim when it is allowed) and one it may not (preferring one it
// can read, to show reading does not imply writing).
func targets(all, allowed, readable []string, victim string) []string {
	var out []string
	if len(allowed) > 0 {
		in := allowed[0]
		if victim != "" && slices.Contains(allowed, victim) {
			in = victim
		}
		out = append(out, in)
	}
	var outside []string
	for _, k := range all {
		if !slices.Contains(allowed, k) {
			outside = append(outside, k)
		}
	}
	if len(outside) > 0 {
		pick := outside[0]
		for _, k := range outside {
			if slices.Contains(readable, k) {
				pick = k
				break
			}
		}
		out = append(out, pick)
	}
	return out
}

// refusal is the status of a refused request: PocketBase answers 403 when
// the rule is locked (nil), 400 for a failed create rule, 404 for an update
// or delete outside the rule; superusers bypass rules, so their refusals
// come from hooks or relations (400).
func (g scenarioGen) refusal(role testapp.Role, rule *string, op string) int {
	switch {
	case role == testapp.Superuser:
		return http.StatusBadRequest
	case rule == nil:
		return http.StatusForbidden
	case op == "create":
		return http.StatusBadRequest
	}
	return http.StatusNotFound
}

func (g scenarioGen) name(role testapp.Role, op string, allowed bool) string {
	verdict := "refused"
	if allowed {
		verdict = "allowed"
	}
	return fmt.Sprintf("%s/%s/%s", role, op, verdict)
}

func (g scenarioGen) url(id string) string {
	u := "/api/collections/" + g.b.collection + "/records"
	if id != "" {
		u += "/" + id
	}
	return u
}

func (g scenarioGen) hidden(role testapp.Role) []string {
	if role == testapp.Superuser {
		return nil
	}
	return hiddenMarkers
}

// onApp runs a write that must succeed on a fresh copy of the community,
// and one that must be refused on the collection's shared read-only copy:
// a refusal changes nothing (AfterTestFunc checks it did not; if a hole let
// it through, that scenario fails, and so may later ones on the copy).
func (g scenarioGen) onApp(s *tests.ApiScenario, allowed bool) {
	if allowed {
		s.TestAppFactory = g.c.Factory
		return
	}
	s.TestAppFactory, s.DisableTestAppCleanup = g.read, true
}

func (g scenarioGen) list(role testapp.Role, readable []string) tests.ApiScenario {
	s := tests.ApiScenario{
		Name: g.name(role, "list", true), Method: http.MethodGet, URL: g.url("") + "?perPage=500",
		Headers: g.c.Auth(role), TestAppFactory: g.read, DisableTestAppCleanup: true,
	}
	if g.col.ListRule == nil && role != testapp.Superuser {
		s.ExpectedStatus, s.ExpectedContent = http.StatusForbidden, []string{`"status":403`}
		return s
	}
	s.ExpectedStatus = http.StatusOK
	s.ExpectedContent = []string{fmt.Sprintf(`"totalItems":%d,`, len(readable))}
	s.NotExpectedContent = g.hidden(role)
	for _, key := range g.c.Keys(g.b.collection) {
		marker := `"id":"` + g.c.ID(key) + `"`
		if slices.Contains(readable, key) {
			s.ExpectedContent = append(s.ExpectedContent, marker)
		} else {
			s.NotExpectedContent = append(s.NotExpectedContent, marker)
		}
	}
	return s
}

func (g scenarioGen) view(role testapp.Role, key string, allowed bool) tests.ApiScenario {
	s := tests.ApiScenario{
		Name: g.name(role, "view "+key, allowed), Method: http.MethodGet, URL: g.url(g.c.ID(key)),
		Headers: g.c.Auth(role), TestAppFactory: g.read, DisableTestAppCleanup: true,
	}
	if allowed {
		s.ExpectedStatus = http.StatusOK
		s.ExpectedContent = []string{`"id":"` + g.c.ID(key) + `"`}
		s.NotExpectedContent = g.hidden(role)
		return s
	}
	s.ExpectedStatus = g.refusal(role, g.col.ViewRule, "view")
	s.ExpectedContent = []string{fmt.Sprintf(`"status":%d`, s.ExpectedStatus)}
	s.NotExpectedContent = []string{g.c.ID(key)}
	return s
}

func (g scenarioGen) create(role testapp.Role, allowed bool) tests.ApiScenario {
	base := len(g.c.Keys(g.b.collection))
	s := tests.ApiScenario{
		Name: g.name(role, "create", allowed), Method: http.MethodPost, URL: g.url(""),
		Body: strings.NewReader(createBody(g.c, g.b.collection)), Headers: g.c.Auth(role),
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			n, err := app.CountRecords(g.b.collection)
			if err != nil {
				t.Fatal(err)
			}
			if want := base + map[bool]int{true: 1, false: 0}[allowed]; int(n) != want {
				t.Errorf("%s has %d records after the create, want %d", g.b.collection, n, want)
			}
		},
	}
	g.onApp(&s, allowed)
	if allowed {
		s.ExpectedStatus, s.ExpectedContent = http.StatusOK, []string{`"collectionName":"` + g.b.collection + `"`}
		return s
	}
	s.ExpectedStatus = g.refusal(role, g.col.CreateRule, "create")
	s.ExpectedContent = []string{fmt.Sprintf(`"status":%d`, s.ExpectedStatus)}
	return s
}

func (g scenarioGen) update(role testapp.Role, key string, allowed bool) tests.ApiScenario {
	field, value := updateField[g.b.collection], "changed by "+string(role)
	s := tests.ApiScenario{
		Name: g.name(role, "update "+key, allowed), Method: http.MethodPatch, URL: g.url(g.c.ID(key)),
		Body: strings.NewReader(fmt.Sprintf(`{%q:%q}`, field, value)), Headers: g.c.Auth(role),
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			if got := g.c.Record(t, app, key).GetString(field); (got == value) != allowed {
				t.Errorf("%s.%s is %q after the update (allowed: %v)", key, field, got, allowed)
			}
		},
	}
	g.onApp(&s, allowed)
	if allowed {
		s.ExpectedStatus, s.ExpectedContent = http.StatusOK, []string{fmt.Sprintf(`%q:%q`, field, value)}
		return s
	}
	s.ExpectedStatus = g.refusal(role, g.col.UpdateRule, "update")
	s.ExpectedContent = []string{fmt.Sprintf(`"status":%d`, s.ExpectedStatus)}
	return s
}

func (g scenarioGen) delete(role testapp.Role, key string, allowed bool) tests.ApiScenario {
	s := tests.ApiScenario{
		Name: g.name(role, "delete "+key, allowed), Method: http.MethodDelete, URL: g.url(g.c.ID(key)),
		Headers: g.c.Auth(role),
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			_, err := app.FindRecordById(g.b.collection, g.c.ID(key))
			if exists := err == nil; exists == allowed {
				t.Errorf("%s exists after the delete: %v (allowed: %v)", key, exists, allowed)
			}
		},
	}
	g.onApp(&s, allowed)
	if allowed {
		s.ExpectedStatus = http.StatusNoContent
		return s
	}
	s.ExpectedStatus = g.refusal(role, g.col.DeleteRule, "delete")
	s.ExpectedContent = []string{fmt.Sprintf(`"status":%d`, s.ExpectedStatus)}
	return s
}
