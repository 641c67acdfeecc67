package hooks

import (
	validation "github.com/go-ozzo/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/fengqiao/fengqiao/model"
)

// bindUsers requires every member to have a login identity: a phone
// number or an e-mail address (the migration made e-mail optional).
func bindUsers(app core.App, _ Config) error {
	app.OnRecordValidate(model.CollectionUsers).Bind(&hook.Handler[*core.RecordEvent]{
		Id: "usersIdentity",
		Func: func(e *core.RecordEvent) error {
			u := model.AsUser(e.Record)
			if u.Phone() == "" && u.Email() == "" {
				return validation.Errors{"phone": validation.NewError("validation_phone_or_email", "A phone number or an e-mail address is required.")}
			}
			return e.Next()
		},
	})
	return nil
}
