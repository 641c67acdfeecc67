package telemetry

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/payload"
)

// benchDevices is how many devices the benchmarks' messages come from;
// benchSenders × GOMAXPROCS goroutines publish at once, as the broker's
// per-device read loops do (100 on this 2-core machine).
const (
	benchDevices = 100
	benchSenders = 50
)

func benchPayload(i int64) []byte {
	return fmt.Appendf(nil, `{"motion":%v,"battery":%d,"lux":%d,"seq":%d}`, i%2 == 0, 80+i%20, i%500, i)
}

// BenchmarkIngestGroupCommit: decode + group commit through the real
// pipeline, many devices publishing at once (what the broker does), with
// and without the writer's linger for the last batch's senders.
func BenchmarkIngestGroupCommit(b *testing.B) {
	b.Run("linger", func(b *testing.B) { benchGroupCommit(b, Config{}) })
	b.Run("no-linger", func(b *testing.B) { benchGroupCommit(b, Config{Linger: -1}) })
}

func benchGroupCommit(b *testing.B, cfg Config) {
	app := newTestApp(b)
	for i := range benchDevices {
		addDevice(b, app, fmt.Sprintf("pir-%d", i), model.KindPIR, nil)
	}
	p, _ := newPipeline(b, app, cfg)
	var seq atomic.Int64
	b.SetParallelism(benchSenders)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := seq.Add(1)
			id := fmt.Sprintf("pir-%d", i%benchDevices)
			m := msg(id, "up", "")
			m.Payload = benchPayload(i)
			if err := p.Commit(context.Background(), m); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	st := p.Stats()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	if st.Batches > 0 {
		b.ReportMetric(float64(st.Stored)/float64(st.Batches), "msgs/batch")
	}
}

// BenchmarkIngestSavePerMessage is the baseline group commit replaces:
// decode, then one app.Save (its own transaction, validation and hooks)
// per message, with the same senders.
func BenchmarkIngestSavePerMessage(b *testing.B) {
	app := newTestApp(b)
	ids := make([]string, benchDevices)
	for i := range benchDevices {
		ids[i] = addDevice(b, app, fmt.Sprintf("pir-%d", i), model.KindPIR, nil).Id
	}
	var seq atomic.Int64
	b.SetParallelism(benchSenders)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := seq.Add(1)
			raw := benchPayload(i)
			data, err := payload.Decode(raw)
			if err != nil {
				b.Error(err)
				return
			}
			r, err := model.NewReading(app)
			if err != nil {
				b.Error(err)
				return
			}
			r.SetDevice(ids[i%benchDevices])
			r.SetTopic(fmt.Sprintf("devices/pir-%d/up", i%benchDevices))
			r.SetData(data)
			if err := app.Save(r); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
