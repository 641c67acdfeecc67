package alarms

import (
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
)

// Permit says whether by may take action on alarm a:
//
//   - staff, the secretary and admins: every action on every alarm;
//   - a grid worker: acknowledge and comment on the alarms of their grids;
//   - a volunteer: acknowledge and comment on the alarms of an elder they
//     are actively paired with;
//   - anyone else (residents): nothing.
//
// It returns ErrForbidden or nil. (Whether by may see the alarm at all is
// the alarms collection's view rule, checked by the endpoints first.)
func Permit(app core.App, by Actor, a *model.Alarm, action string) error {
	if by.staffLike() {
		return nil
	}
	if action != ActAck && action != ActComment {
		return ErrForbidden
	}
	if by.has(model.RoleGridWorker) && a.Grid() != "" && slices.Contains(by.Grids, a.Grid()) {
		return nil
	}
	if by.has(model.RoleVolunteer) && by.ID != "" && a.Elder() != "" {
		n, err := app.CountRecords(model.CollectionPairings,
			dbx.HashExp{"volunteer": by.ID, "elder": a.Elder(), "active": true})
		if err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
	}
	return ErrForbidden
}
