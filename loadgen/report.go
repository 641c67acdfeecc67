package loadgen

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Targets the appliance is held to, against the reference broker (the
// first target) in the same run.
const (
	TargetIngestRatio = 0.6  // stored msgs/s ÷ reference's pub→sub msgs/s
	TargetConnKiB     = 24.0 // broker memory per connected device
	TargetStormRatio  = 0.7  // reconnect storm rate ÷ reference's
)

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func rate(v float64) string { return fmt.Sprintf("%.0f", v) }

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }

// printReport writes the results side by side, then the target checks.
func printReport(out io.Writer, cfg BenchConfig, results []Result) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight|tabwriter.Debug)
	row := func(label string, cell func(r *Result) string) {
		cells := make([]string, 0, len(results)+1)
		cells = append(cells, label)
		for i := range results {
			r := &results[i]
			if r.Err != nil && cell == nil {
				cells = append(cells, "")
				continue
			}
			if cell == nil {
				cells = append(cells, "")
			} else {
				cells = append(cells, cell(r))
			}
		}
		fmt.Fprintln(w, strings.Join(cells, "\t")+"\t")
	}
	fmt.Fprintf(out, "\nfengqiao bench — %d devices held, %d publishers × %d in flight for %s at QoS %d\n\n",
		cfg.Connections, cfg.Publishers, cfg.Window, cfg.Duration, cfg.QoS)
	row("", func(r *Result) string { return r.Target.Name })
	row("error", func(r *Result) string { return errText(r.Err) })
	if cfg.Connections > 0 {
		row("CONNECT: devices connected", func(r *Result) string { return fmt.Sprint(r.Conn.Connected) })
		row("  connect rate (conn/s)", func(r *Result) string { return rate(r.Conn.Rate) })
		row("  refused / failed", func(r *Result) string { return fmt.Sprintf("%d / %d", r.Conn.Refused, r.Conn.Failed) })
		row("  broker RSS idle → held (settled)", func(r *Result) string {
			return orNA(r.Target.PID, mib(r.Conn.RSSBefore)+" → "+mib(r.Conn.RSSHeld))
		})
		row("  settled after / peak RSS", func(r *Result) string {
			return orNA(r.Target.PID, fmt.Sprintf("%.0fs / %s", r.Conn.Settled.Seconds(), mib(r.Conn.RSSPeak)))
		})
		row("  memory per device (KiB)", func(r *Result) string { return orNA(r.Target.PID, fmt.Sprintf("%.1f", r.Conn.PerConn/1024)) })
		row("  broker CPU while connecting", func(r *Result) string { return orNA(r.Target.PID, fmt.Sprintf("%.0f%%", r.Conn.CPU)) })
		row("STORM: reconnect rate (conn/s)", func(r *Result) string { return rate(r.Storm.Rate) })
		row("  connected / refused / failed", func(r *Result) string {
			return fmt.Sprintf("%d / %d / %d", r.Storm.Connected, r.Storm.Refused, r.Storm.Failed)
		})
		row("  broker CPU during storm", func(r *Result) string { return orNA(r.Target.PID, fmt.Sprintf("%.0f%%", r.Storm.CPU)) })
	}
	row("PUBLISH: sent (msgs/s)", func(r *Result) string { return rate(r.Flow.SentRate) })
	row("  acknowledged (msgs/s)", func(r *Result) string { return rate(r.Flow.AckRate) })
	row("  stored (msgs/s)", func(r *Result) string {
		if !r.Flow.StoredKnown {
			return "n/a"
		}
		return rate(r.Flow.Store)
	})
	row("  pub→sub delivered (msgs/s)", func(r *Result) string { return rate(r.Flow.RecvRate) })
	row("  sent / acked / delivered", func(r *Result) string {
		return fmt.Sprintf("%d / %d / %d", r.Flow.Sent, r.Flow.Acked, r.Flow.Received)
	})
	row("  stored", func(r *Result) string {
		if !r.Flow.StoredKnown {
			return "n/a"
		}
		return fmt.Sprint(r.Flow.Stored)
	})
	row("  acknowledged but lost", func(r *Result) string { return fmt.Sprint(r.Flow.Lost) })
	row("  publish errors", func(r *Result) string { return fmt.Sprint(r.Flow.PubErrors) })
	row("  pub→sub latency p50/p99/max ms", func(r *Result) string {
		return ms(r.Flow.P50) + " / " + ms(r.Flow.P99) + " / " + ms(r.Flow.Max)
	})
	row("  broker CPU", func(r *Result) string { return orNA(r.Target.PID, fmt.Sprintf("%.0f%%", r.Flow.CPU)) })
	row("  broker RSS", func(r *Result) string { return orNA(r.Target.PID, mib(r.Flow.RSS)) })
	row("  bench client CPU", func(r *Result) string { return fmt.Sprintf("%.0f%%", r.Flow.ClientCPU) })
	_ = w.Flush()
	printChecks(out, cfg, results)
}

func errText(err error) string {
	if err == nil {
		return "-"
	}
	s := err.Error()
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

func orNA(pid int, s string) string {
	if pid <= 0 {
		return "n/a"
	}
	return s
}

// printChecks compares every target that stores (the appliance) with the
// first target (the reference broker).
func printChecks(out io.Writer, cfg BenchConfig, results []Result) {
	if len(results) < 2 {
		return
	}
	ref := &results[0]
	for i := 1; i < len(results); i++ {
		r := &results[i]
		if r.Err != nil || ref.Err != nil {
			continue
		}
		fmt.Fprintf(out, "\ntargets: %s against %s\n", r.Target.Name, ref.Target.Name)
		check := func(ok bool, what, got string) {
			mark := "PASS"
			if !ok {
				mark = "MISS"
			}
			fmt.Fprintf(out, "  %s  %-62s %s\n", mark, what, got)
		}
		ingest := r.Flow.AckRate
		if r.Flow.StoredKnown {
			ingest = r.Flow.Store
		}
		ratio := ingest / max(ref.Flow.RecvRate, 1)
		check(ratio >= TargetIngestRatio && r.Flow.Lost == 0,
			fmt.Sprintf("QoS %d ingest, every message stored, ≥ %.1f× pub→sub", cfg.QoS, TargetIngestRatio),
			fmt.Sprintf("%.2f× (%s vs %s msgs/s)", ratio, rate(ingest), rate(ref.Flow.RecvRate)))
		check(r.Flow.Lost == 0 && r.Flow.PubErrors == 0, "zero QoS 1 loss (acknowledged ⇒ stored)",
			fmt.Sprintf("acknowledged %d, stored %d, lost %d", r.Flow.Acked, r.Flow.Stored, r.Flow.Lost))
		if cfg.Connections > 0 {
			kib := r.Conn.PerConn / 1024
			check(r.Conn.Connected == cfg.Connections && kib <= TargetConnKiB && r.Target.PID > 0,
				fmt.Sprintf("%d devices connected at ≤ %.0f KiB each", cfg.Connections, TargetConnKiB),
				fmt.Sprintf("%d connected, %.1f KiB each", r.Conn.Connected, kib))
			sr := r.Storm.Rate / max(ref.Storm.Rate, 1)
			check(sr >= TargetStormRatio && r.Storm.Failed == 0 && r.Storm.Refused == 0 && r.Storm.Connected == cfg.Connections,
				fmt.Sprintf("%d-device reconnect storm ≥ %.1f× connect rate, no failures", cfg.Connections, TargetStormRatio),
				fmt.Sprintf("%.2f× (%s vs %s conn/s), %d refused, %d failed", sr, rate(r.Storm.Rate), rate(ref.Storm.Rate),
					r.Storm.Refused, r.Storm.Failed))
		}
	}
}
