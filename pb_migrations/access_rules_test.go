package pb_migrations_test

import (
	"slices"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	_ "github.com/fengqiao/fengqiao/pb_migrations"
)

// publicRules is every API rule allowed to be "" (open to anyone, guests
// included): the service catalogue and the 15-minute living circle. Nothing
// else; notices and parking are public through rules that still filter.
var publicRules = []string{"categories.list", "categories.view", "places.list", "places.view"}

// TestNoUnlistedPublicRule fails when any rule of any non-system collection
// (the five API rules, and the auth and manage rules of auth collections)
// is the empty string without being on publicRules.
func TestNoUnlistedPublicRule(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	cols, err := app.FindAllCollections()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	var public []string
	for _, c := range cols {
		if c.System {
			continue
		}
		for op, rule := range rulesOf(c) {
			checked++
			if rule == nil || *rule != "" {
				continue
			}
			public = append(public, c.Name+"."+op)
			if !slices.Contains(publicRules, c.Name+"."+op) {
				t.Errorf("%s %s rule is \"\" (open to everyone) but not on publicRules", c.Name, op)
			}
		}
	}
	for _, want := range publicRules {
		if !slices.Contains(public, want) {
			t.Errorf("%s is on publicRules but is not \"\": keep the list exact", want)
		}
	}
	if checked < 24*5 {
		t.Errorf("checked only %d rules: are the collections there?", checked)
	}
}

// rulesOf returns every rule of c by operation name.
func rulesOf(c *core.Collection) map[string]*string {
	r := map[string]*string{"list": c.ListRule, "view": c.ViewRule, "create": c.CreateRule, "update": c.UpdateRule, "delete": c.DeleteRule}
	if c.IsAuth() {
		r["auth"], r["manage"] = c.AuthRule, c.ManageRule
	}
	return r
}

// TestPrivateFilesProtected: photos of cases and visits are served only
// with a file token to those who may view the record.
func TestPrivateFilesProtected(t *testing.T) {
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer app.Cleanup()
	for _, cf := range [][2]string{{"cases", "photos"}, {"visits", "photos"}} {
		c, err := app.FindCollectionByNameOrId(cf[0])
		if err != nil {
			t.Fatal(err)
		}
		f, ok := c.Fields.GetByName(cf[1]).(*core.FileField)
		if !ok || !f.Protected {
			t.Errorf("%s.%s must be a protected file field", cf[0], cf[1])
		}
	}
}
