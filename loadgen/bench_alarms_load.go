package loadgen

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// Targets of the alarm bench (issue 4): SOS publish → alarm on the
// realtime subscription of 50 dashboards, p99.
const (
	TargetAlarmP99At1k  = 10 * time.Millisecond // under 1,000 msg/s background
	TargetAlarmP99At10k = 25 * time.Millisecond // under 10,000 msg/s background
)

// loadWindow is how many background publishes one device keeps in flight.
const loadWindow = 64

// backgroundLoad publishes ordinary telemetry (motion and battery, which
// raises nothing) at a steady total rate, QoS 1, from many devices.
type backgroundLoad struct {
	clients             []mqtt.Client
	sent, acked, errors atomic.Int64
}

// start connects the devices and paces each at rate/len(creds) msg/s
// until ctx ends.
func (l *backgroundLoad) start(ctx context.Context, wg *sync.WaitGroup, url string, creds []Cred, rate int) error {
	clients, err := connectPublishers(url, creds)
	l.clients = clients
	if err != nil {
		return fmt.Errorf("background devices: %w", err)
	}
	every := time.Duration(float64(time.Second) * float64(len(creds)) / float64(rate))
	for i, cl := range clients {
		topic := "devices/" + creds[i].ClientID + "/up"
		offset := every * time.Duration(i) / time.Duration(len(clients))
		wg.Go(func() { l.publish(ctx, cl, topic, every, offset) })
	}
	return nil
}

func (l *backgroundLoad) publish(ctx context.Context, cl mqtt.Client, topic string, every, offset time.Duration) {
	inflight := make(chan mqtt.Token, loadWindow)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for tok := range inflight {
			if !tok.WaitTimeout(30*time.Second) || tok.Error() != nil {
				l.errors.Add(1)
				continue
			}
			l.acked.Add(1)
		}
	}()
	next := time.Now().Add(offset)
	for seq := 0; ctx.Err() == nil; seq++ {
		if d := time.Until(next); d > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(d):
			}
		}
		next = next.Add(every)
		body := fmt.Appendf(nil, `{"motion":%v,"battery":%d}`, seq%2 == 0, 90-seq%40)
		inflight <- cl.Publish(topic, 1, false, body)
		l.sent.Add(1)
	}
	close(inflight)
	<-done
}

func (l *backgroundLoad) close() {
	for _, c := range l.clients {
		if c != nil {
			c.Disconnect(100)
		}
	}
}

// printAlarmReport writes the alarm bench's figures and its check.
func printAlarmReport(out io.Writer, cfg AlarmBenchConfig, r AlarmBenchResult) {
	fmt.Fprintf(out, "\nfengqiao bench alarms — %d SOS presses, %d dashboards on %s, background %d msg/s from %d devices\n\n",
		r.Presses, cfg.Dashboards, dashboardLabel(cfg.RecordSubscription), cfg.Rate, len(cfg.Load))
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	lat := func(label string, l latencies) {
		fmt.Fprintf(w, "%s\tp50 %s ms\tp99 %s ms\tmax %s ms\n", label, ms(l.P50), ms(l.P99), ms(l.Max))
	}
	lat("SOS publish → PUBACK", r.Ack)
	lat("SOS publish → alarm, first dashboard", r.First)
	lat("SOS publish → alarm, every dashboard", r.All)
	fmt.Fprintf(w, "alarms seen on dashboards\t%d of %d\t(missing %d)\t\n", r.Seen, r.Presses*cfg.Dashboards, r.Missing)
	fmt.Fprintf(w, "background acknowledged\t%.0f msg/s\t(sent %d, acked %d, errors %d)\t\n", r.LoadRate, r.LoadSent, r.LoadAcked, r.LoadErrors)
	w.Flush()
	target := TargetAlarmP99At10k
	if cfg.Rate <= 1000 {
		target = TargetAlarmP99At1k
	}
	verdict := "PASS"
	if r.All.P99 > target || r.Missing > 0 {
		verdict = "FAIL"
	}
	fmt.Fprintf(out, "\ncheck: p99 publish → alarm on every dashboard %s ms ≤ %s ms at %d msg/s, none missing: %s\n",
		ms(r.All.P99), ms(target), cfg.Rate, verdict)
}
