package hooks

import (
	"crypto/rand"

	validation "github.com/go-ozzo/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/fengqiao/fengqiao/model"
)

// minDeviceToken: a token shorter than this is refused (16 random
// base-32 characters carry 80 bits; generated ones carry 130).
const minDeviceToken = 16

// bindDeviceToken lets admins provision devices in the admin UI: the token
// typed into new_token is hashed into token_hash and never stored. A device
// created through the API without any token is refused, with a freshly
// generated one suggested in the message.
func bindDeviceToken(app core.App, _ Config) error {
	hashNewToken := func(e *core.RecordEvent) error {
		d := model.AsDevice(e.Record)
		if tok := d.GetString("new_token"); tok != "" {
			if len(tok) < minDeviceToken {
				return validation.Errors{"new_token": validation.NewError("validation_token_too_short",
					"A device token needs at least 16 characters.")}
			}
			d.SetTokenHash(model.HashToken(tok))
			d.Set("new_token", "")
		}
		return e.Next()
	}
	app.OnRecordCreate(model.CollectionDevices).Bind(&hook.Handler[*core.RecordEvent]{Id: "deviceNewTokenCreate", Func: hashNewToken})
	app.OnRecordUpdate(model.CollectionDevices).Bind(&hook.Handler[*core.RecordEvent]{Id: "deviceNewTokenUpdate", Func: hashNewToken})
	app.OnRecordCreateRequest(model.CollectionDevices).Bind(&hook.Handler[*core.RecordRequestEvent]{
		Id: "deviceTokenRequired",
		Func: func(e *core.RecordRequestEvent) error {
			d := model.AsDevice(e.Record)
			if d.TokenHash() == "" && d.GetString("new_token") == "" {
				return validation.Errors{"new_token": validation.NewError("validation_token_required",
					"Give the device a token (write it into the device too), for example: "+rand.Text())}
			}
			return e.Next()
		},
	})
	return nil
}
