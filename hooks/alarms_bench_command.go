package hooks

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/fengqiao/fengqiao/loadgen"
)

// newBenchAlarmsCommand is `fengqiao bench alarms`: SOS publish → alarm →
// realtime event at N dashboards, under background load, against a
// running appliance.
func newBenchAlarmsCommand() *cobra.Command {
	var loadFile, sosFile string
	cfg := loadgen.AlarmBenchConfig{HTTP: "http://127.0.0.1:8090", MQTT: "mqtt://127.0.0.1:1883",
		Identity: "13800000002", Password: "fengqiao", Dashboards: 50, Presses: 200, Rate: 1000,
		Interval: 200 * time.Millisecond, Warmup: 3 * time.Second}
	cmd := &cobra.Command{
		Use:   "alarms",
		Short: "Measure SOS publish → alarm → realtime event at many dashboards, under background load",
		Long: `Against a running appliance: a staff member's dashboards (realtime connections
subscribed to the alarm feed, fengqiao/alarms, as the board is), background telemetry at --rate msg/s (QoS 1) from the
--creds devices, and --presses SOS presses one at a time from the --sos
buttons. Prints p50/p99/max from the SOS publish to the alarm's create event on
the first and on every dashboard, and checks p99 against the targets (10 ms at
1,000 msg/s, 25 ms at 10,000 msg/s). Each alarm is resolved (as a false alarm)
once every dashboard has it.

  fengqiao device add --kind pir --bulk 200 --prefix load- --out load.csv
  fengqiao device add --kind sos_button --bulk 20 --prefix sos- --out sos.csv
  fengqiao serve --demo …   (then, while it runs:)
  fengqiao bench alarms --creds load.csv --sos sos.csv --rate 1000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if cfg.SOS, err = loadgen.ReadCredsFile(sosFile); err != nil {
				return err
			}
			if loadFile != "" {
				if cfg.Load, err = loadgen.ReadCredsFile(loadFile); err != nil {
					return err
				}
			}
			ctx, stop := signalContext()
			defer stop()
			_, err = loadgen.BenchAlarms(ctx, cfg, cmd.OutOrStdout())
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.HTTP, "http", cfg.HTTP, "the appliance's base URL")
	f.StringVar(&cfg.MQTT, "broker", cfg.MQTT, "the appliance's MQTT listener (mqtt://host:port)")
	f.StringVar(&cfg.Identity, "identity", cfg.Identity, "the dashboards' login (phone or e-mail of a staff member)")
	f.StringVar(&cfg.Password, "password", cfg.Password, "its password")
	f.BoolVar(&cfg.Superuser, "superuser", false, "log the dashboards in as an admin (--identity is the admin's e-mail)")
	f.StringVar(&loadFile, "creds", "", `background devices, "client_id,token" per line`)
	f.StringVar(&sosFile, "sos", "", `SOS buttons, "client_id,token" per line`)
	f.IntVar(&cfg.Rate, "rate", cfg.Rate, "background telemetry, msg/s")
	f.IntVar(&cfg.Dashboards, "dashboards", cfg.Dashboards, "realtime connections waiting for each alarm")
	f.BoolVar(&cfg.RecordSubscription, "record-subscription", false,
		"dashboards on PocketBase's record subscription alarms/* (the board before the alarm feed) instead of the feed")
	f.IntVar(&cfg.Presses, "presses", cfg.Presses, "SOS presses measured")
	f.DurationVar(&cfg.Interval, "interval", cfg.Interval, "pause between presses")
	f.DurationVar(&cfg.Warmup, "warmup", cfg.Warmup, "background load before the first press")
	_ = cmd.MarkFlagRequired("sos")
	return cmd
}
