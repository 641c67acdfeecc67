package broker

import (
	"context"
	"math"
	"os"
	"runtime/debug"
	"testing"
	"time"
)

func TestGCLimit(t *testing.T) {
	const mib = 1 << 20
	for _, tc := range []struct {
		name                             string
		besides, unused, live, rate, out int64
	}{
		{"small idle heap: the minimum slack", 300 * mib, 2 * mib, 20 * mib, 0, 322*mib + GCMinSlack},
		{"large idle heap: a quarter of it", 200 * mib, 0, 400 * mib, 0, 700 * mib},
		{"busy: what it allocates in a second", 10 * mib, 0, 20 * mib, 300 * mib, 330 * mib},
	} {
		if got := gcLimit(tc.besides, tc.unused, tc.live, tc.rate); got != tc.out {
			t.Errorf("%s: limit %d MiB, want %d MiB", tc.name, got/mib, tc.out/mib)
		}
	}
}

// TestTuneGC: the limit follows the process while the tuner runs (never
// below what it holds), is lifted when it stops, and is left alone when
// the operator set GOGC or GOMEMLIMIT.
func TestTuneGC(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT set: the tuner stays off (covered below)")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { TuneGC(ctx); close(done) }()
	eventually(t, "a memory limit", func() bool { return debug.SetMemoryLimit(-1) < math.MaxInt64 })
	if p := debug.SetGCPercent(-1); p != gcPercent { // -1 turns it off: put it back
		t.Errorf("GOGC %d while tuning, want %d", p, gcPercent)
	}
	debug.SetGCPercent(gcPercent)
	var g gcTuner
	if lim, now := debug.SetMemoryLimit(-1), g.limit(); lim < now-GCMinSlack {
		t.Errorf("limit %d is below what the process holds (%d)", lim, now-GCMinSlack)
	}
	cancel()
	<-done
	if lim := debug.SetMemoryLimit(-1); lim != math.MaxInt64 {
		t.Errorf("limit %d left after the tuner stopped", lim)
	}
	if p := debug.SetGCPercent(100); p != 100 {
		t.Errorf("GOGC %d left after the tuner stopped", p)
	}

	t.Setenv("GOMEMLIMIT", "1GiB")
	ctx, cancel = context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	TuneGC(ctx) // returns at once
	if lim := debug.SetMemoryLimit(-1); lim != math.MaxInt64 {
		t.Errorf("limit %d set although GOMEMLIMIT is", lim)
	}
}
