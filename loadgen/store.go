package loadgen

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"time"

	_ "modernc.org/sqlite" // the appliance's own SQLite driver, read-only here
)

// storedSeqs reads, from the appliance's data.db (read-only), the
// sequence numbers of the run's messages that are stored as readings, by
// client id. Rows become visible before their PUBACK is sent, so no wait
// is needed after the last acknowledgement.
func storedSeqs(ctx context.Context, dbPath, run string, since time.Time) (seqSet, int64, error) {
	dsn := "file:" + (&url.URL{Path: dbPath}).EscapedPath() + "?mode=ro&_pragma=busy_timeout(10000)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, 0, fmt.Errorf("open %s: %w", dbPath, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT d.client_id, CAST(json_extract(r.data, '$.seq') AS INTEGER)
		FROM readings r JOIN devices d ON d.id = r.device
		WHERE r.created >= ? AND json_extract(r.data, '$.run') = ?`,
		since.Add(-5*time.Second).UTC().Format("2006-01-02 15:04:05.000Z"), run)
	if err != nil {
		return nil, 0, fmt.Errorf("count stored readings: %w", err)
	}
	defer rows.Close()
	set := seqSet{}
	var n int64
	for rows.Next() {
		var id string
		var seq int64
		if err := rows.Scan(&id, &seq); err != nil {
			return nil, 0, fmt.Errorf("read stored readings: %w", err)
		}
		if seq > 0 && seq <= 1<<32-1 {
			set.add(id, uint32(seq))
			n++
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("read stored readings: %w", err)
	}
	return set, n, nil
}
