package pb_migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// readings loses its (device, created) index. Readings are written at
// ingest rate, and every index is one more B-tree insert per row: the
// primary key (ids grow with time, see telemetry/ids.go) and created only
// ever append at their right edge, but an index that starts with device
// puts each row on its device's leaf, so a batch of N devices dirties N
// pages that the commit writes to the WAL in full (4 KiB for a ~150-byte
// row). Measured with `fengqiao bench` (100 devices, QoS 1): 10.2k msgs/s
// stored with the index, 25.3k without.
//
// Nothing in the appliance reads readings by device: the alarm engine's
// replay and count() warm-up, the retention prune and the bench all select
// by created (idx_readings_created, kept). What a device index served were
// ad-hoc API filters (?filter=device='…', which now walk idx_readings_created
// newest first) and PocketBase's cascade when a device is deleted
// (readings.device = ?, now a scan of the table: about 0.1 s per million
// readings, once per 4,000 readings of that device, and rare).
func init() {
	m.Register(func(app core.App) error {
		return setReadingsIndex(app, false)
	}, func(app core.App) error {
		return setReadingsIndex(app, true)
	})
}

const readingsDeviceIndex = "idx_readings_device"

func setReadingsIndex(app core.App, withDevice bool) error {
	c, err := app.FindCollectionByNameOrId("readings")
	if err != nil {
		return fmt.Errorf("find readings: %w", err)
	}
	has := c.GetIndex(readingsDeviceIndex) != ""
	switch {
	case withDevice && !has:
		c.AddIndex(readingsDeviceIndex, false, "device, created", "")
	case !withDevice && has:
		c.RemoveIndex(readingsDeviceIndex)
	default:
		return nil
	}
	return saveCollection(app, c)
}
