package telemetry

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

// deviceColumns are the columns Sync reads (see deviceRow).
const deviceColumns = "id, client_id, kind, token_hash, disabled, elder, household, parking_space, " +
	"COALESCE(publish_topics, '') AS publish_topics, COALESCE(subscribe_topics, '') AS subscribe_topics"

// fullSyncEvery: every so many Sync calls read the whole table even when
// its fingerprint did not change.
const fullSyncEvery = 20

// touch records a hook change to a record; d.mu is held.
func (d *Directory) touch(id string) {
	d.gen++
	d.touched[id] = d.gen
}

// Sync brings the directory up to date with the devices table, for
// changes that no record hook of this process saw: a device added,
// disabled or given a new token with the `fengqiao device` commands while
// the appliance runs, or by any other tool. Changes are applied as hooks
// apply them (kicking where due); a record a hook changed while Sync was
// reading is left as the hook set it. When nothing changed it costs one
// aggregate query; a full read of 10,000 devices takes some 30 ms.
func (d *Directory) Sync(app core.App) error {
	// Nothing to do unless a device was added, deleted, disabled or edited
	// (presence updates leave "updated" alone): one aggregate instead of
	// every row. Every fullSyncEvery calls it reads every row anyway, for
	// an edit that kept the latest "updated" (two in one millisecond).
	var fp struct {
		N        int    `db:"n"`
		Disabled int    `db:"disabled"`
		Updated  string `db:"updated"`
	}
	if err := app.ConcurrentDB().NewQuery("SELECT COUNT(*) AS n, COALESCE(SUM(disabled), 0) AS disabled, " +
		"COALESCE(MAX(updated), '') AS updated FROM devices").One(&fp); err != nil {
		return fmt.Errorf("sync device directory: %w", err)
	}
	fingerprint := fmt.Sprintf("%d/%d/%s", fp.N, fp.Disabled, fp.Updated)
	d.mu.Lock()
	start := d.gen
	d.syncs++
	unchanged := d.synced && fingerprint == d.fingerprint && d.syncs%fullSyncEvery != 0
	d.mu.Unlock()
	if unchanged {
		return nil
	}

	var rows []deviceRow
	if err := app.ConcurrentDB().NewQuery("SELECT " + deviceColumns + " FROM devices").All(&rows); err != nil {
		return fmt.Errorf("sync device directory: %w", err)
	}

	var kicks []*kickOrder
	d.mu.Lock()
	seen := make(map[string]struct{}, len(rows))
	for _, r := range rows {
		seen[r.ID] = struct{}{}
		if d.touched[r.ID] > start {
			continue
		}
		cur := d.byRecord[r.ID]
		e, ok := entryOf(r)
		if (cur == nil && !ok) || (cur != nil && ok && same(cur, e)) {
			continue
		}
		if k := d.putLocked(r); k != nil {
			kicks = append(kicks, k)
		}
	}
	for id := range d.byRecord {
		if _, ok := seen[id]; !ok && d.touched[id] <= start {
			if k := d.removeLocked(id); k != nil {
				kicks = append(kicks, k)
			}
		}
	}
	// Hook changes up to start are in the snapshot just read.
	for id, g := range d.touched {
		if g <= start {
			delete(d.touched, id)
		}
	}
	d.synced, d.fingerprint = true, fingerprint
	kicker := d.kicker
	d.mu.Unlock()
	for _, k := range kicks {
		d.kick(kicker, k)
	}
	return nil
}
