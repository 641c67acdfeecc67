package loadgen

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"
)

// Target is one broker under test.
type Target struct {
	// Name labels the column in the report ("mosquitto", "fengqiao").
	Name string
	// URL is mqtt://host:port.
	URL string
	// PID is the broker's process, for RSS and CPU from /proc (0: n/a).
	PID int
	// DB is the appliance's data.db, read-only, to count stored readings
	// ("" for a plain broker: stored is n/a).
	DB string
	// Sub is the subscriber's login; for the appliance an integration
	// account allowed to subscribe to devices/+/up.
	Sub Cred
}

// ParseTarget reads "name=…,url=…,pid=…,db=…,sub=clientid:token".
func ParseTarget(s string) (Target, error) {
	var t Target
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return t, fmt.Errorf("target %q: %q is not key=value", s, kv)
		}
		switch k {
		case "name":
			t.Name = v
		case "url":
			t.URL = v
		case "pid":
			n, err := strconv.Atoi(v)
			if err != nil {
				return t, fmt.Errorf("target %q: pid: %w", s, err)
			}
			t.PID = n
		case "db":
			t.DB = v
		case "sub":
			id, tok, _ := strings.Cut(v, ":")
			t.Sub = Cred{ClientID: id, Token: tok}
		default:
			return t, fmt.Errorf("target %q: unknown key %q (name, url, pid, db, sub)", s, k)
		}
	}
	if t.URL == "" {
		return t, fmt.Errorf("target %q: url is required", s)
	}
	if t.Name == "" {
		t.Name = t.URL
	}
	if t.Sub.ClientID == "" {
		t.Sub.ClientID = "bench-sub"
	}
	return t, nil
}

// BenchConfig is one bench run: every target gets the same phases with
// the same devices.
type BenchConfig struct {
	Targets []Target
	// Creds are the devices' logins (client id = username).
	Creds []Cred
	// Connections is how many devices are connected at once for the
	// memory and reconnect-storm phases (≤ len(Creds); 0 skips them).
	Connections int
	// Parallel is how many connects are in flight at once.
	Parallel int
	// Publishers is how many devices publish in the throughput phase,
	// each with Window publishes in flight, for Duration, at QoS.
	Publishers int
	Window     int
	Duration   time.Duration
	QoS        byte
	// Settle is the pause between phases (presence flushes, GC).
	Settle time.Duration
	// MemorySettle is the longest the memory phase waits for the broker's
	// RSS to stop changing, before the connects and again with every
	// session held [60s].
	MemorySettle time.Duration
	Logger       *slog.Logger
}

func (c *BenchConfig) defaults() {
	if c.Parallel <= 0 {
		c.Parallel = 256
	}
	if c.Publishers <= 0 {
		c.Publishers = 100
	}
	if c.Window <= 0 {
		c.Window = 16
	}
	if c.Duration <= 0 {
		c.Duration = 10 * time.Second
	}
	if c.Settle <= 0 {
		c.Settle = 3 * time.Second
	}
	if c.MemorySettle <= 0 {
		c.MemorySettle = time.Minute
	}
	c.MemorySettle = max(c.MemorySettle, c.Settle)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	c.Connections = min(c.Connections, len(c.Creds))
	c.Publishers = min(c.Publishers, len(c.Creds))
}

// Result is what one target measured.
type Result struct {
	Target Target
	Conn   ConnResult
	Storm  ConnResult
	Flow   FlowResult
	Err    error
}

// Bench runs every phase against every target in turn and writes the
// side-by-side report to out.
func Bench(ctx context.Context, cfg BenchConfig, out io.Writer) ([]Result, error) {
	cfg.defaults()
	if len(cfg.Targets) == 0 {
		return nil, fmt.Errorf("bench: no target")
	}
	if len(cfg.Creds) == 0 {
		return nil, fmt.Errorf("bench: no device credentials")
	}
	results := make([]Result, 0, len(cfg.Targets))
	for _, t := range cfg.Targets {
		r := Result{Target: t}
		r.Err = benchTarget(ctx, cfg, &r)
		if r.Err != nil {
			cfg.Logger.Error("bench target failed", slog.String("target", t.Name), slog.String("error", r.Err.Error()))
		}
		results = append(results, r)
		if ctx.Err() != nil {
			break
		}
	}
	printReport(out, cfg, results)
	return results, ctx.Err()
}

func benchTarget(ctx context.Context, cfg BenchConfig, r *Result) error {
	log := cfg.Logger.With(slog.String("target", r.Target.Name))
	addr, err := brokerAddr(r.Target.URL)
	if err != nil {
		return err
	}
	if cfg.Connections > 0 {
		log.Info("bench: connecting devices", slog.Int("devices", cfg.Connections))
		var conns []net.Conn
		r.Conn, conns, err = connectPhase(ctx, cfg, addr, r.Target.PID)
		if err != nil {
			return err
		}
		log.Info("bench: reconnect storm", slog.Int("devices", cfg.Connections))
		r.Storm, err = stormPhase(ctx, cfg, addr, r.Target.PID, conns)
		if err != nil {
			return err
		}
	}
	log.Info("bench: publishing", slog.Int("publishers", cfg.Publishers), slog.Duration("for", cfg.Duration))
	r.Flow, err = flowPhase(ctx, cfg, r.Target)
	return err
}
