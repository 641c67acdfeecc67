package alarms

import (
	"testing"
	"time"

	"github.com/fengqiao/fengqiao/model"
)

// TestIndexIgnoresStaleState: the engine's own look at an alarm it just
// raised can arrive after a person resolved it (seen through the hook); the
// index keeps the newer state, so the next press raises a new alarm
// instead of repeating the resolved one.
func TestIndexIgnoresStaleState(t *testing.T) {
	x := newAlarmIndex()
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	active := &alarmRef{id: "a1", rule: "r", device: "d", status: model.AlarmActive, firstSeen: t0, lastSeen: t0, updated: t0}
	resolved := *active
	resolved.status, resolved.resolvedAt, resolved.updated = model.AlarmResolved, t0.Add(16*time.Millisecond), t0.Add(16*time.Millisecond)
	x.put(active)
	x.put(&resolved)
	stale := *active
	x.put(&stale)
	last, ok := x.last("r", "d")
	if !ok || last.open() {
		t.Fatalf("latest of (r, d): %+v, want resolved", last)
	}
	if _, open := x.get("a1"); open {
		t.Error("a resolved alarm is listed open")
	}
}
