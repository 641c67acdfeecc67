package telemetry

import (
	"sync"
	"time"
)

// announcer paces the presence flush's announcements of a device.
//
// Each announcement reloads the device and runs PocketBase's after-update
// event: realtime (the Devices screen), the device directory and the
// alarm engine's context all follow it, ~100 µs a device. A device that
// reports twice a second would be announced every flush: at 500 such
// devices that is ~50 ms of work in one burst each second, and SOS presses
// overlapping a flush were the slowest to reach the dashboards (9 of the
// 40 slowest of 400 presses in `make bench-alarms` with timestamps of
// each flush, 3 of the 200 fastest).
//
// So a change that matters at once (online or offline, a new address, an
// unreadable message) is announced at the next flush, and so is the first
// routine change (battery, last state) after a quiet spell; further
// routine changes of a chatty device wait until every has passed since its
// last announcement. The row itself is written every flush either way:
// only the announcement is paced.
type announcer struct {
	every time.Duration // ≤ 0: announce every change at once

	mu       sync.Mutex
	last     map[string]time.Time // device → its last announcement
	deferred map[string]bool      // devices with a routine change not yet announced
}

func newAnnouncer(every time.Duration) *announcer {
	return &announcer{every: every, last: map[string]time.Time{}, deferred: map[string]bool{}}
}

// take returns the devices to announce at now: of changed (devices whose
// visible state a flush just wrote; urgent tells whether the change matters
// at once), those due, plus the deferred ones whose wait is over.
func (a *announcer) take(changed []string, urgent func(id string) bool, now time.Time) []string {
	if a.every <= 0 {
		return changed
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]string, 0, len(changed))
	for _, id := range changed {
		if urgent(id) || now.Sub(a.last[id]) >= a.every {
			out = append(out, id)
			a.last[id] = now
			delete(a.deferred, id)
			continue
		}
		a.deferred[id] = true
	}
	for id := range a.deferred {
		if now.Sub(a.last[id]) >= a.every {
			out = append(out, id)
			a.last[id] = now
			delete(a.deferred, id)
		}
	}
	// A device quiet for longer than every is announced at once anyway:
	// its entry says nothing more, so the map stays as small as the set of
	// chatty devices.
	for id, t := range a.last {
		if !a.deferred[id] && now.Sub(t) >= a.every {
			delete(a.last, id)
		}
	}
	return out
}

// pending reports whether a deferred announcement is waiting.
func (a *announcer) pending() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.deferred) > 0
}
