package telemetry

import (
	"context"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/fengqiao/fengqiao/model"
)

// TestPrune deletes readings past the retention in small batches and
// keeps the rest.
func TestPrune(t *testing.T) {
	app := newTestApp(t)
	dev := addDevice(t, app, "pir-1", model.KindPIR, nil)
	now := time.Now()
	var ids idGen
	insert := func(age time.Duration, n int) {
		for range n {
			created, _ := types.ParseDateTime(now.Add(-age))
			if _, err := app.NonconcurrentDB().NewQuery(
				"INSERT INTO readings (id, device, topic, data, created) VALUES ({:id}, {:d}, 't', '{}', {:c})").
				Bind(map[string]any{"id": ids.next(time.Now()), "d": dev.Id, "c": created.String()}).Execute(); err != nil {
				t.Fatal(err)
			}
		}
	}
	insert(40*24*time.Hour, 23)
	insert(31*24*time.Hour, 4)
	insert(29*24*time.Hour, 5)
	insert(time.Minute, 6)

	tests := []struct {
		name      string
		days      int
		wantGone  int64
		wantLeft  int
		batchSize int
	}{
		{"retention off keeps everything", 0, 0, 38, 0},
		{"30 days, batches of 5", 30, 27, 11, 5},
		{"again: nothing more", 30, 0, 11, 5},
		{"1 day", 1, 5, 6, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n int64
			var err error
			if tt.batchSize > 0 {
				n, err = Prune(context.Background(), app, now.AddDate(0, 0, -tt.days), tt.batchSize)
			} else {
				n, err = PruneOlderThan(context.Background(), app, tt.days, now)
			}
			if err != nil || n != tt.wantGone {
				t.Fatalf("pruned %d (%v), want %d", n, err, tt.wantGone)
			}
			if left := countReadings(t, app, dev.Id); left != tt.wantLeft {
				t.Fatalf("left %d, want %d", left, tt.wantLeft)
			}
		})
	}
}

func TestIDsIncrease(t *testing.T) {
	var g idGen
	at := time.Now()
	prev := ""
	for i := range 100_000 {
		id := g.next(at) // the same microsecond every time
		if len(id) != 15 || id <= prev {
			t.Fatalf("id %d = %q after %q", i, id, prev)
		}
		prev = id
	}
	if later := g.next(at.Add(-time.Hour)); later <= prev {
		t.Fatalf("id after a clock step back = %q, not after %q", later, prev)
	}
}
