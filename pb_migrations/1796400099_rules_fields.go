package pb_migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Fields the rule language needs beyond the first schema:
//
//   - rules.reset_condition: for silence rules, which messages restart the
//     silence timer ("payload.motion == true"), separate from the condition
//     checked when the silence has lasted long enough.
//   - escalation_policies.key: names a shipped default policy, so the
//     default-data migration can find it without overwriting edits.
func init() {
	m.Register(func(app core.App) error {
		rules, err := app.FindCollectionByNameOrId("rules")
		if err != nil {
			return fmt.Errorf("find rules: %w", err)
		}
		rules.Fields.Add(text("reset_condition", false, 4000))
		if err := saveCollection(app, rules); err != nil {
			return err
		}
		policies, err := app.FindCollectionByNameOrId("escalation_policies")
		if err != nil {
			return fmt.Errorf("find escalation_policies: %w", err)
		}
		policies.Fields.Add(pattern("key", false, 64, `^[a-z0-9_]+$`))
		policies.AddIndex("idx_escalation_key", true, "key", "key != ''")
		return saveCollection(app, policies)
	}, func(app core.App) error {
		for name, field := range map[string]string{"rules": "reset_condition", "escalation_policies": "key"} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				continue
			}
			c.Fields.RemoveByName(field)
			c.RemoveIndex("idx_escalation_key")
			if err := saveCollection(app, c); err != nil {
				return err
			}
		}
		return nil
	})
}
