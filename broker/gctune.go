package broker

import (
	"context"
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// The Go runtime lets the heap grow to GOGC percent (100) more than what
// was live at the last collection, counting goroutine stacks in: with ten
// thousand devices connected that is ~160 MB of garbage it may keep, 16 KiB
// per device, next to the ~30 KiB a device needs, and freed pages are only
// returned to the system down to that goal. Lowering GOGC for the whole
// process costs too much: at GOGC=25 the ingest spends 35% more CPU per
// message (measured with `fengqiao bench`), because under load the live
// heap is small and collections come many times a second.
//
// TuneGC caps that slack instead of scaling it: a soft memory limit (see
// debug.SetMemoryLimit), recomputed every tuneGCEvery, at what the process
// holds besides its heap (stacks, runtime metadata) plus the live heap plus
// a slack of a quarter of the live heap, at least GCMinSlack. A small heap
// behaves as with GOGC=100 (its slack is the minimum); ten thousand idle
// devices keep ~3 KiB each of garbage instead of ~16, and the runtime
// returns the rest of the freed memory to the system. GOGC still applies
// (the limit only ever lowers the goal), and the runtime bounds the CPU
// the limit may make the collector use. Nothing is tuned when the operator
// set GOGC or GOMEMLIMIT.
const (
	// GCMinSlack is the least garbage the heap may gather between
	// collections: what GOGC=100 allows an appliance with few devices.
	GCMinSlack = 32 << 20
	// gcSlackShare is the slack's share of the live heap past the minimum.
	gcSlackShare = 0.25
	// tuneGCEvery is how often the limit follows the heap: the stacks of a
	// reconnect storm (~200 MB in a second or two) must not find it stale.
	tuneGCEvery = 100 * time.Millisecond
)

// TuneGC keeps the soft memory limit just above what the process needs
// until ctx ends (then it lifts the limit). It returns at once when
// GOGC or GOMEMLIMIT is set in the environment.
func TuneGC(ctx context.Context) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	samples := []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
		{Name: "/gc/heap/live:bytes"},
	}
	t := time.NewTicker(tuneGCEvery)
	defer t.Stop()
	defer debug.SetMemoryLimit(math.MaxInt64)
	for {
		metrics.Read(samples)
		debug.SetMemoryLimit(gcLimit(samples))
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// gcLimit computes the limit from the samples TuneGC reads.
func gcLimit(s []metrics.Sample) int64 {
	v := func(i int) int64 { return int64(s[i].Value.Uint64()) }
	total, released, objects, unused, free, live := v(0), v(1), v(2), v(3), v(4), v(5)
	besidesHeap := total - released - objects - unused - free // stacks, metadata, buffers
	slack := max(int64(GCMinSlack), int64(float64(live)*gcSlackShare))
	return besidesHeap + unused + live + slack
}
