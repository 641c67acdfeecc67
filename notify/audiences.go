package notify

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/rules"
)

// resolveAudience lists the people of one audience for t at the time at.
func resolveAudience(app core.App, audience string, t Target, at time.Time) ([]Recipient, error) {
	// Multi-valued fields need :each (a plain ?= compares the whole JSON
	// array; see pb_migrations/access.go).
	switch audience {
	case rules.AudienceGridWorker:
		if t.Grid == "" {
			return nil, nil
		}
		return users(app, "roles:each ?= 'grid_worker' && grids:each ?= {:grid}", dbx.Params{"grid": t.Grid})
	case rules.AudienceStaff:
		return users(app, "roles:each ?= 'staff'", nil)
	case rules.AudienceSecretary:
		return users(app, "roles:each ?= 'secretary'", nil)
	case rules.AudienceHousehold:
		if t.Household == "" {
			return nil, nil
		}
		return users(app, "household = {:h} && household_verified = true", dbx.Params{"h": t.Household})
	case rules.AudienceOnDuty:
		return onDuty(app, at)
	case rules.AudienceVolunteer:
		if t.Elder == "" {
			return nil, nil
		}
		pairings, err := app.FindRecordsByFilter(model.CollectionPairings, "elder = {:e} && active = true", "", 0, 0, dbx.Params{"e": t.Elder})
		if err != nil {
			return nil, fmt.Errorf("pairings: %w", err)
		}
		return usersByID(app, pluck(pairings, "volunteer"))
	case rules.AudienceEmergencyContacts:
		return emergencyContacts(app, t.Elder)
	}
	return nil, fmt.Errorf("unknown audience %q: use one of %v", audience, rules.Audiences)
}

// onDuty: the users of the duty_roster rows covering at.
func onDuty(app core.App, at time.Time) ([]Recipient, error) {
	when, err := types.ParseDateTime(at)
	if err != nil {
		return nil, fmt.Errorf("duty time: %w", err)
	}
	rows, err := app.FindRecordsByFilter(model.CollectionDutyRoster, "starts_at <= {:at} && ends_at > {:at}", "", 0, 0, dbx.Params{"at": when})
	if err != nil {
		return nil, fmt.Errorf("duty roster: %w", err)
	}
	return usersByID(app, pluck(rows, "user"))
}

// contact is one entry of elders.emergency_contacts.
type contact struct {
	Name     string `json:"name"`
	Relation string `json:"relation"`
	Phone    string `json:"phone"`
	Email    string `json:"email"`
}

func emergencyContacts(app core.App, elderID string) ([]Recipient, error) {
	if elderID == "" {
		return nil, nil
	}
	elder, err := app.FindRecordById(model.CollectionElders, elderID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("elder %s: %w", elderID, err)
	}
	var contacts []contact
	if raw := elder.GetString("emergency_contacts"); raw != "" && raw != "null" {
		if err := elder.UnmarshalJSONField("emergency_contacts", &contacts); err != nil {
			return nil, fmt.Errorf("elder %s: emergency_contacts is not a list of {name, relation, phone}: %w", elderID, err)
		}
	}
	out := make([]Recipient, 0, len(contacts))
	for i, c := range contacts {
		if strings.TrimSpace(c.Phone) == "" && strings.TrimSpace(c.Email) == "" {
			app.Logger().Warn("emergency contact has no phone or e-mail: left out",
				"elder", elderID, "contact", i, "name", c.Name)
			continue
		}
		name := strings.TrimSpace(c.Name)
		if c.Relation != "" {
			name = strings.TrimSpace(name + " (" + c.Relation + ")")
		}
		out = append(out, Recipient{Name: name, Phone: strings.TrimSpace(c.Phone), Email: strings.TrimSpace(c.Email)})
	}
	return out, nil
}

// users finds the active users matching filter, by name.
func users(app core.App, filter string, params dbx.Params) ([]Recipient, error) {
	records, err := app.FindRecordsByFilter(model.CollectionUsers, filter, "", 0, 0, params)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return asRecipients(records), nil
}

func usersByID(app core.App, ids []string) ([]Recipient, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	records, err := app.FindRecordsByIds(model.CollectionUsers, ids)
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return asRecipients(records), nil
}

// asRecipients keeps users who may sign in (a user without roles is
// suspended), sorted by name, then id.
func asRecipients(records []*core.Record) []Recipient {
	out := make([]Recipient, 0, len(records))
	for _, r := range records {
		u := model.AsUser(r)
		if len(u.Roles()) == 0 {
			continue
		}
		out = append(out, Recipient{UserID: r.Id, Name: u.Name(), Phone: u.Phone(), Email: r.Email()})
	}
	slices.SortFunc(out, func(a, b Recipient) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.UserID, b.UserID)
	})
	return out
}

func pluck(records []*core.Record, field string) []string {
	out := make([]string, 0, len(records))
	for _, r := range records {
		if v := r.GetString(field); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
