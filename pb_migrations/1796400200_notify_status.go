package pb_migrations

import (
	"fmt"
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// deliveries.status gains "dead": a delivery that no retry can help (its
// channel was deleted or disabled, it has no address, its channel's
// configuration is unusable). It keeps its last error and stays until
// staff retry it; every other failure ("failed") is retried with backoff
// until it succeeds. Nothing is dropped silently.
func init() {
	m.Register(func(app core.App) error {
		return setDeliveryStatuses(app, "pending", "sending", "sent", "failed", "dead")
	}, func(app core.App) error {
		// Dead rows go back to failed so the narrower select accepts them.
		if _, err := app.DB().NewQuery("UPDATE deliveries SET status = 'failed' WHERE status = 'dead'").Execute(); err != nil {
			return fmt.Errorf("revive dead deliveries: %w", err)
		}
		return setDeliveryStatuses(app, "pending", "sending", "sent", "failed")
	})
}

func setDeliveryStatuses(app core.App, values ...string) error {
	c, err := app.FindCollectionByNameOrId("deliveries")
	if err != nil {
		return fmt.Errorf("find deliveries: %w", err)
	}
	f, ok := c.Fields.GetByName("status").(*core.SelectField)
	if !ok {
		return fmt.Errorf("deliveries.status is not a select field")
	}
	if slices.Equal(f.Values, values) {
		return nil
	}
	f.Values = values
	return saveCollection(app, c)
}
