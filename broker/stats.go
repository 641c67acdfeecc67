package broker

import (
	"maps"
	"sync"
	"sync/atomic"
)

// Stats is a snapshot of the broker's counters since New.
type Stats struct {
	// ClientsConnected is the number of authenticated sessions now open.
	ClientsConnected int64
	// Connections is the number of open sockets on all listeners,
	// including those that have not authenticated yet.
	Connections int64
	// Connects counts successful logins; Disconnects their ends.
	Connects    uint64
	Disconnects uint64
	// Refusals counts refused logins, publishes, subscriptions and
	// connections by reason, e.g. "login: bad credentials",
	// "publish: foreign topic", "subscribe: shared subscription".
	Refusals map[string]uint64
	// PanicsRecovered counts panics contained in connection goroutines,
	// hooks and the Sink.
	PanicsRecovered uint64
	// MessagesAccepted counts publishes from accounts that passed the ACL
	// and, for QoS 1 and 2, were committed by the Sink.
	MessagesAccepted uint64
	// MessagesRejected counts publishes refused by the ACL or whose commit
	// failed (the client got no acknowledgement).
	MessagesRejected uint64
	// CommitFailures counts Sink.Commit errors, timeouts and panics.
	CommitFailures uint64
	// QoS0Dropped counts QoS 0 publishes dropped because the asynchronous
	// commit queue was full; QoS0Queued is its current depth.
	QoS0Dropped uint64
	QoS0Queued  int
	// Kicks counts sessions ended by Kick.
	Kicks uint64
	// Published counts the appliance's own publishes (Publish).
	Published uint64
	// LogsSuppressed counts refusal log lines dropped by the log rate limit
	// (the refusal itself is still counted above).
	LogsSuppressed uint64
	// ThrottledKeys is the number of addresses and usernames with recent
	// failed logins.
	ThrottledKeys int
	// Mochi's own counters.
	BytesReceived   int64
	BytesSent       int64
	PacketsReceived int64
	PacketsSent     int64
	// OutboundDropped counts messages dropped because a subscriber's
	// outbound queue or inflight store was full.
	OutboundDropped int64
	Retained        int64
	Subscriptions   int64
}

// counters are the broker's own statistics, updated lock-free except the
// refusal map (refusals are rare, and a map keeps the reasons open-ended).
type counters struct {
	connects, disconnects, panics        atomic.Uint64
	accepted, rejected, commitFailures   atomic.Uint64
	qos0Dropped, kicks, published, quiet atomic.Uint64
	connections                          atomic.Int64

	mu       sync.Mutex
	refusals map[string]uint64
}

func newCounters() *counters {
	return &counters{refusals: map[string]uint64{}}
}

// refused counts one refusal for reason.
func (c *counters) refused(reason string) {
	c.mu.Lock()
	c.refusals[reason]++
	c.mu.Unlock()
}

// Stats returns a snapshot of the broker's counters.
func (s *Server) Stats() Stats {
	c := s.stats
	c.mu.Lock()
	refusals := maps.Clone(c.refusals)
	c.mu.Unlock()
	info := s.mochi.Info.Clone()
	return Stats{
		ClientsConnected: info.ClientsConnected,
		Connections:      c.connections.Load(),
		Connects:         c.connects.Load(),
		Disconnects:      c.disconnects.Load(),
		Refusals:         refusals,
		PanicsRecovered:  c.panics.Load(),
		MessagesAccepted: c.accepted.Load(),
		MessagesRejected: c.rejected.Load(),
		CommitFailures:   c.commitFailures.Load(),
		QoS0Dropped:      c.qos0Dropped.Load(),
		QoS0Queued:       len(s.async.ch),
		Kicks:            c.kicks.Load(),
		Published:        c.published.Load(),
		LogsSuppressed:   c.quiet.Load(),
		ThrottledKeys:    s.throttle.addr.size() + s.throttle.user.size(),
		BytesReceived:    info.BytesReceived,
		BytesSent:        info.BytesSent,
		PacketsReceived:  info.PacketsReceived,
		PacketsSent:      info.PacketsSent,
		OutboundDropped:  info.MessagesDropped + info.InflightDropped,
		Retained:         info.Retained,
		Subscriptions:    info.Subscriptions,
	}
}
