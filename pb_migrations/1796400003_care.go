package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Elder care: elders living alone or empty-nest, their volunteer pairings
// and the visits volunteers log.
func init() {
	m.Register(func(app core.App) error {
		for _, step := range []func(core.App) error{createElders, createPairings, createVisits} {
			if err := step(app); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		return dropCollections(app, "visits", "pairings", "elders")
	})
}

func createElders(app core.App) error {
	c := core.NewBaseCollection("elders", cid("elders"))
	c.Fields.Add(
		text("name", true, 100),
		selectOne("gender", false, "male", "female"),
		number("birth_year", true, 1900, 2100, true),
		relation("household", cid("households"), true, false),
		pattern("phone", false, 20, `^\+?[0-9-]{5,20}$`),
		boolean("lives_alone"),
		boolean("empty_nest"),
		// emergency_contacts: [{name, relation, phone}] in call order.
		jsonField("emergency_contacts", 10_000),
		text("health_notes", false, 2000),
		// mode: away and hospital suspend inactivity rules.
		selectOne("mode", false, "home", "away", "hospital"),
		date("mode_until", false),
	)
	timestamps(c)
	c.AddIndex("idx_elders_household", false, "household", "")
	return saveCollection(app, c)
}

func createPairings(app core.App) error {
	c := core.NewBaseCollection("pairings", cid("pairings"))
	c.Fields.Add(
		relation("volunteer", usersID, true, false),
		relation("elder", cid("elders"), true, true),
		number("interval_days", true, 1, 90, true),
		boolean("active"),
		date("started_at", false),
		text("notes", false, 1000),
	)
	timestamps(c)
	c.AddIndex("idx_pairings_pair", true, "volunteer, elder", "")
	c.AddIndex("idx_pairings_elder", false, "elder", "")
	return saveCollection(app, c)
}

func createVisits(app core.App) error {
	c := core.NewBaseCollection("visits", cid("visits"))
	c.Fields.Add(
		relation("pairing", cid("pairings"), true, false),
		relation("volunteer", usersID, true, false),
		relation("elder", cid("elders"), true, false),
		date("visited_at", true),
		number("minutes", false, 0, 24*60, true),
		selectMany("services", true, "chat", "medicine_delivery", "holiday_greeting", "anti_fraud",
			"health_check", "cleaning", "shopping", "escort", "meal_delivery", "other"),
		text("notes", false, 2000),
		images("photos", 6),
		geo("location"),
	)
	timestamps(c)
	c.AddIndex("idx_visits_elder", false, "elder, visited_at", "")
	c.AddIndex("idx_visits_volunteer", false, "volunteer, visited_at", "")
	return saveCollection(app, c)
}
