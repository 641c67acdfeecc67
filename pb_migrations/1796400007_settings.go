package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Settings a new appliance starts with: its name, nightly backups, and the
// rate limiter on (PocketBase ships it off). Admins may change them in the
// admin UI; this runs once, so their changes are kept on upgrade.
func init() {
	m.Register(func(app core.App) error {
		s := app.Settings()
		s.Meta.AppName = "枫桥 fengqiao"
		s.Meta.SenderName = "枫桥 fengqiao"
		s.Logs.MaxDays = 7
		s.Backups.Cron = "0 3 * * *"
		s.Backups.CronMaxKeep = 14
		s.Batch.Enabled = true
		s.Batch.MaxRequests = 50
		s.Batch.Timeout = 3
		s.RateLimits.Enabled = true
		s.RateLimits.Rules = DefaultRateLimits()
		return app.Save(s)
	}, nil)
}

// DefaultRateLimits are per client IP. They are sized for a community: a
// whole building behind one NAT can still sign in in the morning, while a
// password guesser or a scripted flood is slowed to a crawl.
func DefaultRateLimits() []core.RateLimitRule {
	return []core.RateLimitRule{
		// Password and OTP logins: 10 a minute per address.
		{Label: "*:auth", MaxRequests: 10, Duration: 60},
		// Self-registration by guests: 20 per 10 minutes per address.
		{Label: "users:create", Audience: "@guest", MaxRequests: 20, Duration: 600},
		// Record creation (reports, visits…): 30 per 10 s.
		{Label: "*:create", MaxRequests: 30, Duration: 10},
		{Label: "/api/batch", MaxRequests: 3, Duration: 1},
		// External sources pushing events: 50 a second per address.
		{Label: "POST /api/ingest/", MaxRequests: 50, Duration: 1},
		// Everything else under /api/: 300 per 10 s.
		{Label: "/api/", MaxRequests: 300, Duration: 10},
	}
}
