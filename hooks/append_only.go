package hooks

import (
	"errors"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/fengqiao/fengqiao/model"
)

// errAppendOnly is returned to anyone (superusers and Go code included)
// who tries to change or remove a timeline row.
var errAppendOnly = errors.New("timeline rows are append-only: they cannot be changed or deleted")

// appendOnly are the timelines that nothing edits or deletes.
var appendOnly = []string{model.CollectionCaseEvents, model.CollectionAlarmEvents}

// bindAppendOnly refuses every update and delete of a timeline row at the
// model level, below the API rules, so no path can rewrite history.
func bindAppendOnly(app core.App, _ Config) error {
	refuse := func(e *core.RecordEvent) error { return errAppendOnly }
	app.OnRecordUpdate(appendOnly...).Bind(&hook.Handler[*core.RecordEvent]{Id: "appendOnlyUpdate", Func: refuse})
	app.OnRecordDelete(appendOnly...).Bind(&hook.Handler[*core.RecordEvent]{Id: "appendOnlyDelete", Func: refuse})
	return nil
}
