package telemetry

import (
	"sync/atomic"
	"time"

	"github.com/fengqiao/fengqiao/payload"
)

// badReasons are the payload refusals counted separately.
var badReasons = []string{payload.ReasonNotJSON, payload.ReasonNotObject, payload.ReasonInvalidUTF8,
	payload.ReasonTooDeep, payload.ReasonTooLarge, "invalid"}

// counters are the pipeline's own counts (the writer and seam keep theirs).
type counters struct {
	badBy           map[string]*atomic.Int64 // fixed keys: no lock needed
	unknown         atomic.Int64
	presenceFlushes atomic.Int64
	presenceSaves   atomic.Int64
}

func (c *counters) init() {
	c.badBy = make(map[string]*atomic.Int64, len(badReasons))
	for _, r := range badReasons {
		c.badBy[r] = new(atomic.Int64)
	}
}

func (c *counters) bad(reason string) {
	n, ok := c.badBy[reason]
	if !ok {
		n = c.badBy["invalid"]
	}
	n.Add(1)
}

// Stats is a snapshot of the pipeline's counters.
type Stats struct {
	// Stored readings, in Batches transactions; CommitFailures batches
	// failed (their messages were not acknowledged). LastBatch is how long
	// the last transaction took.
	Stored, Batches, CommitFailures int64
	LastBatch                       time.Duration
	// Bad counts refused payloads by reason (payload.Reason…).
	Bad map[string]int64
	// Unknown counts messages from accounts no longer in the directory.
	Unknown int64
	// The seam: events queued, dropped on a full queue, handled, failed
	// (error or panic), and waiting now.
	SeamQueued, SeamDropped, SeamHandled, SeamFailed int64
	SeamDepth                                        int
	// Presence: flushes done, records saved, devices and spaces waiting.
	PresenceFlushes, PresenceSaves int64
	PendingDevices, PendingSpaces  int
}

// Stats returns the current counters.
func (p *Pipeline) Stats() Stats {
	s := Stats{
		Stored: p.writer.rows.Load(), Batches: p.writer.batches.Load(), CommitFailures: p.writer.failures.Load(),
		LastBatch: time.Duration(p.writer.lastBatch.Load()), Bad: map[string]int64{}, Unknown: p.stats.unknown.Load(),
		SeamQueued: p.seam.queued.Load(), SeamDropped: p.seam.dropped.Load(), SeamHandled: p.seam.handled.Load(),
		SeamFailed: p.seam.failed.Load(), SeamDepth: p.seam.depth(),
		PresenceFlushes: p.stats.presenceFlushes.Load(), PresenceSaves: p.stats.presenceSaves.Load(),
	}
	for r, n := range p.stats.badBy {
		if v := n.Load(); v > 0 {
			s.Bad[r] = v
		}
	}
	s.PendingDevices, s.PendingSpaces = p.presence.pending()
	return s
}
