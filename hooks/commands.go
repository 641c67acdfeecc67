package hooks

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"
)

// AddCommands adds fengqiao's own commands beside PocketBase's serve,
// superuser and migrate.
func AddCommands(app core.App, root *cobra.Command) {
	root.AddCommand(newDeviceCommand(app), newSimulateCommand(app), newBenchCommand())
}
