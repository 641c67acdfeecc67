// Package hooks is the only place that binds fengqiao to PocketBase: record
// hooks, routes, cron jobs and the start and stop of long-lived subsystems.
// Each concern has its own file; Register keeps their order in one place.
package hooks

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/pflag"

	"github.com/fengqiao/fengqiao/broker"
)

// Config holds the appliance's own flags (PocketBase adds --dir, --http…).
type Config struct {
	// PublicURL is how residents and devices reach the appliance; it goes
	// into links and the start-up banner.
	PublicURL string
	// Demo seeds the demo community at start (idempotent).
	Demo bool

	// MQTT is the broker's plain TCP address ("" switches it off; MQTT
	// over WebSocket at /mqtt on the HTTP port stays on). MQTTTLS is the
	// TLS address, used only when MQTTCert and MQTTKey (PEM files) are set.
	MQTT, MQTTTLS     string
	MQTTCert, MQTTKey string
	// MQTTMaxClients caps the devices connected at once.
	MQTTMaxClients int
	// ReadingsDays is how long telemetry readings are kept (0: forever).
	ReadingsDays int
}

// DefaultConfig returns the defaults printed by --help.
func DefaultConfig() Config {
	return Config{PublicURL: "", MQTT: broker.DefaultTCPAddr, MQTTTLS: broker.DefaultTLSAddr,
		MQTTMaxClients: broker.DefaultMaxClients, ReadingsDays: 30}
}

// BindFlags adds the appliance's flags to fs.
func (c *Config) BindFlags(fs *pflag.FlagSet) {
	fs.StringVar(&c.PublicURL, "public-url", c.PublicURL,
		"the URL residents and staff use to reach this appliance (default: the --http address)")
	fs.BoolVar(&c.Demo, "demo", c.Demo, "seed a demo community with one login per role (idempotent)")
	fs.StringVar(&c.MQTT, "mqtt", c.MQTT, `MQTT TCP listen address ("" = off; MQTT over WebSocket stays at /mqtt)`)
	fs.StringVar(&c.MQTTTLS, "mqtt-tls", c.MQTTTLS, "MQTT over TLS listen address, used with --mqtt-cert and --mqtt-key")
	fs.StringVar(&c.MQTTCert, "mqtt-cert", c.MQTTCert, "PEM certificate chain for MQTT over TLS")
	fs.StringVar(&c.MQTTKey, "mqtt-key", c.MQTTKey, "PEM private key for MQTT over TLS")
	fs.IntVar(&c.MQTTMaxClients, "mqtt-max-clients", c.MQTTMaxClients, "most MQTT devices connected at once")
	fs.IntVar(&c.ReadingsDays, "readings-days", c.ReadingsDays, "days of telemetry readings to keep (0 = keep all)")
}

// MustRegister is Register that panics on error, for main.
func MustRegister(app core.App, cfg Config) {
	if err := Register(app, cfg); err != nil {
		panic(err)
	}
}

// Register binds every concern to app, in start-up order.
func Register(app core.App, cfg Config) error {
	binders := []struct {
		name string
		bind func(core.App, Config) error
	}{
		{"users", bindUsers},
		{"guards", bindGuards},
		{"device tokens", bindDeviceToken},
		{"case intake", bindCaseIntake},
		{"append-only", bindAppendOnly},
		{"demo", bindDemo},
		{"checkpointer", bindCheckpointer}, // data.db's checkpoints, off the commit path (DBConnect)
		{"broker", bindBroker},             // after demo: the directory loads what it seeds
		{"alarms", bindAlarms},             // after broker: starts after the pipeline, stops after it drains
		{"alarm feed", bindAlarmsRealtime},
		{"notify", bindNotify}, // the outbox worker; mqtt deliveries through the broker (brokerPublisher)
		{"banner", bindBanner},
		{"ui", bindUI}, // last: the UI's catch-all route must not shadow others
	}
	for _, b := range binders {
		if err := b.bind(app, cfg); err != nil {
			return fmt.Errorf("hooks %s: %w", b.name, err)
		}
	}
	return nil
}
