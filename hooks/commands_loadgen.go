package hooks

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/fengqiao/fengqiao/demo"
	"github.com/fengqiao/fengqiao/loadgen"
)

// signalContext ends on SIGINT or SIGTERM.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func newSimulateCommand(app core.App) *cobra.Command {
	var url string
	var n int
	var speed float64
	var quiet bool
	cmd := &cobra.Command{
		Use:   "simulate",
		Short: "Play the demo community's sensors (or N generated ones) against a running appliance",
		Long: `Connect sensors to a running appliance with their real credentials and publish
believable telemetry: motion by time of day, doors, parking churn, battery
drain, the occasional SOS, devices dropping off the network and coming back.

Without --devices it plays the demo community's sensors (serve --demo), whose
tokens are derived from their client ids. With --devices N it provisions N
devices sim-00001… in the data dir (--dir, the appliance's) with fresh random
tokens, which the running appliance picks up within a few seconds.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var devs []loadgen.SimDevice
			if n > 0 {
				var err error
				if devs, err = provisionSimDevices(app, n); err != nil {
					return err
				}
			} else {
				for _, id := range demo.DemoClientIDs() {
					devs = append(devs, loadgen.SimDevice{
						Cred: loadgen.Cred{ClientID: id, Token: demo.DeviceToken(id)}, Kind: loadgen.KindFromClientID(id)})
				}
			}
			ctx, stop := signalContext()
			defer stop()
			cfg := loadgen.SimConfig{URL: url, Devices: devs, Speed: speed}
			if !quiet {
				cfg.Out = cmd.OutOrStdout()
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "simulating %d devices against %s (Ctrl-C stops)\n", len(devs), url)
			return loadgen.Simulate(ctx, cfg)
		},
	}
	cmd.Flags().StringVar(&url, "url", "mqtt://127.0.0.1:1883", "the appliance's MQTT listener (mqtt://host:port or ws://host:port/mqtt)")
	cmd.Flags().IntVar(&n, "devices", 0, "play N generated devices instead of the demo community's")
	cmd.Flags().Float64Var(&speed, "speed", 1, "pace of events (2 = twice as often)")
	cmd.Flags().BoolVar(&quiet, "quiet", false, "no line per message, only a summary every 30 s")
	return cmd
}

// provisionSimDevices creates (or re-keys) sim-00001… with every kind in
// turn and returns their credentials.
func provisionSimDevices(app core.App, n int) ([]loadgen.SimDevice, error) {
	if err := app.RunAllMigrations(); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	var out []loadgen.SimDevice
	per := (n + len(loadgen.SimKinds) - 1) / len(loadgen.SimKinds)
	for _, kind := range loadgen.SimKinds {
		count := min(per, n-len(out))
		if count <= 0 {
			break
		}
		prefix := "sim-" + deviceKinds[kind] + "-"
		creds, err := addDevices(app, deviceSpec{kind: kind, name: "模拟", bulk: count, prefix: prefix})
		if err != nil {
			return nil, err
		}
		for _, c := range creds {
			out = append(out, loadgen.SimDevice{Cred: c, Kind: kind})
		}
	}
	return out, nil
}

func newBenchCommand() *cobra.Command {
	var targets []string
	var credsFile string
	cfg := loadgen.BenchConfig{Connections: 10_000, Publishers: 100, Window: 16, Duration: 10 * time.Second, QoS: 1}
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure MQTT brokers side by side: ingest, latency, connection memory, reconnect storms",
		Long: `Connect devices to one or more running MQTT brokers in turn and print, side by
side: msgs/s sent, acknowledged and stored, publish→subscribe latency, connect
and reconnect-storm rates, refusals, and each broker's RSS and CPU (from /proc).
The first --target is the reference the others are checked against.

A target is key=value pairs: name, url (mqtt://host:port), pid (for RSS/CPU),
db (the appliance's pb_data/data.db: counts stored readings, read-only) and
sub (the subscriber's clientid:token; for the appliance an integration account
allowed devices/+/up). Devices come from --creds ("client_id,token" lines, as
written by fengqiao device add --bulk N --out FILE). make bench runs it all.

  fengqiao bench --creds creds.csv \
    --target name=mosquitto,url=mqtt://127.0.0.1:18831,pid=1234 \
    --target name=fengqiao,url=mqtt://127.0.0.1:18830,pid=5678,db=pb_data/data.db,sub=bench-sub:TOKEN`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, s := range targets {
				t, err := loadgen.ParseTarget(s)
				if err != nil {
					return err
				}
				cfg.Targets = append(cfg.Targets, t)
			}
			creds, err := loadgen.ReadCredsFile(credsFile)
			if err != nil {
				return err
			}
			cfg.Creds = creds
			ctx, stop := signalContext()
			defer stop()
			_, err = loadgen.Bench(ctx, cfg, cmd.OutOrStdout())
			return err
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&targets, "target", nil, "a broker to measure (repeat; the first is the reference)")
	f.StringVar(&credsFile, "creds", "", `device credentials, "client_id,token" per line`)
	f.IntVar(&cfg.Connections, "devices", cfg.Connections, "devices connected at once for the memory and storm phases (0 skips them)")
	f.IntVar(&cfg.Parallel, "parallel", 256, "connects in flight at once")
	f.IntVar(&cfg.Publishers, "publishers", cfg.Publishers, "devices publishing in the throughput phase")
	f.IntVar(&cfg.Window, "window", cfg.Window, "publishes in flight per publisher")
	f.DurationVar(&cfg.Duration, "duration", cfg.Duration, "length of the throughput phase")
	f.Uint8Var(&cfg.QoS, "qos", cfg.QoS, "QoS of the publishes and the subscription")
	f.DurationVar(&cfg.Settle, "settle", 3*time.Second, "pause between phases")
	f.DurationVar(&cfg.MemorySettle, "rss-settle", time.Minute, "longest wait for the broker's RSS to settle with every device held")
	_ = cmd.MarkFlagRequired("target")
	_ = cmd.MarkFlagRequired("creds")
	cmd.AddCommand(newBenchAlarmsCommand()) // hooks/alarms_bench_command.go
	return cmd
}
