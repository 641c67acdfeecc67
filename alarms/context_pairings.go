package alarms

import (
	"github.com/pocketbase/pocketbase/core"
)

// pairing is what the context cache keeps of a volunteer–elder pairing.
type pairing struct {
	volunteer, elder string
	active           bool
}

func pairingOf(r *core.Record) pairing {
	return pairing{volunteer: r.GetString("volunteer"), elder: r.GetString("elder"), active: r.GetBool("active")}
}

// pairIndex answers "is this volunteer actively paired with this elder?"
// without a database read: the alarms view rule asks it for every
// realtime client of every alarm change. Guarded by contextCache.mu.
type pairIndex struct {
	byID map[string]pairing
	// active counts the active pairings per elder and volunteer (the
	// pairings collection has one per pair, but a count stays right even
	// if an edit moves a pairing onto a pair another one holds).
	active map[string]map[string]int
}

func newPairIndex() pairIndex {
	return pairIndex{byID: map[string]pairing{}, active: map[string]map[string]int{}}
}

// put applies a created or updated pairing.
func (x pairIndex) put(id string, p pairing) {
	x.remove(id)
	x.byID[id] = p
	if !p.active || p.elder == "" || p.volunteer == "" {
		return
	}
	vs := x.active[p.elder]
	if vs == nil {
		vs = map[string]int{}
		x.active[p.elder] = vs
	}
	vs[p.volunteer]++
}

// remove forgets a pairing (deleted, or before put replaces it).
func (x pairIndex) remove(id string) {
	old, ok := x.byID[id]
	if !ok {
		return
	}
	delete(x.byID, id)
	vs := x.active[old.elder]
	if !old.active || vs == nil || vs[old.volunteer] == 0 {
		return
	}
	if vs[old.volunteer]--; vs[old.volunteer] == 0 {
		delete(vs, old.volunteer)
	}
	if len(vs) == 0 {
		delete(x.active, old.elder)
	}
}

// paired reports whether volunteer holds an active pairing with elder.
func (x pairIndex) paired(elder, volunteer string) bool {
	return x.active[elder][volunteer] > 0
}

// pairedWith reports whether volunteer (a users id) is actively paired
// with elder; ok is false until the cache has been loaded.
func (c *contextCache) pairedWith(elder, volunteer string) (paired, ok bool) {
	if !c.loaded.Load() {
		return false, false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.pairs.paired(elder, volunteer), true
}
