package hooks

import (
	"fmt"
	"os"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/fengqiao/fengqiao/demo"
)

// bindDemo seeds the demo community when --demo is set, after migrations
// and before the subsystems start, then prints one login per role.
func bindDemo(app core.App, cfg Config) error {
	if !cfg.Demo {
		return nil
	}
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "fengqiaoDemo",
		Func: func(e *core.ServeEvent) error {
			logins, err := demo.Seed(e.App)
			if err != nil {
				return fmt.Errorf("seed demo community: %w", err)
			}
			fmt.Fprint(os.Stderr, loginsText(logins))
			return e.Next()
		},
		Priority: -200, // before every subsystem: they may read what it seeds
	})
	return nil
}

func loginsText(logins []demo.Login) string {
	var b strings.Builder
	b.WriteString("\nDemo community 枫桥花园社区 — sign in with a phone number and the password below:\n")
	for _, l := range logins {
		fmt.Fprintf(&b, "  %-12s %-8s %s / %s\n", l.Role, l.Name, l.Phone, l.Password)
	}
	return b.String()
}
