package alarms

import (
	"testing"
	"time"
)

// TestCursorState: the cursor moves to the last normal event handled (the
// last of any kind when the seam is empty), never past a catch-up due or
// running; a drop asks for a catch-up from just before the last look.
func TestCursorState(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	s := func(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }
	c := cursorState{persisted: t0, slack: 5 * time.Second}

	c.handled(s(10), false)
	c.handled(s(12), true) // an SOS ahead of the normal queue
	if at, ok := c.next(SeamStats{Depth: 3}); !ok || !at.Equal(s(10)) {
		t.Fatalf("with events waiting: %v %v, want the last normal event", at, ok)
	}
	c.persisted = s(10)
	if at, ok := c.next(SeamStats{}); !ok || !at.Equal(s(12)) {
		t.Fatalf("seam empty: %v %v, want the last event", at, ok)
	}
	c.persisted = s(12)

	c.handled(s(20), false)
	c.observe(SeamStats{}) // a look: the last normal event is at 20
	c.handled(s(30), false)
	if at, ok := c.next(SeamStats{Dropped: 4}); !ok || !at.Equal(s(15)) {
		t.Fatalf("after a drop: %v %v, want held at the catch-up's start 20-5", at, ok)
	}
	if !c.need.Equal(s(15)) {
		t.Fatalf("catch-up asked from %v, want 15 (20 less the slack)", c.need)
	}
	c.persisted = s(15)
	from := c.start()
	if !from.Equal(s(15)) || c.start() != (time.Time{}) {
		t.Fatalf("start: %v (and a second start must not run)", from)
	}
	c.handled(s(40), false)
	if at, ok := c.next(SeamStats{Dropped: 4}); ok {
		t.Fatalf("moved to %v while the catch-up from 15 runs", at)
	}
	c.done(from, false)
	if at, ok := c.next(SeamStats{Dropped: 4}); !ok || !at.Equal(s(40)) {
		t.Fatalf("after the catch-up: %v %v", at, ok)
	}
	c.done(s(50), true) // a failed catch-up is asked for again
	if !c.need.Equal(s(50)) {
		t.Errorf("failed catch-up not asked again: %v", c.need)
	}
}
