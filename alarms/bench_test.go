package alarms

import (
	"context"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"github.com/fengqiao/fengqiao/model"
)

// BenchmarkSOSToAlarm measures a committed SOS message handed to the
// engine → the alarm, its raise event and the first escalation step's
// deliveries (grid worker and on-duty staff, in-app and SMS) committed.
// Each press raises a new alarm: the previous one is resolved, off the
// clock.
func BenchmarkSOSToAlarm(b *testing.B) {
	f := newFixture(b)
	f.start()
	defer f.eng.Stop()
	ctx := context.Background()
	prev := ""
	for b.Loop() {
		b.StopTimer()
		if prev != "" {
			a, err := Resolve(f.app, prev, Actor{Superuser: true}, "bench", false)
			if err != nil {
				b.Fatal(err)
			}
			f.eng.ObserveAlarm(a.Record)
		}
		ev := f.store("sos-1", map[string]any{"sos": true}, time.Now())
		b.StartTimer()
		if err := f.eng.HandleEvent(ctx, ev); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		last, ok := f.eng.index.last(f.eng.book.Load().byKey["sos_pressed"].ID(), f.ids["device.sos-1"])
		if !ok || last.id == prev {
			b.Fatal("no new alarm")
		}
		prev = last.id
		b.StartTimer()
	}
	b.StopTimer()
	n, _ := f.app.CountRecords(model.CollectionDeliveries, dbx.NewExp("alarm != ''"))
	b.ReportMetric(float64(n)/float64(b.N), "deliveries/alarm")
}

// BenchmarkTelemetryNoAlarm measures the hot path of an ordinary message
// (a motion sensor's report with its battery) that raises nothing: the
// Env from the context cache, count() bookkeeping, the shipped rules, a
// silence timer reset.
func BenchmarkTelemetryNoAlarm(b *testing.B) {
	f := newFixture(b)
	f.start()
	defer f.eng.Stop()
	ctx := context.Background()
	ev := f.store("pir-1", map[string]any{"motion": true, "battery": 80.0}, time.Now())
	b.ReportAllocs()
	for b.Loop() {
		ev.Received = ev.Received.Add(time.Millisecond)
		ev.ReadingID = readingID(ev.Received)
		if err := f.eng.HandleEvent(ctx, ev); err != nil {
			b.Fatal(err)
		}
	}
}
