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
// per device, next to the ~27 KiB a device needs, and freed pages are only
// returned to the system down to that goal. Lowering GOGC for the whole
// process costs too much: at GOGC=25 the ingest spends 35% more CPU per
// message (measured with `fengqiao bench`), because under load the live
// heap is small and collections come many times a second.
//
// TuneGC does the opposite of a low GOGC. It sets GOGC to gcPercent (200):
// a busy appliance collects half as often (10–13% less broker CPU per
// message in `fengqiao bench`). And it caps the slack in absolute terms
// with a soft memory limit (see debug.SetMemoryLimit), recomputed every
// tuneGCEvery, at what the process holds besides its heap (stacks, runtime
// metadata) plus the live heap plus a slack. The slack is what the process
// allocates in a second (a rate that follows a rise at once and decays
// over a few seconds, so that a reconnect storm or a burst of messages
// does not make the collector run more than about once a second), a
// quarter of the live heap, or GCMinSlack, whichever is largest. So an
// idle appliance with ten thousand devices keeps ~3 KiB of garbage per
// device instead of ~16, and the runtime returns the rest of the freed
// memory to the system; the limit only ever lowers GOGC's goal, and the
// runtime bounds the CPU the limit may make the collector use. Nothing is
// tuned when the operator set GOGC or GOMEMLIMIT.
const (
	// GCMinSlack is the least garbage the heap may gather between
	// collections: what GOGC=100 allows an appliance with few devices.
	GCMinSlack = 32 << 20
	// gcPercent is the GOGC the tuner sets; the limit caps it.
	gcPercent = 200
	// gcSlackShare is the slack's share of the live heap past the minimum.
	gcSlackShare = 0.25
	// tuneGCEvery is how often the limit follows the heap.
	tuneGCEvery = 100 * time.Millisecond
	// gcRateDecay is how much of the allocation rate estimate one tick
	// keeps when the rate falls (it follows a rise at once): a burst of a
	// few hundred MB/s is forgotten in about five seconds, so the limit
	// tightens (and the garbage of the burst is collected and returned to
	// the system) once the appliance has been quiet that long.
	gcRateDecay = 0.95
)

// TuneGC sets GOGC to 200 and keeps the soft memory limit just above what
// the process needs until ctx ends (then it restores GOGC and lifts the
// limit). It returns at once when GOGC or GOMEMLIMIT is set in the
// environment.
func TuneGC(ctx context.Context) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	defer debug.SetGCPercent(debug.SetGCPercent(gcPercent))
	t := time.NewTicker(tuneGCEvery)
	defer t.Stop()
	defer debug.SetMemoryLimit(math.MaxInt64)
	var g gcTuner
	for {
		debug.SetMemoryLimit(g.limit())
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// gcTuner computes the limit from runtime/metrics.
type gcTuner struct {
	samples   []metrics.Sample
	at        time.Time
	allocated int64   // bytes allocated (heap) plus stack bytes, at the last tick
	rate      float64 // bytes a second, decaying
}

const (
	mTotal = iota
	mReleased
	mObjects
	mUnused
	mFree
	mStacks
	mLive
	mAllocs
)

func (g *gcTuner) limit() int64 {
	if g.samples == nil {
		for _, n := range []string{"/memory/classes/total:bytes", "/memory/classes/heap/released:bytes",
			"/memory/classes/heap/objects:bytes", "/memory/classes/heap/unused:bytes",
			"/memory/classes/heap/free:bytes", "/memory/classes/heap/stacks:bytes",
			"/gc/heap/live:bytes", "/gc/heap/allocs:bytes"} {
			g.samples = append(g.samples, metrics.Sample{Name: n})
		}
	}
	metrics.Read(g.samples)
	v := func(i int) int64 { return int64(g.samples[i].Value.Uint64()) }
	now := time.Now()
	allocated := v(mAllocs) + v(mStacks)
	if !g.at.IsZero() {
		if dt := now.Sub(g.at).Seconds(); dt > 0 {
			g.rate = max(float64(allocated-g.allocated)/dt, g.rate*gcRateDecay)
		}
	}
	g.at, g.allocated = now, allocated
	return gcLimit(v(mTotal)-v(mReleased)-v(mObjects)-v(mUnused)-v(mFree), v(mUnused), v(mLive), int64(g.rate))
}

// gcLimit is the limit for a process holding besidesHeap bytes outside its
// heap (stacks, metadata, buffers), unused bytes in its heap's spans, live
// bytes live at the last collection, and allocating rate bytes a second.
func gcLimit(besidesHeap, unused, live, rate int64) int64 {
	slack := max(int64(GCMinSlack), int64(float64(live)*gcSlackShare), rate)
	return besidesHeap + unused + live + slack
}
