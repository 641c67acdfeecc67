package alarms

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/rules"
)

// Collections the context cache follows.
var contextCollections = []string{model.CollectionDevices, model.CollectionElders, model.CollectionHouseholds,
	model.CollectionBuildings, model.CollectionGrids, model.CollectionPairings}

type deviceInfo struct {
	dev                       rules.Device
	elder, household, parking string
	disabled                  bool
}

type elderInfo struct {
	elder     rules.Elder
	birthYear int
	household string
}

type householdInfo struct {
	household rules.Household
	building  string
}

type buildingInfo struct{ name, grid string }

// contextCache is what the engine knows about devices and where they are:
// device → elder → household → building → grid, and which volunteers are
// actively paired with each elder (context_pairings.go). It is loaded at
// start and kept fresh by record hooks (Put, Remove), so building a rule's
// Env, or deciding who may see an alarm, costs no database read. Safe for
// concurrent use.
type contextCache struct {
	mu         sync.RWMutex
	devices    map[string]*deviceInfo
	byClient   map[string]string // client id → device record id
	elders     map[string]*elderInfo
	households map[string]*householdInfo
	buildings  map[string]buildingInfo
	grids      map[string]rules.Grid
	pairs      pairIndex
	// loaded is set once load has filled the cache from the database.
	loaded atomic.Bool
}

func newContextCache() *contextCache {
	return &contextCache{devices: map[string]*deviceInfo{}, byClient: map[string]string{},
		elders: map[string]*elderInfo{}, households: map[string]*householdInfo{},
		buildings: map[string]buildingInfo{}, grids: map[string]rules.Grid{}, pairs: newPairIndex()}
}

// load replaces the cache with the database's records. The lock is held
// while reading, so a hook's Put waits rather than being overwritten by an
// older snapshot.
func (c *contextCache) load(app core.App) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	fresh := newContextCache()
	for _, name := range contextCollections {
		records, err := app.FindAllRecords(name)
		if err != nil {
			return fmt.Errorf("load %s: %w", name, err)
		}
		for _, r := range records {
			fresh.putLocked(r)
		}
	}
	c.devices, c.byClient, c.elders = fresh.devices, fresh.byClient, fresh.elders
	c.households, c.buildings, c.grids = fresh.households, fresh.buildings, fresh.grids
	c.pairs = fresh.pairs
	c.loaded.Store(true)
	return nil
}

// Put applies a created or updated record of one of the followed
// collections; it reports the device's previous state (nil if new or not
// a device).
func (c *contextCache) put(r *core.Record) (before *deviceInfo) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r.Collection().Name == model.CollectionDevices {
		if old := c.devices[r.Id]; old != nil {
			cp := *old
			before = &cp
		}
	}
	c.putLocked(r)
	return before
}

func (c *contextCache) putLocked(r *core.Record) {
	switch r.Collection().Name {
	case model.CollectionDevices:
		if old := c.devices[r.Id]; old != nil {
			delete(c.byClient, old.dev.ClientID)
		}
		d := deviceOf(r)
		c.devices[r.Id] = d
		c.byClient[d.dev.ClientID] = r.Id
	case model.CollectionElders:
		c.elders[r.Id] = elderOf(r)
	case model.CollectionHouseholds:
		c.households[r.Id] = householdOf(r)
	case model.CollectionBuildings:
		c.buildings[r.Id] = buildingInfo{name: r.GetString("name"), grid: r.GetString("grid")}
	case model.CollectionGrids:
		c.grids[r.Id] = rules.Grid{ID: r.Id, Code: r.GetString("code"), Name: r.GetString("name")}
	case model.CollectionPairings:
		c.pairs.put(r.Id, pairingOf(r))
	}
}

// remove forgets a deleted record.
func (c *contextCache) remove(r *core.Record) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch r.Collection().Name {
	case model.CollectionDevices:
		if old := c.devices[r.Id]; old != nil {
			delete(c.byClient, old.dev.ClientID)
		}
		delete(c.devices, r.Id)
	case model.CollectionElders:
		delete(c.elders, r.Id)
	case model.CollectionHouseholds:
		delete(c.households, r.Id)
	case model.CollectionBuildings:
		delete(c.buildings, r.Id)
	case model.CollectionGrids:
		delete(c.grids, r.Id)
	case model.CollectionPairings:
		c.pairs.remove(r.Id)
	}
}

// subject fills env's device, elder, household and grid for a device
// record id; false when the device is unknown. A device without an id
// (schedule rules without device kinds) leaves them empty.
func (c *contextCache) subject(env *rules.Env, deviceID string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if deviceID == "" {
		return true
	}
	d := c.devices[deviceID]
	if d == nil {
		return false
	}
	env.Device = d.dev
	c.placeLocked(env, d.elder, d.household)
	return true
}

// placeLocked fills the elder, household and grid from an elder id and a
// household id (the elder's household when the device names none).
func (c *contextCache) placeLocked(env *rules.Env, elderID, householdID string) {
	if e := c.elders[elderID]; e != nil {
		env.Elder = e.elder
		if e.birthYear > 0 {
			env.Elder.Age = env.Now.Year() - e.birthYear
		}
		if householdID == "" {
			householdID = e.household
		}
	}
	h := c.households[householdID]
	if h == nil {
		return
	}
	env.Household = h.household
	b, ok := c.buildings[h.building]
	if !ok {
		return
	}
	env.Household.Building = b.name
	env.Grid = c.grids[b.grid]
}

// touch records that a device was heard from at t (and its battery),
// as the pipeline will save it a moment later. Online is left as the
// record says: its changes are presence events (ObserveRecord).
func (c *contextCache) touch(deviceID string, t time.Time, payload map[string]any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := c.devices[deviceID]
	if d == nil {
		return
	}
	if t.After(d.dev.LastSeen) {
		d.dev.LastSeen = t
	}
	if b, ok := payload["battery"].(float64); ok && b >= 0 && b <= 100 {
		d.dev.Battery = int(b)
	}
}

// deviceID resolves a client id or record id to a device record id.
func (c *contextCache) deviceID(idOrClient string) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if _, ok := c.devices[idOrClient]; ok {
		return idOrClient, true
	}
	id, ok := c.byClient[idOrClient]
	return id, ok
}

// devicesOf lists the enabled devices of the given kinds (all when kinds
// is empty), for silence timers and schedule rules.
func (c *contextCache) devicesOf(kinds []string) []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []string
	for id, d := range c.devices {
		if d.disabled {
			continue
		}
		if len(kinds) > 0 && !slices.Contains(kinds, d.dev.Kind) {
			continue
		}
		out = append(out, id)
	}
	return out
}

// devicesOfElder lists the devices that belong to an elder.
func (c *contextCache) devicesOfElder(elderID string) []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []string
	for id, d := range c.devices {
		if d.elder == elderID {
			out = append(out, id)
		}
	}
	return out
}

// ids returns the elder, household and grid record ids of a device, for
// the alarm record (the household falls back to the elder's).
func (c *contextCache) ids(deviceID string) (elder, household, grid string) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	d := c.devices[deviceID]
	if d == nil {
		return "", "", ""
	}
	elder, household = d.elder, d.household
	if household == "" {
		if e := c.elders[elder]; e != nil {
			household = e.household
		}
	}
	if h := c.households[household]; h != nil {
		grid = c.buildings[h.building].grid
	}
	return elder, household, grid
}
