// Package hooks is the only place that binds fengqiao to PocketBase: record
// hooks, routes, cron jobs and the start and stop of long-lived subsystems.
// Each concern has its own file; Register keeps their order in one place.
package hooks

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/pflag"
)

// Config holds the appliance's own flags (PocketBase adds --dir, --http…).
type Config struct {
	// PublicURL is how residents and devices reach the appliance; it goes
	// into links and the start-up banner.
	PublicURL string
	// Demo seeds the demo community at start (idempotent).
	Demo bool
}

// DefaultConfig returns the defaults printed by --help.
func DefaultConfig() Config {
	return Config{PublicURL: ""}
}

// BindFlags adds the appliance's flags to fs.
func (c *Config) BindFlags(fs *pflag.FlagSet) {
	fs.StringVar(&c.PublicURL, "public-url", c.PublicURL,
		"the URL residents and staff use to reach this appliance (default: the --http address)")
	fs.BoolVar(&c.Demo, "demo", c.Demo, "seed a demo community with one login per role (idempotent)")
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
		{"case intake", bindCaseIntake},
		{"append-only", bindAppendOnly},
		{"demo", bindDemo},
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
