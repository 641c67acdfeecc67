// Package demo seeds a believable demo community: 枫桥花园社区 with its
// grids, buildings, households, people in every role, elders living alone
// with their sensors and volunteers, parking, notices and a few cases.
//
// Seeding is idempotent: every record is looked up by a natural key first
// and left alone if it exists, so `serve --demo` can run on every start.
package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

// Password is the password of every demo login. Demo mode is for trying
// the product, never for a real community.
const Password = "fengqiao"

// Login is one demo account, printed at start so a newcomer can sign in.
type Login struct {
	Role     string
	Name     string
	Phone    string
	Password string
}

// DeviceToken is the MQTT password of a demo device. It is derived from the
// client id so that `fengqiao simulate` can connect the demo community's
// devices; real devices get a random token from `fengqiao device add`.
func DeviceToken(clientID string) string {
	sum := sha256.Sum256([]byte("fengqiao-demo-device:" + clientID))
	return hex.EncodeToString(sum[:16])
}

// Seed fills app with the demo community in one transaction and returns the
// demo logins.
func Seed(app core.App) ([]Login, error) {
	var logins []Login
	err := app.RunInTransaction(func(tx core.App) error {
		s := &seeder{app: tx, ids: map[string]string{}}
		steps := []struct {
			name string
			fn   func() error
		}{
			{"geography", s.geography},
			{"people", s.people},
			{"elders", s.elders},
			{"devices", s.devices},
			{"parking", s.parking},
			{"duty roster", s.dutyRoster},
			{"notices and places", s.noticesAndPlaces},
			{"data sources", s.dataSources},
			{"cases", s.cases},
		}
		for _, step := range steps {
			if err := step.fn(); err != nil {
				return fmt.Errorf("demo %s: %w", step.name, err)
			}
		}
		logins = s.logins
		return nil
	})
	return logins, err
}

// seeder carries the transaction and the ids of what it has seeded, keyed
// by natural key ("grid:G01", "user:13800000001"…).
type seeder struct {
	app    core.App
	ids    map[string]string
	logins []Login
}

// upsert returns the id of the record of collection whose field equals
// key, creating it from data when there is none. Existing records are not
// touched: a community's edits survive a restart in demo mode.
func (s *seeder) upsert(collection, field string, key any, data map[string]any) (string, error) {
	existing, err := s.app.FindFirstRecordByData(collection, field, key)
	if err == nil {
		return existing.Id, nil
	}
	col, err := s.app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return "", err
	}
	r := core.NewRecord(col)
	r.Set(field, key)
	for k, v := range data {
		switch k {
		case "password":
			r.SetPassword(v.(string))
		default:
			r.Set(k, v)
		}
	}
	if err := s.app.Save(r); err != nil {
		return "", fmt.Errorf("%s %v: %w", collection, key, err)
	}
	return r.Id, nil
}

// id returns a seeded record's id by its natural key, or panics: a missing
// key is a bug in the seed itself, not bad input.
func (s *seeder) id(key string) string {
	id, ok := s.ids[key]
	if !ok {
		panic("demo seed: no record " + key)
	}
	return id
}
