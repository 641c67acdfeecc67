package hooks

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/spf13/cobra"

	"github.com/fengqiao/fengqiao/loadgen"
	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/telemetry"
)

// runCommand runs `fengqiao args…` against app and returns its output.
func runCommand(t *testing.T, app *tests.TestApp, args ...string) (string, error) {
	t.Helper()
	root := &cobra.Command{Use: "fengqiao", SilenceUsage: true, SilenceErrors: true}
	AddCommands(app, root)
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

// createElder creates a grid, a building, a household and an elder in it.
func createElder(t *testing.T, app core.App) *core.Record {
	t.Helper()
	create := func(collection string, data map[string]any) *core.Record {
		col, err := app.FindCachedCollectionByNameOrId(collection)
		if err != nil {
			t.Fatal(err)
		}
		r := core.NewRecord(col)
		r.Load(data)
		if err := app.Save(r); err != nil {
			t.Fatalf("create %s: %v", collection, err)
		}
		return r
	}
	grid := create("grids", map[string]any{"name": "一网格", "code": "G01"})
	b := create("buildings", map[string]any{"grid": grid.Id, "name": "1幢", "address": "1幢"})
	h := create("households", map[string]any{"building": b.Id, "room": "102", "address": "1幢102"})
	return create("elders", map[string]any{"name": "骆阿婆", "birth_year": 1938, "household": h.Id, "phone": "13905750101"})
}

var tokenLine = regexp.MustCompile(`(?m)^token\s+(\S+)$`)

func TestDeviceAddCommand(t *testing.T) {
	app := newBrokerTestApp(t)
	elder := createElder(t, app)
	out, err := runCommand(t, app, "device", "add", "--kind", "sos_button", "--elder", elder.GetString("phone"), "--name", "床头呼救")
	if err != nil {
		t.Fatalf("device add: %v\n%s", err, out)
	}
	m := tokenLine.FindStringSubmatch(out)
	id := regexp.MustCompile(`(?m)^client id\s+(\S+)$`).FindStringSubmatch(out)
	if m == nil || id == nil || len(m[1]) < 26 {
		t.Fatalf("output lacks a client id and a ≥128-bit token:\n%s", out)
	}
	r, err := app.FindFirstRecordByData(model.CollectionDevices, "client_id", id[1])
	if err != nil {
		t.Fatal(err)
	}
	dev := model.AsDevice(r)
	if dev.TokenHash() != model.HashToken(m[1]) || strings.Contains(dev.TokenHash(), m[1]) || dev.Kind() != model.KindSOSButton ||
		dev.Elder() != elder.Id || dev.Household() != elder.GetString("household") || !strings.HasPrefix(dev.ClientID(), "sos-") {
		t.Fatalf("device = %v", r.FieldsData())
	}
	dir := telemetry.NewDirectory(nil)
	if err := dir.Load(app); err != nil {
		t.Fatal(err)
	}
	if _, ok := dir.Authenticate(id[1], []byte(m[1])); !ok {
		t.Fatal("the printed token does not log in")
	}

	// A new token replaces the old one.
	out, err = runCommand(t, app, "device", "token", id[1])
	if err != nil {
		t.Fatalf("device token: %v\n%s", err, out)
	}
	m2 := tokenLine.FindStringSubmatch(out)
	if m2 == nil || m2[1] == m[1] {
		t.Fatalf("device token printed %q", out)
	}
	if err := dir.Load(app); err != nil {
		t.Fatal(err)
	}
	if _, ok := dir.Authenticate(id[1], []byte(m[1])); ok {
		t.Fatal("the old token still logs in")
	}

	// An integration account with its patterns; bulk devices into a file.
	if out, err := runCommand(t, app, "device", "add", "--kind", "siren", "--client-id", "siren-gate",
		"--subscribe", "alarms/critical/+", "--subscribe", "alarms/major/+"); err != nil {
		t.Fatalf("siren: %v\n%s", err, out)
	}
	siren, _ := app.FindFirstRecordByData(model.CollectionDevices, "client_id", "siren-gate")
	if got := model.AsDevice(siren).SubscribeTopics(); len(got) != 2 || got[1] != "alarms/major/+" {
		t.Fatalf("siren subscribe topics = %v", got)
	}
	file := filepath.Join(t.TempDir(), "creds.csv")
	if out, err := runCommand(t, app, "device", "add", "--bulk", "25", "--prefix", "b-", "--kind", "pir", "--out", file); err != nil {
		t.Fatalf("bulk: %v\n%s", err, out)
	}
	creds, err := loadgen.ReadCredsFile(file)
	if err != nil || len(creds) != 25 || creds[24].ClientID != "b-00025" {
		t.Fatalf("bulk credentials = %v (%v)", creds, err)
	}
	if st, _ := os.Stat(file); st.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file mode %v", st.Mode())
	}

	// Refusals name the problem.
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"device", "add", "--kind", "toaster"}, "--kind"},
		{[]string{"device", "add", "--kind", "pir", "--subscribe", "alarms/#"}, "integration accounts"},
		{[]string{"device", "add", "--kind", "pir", "--client-id", "siren-gate"}, "exists"},
		{[]string{"device", "add", "--kind", "pir", "--client-id", "bad id!"}, "client_id"},
		{[]string{"device", "add", "--kind", "pir", "--elder", "nobody"}, "--elder"},
		{[]string{"device", "add", "--kind", "parking", "--parking-space", "Z99"}, "--parking-space"},
		{[]string{"device", "token", "ghost"}, "no device"},
	} {
		if out, err := runCommand(t, app, tt.args...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: err %v, want it to mention %q\n%s", tt.args, err, tt.want, out)
		}
	}
}
