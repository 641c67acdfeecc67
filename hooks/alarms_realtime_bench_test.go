package hooks_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/fengqiao/fengqiao/alarms"
	"github.com/fengqiao/fengqiao/internal/testapp"
	"github.com/fengqiao/fengqiao/loadgen"
)

// TestBenchAlarmsOnTheFeed runs `fengqiao bench alarms` briefly against a
// served test community: every press reaches every dashboard, on the feed
// (as the board subscribes) and on the record subscription it replaced.
// (The figures are the bench's to print, not this test's to judge.)
func TestBenchAlarmsOnTheFeed(t *testing.T) {
	for _, record := range []bool{false, true} {
		c := testapp.Shared(t)
		app := c.Clone(t)
		base := testapp.Serve(t, app)
		<-app.Store().Get("fengqiao.alarms").(*alarms.Engine).Ready()
		addrs, _ := app.Store().Get("fengqiao.mqtt").([2]string)
		var out bytes.Buffer
		cfg := loadgen.AlarmBenchConfig{HTTP: base, MQTT: "mqtt://" + addrs[0], Identity: "13800000002", Password: testapp.Password,
			SOS: []loadgen.Cred{{ClientID: "sos-e1", Token: "sos-e1"}}, Dashboards: 3, Presses: 3, RecordSubscription: record,
			Interval: 50 * time.Millisecond, Warmup: time.Millisecond, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		res, err := loadgen.BenchAlarms(ctx, cfg, &out)
		cancel()
		if err != nil {
			t.Fatalf("record subscription %v: %v\n%s", record, err, out.String())
		}
		if res.Seen != 9 || res.Missing != 0 {
			t.Errorf("record subscription %v: seen %d, missing %d\n%s", record, res.Seen, res.Missing, out.String())
		}
		want := "on fengqiao/alarms (the alarm feed)"
		if record {
			want = "on alarms/* with the board's expand"
		}
		if !strings.Contains(out.String(), want) {
			t.Errorf("record subscription %v: the report does not say %q:\n%s", record, want, out.String())
		}
	}
}
