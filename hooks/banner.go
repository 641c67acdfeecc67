package hooks

import (
	"fmt"
	"os"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// bindBanner prints where everything is, and how to create the first
// admin, once the HTTP server is about to listen.
func bindBanner(app core.App, cfg Config) error {
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "fengqiaoBanner",
		Func: func(e *core.ServeEvent) error {
			if err := e.Next(); err != nil {
				return err
			}
			fmt.Fprint(os.Stderr, bannerText(e, cfg))
			return nil
		},
		Priority: -100, // wrap everything else: print after all subsystems started
	})
	return nil
}

func bannerText(e *core.ServeEvent, cfg Config) string {
	base := cfg.PublicURL
	if base == "" {
		addr := e.Server.Addr
		if strings.HasPrefix(addr, ":") || strings.HasPrefix(addr, "0.0.0.0:") {
			addr = "127.0.0.1" + addr[strings.Index(addr, ":"):]
		}
		base = "http://" + addr
	}
	base = strings.TrimRight(base, "/")
	var b strings.Builder
	fmt.Fprintf(&b, "\n枫桥 fengqiao is running\n")
	fmt.Fprintf(&b, "  web app      %s/\n", base)
	fmt.Fprintf(&b, "  admin UI     %s/_/\n", base)
	fmt.Fprintf(&b, "  REST API     %s/api/\n", base)
	b.WriteString(mqttBannerText(e, base))
	fmt.Fprintf(&b, "  data dir     %s\n", e.App.DataDir())
	total, err := e.App.CountRecords(core.CollectionNameSuperusers)
	if err == nil && total == 0 {
		fmt.Fprintf(&b, "  first admin  %s superuser upsert admin@example.com 'a-long-password' --dir %s\n", os.Args[0], e.App.DataDir())
	}
	return b.String()
}
