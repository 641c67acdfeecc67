package hooks

import (
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"github.com/fengqiao/fengqiao/loadgen"
	"github.com/fengqiao/fengqiao/model"
)

// deviceKinds are the kinds `device add` accepts, with the client id
// prefix it gives each.
var deviceKinds = map[string]string{
	model.KindDoorMagnet: "door", model.KindSOSButton: "sos", model.KindPIR: "pir", model.KindSmoke: "smoke",
	model.KindGas: "gas", model.KindWaterLeak: "leak", model.KindParking: "park", model.KindSiren: "siren",
	model.KindLEDBoard: "board", model.KindFeed: "feed", model.KindOther: "dev",
}

// newToken returns a device token: 26 base32 characters, 130 random bits.
func newToken() string { return rand.Text() }

// deviceSpec is what `device add` provisions.
type deviceSpec struct {
	kind, name, clientID, prefix   string
	elder, household, parkingSpace string
	publish, subscribe             []string
	bulk                           int
}

func newDeviceCommand(app core.App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "device",
		Short: "Provision MQTT devices and integration accounts",
	}
	var spec deviceSpec
	var out string
	add := &cobra.Command{
		Use:   "add",
		Short: "Add a device (or --bulk N) and print its client id and token once",
		Long: `Add a device and print its MQTT client id and token. The token is shown once:
only its SHA-256 is stored. A running appliance accepts the device within a few
seconds. Integration accounts (siren, led_board, feed) get topic patterns:

  fengqiao device add --kind sos_button --elder <elder id or phone>
  fengqiao device add --kind siren --name "East gate siren" --subscribe 'alarms/critical/+'
  fengqiao device add --bulk 10000 --prefix bench- --kind pir --out creds.csv

With --bulk the credentials are written as "client_id,token" lines (--out, or
stdout); devices that already exist get a new token.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
			creds, err := addDevices(app, spec)
			if err != nil {
				return err
			}
			return printCreds(cmd.OutOrStdout(), out, creds, spec.bulk > 0)
		},
	}
	f := add.Flags()
	f.StringVar(&spec.kind, "kind", "", "device kind: "+strings.Join(sortedKinds(), ", "))
	f.StringVar(&spec.name, "name", "", "display name (default: kind and client id)")
	f.StringVar(&spec.clientID, "client-id", "", "MQTT client id, ^[A-Za-z0-9_-]{1,64}$ (default: kind prefix and random)")
	f.StringVar(&spec.elder, "elder", "", "the elder it watches over (record id or phone)")
	f.StringVar(&spec.household, "household", "", "its household (record id; default: the elder's)")
	f.StringVar(&spec.parkingSpace, "parking-space", "", "the parking space it senses (record id or code)")
	f.StringSliceVar(&spec.publish, "publish", nil, "integration accounts: topic patterns it may publish to")
	f.StringSliceVar(&spec.subscribe, "subscribe", nil, "integration accounts: topic patterns it may subscribe to")
	f.IntVar(&spec.bulk, "bulk", 0, "add N devices named --prefix 00001… (for load tests)")
	f.StringVar(&spec.prefix, "prefix", "bench-", "client id prefix with --bulk")
	f.StringVar(&out, "out", "", `write the credentials as "client_id,token" to this file (mode 0600)`)
	_ = add.MarkFlagRequired("kind")

	token := &cobra.Command{
		Use:   "token <client-id>",
		Short: "Give a device a new token (the old one stops working) and print it once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := app.RunAllMigrations(); err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
			r, err := app.FindFirstRecordByData(model.CollectionDevices, "client_id", args[0])
			if err != nil {
				return fmt.Errorf("no device with client id %q", args[0])
			}
			dev := model.AsDevice(r)
			tok := newToken()
			dev.SetTokenHash(model.HashToken(tok))
			if err := app.Save(dev); err != nil {
				return fmt.Errorf("save device %s: %w", args[0], err)
			}
			return printCreds(cmd.OutOrStdout(), out, []loadgen.Cred{{ClientID: dev.ClientID(), Token: tok}}, false)
		},
	}
	token.Flags().StringVar(&out, "out", "", `write "client_id,token" to this file (mode 0600) instead`)
	cmd.AddCommand(add, token)
	return cmd
}

func sortedKinds() []string {
	out := make([]string, 0, len(deviceKinds))
	for k := range deviceKinds {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// printCreds shows new credentials: to a 0600 file as CSV, to stdout as
// CSV for --bulk, otherwise as a short human note.
func printCreds(w io.Writer, out string, creds []loadgen.Cred, bulk bool) error {
	if out != "" {
		f, err := os.OpenFile(out, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		if err != nil {
			return fmt.Errorf("credentials file: %w", err)
		}
		if err := loadgen.WriteCreds(f, creds); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("credentials file: %w", err)
		}
		fmt.Fprintf(os.Stderr, "%d device credential(s) written to %s\n", len(creds), out)
		return nil
	}
	if bulk {
		return loadgen.WriteCreds(w, creds)
	}
	for _, c := range creds {
		fmt.Fprintf(w, "client id  %s\ntoken      %s\n", c.ClientID, c.Token)
	}
	fmt.Fprintln(w, "The token is shown only now: store it in the device (MQTT username = client id, password = token).")
	return nil
}
