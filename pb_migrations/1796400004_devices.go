package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Devices that speak MQTT to the appliance and the readings they send.
func init() {
	m.Register(func(app core.App) error {
		if err := createDevices(app); err != nil {
			return err
		}
		return createReadings(app)
	}, func(app core.App) error {
		return dropCollections(app, "readings", "devices")
	})
}

// deviceKinds: sensors in homes and car parks, then integration accounts
// (sirens, LED boards, external feeds) that use explicit topic patterns.
var deviceKinds = []string{"door_magnet", "sos_button", "pir", "smoke", "gas", "water_leak", "parking",
	"siren", "led_board", "feed", "other"}

func createDevices(app core.App) error {
	c := core.NewBaseCollection("devices", cid("devices"))
	c.Fields.Add(
		selectOne("kind", true, deviceKinds...),
		text("name", true, 100),
		// client_id is the MQTT client id and username.
		pattern("client_id", true, 64, `^[A-Za-z0-9_-]{1,64}$`),
		// token_hash: hex SHA-256 of the device token. Never bcrypt: thousands
		// of devices reconnect at once after a power cut.
		hiddenText("token_hash", 64),
		boolean("disabled"),
		relation("elder", cid("elders"), false, false),
		relation("household", cid("households"), false, false),
		relation("parking_space", cid("parking_spaces"), false, false),
		// Integration accounts only: MQTT topic filters they may use.
		jsonField("publish_topics", 5_000),
		jsonField("subscribe_topics", 5_000),
		boolean("online"),
		date("last_seen", false),
		number("battery", false, 0, 100, true),
		jsonField("last_state", 10_000),
		text("last_error", false, 1000),
		date("last_error_at", false),
		counter("messages"),
		counter("dropped"),
		text("remote_addr", false, 100),
		text("firmware", false, 50),
		text("location_note", false, 200),
	)
	timestamps(c)
	c.AddIndex("idx_devices_client_id", true, "client_id", "")
	c.AddIndex("idx_devices_elder", false, "elder", "")
	c.AddIndex("idx_devices_household", false, "household", "")
	c.AddIndex("idx_devices_parking", false, "parking_space", "")
	c.AddIndex("idx_devices_kind", false, "kind, online", "")
	return saveCollection(app, c)
}

func createReadings(app core.App) error {
	c := core.NewBaseCollection("readings", cid("readings"))
	c.Fields.Add(
		relation("device", cid("devices"), true, true),
		text("topic", false, 256),
		jsonField("data", 64_000),
	)
	createdOnly(c)
	c.AddIndex("idx_readings_device", false, "device, created", "")
	c.AddIndex("idx_readings_created", false, "created", "")
	return saveCollection(app, c)
}
