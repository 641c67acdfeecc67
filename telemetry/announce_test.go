package telemetry

import (
	"slices"
	"testing"
	"time"
)

func TestAnnouncerPacesRoutineChanges(t *testing.T) {
	a := newAnnouncer(5 * time.Second)
	t0 := time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC)
	routine := func(string) bool { return false }
	urgentOnly := func(id string) bool { return id == "door" }

	if got := a.take([]string{"pir", "door"}, routine, t0); !slices.Equal(sorted(got), []string{"door", "pir"}) {
		t.Fatalf("first changes: announced %v, want both (quiet devices are announced at once)", got)
	}
	if got := a.take([]string{"pir", "door"}, urgentOnly, t0.Add(time.Second)); !slices.Equal(got, []string{"door"}) {
		t.Fatalf("second changes 1 s later: announced %v, want only the urgent door", got)
	}
	if !a.pending() {
		t.Fatal("the pir's routine change is not pending")
	}
	if got := a.take(nil, nil, t0.Add(4*time.Second)); len(got) != 0 {
		t.Fatalf("4 s after its announcement: announced %v, want nothing yet", got)
	}
	if got := a.take(nil, nil, t0.Add(5*time.Second)); !slices.Equal(got, []string{"pir"}) {
		t.Fatalf("5 s after its announcement: announced %v, want the deferred pir", got)
	}
	if a.pending() {
		t.Fatal("still pending after the deferred announcement")
	}
	if got := a.take([]string{"pir"}, routine, t0.Add(7*time.Second)); len(got) != 0 {
		t.Fatalf("a change 2 s after the last announcement: announced %v, want it deferred", got)
	}
	if got := a.take(nil, nil, t0.Add(10*time.Second)); !slices.Equal(got, []string{"pir"}) {
		t.Fatalf("10 s: announced %v, want pir", got)
	}
}

func TestAnnouncerForgetsQuietDevices(t *testing.T) {
	a := newAnnouncer(5 * time.Second)
	t0 := time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC)
	ids := []string{"a", "b", "c"}
	a.take(ids, func(string) bool { return false }, t0)
	if len(a.last) != 3 {
		t.Fatalf("%d devices remembered, want 3", len(a.last))
	}
	a.take(nil, nil, t0.Add(6*time.Second))
	if len(a.last) != 0 || len(a.deferred) != 0 {
		t.Fatalf("after a quiet spell: %d remembered, %d deferred, want none", len(a.last), len(a.deferred))
	}
}

func TestAnnouncerOffAnnouncesEverything(t *testing.T) {
	a := newAnnouncer(0)
	now := time.Now()
	for range 3 {
		if got := a.take([]string{"x"}, func(string) bool { return false }, now); !slices.Equal(got, []string{"x"}) {
			t.Fatalf("pacing off: announced %v, want x every time", got)
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
