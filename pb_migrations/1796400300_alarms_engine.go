package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The alarm engine's own durable state, so that a restart (or kill -9)
// neither loses an alarm nor raises a false one:
//
//   - alarm_timers: one row per armed timer — a silence rule watching a
//     device ("no motion for 12 h"), or an alarm rule's mark on an alarm it
//     already acted on. Written by the engine in batches (raw upserts), read
//     back and re-armed at start. Superusers only: admins may look, the
//     engine owns them.
//   - alarm_engine_state: small key/value rows; "cursor" holds the reading
//     time up to which every stored device message has been through the
//     rules, so messages stored but never handled (a crash after the PUBACK,
//     a full queue) are replayed at start.
//
// Both are system collections: admins see them in the admin UI but cannot
// rename or delete them, and the role matrix (superusers only: no API
// rules) is not theirs to widen.
func init() {
	m.Register(func(app core.App) error {
		timers := core.NewBaseCollection("alarm_timers", cid("alarm_timers"))
		timers.System = true
		timers.Fields.Add(
			relation("rule", cid("rules"), true, true),
			// subject: the device (silence timers) or alarm (alarm rules) id.
			pattern("subject", true, 30, `^[a-z0-9]+$`),
			selectOne("kind", true, "silence", "alarm"),
			// last_at: the last message that reset the silence (or when the
			// timer was armed); due_at: when the silence runs out.
			date("last_at", false),
			date("due_at", false),
			// fired: the rule acted for this silence (or alarm) already;
			// suspended: the elder is away or in hospital.
			boolean("fired"),
			boolean("suspended"),
		)
		timestamps(timers)
		timers.AddIndex("idx_alarm_timers_subject", true, "rule, subject", "")
		timers.AddIndex("idx_alarm_timers_due", false, "due_at", "")
		if err := saveCollection(app, timers); err != nil {
			return err
		}

		state := core.NewBaseCollection("alarm_engine_state", cid("alarm_engine_state"))
		state.System = true
		state.Fields.Add(
			pattern("key", true, 50, `^[a-z0-9_]+$`),
			date("at", false),
			jsonField("data", 10_000),
		)
		timestamps(state)
		state.AddIndex("idx_alarm_engine_state_key", true, "key", "")
		return saveCollection(app, state)
	}, func(app core.App) error {
		// System collections cannot be deleted: lift the flag first (the
		// API refuses that change, so it is done on the table).
		if _, err := app.DB().NewQuery("UPDATE _collections SET system = FALSE WHERE name IN ('alarm_timers', 'alarm_engine_state')").Execute(); err != nil {
			return err
		}
		if err := app.ReloadCachedCollections(); err != nil {
			return err
		}
		return dropCollections(app, "alarm_engine_state", "alarm_timers")
	})
}
