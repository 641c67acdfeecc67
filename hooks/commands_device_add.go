package hooks

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/loadgen"
	"github.com/fengqiao/fengqiao/model"
)

// addDevices provisions spec's device(s) in one transaction and returns
// their new credentials. Bulk devices that already exist get a new token.
func addDevices(app core.App, spec deviceSpec) ([]loadgen.Cred, error) {
	prefix, ok := deviceKinds[spec.kind]
	if !ok {
		return nil, fmt.Errorf("--kind %q: want one of %s", spec.kind, strings.Join(sortedKinds(), ", "))
	}
	integration := slices.Contains(model.IntegrationKinds, spec.kind)
	if !integration && (len(spec.publish) > 0 || len(spec.subscribe) > 0) {
		return nil, errors.New("--publish and --subscribe are for integration accounts (siren, led_board, feed)")
	}
	if spec.bulk < 0 || spec.bulk > 100_000 {
		return nil, errors.New("--bulk: between 1 and 100000")
	}
	var creds []loadgen.Cred
	err := app.RunInTransaction(func(tx core.App) error {
		links, err := resolveLinks(tx, spec)
		if err != nil {
			return err
		}
		ids := []string{spec.clientID}
		if spec.bulk > 0 {
			ids = make([]string, spec.bulk)
			for i := range ids {
				ids[i] = fmt.Sprintf("%s%05d", spec.prefix, i+1)
			}
		} else if ids[0] == "" {
			ids[0] = prefix + "-" + strings.ToLower(newToken()[:6])
		}
		for _, id := range ids {
			tok := newToken()
			if err := saveDevice(tx, spec, id, tok, links, spec.bulk > 0); err != nil {
				return err
			}
			creds = append(creds, loadgen.Cred{ClientID: id, Token: tok})
		}
		return nil
	})
	return creds, err
}

// links are the resolved record ids a device belongs to.
type links struct{ elder, household, parkingSpace string }

// resolveLinks turns --elder (id or phone), --household (id) and
// --parking-space (id or code) into record ids; the household defaults to
// the elder's.
func resolveLinks(tx core.App, spec deviceSpec) (links, error) {
	var l links
	if spec.elder != "" {
		r, err := findByIDOr(tx, model.CollectionElders, spec.elder, "phone")
		if err != nil {
			return l, fmt.Errorf("--elder %q: no such elder (record id or phone)", spec.elder)
		}
		l.elder, l.household = r.Id, r.GetString("household")
	}
	if spec.household != "" {
		r, err := tx.FindRecordById(model.CollectionHouseholds, spec.household)
		if err != nil {
			return l, fmt.Errorf("--household %q: no such household (record id)", spec.household)
		}
		l.household = r.Id
	}
	if spec.parkingSpace != "" {
		r, err := findByIDOr(tx, model.CollectionParkingSpaces, spec.parkingSpace, "code")
		if err != nil {
			return l, fmt.Errorf("--parking-space %q: no such space (record id or code)", spec.parkingSpace)
		}
		l.parkingSpace = r.Id
	}
	return l, nil
}

func findByIDOr(tx core.App, collection, key, field string) (*core.Record, error) {
	if r, err := tx.FindRecordById(collection, key); err == nil {
		return r, nil
	}
	return tx.FindFirstRecordByData(collection, field, key)
}

// saveDevice creates the device, or with reuse gives an existing one
// (same client id) the new token.
func saveDevice(tx core.App, spec deviceSpec, clientID, token string, l links, reuse bool) error {
	var dev *model.Device
	if r, err := tx.FindFirstRecordByData(model.CollectionDevices, "client_id", clientID); err == nil {
		if !reuse {
			return fmt.Errorf("a device with client id %q exists: use `fengqiao device token %s` for a new token", clientID, clientID)
		}
		dev = model.AsDevice(r)
	} else {
		d, err := model.NewDevice(tx)
		if err != nil {
			return err
		}
		dev = d
		dev.SetClientID(clientID)
	}
	dev.SetKind(spec.kind)
	name := spec.name
	if name == "" || spec.bulk > 0 {
		name = strings.TrimSpace(spec.name + " " + clientID)
	}
	dev.SetName(name)
	dev.SetTokenHash(model.HashToken(token))
	dev.SetElder(l.elder)
	dev.SetHousehold(l.household)
	dev.SetParkingSpace(l.parkingSpace)
	if len(spec.publish) > 0 {
		dev.SetPublishTopics(spec.publish...)
	}
	if len(spec.subscribe) > 0 {
		dev.SetSubscribeTopics(spec.subscribe...)
	}
	if err := tx.Save(dev); err != nil {
		return fmt.Errorf("save device %s: %w", clientID, err)
	}
	return nil
}
