package testapp

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// Community is the seeded community: a data dir to clone, the ids of its
// records by key, and an auth token per role.
type Community struct {
	// Dir is the seeded data dir; never open it directly (Clone copies it).
	Dir string

	ids    map[string]string
	order  map[string][]string // collection → keys in seed order
	tokens map[Role]string
}

var shared struct {
	once sync.Once
	c    *Community
	err  error
}

// Shared returns the community seeded once per test binary (see Run for
// its removal). It is read-only: open a Clone to use it.
func Shared(t testing.TB) *Community {
	t.Helper()
	shared.once.Do(func() { shared.c, shared.err = build() })
	if shared.err != nil {
		t.Fatalf("testapp: seed community: %v", shared.err)
	}
	return shared.c
}

// build seeds a new data dir with the community and closes it.
func build() (*Community, error) {
	empty, err := os.MkdirTemp("", "fengqiao-testapp-empty-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(empty)
	app, err := open(empty)
	if err != nil {
		return nil, err
	}
	c := &Community{Dir: app.DataDir(), ids: map[string]string{}, order: map[string][]string{}, tokens: map[Role]string{}}
	if err := c.seed(app); err != nil {
		app.Cleanup()
		return nil, err
	}
	if err := app.ResetBootstrapState(); err != nil { // close the databases, keep the dir
		return nil, fmt.Errorf("close seeded app: %w", err)
	}
	return c, nil
}

func (c *Community) seed(app core.App) error {
	if err := c.adoptMigrated(app); err != nil {
		return err
	}
	for _, s := range community(time.Now()) {
		r, err := c.save(app, s)
		if err != nil {
			return fmt.Errorf("seed %s: %w", s.key, err)
		}
		if s.collection == "cases" {
			ev, err := app.FindFirstRecordByData("case_events", "case", r.Id)
			if err != nil {
				return fmt.Errorf("intake event of %s: %w", s.key, err)
			}
			c.add(Prefix("case_events")+strings.TrimPrefix(s.key, Prefix("cases")), "case_events", ev.Id)
		}
	}
	for role, key := range userOf {
		r, err := app.FindRecordById(map[bool]string{true: core.CollectionNameSuperusers, false: "users"}[role == Superuser], c.ids[key])
		if err != nil {
			return fmt.Errorf("user of %s: %w", role, err)
		}
		if c.tokens[role], err = r.NewAuthToken(); err != nil {
			return fmt.Errorf("token of %s: %w", role, err)
		}
	}
	return nil
}

// adoptMigrated keys the records the migrations created (the catalogue,
// default rules…) so tables can name them: prefix + code, key or id.
func (c *Community) adoptMigrated(app core.App) error {
	cols, err := app.FindAllCollections(core.CollectionTypeBase, core.CollectionTypeAuth)
	if err != nil {
		return fmt.Errorf("collections: %w", err)
	}
	for _, col := range cols {
		if col.System {
			continue
		}
		records, err := app.FindAllRecords(col)
		if err != nil {
			return fmt.Errorf("records of %s: %w", col.Name, err)
		}
		for _, r := range records {
			natural := r.Id
			for _, field := range []string{"code", "key"} {
				if v := r.GetString(field); v != "" {
					natural = v
					break
				}
			}
			c.add(Prefix(col.Name)+natural, col.Name, r.Id)
		}
	}
	return nil
}

func (c *Community) save(app core.App, s spec) (*core.Record, error) {
	col, err := app.FindCachedCollectionByNameOrId(s.collection)
	if err != nil {
		return nil, err
	}
	r := core.NewRecord(col)
	for field, v := range s.data {
		switch v := v.(type) {
		case Ref:
			r.Set(field, c.ids[string(v)])
		case []Ref:
			ids := make([]string, len(v))
			for i, k := range v {
				ids[i] = c.ids[string(k)]
			}
			r.Set(field, ids)
		default:
			if field == "password" {
				r.SetPassword(v.(string))
				continue
			}
			r.Set(field, v)
		}
	}
	if err := app.Save(r); err != nil {
		return nil, err
	}
	c.add(s.key, s.collection, r.Id)
	return r, nil
}

func (c *Community) add(key, collection, id string) {
	if _, dup := c.ids[key]; dup {
		panic("testapp: two seeded records named " + key) // a typo in community.go
	}
	c.ids[key] = id
	c.order[collection] = append(c.order[collection], key)
}

// photo is a small real PNG, so image fields accept it.
func photo(name string) *filesystem.File {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{200, 30, 30, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err) // encoding an in-memory image cannot fail
	}
	f, err := filesystem.NewFileFromBytes(b.Bytes(), name)
	if err != nil {
		panic(err)
	}
	return f
}

// hexHash is the stored form of a device token or source key.
func hexHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Clone returns a private copy of the community, removed when t ends.
func (c *Community) Clone(t testing.TB) *tests.TestApp {
	t.Helper()
	app := c.Factory(t)
	t.Cleanup(app.Cleanup)
	return app
}

// Factory is a tests.ApiScenario TestAppFactory: a fresh copy of the
// community per scenario, which the scenario cleans up.
func (c *Community) Factory(t testing.TB) *tests.TestApp {
	t.Helper()
	app, err := open(c.Dir)
	if err != nil {
		t.Fatalf("testapp: %v", err)
	}
	return app
}

// ReadOnly returns a TestAppFactory that hands every scenario the same
// copy of the community, removed when t ends. Scenarios using it must set
// DisableTestAppCleanup and must not write: it is for lists and views.
func (c *Community) ReadOnly(t testing.TB) func(testing.TB) *tests.TestApp {
	app := c.Clone(t)
	return func(testing.TB) *tests.TestApp { return app }
}
