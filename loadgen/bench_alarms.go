package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// AlarmBenchConfig is one `fengqiao bench alarms` run against a running
// appliance: background telemetry at Rate msg/s from the Load devices,
// Dashboards realtime connections of a staff member subscribed to alarms
// the way the alarm board is (the alarm feed, model.TopicAlarms), and
// Presses SOS presses, one at a time, from the SOS buttons.
type AlarmBenchConfig struct {
	// HTTP is the appliance's base URL (http://127.0.0.1:8090); MQTT its
	// broker (mqtt://127.0.0.1:1883).
	HTTP, MQTT string
	// Identity and Password log the dashboards in (staff: they see every
	// alarm); Superuser logs in as an admin instead.
	Identity, Password string
	Superuser          bool
	// Load are the background devices; SOS the SOS buttons pressed.
	Load, SOS []Cred
	// Rate is the background load in msg/s (QoS 1), spread over Load.
	Rate int
	// Dashboards is how many realtime connections wait for each alarm.
	Dashboards int
	// RecordSubscription subscribes the dashboards to PocketBase's record
	// subscription alarms/* with the board's expand instead of the feed:
	// how the board followed alarms before the feed, for comparison.
	RecordSubscription bool
	// Presses is how many SOS presses are measured, Interval apart, after
	// Warmup of background load.
	Presses  int
	Interval time.Duration
	Warmup   time.Duration
	Logger   *slog.Logger
}

func (c *AlarmBenchConfig) defaults() {
	if c.Dashboards <= 0 {
		c.Dashboards = 50
	}
	if c.Presses <= 0 {
		c.Presses = 100
	}
	if c.Interval <= 0 {
		c.Interval = 200 * time.Millisecond
	}
	if c.Warmup <= 0 {
		c.Warmup = 3 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
}

// AlarmBenchResult is what one run measured. Latencies run from the SOS
// publish to the alarm's create event arriving on a dashboard: All over
// every dashboard of every press, First the first dashboard of each press.
type AlarmBenchResult struct {
	Presses, Seen, Missing int
	All, First, Ack        latencies
	LoadSent, LoadAcked    int64
	LoadErrors             int64
	LoadRate               float64
	Elapsed                time.Duration
}

type latencies struct{ P50, P99, Max time.Duration }

// benchGCPercent is the GOGC the alarm bench runs with. The bench shares
// the two cores with the appliance and times arrivals on its own
// goroutines: at Go's default its collections (every ~3 s, 12–19 ms
// each) overlapped 5 of the 40 slowest of 400 presses and none of the
// 200 fastest (timestamps of `GODEBUG=gctrace=1 make bench-alarms`
// against each press), adding the bench's own pauses to the appliance's
// latency. Its live heap is ~12 MB, so collecting ten times less often
// costs ~100 MB.
const benchGCPercent = 1000

// BenchAlarms runs the alarm bench and prints its report to out.
func BenchAlarms(ctx context.Context, cfg AlarmBenchConfig, out io.Writer) (AlarmBenchResult, error) {
	cfg.defaults()
	defer debug.SetGCPercent(debug.SetGCPercent(benchGCPercent))
	var res AlarmBenchResult
	if len(cfg.SOS) == 0 {
		return res, errors.New("bench alarms: no SOS button credentials")
	}
	if cfg.Rate > 0 && len(cfg.Load) == 0 {
		return res, errors.New("bench alarms: a background rate needs load device credentials")
	}
	api := &apiClient{base: cfg.HTTP}
	if err := api.login(ctx, cfg.Identity, cfg.Password, cfg.Superuser); err != nil {
		return res, err
	}
	run := newRunID()
	boards, err := openDashboards(ctx, api, cfg.Dashboards, run, dashboardTopic(cfg.RecordSubscription))
	if err != nil {
		return res, err
	}
	defer boards.close()
	cfg.Logger.Info("bench alarms: dashboards subscribed", slog.Int("dashboards", cfg.Dashboards), slog.String("topic", boards.topic))

	loadCtx, stopLoad := context.WithCancel(ctx)
	load := &backgroundLoad{}
	var wg sync.WaitGroup
	if cfg.Rate > 0 {
		if err := load.start(loadCtx, &wg, cfg.MQTT, cfg.Load, cfg.Rate); err != nil {
			stopLoad()
			return res, err
		}
	}
	defer func() { stopLoad(); wg.Wait(); load.close() }()
	if err := sleepCtx(ctx, cfg.Warmup); err != nil {
		return res, err
	}

	buttons, err := connectPublishers(cfg.MQTT, cfg.SOS)
	defer func() {
		for _, b := range buttons {
			if b != nil {
				b.Disconnect(100)
			}
		}
	}()
	if err != nil {
		return res, err
	}
	cfg.Logger.Info("bench alarms: pressing", slog.Int("presses", cfg.Presses), slog.Int("rate", cfg.Rate))
	start := time.Now()
	sentBefore, ackedBefore := load.sent.Load(), load.acked.Load()
	var all, first, acks []time.Duration
	for i := 0; i < cfg.Presses && ctx.Err() == nil; i++ {
		b := i % len(buttons)
		got, ack, id, err := press(ctx, buttons[b], cfg.SOS[b].ClientID, run, i, boards)
		res.Presses++
		if err != nil {
			cfg.Logger.Warn("bench alarms: press", slog.Int("press", i), slog.String("error", err.Error()))
		}
		acks = append(acks, ack)
		res.Seen += len(got)
		res.Missing += cfg.Dashboards - len(got)
		if len(got) > 0 {
			first = append(first, got[0])
			all = append(all, got...)
		}
		if id != "" {
			if err := api.resolve(ctx, id); err != nil {
				cfg.Logger.Warn("bench alarms: resolve", slog.String("alarm", id), slog.String("error", err.Error()))
			}
		}
		_ = sleepCtx(ctx, cfg.Interval)
	}
	res.Elapsed = time.Since(start)
	res.LoadSent, res.LoadAcked = load.sent.Load()-sentBefore, load.acked.Load()-ackedBefore
	res.LoadErrors = load.errors.Load()
	res.LoadRate = float64(res.LoadAcked) / res.Elapsed.Seconds()
	res.All.P50, res.All.P99, res.All.Max = percentiles(all)
	res.First.P50, res.First.P99, res.First.Max = percentiles(first)
	res.Ack.P50, res.Ack.P99, res.Ack.Max = percentiles(acks)
	printAlarmReport(out, cfg, res)
	return res, ctx.Err()
}

// pressTimeout bounds the wait for one alarm on every dashboard.
const pressTimeout = 5 * time.Second

// press publishes one SOS and waits until every dashboard has the alarm
// (or pressTimeout). It returns the latencies seen, sorted, the PUBACK
// time and the alarm's id.
func press(ctx context.Context, cl mqtt.Client, clientID, run string, seq int, boards *dashboards) ([]time.Duration, time.Duration, string, error) {
	w := boards.expect(seq)
	defer boards.forget(seq)
	body := fmt.Appendf(nil, `{"sos":true,"bench":%q,"seq":%d}`, run, seq)
	t0 := time.Now()
	tok := cl.Publish("devices/"+clientID+"/up", 1, false, body)
	if !tok.WaitTimeout(pressTimeout) || tok.Error() != nil {
		return nil, 0, "", fmt.Errorf("SOS publish not acknowledged: %v", tok.Error())
	}
	ack := time.Since(t0)
	deadline := time.NewTimer(pressTimeout)
	defer deadline.Stop()
	var got []time.Duration
	id := ""
	for len(got) < boards.n {
		select {
		case a := <-w:
			got = append(got, a.at.Sub(t0))
			id = a.id
		case <-deadline.C:
			return got, ack, id, fmt.Errorf("alarm on %d of %d dashboards after %v", len(got), boards.n, pressTimeout)
		case <-ctx.Done():
			return got, ack, id, ctx.Err()
		}
	}
	return got, ack, id, nil
}
