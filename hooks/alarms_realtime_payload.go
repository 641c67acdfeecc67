package hooks

import (
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/alarms"
	"github.com/fengqiao/fengqiao/model"
)

// The feed's message is a record event as PocketBase sends one for a
// record subscription: {"record": {…}, "action": "create"|"update"|"delete"}.
//
// Expand: staff, the secretary and admins may see every record the board
// expands (model.AlarmBoardExpand), so they get them expanded — built once
// per change, the same for all of them, the related records mostly from
// the feed's cache (alarms_realtime_expand.go); hooks/alarms_realtime_test.go
// compares it with PocketBase's own alarms/* event for a staff client.
// The one per-viewer difference PocketBase makes is kept: a user sees
// their own e-mail when they are the expanded assignee or acknowledger.
// Everyone else (grid workers, volunteers, residents) gets the alarm's own
// fields only: what they may see of the elder, the household or the staff
// differs person by person, so their phone fetches the alarm with its
// expand through the API (its rules) when a relation is new to it.
// Admins get the staff payload (not PocketBase's superuser view with
// hidden fields).

// alarmMessage is the JSON of one event (field order as PocketBase's).
type alarmMessage struct {
	Record any    `json:"record"`
	Action string `json:"action"`
}

// alarmPayloads builds the payloads of one alarm change lazily: plain
// (no expand), rich (expanded), and rich for a user who is one of the
// expanded users.
type alarmPayloads struct {
	app    core.App
	action string
	rec    *core.Record
	fetch  core.ExpandFetchFunc

	plain, rich []byte
	self        map[string][]byte // users id → rich, with their own e-mail
}

func newAlarmPayloads(app core.App, action string, rec *core.Record, fetch core.ExpandFetchFunc) *alarmPayloads {
	return &alarmPayloads{app: app, action: action, rec: rec, fetch: fetch}
}

// forViewer returns the payload v is sent.
func (p *alarmPayloads) forViewer(v alarms.Viewer) ([]byte, error) {
	if !v.StaffLike() {
		return p.plainPayload()
	}
	if err := p.expand(); err != nil {
		return nil, err
	}
	if v.Superuser || v.ID == "" {
		return p.rich, nil
	}
	if b, ok := p.self[v.ID]; ok {
		return b, nil
	}
	return p.rich, nil
}

func (p *alarmPayloads) plainPayload() ([]byte, error) {
	if p.plain == nil {
		b, err := json.Marshal(alarmMessage{Record: p.rec, Action: p.action})
		if err != nil {
			return nil, fmt.Errorf("encode alarm %s: %w", p.rec.Id, err)
		}
		p.plain = b
	}
	return p.plain, nil
}

// expand builds the rich payloads once.
func (p *alarmPayloads) expand() error {
	if p.rich != nil {
		return nil
	}
	r := p.rec.Fresh()
	if errs := p.app.ExpandRecord(r, model.AlarmBoardExpand, p.fetch); len(errs) > 0 {
		// a relation to a record deleted since: shown without it, as
		// PocketBase does
		p.app.Logger().Debug("alarm feed: expand", slog.String("alarm", r.Id), slog.Any("errors", errs))
	}
	b, err := json.Marshal(alarmMessage{Record: r, Action: p.action})
	if err != nil {
		return fmt.Errorf("encode alarm %s: %w", r.Id, err)
	}
	p.rich, p.self = b, map[string][]byte{}
	// PocketBase shows a user their own e-mail in an expand.
	users := map[string][]*core.Record{}
	for _, field := range []string{"assignee", "acknowledged_by"} {
		if u := r.ExpandedOne(field); u != nil && u.Email() != "" && !u.EmailVisibility() {
			users[u.Id] = append(users[u.Id], u)
		}
	}
	for id, copies := range users {
		for _, u := range copies {
			u.IgnoreEmailVisibility(true)
		}
		b, err := json.Marshal(alarmMessage{Record: r, Action: p.action})
		for _, u := range copies {
			u.IgnoreEmailVisibility(false)
		}
		if err != nil {
			return fmt.Errorf("encode alarm %s: %w", r.Id, err)
		}
		p.self[id] = b
	}
	return nil
}
