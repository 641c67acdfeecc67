package loadgen

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"github.com/fengqiao/fengqiao/broker"
	"github.com/fengqiao/fengqiao/model"
	_ "github.com/fengqiao/fengqiao/pb_migrations"
	"github.com/fengqiao/fengqiao/telemetry"
)

// liveAppliance starts the real broker, directory and pipeline on
// 127.0.0.1:0 with n devices (token "tok-"+id, kinds in turn) and the
// subscriber account bench-sub; it returns the app, the MQTT URL and the
// devices' credentials.
func liveAppliance(t *testing.T, n int) (*tests.TestApp, string, []Cred) {
	t.Helper()
	app, err := tests.NewTestApp(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	var creds []Cred
	add := func(id, kind string, subscribe []string) {
		d, err := model.NewDevice(app)
		if err != nil {
			t.Fatal(err)
		}
		d.SetClientID(id)
		d.SetKind(kind)
		d.SetName(id)
		d.SetTokenHash(model.HashToken("tok-" + id))
		if subscribe != nil {
			d.SetSubscribeTopics(subscribe...)
		}
		if err := app.Save(d); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		kind := SimKinds[i%len(SimKinds)]
		id := fmt.Sprintf("dev-%03d", i)
		add(id, kind, nil)
		creds = append(creds, Cred{ClientID: id, Token: "tok-" + id})
	}
	add("bench-sub", model.KindFeed, []string{"devices/+/up"})

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	dir := telemetry.NewDirectory(logger)
	if err := dir.Load(app); err != nil {
		t.Fatal(err)
	}
	pipe, err := telemetry.New(app, dir, telemetry.Config{PresenceInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	cfg := broker.DefaultConfig()
	cfg.TCPAddr = "127.0.0.1:0"
	srv, err := broker.New(cfg, dir, pipe, logger)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Close(ctx)
		_ = pipe.Close(ctx)
	})
	return app, "mqtt://" + srv.TCPAddress(), creds
}

func countRows(t *testing.T, app core.App, q string) int {
	t.Helper()
	var n int
	if err := app.DB().NewQuery(q).Row(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBenchAgainstTheAppliance runs every bench phase, small, against the
// real appliance pieces, twice: once as a plain broker (the reference) and
// once counting stored rows.
func TestBenchAgainstTheAppliance(t *testing.T) {
	app, url, creds := liveAppliance(t, 40)
	sub := Cred{ClientID: "bench-sub", Token: "tok-bench-sub"}
	db := filepath.Join(app.DataDir(), "data.db")
	cfg := BenchConfig{
		Targets: []Target{
			{Name: "plain", URL: url, PID: os.Getpid(), Sub: sub},
			{Name: "stored", URL: url, PID: os.Getpid(), DB: db, Sub: sub},
		},
		Creds: creds, Connections: 40, Parallel: 8, Publishers: 5, Window: 4,
		Duration: 700 * time.Millisecond, QoS: 1, Settle: 200 * time.Millisecond, MemorySettle: 500 * time.Millisecond,
	}
	var out bytes.Buffer
	results, err := Bench(context.Background(), cfg, &out)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(out.String())
	for _, r := range results {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.Target.Name, r.Err)
		}
		if r.Conn.Connected != 40 || r.Storm.Connected != 40 || r.Conn.Failed+r.Storm.Failed+r.Conn.Refused+r.Storm.Refused != 0 {
			t.Fatalf("%s: connect %+v storm %+v", r.Target.Name, r.Conn, r.Storm)
		}
		f := r.Flow
		if f.Acked == 0 || f.Acked != f.Sent || f.Lost != 0 || f.Received != f.Acked || f.P50 <= 0 || f.RSS <= 0 {
			t.Fatalf("%s: flow %+v", r.Target.Name, f)
		}
	}
	if st := results[1].Flow; !st.StoredKnown || st.Stored != st.Acked {
		t.Fatalf("stored %d of %d acknowledged", st.Stored, st.Acked)
	}
	for _, want := range []string{"PUBLISH: sent (msgs/s)", "PASS  zero QoS 1 loss", "reconnect storm"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Credentials that do not exist are refused, and counted as such.
	cfg.Targets, cfg.Connections, cfg.Publishers = cfg.Targets[:1], 3, 1
	cfg.Creds = []Cred{{"ghost-1", "x"}, {"ghost-2", "y"}, {"ghost-3", "z"}}
	results, _ = Bench(context.Background(), cfg, &out)
	if r := results[0]; r.Err == nil || r.Conn.Refused != 3 {
		t.Fatalf("ghost devices: %+v, %v", r.Conn, r.Err)
	}
}

// TestSimulate plays a few devices fast against the appliance: they come
// online and their telemetry is stored.
func TestSimulate(t *testing.T) {
	app, url, creds := liveAppliance(t, 10)
	devs := make([]SimDevice, len(creds))
	for i, c := range creds {
		devs[i] = SimDevice{Cred: c, Kind: SimKinds[i%len(SimKinds)]}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var out bytes.Buffer
	w := &lockedWriter{w: &out}
	if err := Simulate(ctx, SimConfig{URL: url, Devices: devs, Speed: 500, Out: w}); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, app, "SELECT COUNT(*) FROM readings"); n < 20 {
		t.Fatalf("%d readings stored after 3 s of simulation\n%s", n, w.String())
	}
	if n := countRows(t, app, "SELECT COUNT(DISTINCT device) FROM readings"); n != 10 {
		t.Fatalf("%d devices sent telemetry, want 10", n)
	}
	if !strings.Contains(w.String(), "online") {
		t.Fatalf("no device came online:\n%s", w.String())
	}
}
