package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// What the community publishes (notices, parking, the 15-minute living
// circle), who is on duty, and the external systems that push events in.
func init() {
	m.Register(func(app core.App) error {
		for _, step := range []func(core.App) error{createNotices, createParkingSpaces, createPlaces, createDataSources, createDutyRoster} {
			if err := step(app); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		return dropCollections(app, "duty_roster", "data_sources", "places", "parking_spaces", "notices")
	})
}

func createNotices(app core.App) error {
	c := core.NewBaseCollection("notices", cid("notices"))
	c.Fields.Add(
		text("title", true, 200),
		editor("body"),
		selectOne("category", true, "general", "safety", "activity", "service", "policy", "outage"),
		boolean("pinned"),
		boolean("published"),
		date("published_at", false),
		date("expires_at", false),
		relation("author", usersID, false, false),
		images("cover", 1),
		files("attachments", 5),
	)
	timestamps(c)
	c.AddIndex("idx_notices_published", false, "published, published_at", "")
	return saveCollection(app, c)
}

func createParkingSpaces(app core.App) error {
	c := core.NewBaseCollection("parking_spaces", cid("parking_spaces"))
	c.Fields.Add(
		pattern("code", true, 32, `^[A-Za-z0-9_-]+$`),
		text("zone", true, 100),
		selectOne("kind", true, "resident", "visitor", "charging", "accessible"),
		geo("location"),
		boolean("occupied"),
		date("changed_at", false),
		// public: shown to guests on the free-spaces screen.
		boolean("public"),
	)
	timestamps(c)
	c.AddIndex("idx_parking_code", true, "code", "")
	c.AddIndex("idx_parking_zone", false, "zone, occupied", "")
	return saveCollection(app, c)
}

func createPlaces(app core.App) error {
	c := core.NewBaseCollection("places", cid("places"))
	c.Fields.Add(
		text("name", true, 100),
		selectOne("kind", true, "clinic", "pharmacy", "canteen", "elderly_center", "supermarket", "market",
			"school", "kindergarten", "park", "police", "service_center", "other"),
		text("address", false, 300),
		geo("location"),
		pattern("phone", false, 20, `^\+?[0-9-]{5,20}$`),
		text("hours", false, 100),
		text("description", false, 1000),
		number("walk_minutes", false, 0, 120, true),
	)
	timestamps(c)
	c.AddIndex("idx_places_kind", false, "kind", "")
	return saveCollection(app, c)
}

func createDataSources(app core.App) error {
	c := core.NewBaseCollection("data_sources", cid("data_sources"))
	c.Fields.Add(
		text("name", true, 100),
		// code is the {source} in POST /api/ingest/{source} and MQTT ingest/{source}.
		pattern("code", true, 64, `^[A-Za-z0-9_-]{1,64}$`),
		selectOne("kind", true, "hotline_12345", "police_110", "four_platforms", "other"),
		// key_hash: SHA-256 of the source's API key, shown once when issued.
		hiddenText("key_hash", 64),
		boolean("disabled"),
		relation("default_category", cid("categories"), false, false),
		counter("received"),
		counter("rejected"),
		date("last_received_at", false),
		text("last_error", false, 1000),
	)
	timestamps(c)
	c.AddIndex("idx_data_sources_code", true, "code", "")
	return saveCollection(app, c)
}

func createDutyRoster(app core.App) error {
	c := core.NewBaseCollection("duty_roster", cid("duty_roster"))
	c.Fields.Add(
		relation("user", usersID, true, true),
		date("starts_at", true),
		date("ends_at", true),
		selectOne("shift", true, "day", "night", "full"),
		text("notes", false, 500),
	)
	timestamps(c)
	c.AddIndex("idx_duty_roster_time", false, "starts_at, ends_at", "")
	return saveCollection(app, c)
}
