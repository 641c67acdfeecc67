package telemetry

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"slices"
	"sync"

	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/broker"
	"github.com/fengqiao/fengqiao/model"
)

// Kicker disconnects a connected client; the broker's server implements
// it. Kick must not block for long: it is called from record hooks.
type Kicker interface {
	Kick(clientID, reason string)
}

// Entry is what the directory knows about one enabled device.
type Entry struct {
	RecordID     string
	ClientID     string
	Kind         string
	Elder        string
	Household    string
	ParkingSpace string
	Integration  bool
	Publish      []string
	Subscribe    []string
	hash         [sha256.Size]byte
}

// Account is the broker's view of the entry.
func (e *Entry) Account() broker.Account {
	return broker.Account{ID: e.ClientID, Kind: e.Kind, Integration: e.Integration,
		Publish: e.Publish, Subscribe: e.Subscribe}
}

// Directory is the in-memory device directory: client id → device. It
// implements broker.Authenticator without I/O on the connect path; the
// appliance loads it at start and record hooks keep it fresh through Put
// and Remove. Disabled devices and devices without a token are absent,
// hence refused.
type Directory struct {
	logger *slog.Logger

	mu       sync.RWMutex
	byClient map[string]*Entry
	byRecord map[string]*Entry
	kicker   Kicker
	// gen counts hook changes; touched holds the gen of each record's
	// latest, so Sync never undoes a change newer than its snapshot.
	gen     uint64
	touched map[string]uint64
	// synced and fingerprint (device count and latest edit) let Sync skip
	// the full read when the table has not changed.
	synced      bool
	fingerprint string
	syncs       int
}

var _ broker.Authenticator = (*Directory)(nil)

// NewDirectory returns an empty directory.
func NewDirectory(logger *slog.Logger) *Directory {
	if logger == nil {
		logger = slog.Default()
	}
	return &Directory{logger: logger, byClient: map[string]*Entry{}, byRecord: map[string]*Entry{},
		touched: map[string]uint64{}}
}

// SetKicker sets who disconnects devices that are disabled, deleted or
// get a new token. Until it is set, such devices are only refused.
func (d *Directory) SetKicker(k Kicker) {
	d.mu.Lock()
	d.kicker = k
	d.mu.Unlock()
}

// Load reads the whole devices table into the directory (at start); it
// is a Sync that does not trust the table's fingerprint.
func (d *Directory) Load(app core.App) error {
	d.mu.Lock()
	d.synced = false
	d.mu.Unlock()
	return d.Sync(app)
}

// Len returns how many devices may log in.
func (d *Directory) Len() int {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return len(d.byClient)
}

// Lookup returns the entry of an enabled device by client id.
func (d *Directory) Lookup(clientID string) (*Entry, bool) {
	d.mu.RLock()
	e, ok := d.byClient[clientID]
	d.mu.RUnlock()
	return e, ok
}

// dummyHash keeps the time of a refusal for an unknown client id the same
// as for a wrong token.
var dummyHash [sha256.Size]byte

// Authenticate checks a device's token against the stored SHA-256 in
// constant time.
func (d *Directory) Authenticate(clientID string, token []byte) (broker.Account, bool) {
	sum := sha256.Sum256(token)
	e, ok := d.Lookup(clientID)
	want := dummyHash
	if ok {
		want = e.hash
	}
	if subtle.ConstantTimeCompare(sum[:], want[:]) != 1 || !ok {
		return broker.Account{}, false
	}
	return e.Account(), true
}

// Put applies a created or updated devices record (from a record hook).
// A device that is now disabled, lost its token, got a new token or a new
// client id is kicked off under its old identity.
func (d *Directory) Put(r *core.Record) {
	row := rowOf(model.AsDevice(r))
	d.mu.Lock()
	d.touch(row.ID)
	k := d.putLocked(row)
	kicker := d.kicker
	d.mu.Unlock()
	d.kick(kicker, k)
}

// Remove forgets a deleted devices record (from a record hook) and kicks
// the device.
func (d *Directory) Remove(r *core.Record) {
	d.mu.Lock()
	d.touch(r.Id)
	k := d.removeLocked(r.Id)
	kicker := d.kicker
	d.mu.Unlock()
	d.kick(kicker, k)
}

// kickOrder is a device to disconnect, and why.
type kickOrder struct{ clientID, reason string }

// putLocked applies a row; d.mu is held. It returns whom to kick.
func (d *Directory) putLocked(r deviceRow) *kickOrder {
	e, ok := entryOf(r)
	old := d.byRecord[r.ID]
	if old != nil {
		delete(d.byClient, old.ClientID)
		delete(d.byRecord, r.ID)
	}
	if ok {
		d.byClient[e.ClientID] = e
		d.byRecord[e.RecordID] = e
	}
	if old == nil {
		return nil
	}
	switch {
	case !ok && r.Disabled:
		return &kickOrder{old.ClientID, "device disabled"}
	case !ok:
		return &kickOrder{old.ClientID, "device has no token"}
	case old.ClientID != e.ClientID:
		return &kickOrder{old.ClientID, "client id changed"}
	case old.hash != e.hash:
		return &kickOrder{old.ClientID, "token changed"}
	}
	return nil
}

// removeLocked forgets a record; d.mu is held.
func (d *Directory) removeLocked(id string) *kickOrder {
	old := d.byRecord[id]
	if old == nil {
		return nil
	}
	delete(d.byClient, old.ClientID)
	delete(d.byRecord, id)
	return &kickOrder{old.ClientID, "device deleted"}
}

func (d *Directory) kick(k Kicker, o *kickOrder) {
	if o == nil {
		return
	}
	d.logger.Info("device access revoked", slog.String("device", o.clientID), slog.String("reason", o.reason))
	if k != nil {
		k.Kick(o.clientID, o.reason)
	}
}

// deviceRow is the part of a devices record the directory needs.
type deviceRow struct {
	ID           string `db:"id"`
	ClientID     string `db:"client_id"`
	Kind         string `db:"kind"`
	TokenHash    string `db:"token_hash"`
	Disabled     bool   `db:"disabled"`
	Elder        string `db:"elder"`
	Household    string `db:"household"`
	ParkingSpace string `db:"parking_space"`
	Publish      string `db:"publish_topics"`
	Subscribe    string `db:"subscribe_topics"`
}

// rowOf reads a record into a deviceRow.
func rowOf(dev *model.Device) deviceRow {
	return deviceRow{ID: dev.Id, ClientID: dev.ClientID(), Kind: dev.Kind(), TokenHash: dev.TokenHash(),
		Disabled: dev.Disabled(), Elder: dev.Elder(), Household: dev.Household(), ParkingSpace: dev.ParkingSpace(),
		Publish: dev.GetString("publish_topics"), Subscribe: dev.GetString("subscribe_topics")}
}

// entryOf builds the entry of a device that may log in; false for a
// disabled device or one without a valid token hash.
func entryOf(r deviceRow) (*Entry, bool) {
	if r.Disabled || r.ClientID == "" {
		return nil, false
	}
	raw, err := hex.DecodeString(r.TokenHash)
	if err != nil || len(raw) != sha256.Size {
		return nil, false
	}
	e := &Entry{RecordID: r.ID, ClientID: r.ClientID, Kind: r.Kind, Elder: r.Elder, Household: r.Household,
		ParkingSpace: r.ParkingSpace, Integration: slices.Contains(model.IntegrationKinds, r.Kind)}
	if e.Integration {
		e.Publish, e.Subscribe = topicList(r.Publish), topicList(r.Subscribe)
	}
	copy(e.hash[:], raw)
	return e, true
}

// topicList reads a JSON list of topic filters; anything else is none.
func topicList(s string) []string {
	var out []string
	if s == "" || json.Unmarshal([]byte(s), &out) != nil {
		return nil
	}
	return out
}

// same reports whether two entries grant the same access.
func same(a, b *Entry) bool {
	return a.RecordID == b.RecordID && a.ClientID == b.ClientID && a.Kind == b.Kind && a.hash == b.hash &&
		a.Elder == b.Elder && a.Household == b.Household && a.ParkingSpace == b.ParkingSpace &&
		slices.Equal(a.Publish, b.Publish) && slices.Equal(a.Subscribe, b.Subscribe)
}
