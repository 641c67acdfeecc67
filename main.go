// Command fengqiao is a community-governance appliance: one executable per
// residential community with the community's data, an MQTT broker for its
// sensors, rules and alarms, and the case loop from intake to feedback.
package main

import (
	"log"
	"os"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/plugins/migratecmd"

	"github.com/fengqiao/fengqiao/hooks"
	_ "github.com/fengqiao/fengqiao/pb_migrations"
)

func main() {
	if err := newApp(os.Args[1:]).Start(); err != nil {
		log.Fatal(err)
	}
}

// newApp builds the appliance: PocketBase with fengqiao's flags, database
// connection, migrations, hooks and commands.
func newApp(args []string) *pocketbase.PocketBase {
	// DBConnect: data.db's checkpoints run beside the writers, not inside
	// the commit of whichever message (an SOS, say) fills the log.
	app := pocketbase.NewWithConfig(pocketbase.Config{DBConnect: hooks.DBConnect})

	cfg := hooks.DefaultConfig()
	cfg.BindFlags(app.RootCmd.PersistentFlags())
	// Parse early so Register sees the flag values (PocketBase does the same
	// for --dir); errors surface again, properly, when cobra runs.
	_ = app.RootCmd.ParseFlags(args)

	migratecmd.MustRegister(app, app.RootCmd, migratecmd.Config{Dir: "pb_migrations"})
	hooks.MustRegister(app, cfg)
	hooks.AddCommands(app, app.RootCmd)
	return app
}
