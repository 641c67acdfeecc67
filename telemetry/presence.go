package telemetry

import (
	"maps"
	"sync"
	"time"
)

// devDelta is what happened to one device since the last flush: the
// latest value of each field and the counts to add.
type devDelta struct {
	clientID  string
	onlineSet bool
	online    bool
	remote    string
	seen      time.Time
	battery   int
	hasBatt   bool
	state     map[string]any // telemetry keys, latest value each
	errMsg    string
	errAt     time.Time
	messages  int
	dropped   int
	since     uint64 // order in which devices became dirty: the oldest flush first
}

// spaceDelta is the latest occupancy a parking sensor reported.
type spaceDelta struct {
	occupied bool
	at       time.Time
	since    uint64
}

// presence coalesces device state per device (and parking occupancy per
// space) in memory; the flusher writes it in batches, so a device that
// sends ten messages a second costs one record update a second at most.
type presence struct {
	mu      sync.Mutex
	devices map[string]*devDelta   // by devices record id
	spaces  map[string]*spaceDelta // by parking_spaces record id
	online  map[string]string      // client id → record id, while connected
	seq     uint64
}

func newPresence() *presence {
	return &presence{devices: map[string]*devDelta{}, spaces: map[string]*spaceDelta{}, online: map[string]string{}}
}

// dev returns the delta of a device, creating it; p.mu is held.
func (p *presence) dev(recordID, clientID string) *devDelta {
	d := p.devices[recordID]
	if d == nil {
		p.seq++
		d = &devDelta{clientID: clientID, since: p.seq}
		p.devices[recordID] = d
	}
	return d
}

// connected records a device coming online or going offline.
func (p *presence) connected(recordID, clientID string, online bool, remote, reason string, at time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if recordID == "" { // an offline event for a device the directory no longer has
		recordID = p.online[clientID]
		if recordID == "" {
			return
		}
	}
	if online {
		p.online[clientID] = recordID
	} else if p.online[clientID] == recordID {
		delete(p.online, clientID)
	}
	d := p.dev(recordID, clientID)
	d.onlineSet, d.online = true, online
	if remote != "" {
		d.remote = remote
	}
	if at.After(d.seen) {
		d.seen = at
	}
	if !online && abnormal(reason) {
		d.errMsg, d.errAt = "offline: "+reason, at
	}
}

// abnormal tells a disconnect worth recording as the device's last error
// (a timeout, a kick, a lost connection, a panic…) from an orderly one:
// a DISCONNECT, the appliance shutting down, the device reconnecting
// elsewhere, or the device saying it goes offline on its status topic.
func abnormal(reason string) bool {
	switch reason {
	case "", "disconnect", "shutdown", "taken over", "status":
		return false
	}
	return true
}

// message records a stored message: last seen, battery, state, counter.
func (p *presence) message(e *Entry, data map[string]any, at time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.messageLocked(e, data, at)
}

func (p *presence) messageLocked(e *Entry, data map[string]any, at time.Time) {
	d := p.dev(e.RecordID, e.ClientID)
	d.messages++
	if at.After(d.seen) {
		d.seen = at
	}
	if data == nil {
		return
	}
	if b, ok := data["battery"].(float64); ok && b >= 0 && b <= 100 {
		d.battery, d.hasBatt = int(b+0.5), true
	}
	if d.state == nil {
		d.state = make(map[string]any, len(data))
	}
	maps.Copy(d.state, data)
	if occ, ok := data["occupied"].(bool); ok && e.ParkingSpace != "" {
		s := p.spaces[e.ParkingSpace]
		if s == nil {
			p.seq++
			s = &spaceDelta{since: p.seq}
			p.spaces[e.ParkingSpace] = s
		}
		s.occupied, s.at = occ, at
	}
}

// bad records an undecodable payload: its reason becomes the device's
// last error, and it counts as dropped unless it is stored anyway.
func (p *presence) bad(e *Entry, msg string, at time.Time, dropped bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := p.dev(e.RecordID, e.ClientID)
	if dropped {
		d.dropped++
	}
	d.errMsg, d.errAt = msg, at
	if at.After(d.seen) {
		d.seen = at
	}
}

// touch records that the device was heard from (a status message).
func (p *presence) touch(e *Entry, at time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := p.dev(e.RecordID, e.ClientID)
	if at.After(d.seen) {
		d.seen = at
	}
}

// take removes and returns what is pending.
func (p *presence) take() (map[string]*devDelta, map[string]*spaceDelta) {
	p.mu.Lock()
	defer p.mu.Unlock()
	devs, spaces := p.devices, p.spaces
	p.devices, p.spaces = map[string]*devDelta{}, map[string]*spaceDelta{}
	return devs, spaces
}

// putBack returns deltas a flush did not get to; newer deltas recorded
// meanwhile win, counts add up.
func (p *presence) putBack(devs map[string]*devDelta, spaces map[string]*spaceDelta) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for id, old := range devs {
		cur := p.devices[id]
		if cur == nil {
			p.devices[id] = old
			continue
		}
		cur.since = min(cur.since, old.since)
		cur.messages += old.messages
		cur.dropped += old.dropped
		if !cur.onlineSet {
			cur.onlineSet, cur.online = old.onlineSet, old.online
		}
		if cur.remote == "" {
			cur.remote = old.remote
		}
		if old.seen.After(cur.seen) {
			cur.seen = old.seen
		}
		if !cur.hasBatt {
			cur.battery, cur.hasBatt = old.battery, old.hasBatt
		}
		if old.state != nil {
			merged := maps.Clone(old.state)
			maps.Copy(merged, cur.state)
			cur.state = merged
		}
		if cur.errMsg == "" {
			cur.errMsg, cur.errAt = old.errMsg, old.errAt
		}
	}
	for id, old := range spaces {
		if cur := p.spaces[id]; cur != nil {
			cur.since = min(cur.since, old.since)
			continue
		}
		p.spaces[id] = old
	}
}

// pending returns how many devices and spaces wait for a flush.
func (p *presence) pending() (int, int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.devices), len(p.spaces)
}
