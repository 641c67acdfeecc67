package notify

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
)

// Target says whom an alarm or case concerns; record ids, "" when unknown.
// Recipients fills in what it can: an elder's household, a household's
// grid.
type Target struct{ Elder, Household, Grid string }

// Recipient is one person to reach. Emergency contacts have no UserID.
// Audience is the audience that first named the person.
type Recipient struct {
	UserID, Name, Phone, Email string
	Audience                   string
}

// Recipients resolves audiences (the rules.Audience… constants) to people:
//
//   - grid_worker: users with role grid_worker whose grids hold t.Grid;
//   - on_duty: users on a duty_roster row covering at;
//   - staff, secretary: users with that role;
//   - volunteer: volunteers of the elder's active pairings;
//   - emergency_contacts: the elder's emergency_contacts, in call order;
//   - household: verified residents of t.Household.
//
// The result is de-duplicated (by user, and by phone so an emergency
// contact who is also a member is reached once) and in a stable order:
// audiences in the order given; people by name within an audience, except
// emergency contacts, who keep their call order. Suspended users (no
// roles) are left out. An unknown audience is an error; an audience with
// nobody in it is not. app may be a transaction.
func Recipients(app core.App, audiences []string, t Target, at time.Time) ([]Recipient, error) {
	t, err := completeTarget(app, t)
	if err != nil {
		return nil, err
	}
	var set recipientSet
	for _, a := range audiences {
		people, err := resolveAudience(app, a, t, at)
		if err != nil {
			return nil, fmt.Errorf("audience %s: %w", a, err)
		}
		for _, p := range people {
			p.Audience = a
			set.add(p)
		}
	}
	return set.list, nil
}

// completeTarget fills an elder's household and a household's grid when
// the caller did not know them; a dangling id reads as unknown.
func completeTarget(app core.App, t Target) (Target, error) {
	if t.Household == "" && t.Elder != "" {
		v, err := lookup(app, model.CollectionElders, t.Elder, "household")
		if err != nil {
			return t, err
		}
		t.Household = v
	}
	if t.Grid == "" && t.Household != "" {
		building, err := lookup(app, model.CollectionHouseholds, t.Household, "building")
		if err != nil || building == "" {
			return t, err
		}
		if t.Grid, err = lookup(app, model.CollectionBuildings, building, "grid"); err != nil {
			return t, err
		}
	}
	return t, nil
}

// lookup reads one field of one record; "" when the record is gone.
func lookup(app core.App, collection, id, field string) (string, error) {
	r, err := app.FindRecordById(collection, id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", collection, id, err)
	}
	return r.GetString(field), nil
}

// recipientSet keeps the first appearance of each person; a later one
// only fills in what the first lacked (a contact's user id, say).
type recipientSet struct{ list []Recipient }

func (s *recipientSet) add(p Recipient) {
	for i := range s.list {
		q := &s.list[i]
		same := (p.UserID != "" && p.UserID == q.UserID) ||
			(p.Phone != "" && p.Phone == q.Phone && (p.UserID == "" || q.UserID == ""))
		if !same {
			continue
		}
		if q.UserID == "" {
			q.UserID = p.UserID
		}
		if q.Email == "" {
			q.Email = p.Email
		}
		if q.Phone == "" {
			q.Phone = p.Phone
		}
		if q.Name == "" {
			q.Name = p.Name
		}
		return
	}
	s.list = append(s.list, p)
}
