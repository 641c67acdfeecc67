package telemetry

import (
	"context"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// PruneBatch is how many readings one prune statement deletes: small
// enough that the write lock is held for milliseconds, so ingest and the
// API carry on during a large prune.
const PruneBatch = 5000

// pruneRest is the pause between prune batches, giving other writers the
// database.
const pruneRest = 20 * time.Millisecond

// Prune deletes readings created before cutoff, batch rows per statement
// (≤ 0: PruneBatch), each in its own short transaction, until none are
// left or ctx ends. It returns how many it deleted.
func Prune(ctx context.Context, app core.App, cutoff time.Time, batch int) (int64, error) {
	if batch <= 0 {
		batch = PruneBatch
	}
	before := types.NowDateTime()
	if dt, err := types.ParseDateTime(cutoff); err == nil {
		before = dt
	}
	q := app.NonconcurrentDB().NewQuery(
		"DELETE FROM readings WHERE rowid IN (SELECT rowid FROM readings WHERE created < {:before} ORDER BY created LIMIT {:n})").
		Bind(dbx.Params{"before": before.String(), "n": batch})
	var total int64
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		res, err := q.Execute()
		if err != nil {
			return total, fmt.Errorf("prune readings before %s: %w", before, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, fmt.Errorf("prune readings: %w", err)
		}
		total += n
		if n < int64(batch) {
			return total, nil
		}
		select {
		case <-ctx.Done():
			return total, ctx.Err()
		case <-time.After(pruneRest):
		}
	}
}

// PruneOlderThan deletes readings older than days days (≤ 0: keeps all).
func PruneOlderThan(ctx context.Context, app core.App, days int, now time.Time) (int64, error) {
	if days <= 0 {
		return 0, nil
	}
	return Prune(ctx, app, now.AddDate(0, 0, -days), 0)
}
