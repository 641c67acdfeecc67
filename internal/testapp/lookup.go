package testapp

import (
	"slices"
	"testing"

	"github.com/pocketbase/pocketbase/core"
)

// ID returns the id of the seeded record key ("case.h1", "user.staff",
// "dept.police", "category.complaint.noise"…). An unknown key panics: it
// is a typo in the test, not a failure of the code under test.
func (c *Community) ID(key string) string {
	id, ok := c.ids[key]
	if !ok {
		panic("testapp: no seeded record " + key)
	}
	return id
}

// Keys returns the keys of the seeded records of collection, in seed
// order (the catalogue's departments and categories included).
func (c *Community) Keys(collection string) []string {
	return slices.Clone(c.order[collection])
}

// Token returns role's auth token ("" for Guest).
func (c *Community) Token(role Role) string { return c.tokens[role] }

// Auth returns the request headers of role: an Authorization header, or
// none for Guest.
func (c *Community) Auth(role Role) map[string]string {
	if role == Guest {
		return map[string]string{}
	}
	return map[string]string{"Authorization": c.tokens[role]}
}

// Record loads the seeded record key from app (a clone of the community).
func (c *Community) Record(t testing.TB, app core.App, key string) *core.Record {
	t.Helper()
	for collection, keys := range c.order {
		if slices.Contains(keys, key) {
			r, err := app.FindRecordById(collection, c.ID(key))
			if err != nil {
				t.Fatalf("testapp: load %s: %v", key, err)
			}
			return r
		}
	}
	t.Fatalf("testapp: no seeded record %s", key)
	return nil
}
