package alarms

import (
	"fmt"
	"slices"

	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
)

// Actor is who changes an alarm: a users record, a superuser (admin), or
// the engine itself (the zero Actor).
type Actor struct {
	// ID is the users record id; "" for a superuser or the engine.
	ID string
	// Name is shown in the alarm's log ("系统" when empty).
	Name string
	// Roles are the user's roles (users.roles); Superuser marks an admin.
	Roles     []string
	Superuser bool
	// Grids are a grid worker's grids (users.grids).
	Grids []string
}

// ActorOf describes an authenticated record (nil: the engine).
func ActorOf(auth *core.Record) Actor {
	if auth == nil {
		return Actor{}
	}
	if auth.IsSuperuser() {
		return Actor{Name: "admin " + auth.Email(), Superuser: true}
	}
	u := model.AsUser(auth)
	name := u.Name()
	if name == "" {
		name = u.Phone()
	}
	return Actor{ID: auth.Id, Name: name, Roles: u.Roles(), Grids: u.Grids()}
}

// has reports whether the actor holds one of roles.
func (a Actor) has(roles ...string) bool {
	for _, r := range roles {
		if slices.Contains(a.Roles, r) {
			return true
		}
	}
	return false
}

// staffLike: workstation staff, the secretary, or an admin.
func (a Actor) staffLike() bool {
	return a.Superuser || a.has(model.RoleStaff, model.RoleSecretary)
}

// appendEvent writes one alarm_events row in app.
func appendEvent(app core.App, a *model.Alarm, action string, by Actor, from, to, note string, data map[string]any) error {
	ev, err := model.NewAlarmEvent(app)
	if err != nil {
		return err
	}
	ev.SetAlarm(a.Id)
	ev.SetAction(action)
	ev.SetActor(by.ID)
	name := by.Name
	if name == "" && by.ID == "" && !by.Superuser {
		name = "系统"
	}
	ev.SetActorName(truncate(name, 100))
	ev.SetFromStatus(from)
	ev.SetToStatus(to)
	ev.SetNote(truncate(note, 2000))
	if data != nil {
		ev.SetData(data)
	}
	if err := app.Save(ev); err != nil {
		return fmt.Errorf("alarm %s: %s event: %w", a.Id, action, err)
	}
	return nil
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
