package loadgen

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

// ConnResult is a mass connect: how many, how fast, and (for the first
// one) what each held session costs the broker in memory.
type ConnResult struct {
	Attempted, Connected, Refused, Failed int
	FirstError                            string
	Elapsed                               time.Duration
	// Rate is CONNACKs per second over Elapsed.
	Rate float64
	// RSSBefore and RSSHeld are the broker's resident memory before the
	// connects and with every session held, once it has settled (see
	// settledRSS; Settled is how long that took after the last CONNACK);
	// PerConn is their difference per connected session (bytes). RSSPeak is
	// the highest RSS seen from the first connect until then. CPU is the
	// broker's CPU during the connects, in percent of one core.
	RSSBefore, RSSHeld, RSSPeak int64
	Settled                     time.Duration
	PerConn                     float64
	CPU                         float64
}

// massConnect opens sessions for creds with parallel connects in flight,
// and returns the open connections (nil where one failed).
func massConnect(ctx context.Context, d *rawDialer, creds []Cred, parallel int, pid int) ([]net.Conn, ConnResult) {
	res := ConnResult{Attempted: len(creds)}
	conns := make([]net.Conn, len(creds))
	var mu sync.Mutex
	next := make(chan int)
	var wg sync.WaitGroup
	before, _ := sampleProc(pid)
	start := time.Now()
	for range parallel {
		wg.Go(func() {
			for i := range next {
				c, how, err := d.connect(ctx, i, creds[i])
				mu.Lock()
				switch how {
				case connected:
					conns[i] = c
					res.Connected++
				case refused:
					res.Refused++
				default:
					res.Failed++
				}
				if err != nil && res.FirstError == "" {
					res.FirstError = err.Error()
				}
				mu.Unlock()
			}
		})
	}
	for i := range creds {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	res.Elapsed = time.Since(start)
	if after, ok := sampleProc(pid); ok {
		res.CPU = cpuPercent(before, after)
	}
	if res.Elapsed > 0 {
		res.Rate = float64(res.Connected) / res.Elapsed.Seconds()
	}
	return conns, res
}

// closeAll drops every connection without a DISCONNECT, as a power cut
// does: the broker sees connections lost, not goodbyes.
func closeAll(conns []net.Conn) {
	for _, c := range conns {
		if c == nil {
			continue
		}
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // reset, like a device losing power
		}
		_ = c.Close()
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}

// connectPhase connects cfg.Connections devices, measures the broker's
// memory with them held, and returns them, still connected, for
// stormPhase.
func connectPhase(ctx context.Context, cfg BenchConfig, addr string, pid int) (ConnResult, []net.Conn, error) {
	d := newRawDialer(addr, 600, 30*time.Second)
	// The idle figure settles too: a broker that has just started still
	// holds the garbage of its start-up for a while.
	idle, _, _ := settledRSS(ctx, pid, cfg.Settle, cfg.MemorySettle)
	if err := ctx.Err(); err != nil {
		return ConnResult{}, nil, err
	}
	peak := startPeakSampler(pid)
	conns, res := massConnect(ctx, d, cfg.Creds[:cfg.Connections], cfg.Parallel, pid)
	if res.Connected == 0 {
		peak.end()
		closeAll(conns)
		return res, nil, fmt.Errorf("no device could connect: %s", res.FirstError)
	}
	// Not a transient peak from the storm of connects: the RSS once the
	// broker has settled with every session held.
	held, waited, ok := settledRSS(ctx, pid, cfg.Settle, cfg.MemorySettle)
	res.RSSPeak, res.Settled = peak.end(), waited
	if err := ctx.Err(); err != nil {
		closeAll(conns)
		return res, nil, err
	}
	if ok {
		res.RSSBefore, res.RSSHeld = idle, held
		res.PerConn = float64(held-idle) / float64(res.Connected)
	}
	return res, conns, nil
}

// stormPhase cuts every held session at once (a power cut), waits, then
// has every device reconnect at once.
func stormPhase(ctx context.Context, cfg BenchConfig, addr string, pid int, held []net.Conn) (ConnResult, error) {
	closeAll(held)
	if err := sleepCtx(ctx, cfg.Settle); err != nil {
		return ConnResult{}, err
	}
	d := newRawDialer(addr, 600, 30*time.Second)
	conns, res := massConnect(ctx, d, cfg.Creds[:cfg.Connections], cfg.Parallel, pid)
	closeAll(conns)
	if res.Connected == 0 {
		return res, errors.New("no device could reconnect: " + res.FirstError)
	}
	return res, sleepCtx(ctx, cfg.Settle)
}
