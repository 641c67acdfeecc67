package hooks

import (
	"net/http"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/fengqiao/fengqiao/ui"
)

// notBuiltPage answers / when the binary was built without the web app.
const notBuiltPage = `<!doctype html><meta charset="utf-8"><title>fengqiao</title>
<h1>枫桥 fengqiao: UI not built</h1>
<p>The API (<a href="/api/health">/api/health</a>) and the admin UI (<a href="/_/">/_/</a>) work.
Build the web app with <code>make ui</code> (needs Node.js) and rebuild the binary.</p>`

// bindUI serves the embedded web app at / with an index.html fallback for
// client-side routes. It is bound last so it never shadows an API route.
func bindUI(app core.App, _ Config) error {
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "fengqiaoUI",
		Func: func(e *core.ServeEvent) error {
			if e.Router.HasRoute(http.MethodGet, "/{path...}") {
				return e.Next()
			}
			if !ui.Built() {
				e.App.Logger().Warn("web UI not built: / shows a notice; run make ui")
				e.Router.GET("/{path...}", func(re *core.RequestEvent) error {
					return re.HTML(http.StatusServiceUnavailable, notBuiltPage)
				})
				return e.Next()
			}
			e.Router.GET("/{path...}", apis.Static(ui.DistFS, true))
			return e.Next()
		},
		Priority: 999,
	})
	return nil
}
