package alarms

import (
	"slices"
	"sync"
	"time"

	"github.com/fengqiao/fengqiao/rules"
)

// Counter limits: count() looks back at most counterRetention and counts
// at most counterCap events of one kind per subject (it then answers
// counterCap: "at least that many").
const (
	counterRetention = 24 * time.Hour
	counterCap       = 512
)

// counter answers the rules' count(kind, window) from memory: per subject
// (the device's elder, or the device) and kind (a payload flag that was
// true, an alarm kind), the times of the latest events. Recording the same
// event twice (a replayed reading) counts it once. Safe for concurrent use.
type counter struct {
	mu   sync.Mutex
	keys map[string][]int64 // subject + "\x00" + kind → unix nanos, ascending
}

var _ rules.Counter = (*counter)(nil)

func newCounter() *counter { return &counter{keys: map[string][]int64{}} }

// subjectOf is whose events count(): the elder's, so that the SOS button
// and the door of one elder add up; else the device's.
func subjectOf(env *rules.Env) string {
	if env.Elder.ID != "" {
		return "e:" + env.Elder.ID
	}
	return "d:" + env.Device.ID
}

// record notes one event of kind at t.
func (c *counter) record(subject, kind string, t time.Time) {
	key := subject + "\x00" + kind
	ns := t.UnixNano()
	c.mu.Lock()
	defer c.mu.Unlock()
	times := c.keys[key]
	i, found := slices.BinarySearch(times, ns)
	if found {
		return // the same event again (a replay)
	}
	times = slices.Insert(times, i, ns)
	// Forget what no window can reach, and beyond the cap the oldest.
	cut, _ := slices.BinarySearch(times, times[len(times)-1]-int64(counterRetention))
	cut = max(cut, len(times)-counterCap)
	if cut > 0 {
		times = append(times[:0], times[cut:]...)
	}
	c.keys[key] = times
}

// recordPayload notes the flags that are true in a device message (and
// an unreadable message as "unreadable").
func (c *counter) recordPayload(subject string, payload map[string]any, unreadable bool, t time.Time) {
	if unreadable {
		c.record(subject, "unreadable", t)
	}
	for k, v := range payload {
		if b, ok := v.(bool); ok && b {
			c.record(subject, k, t)
		}
	}
}

// Count implements rules.Counter: events of kind in (now-window, now].
func (c *counter) Count(env *rules.Env, kind string, window time.Duration) (int, error) {
	key := subjectOf(env) + "\x00" + kind
	hi := env.Now.UnixNano()
	lo := hi - int64(window)
	c.mu.Lock()
	defer c.mu.Unlock()
	times := c.keys[key]
	from, _ := slices.BinarySearch(times, lo+1)
	to, found := slices.BinarySearch(times, hi)
	if found {
		to++
	}
	return max(to-from, 0), nil
}

// prune drops the subjects with nothing younger than the retention.
func (c *counter) prune(now time.Time) {
	limit := now.Add(-counterRetention).UnixNano()
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, times := range c.keys {
		if len(times) == 0 || times[len(times)-1] < limit {
			delete(c.keys, k)
		}
	}
}
