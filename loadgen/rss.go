package loadgen

import (
	"context"
	"sync"
	"time"
)

// rssSampleEvery is how often the broker's RSS is read while it settles.
const rssSampleEvery = 500 * time.Millisecond

// rssWindow is how long the RSS must stay within rssTolerance for the
// broker to count as settled: longer than the appliance's GC tuner takes
// to forget a burst of allocations (broker.TuneGC).
const rssWindow = 8 * time.Second

// rssTolerance is the change, in bytes, still counted as steady: 1 MiB
// is 0.1 KiB per device at 10,000 devices.
const rssTolerance = 1 << 20

// peakSampler records the highest RSS of a process until stopped: the
// transient peak of a connect storm, reported beside the settled figure.
type peakSampler struct {
	pid  int
	stop chan struct{}
	done chan struct{}
	mu   sync.Mutex
	peak int64
}

func startPeakSampler(pid int) *peakSampler {
	p := &peakSampler{pid: pid, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			p.sample()
			select {
			case <-p.stop:
				return
			case <-t.C:
			}
		}
	}()
	return p
}

func (p *peakSampler) sample() {
	if s, ok := sampleProc(p.pid); ok {
		p.mu.Lock()
		p.peak = max(p.peak, s.rss)
		p.mu.Unlock()
	}
}

// end stops sampling and returns the peak.
func (p *peakSampler) end() int64 {
	close(p.stop)
	<-p.done
	p.sample()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.peak
}

// settledRSS waits at least minWait, then until the process's RSS has
// stayed within rssTolerance for rssWindow (the garbage of the connects
// collected, freed pages returned by the runtime's scavenger), or until
// maxWait. It returns the last sample and how long it waited; ok is false
// when the process could not be read.
func settledRSS(ctx context.Context, pid int, minWait, maxWait time.Duration) (rss int64, waited time.Duration, ok bool) {
	start := time.Now()
	var window []int64 // the samples of the last rssWindow
	keep := int(rssWindow / rssSampleEvery)
	for {
		s, read := sampleProc(pid)
		if !read {
			return rss, time.Since(start), false
		}
		rss, ok = s.rss, true
		window = append(window, s.rss)
		if len(window) > keep {
			window = window[1:]
		}
		waited = time.Since(start)
		if waited >= maxWait || (waited >= minWait && len(window) == keep && spread(window) <= rssTolerance) {
			return rss, waited, ok
		}
		if sleepCtx(ctx, rssSampleEvery) != nil {
			return rss, waited, ok
		}
	}
}

func spread(v []int64) int64 {
	lo, hi := v[0], v[0]
	for _, x := range v {
		lo, hi = min(lo, x), max(hi, x)
	}
	return hi - lo
}
