package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// new_token lets an admin provision or re-key a device in the admin UI:
// the token typed there is hashed into token_hash by hooks/device_token.go
// and the field is emptied before the record is stored, so no plaintext
// token is ever kept.
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("devices")
		if err != nil {
			return err
		}
		c.Fields.Add(text("new_token", false, 200))
		return saveCollection(app, c)
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("devices")
		if err != nil {
			return err
		}
		c.Fields.RemoveByName("new_token")
		return saveCollection(app, c)
	})
}
