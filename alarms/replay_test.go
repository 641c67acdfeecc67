package alarms

import (
	"context"
	"testing"
	"testing/synctest"
	"time"
)

// TestReplayRaisesMissedSOS is the kill-safety test of the cursor: an SOS
// reading committed (the device got its PUBACK) but never handled — the
// process died first — raises its alarm when the engine starts again,
// dated at the press.
func TestReplayRaisesMissedSOS(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.start()
		time.Sleep(10 * time.Second)
		synctest.Wait()
		pressed := time.Now()
		f.store("sos-1", map[string]any{"sos": true}, pressed) // committed, not handed on
		f.crash()
		time.Sleep(time.Minute)
		if n := len(f.alarms("sos_pressed")); n != 0 {
			t.Fatalf("%d alarms before the restart", n)
		}
		f.start()
		defer f.eng.Stop()
		a := f.one("sos_pressed")
		if !a.FirstSeen().Time().Equal(pressed.Truncate(time.Millisecond)) {
			t.Errorf("first_seen %v, want the press at %v", a.FirstSeen(), pressed)
		}
		if a.EscalationLevel() != 1 {
			t.Errorf("escalation level %d: the first step must run with the raise", a.EscalationLevel())
		}
	})
}

// TestReplayIsIdempotent: readings handled live and replayed after a
// crash (the cursor had not moved past them) change nothing: one alarm,
// counted once per press.
func TestReplayIsIdempotent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.start()
		f.send("sos-1", map[string]any{"sos": true})
		time.Sleep(3 * time.Second)
		f.send("sos-1", map[string]any{"sos": true})
		f.send("door-1", map[string]any{"open": true})
		f.crash() // the repeat was not flushed
		f.start()
		time.Sleep(3 * time.Second) // the replay, then a flush
		synctest.Wait()
		a := f.one("sos_pressed")
		if a.Count() != 2 {
			t.Errorf("count %d after the replay, want 2", a.Count())
		}
		// And again, after a clean stop: nothing more.
		if err := f.eng.Stop(); err != nil {
			t.Fatal(err)
		}
		f.eng = f.newEngine()
		f.start()
		defer f.eng.Stop()
		time.Sleep(3 * time.Second)
		synctest.Wait()
		if a = f.reload(a); a.Count() != 2 || len(f.alarms("sos_pressed")) != 1 {
			t.Errorf("after a second restart: count %d, %d alarms", a.Count(), len(f.alarms("sos_pressed")))
		}
	})
}

// TestDroppedEventsCaughtUp: when the seam drops events on a full queue,
// the engine replays the readings since its cursor: the dropped SOS still
// raises its alarm.
func TestDroppedEventsCaughtUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		f.start()
		defer f.eng.Stop()
		f.send("door-1", map[string]any{"open": false})
		time.Sleep(2 * time.Second)
		synctest.Wait()
		f.store("sos-1", map[string]any{"sos": true}, time.Now()) // dropped: never handed on
		f.drops.Store(1)
		f.send("door-1", map[string]any{"open": false}) // later traffic is handled
		time.Sleep(3 * time.Second)
		synctest.Wait()
		if a := f.one("sos_pressed"); a.Count() != 1 {
			t.Errorf("count %d", a.Count())
		}
	})
}

// TestHandleBeforeStartIsCovered: an event handed on before the engine
// started is ignored live and handled by the start-up replay.
func TestHandleBeforeStartIsCovered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newFixture(t)
		time.Sleep(time.Second)
		ev := f.store("sos-1", map[string]any{"sos": true}, time.Now())
		if err := f.eng.HandleEvent(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
		f.start()
		defer f.eng.Stop()
		f.one("sos_pressed")
	})
}

func TestReadingTime(t *testing.T) {
	now := time.Date(2026, 3, 14, 23, 5, 0, 123456000, time.UTC)
	id := readingID(now)
	if got := readingTime(id, now.Add(3*time.Millisecond)); !got.Equal(now.Truncate(time.Microsecond)) {
		t.Errorf("time of %s: %v, want %v", id, got, now)
	}
	for _, c := range []struct{ id, why string }{
		{"abcdefghijklmno", "a random PocketBase id"}, {"short", "not an id"}, {"ABCDEFGHIJKLMNO", "upper case"},
	} {
		if got := readingTime(c.id, now); !got.Equal(now) {
			t.Errorf("%s (%s): %v, want the fallback", c.id, c.why, got)
		}
	}
}
