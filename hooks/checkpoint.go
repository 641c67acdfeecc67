package hooks

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// checkpointEvery is how often the checkpointer copies the write-ahead log
// into the database file. At 10,000 readings a second the log grows by a
// few MB a second; a quarter second keeps it small.
const checkpointEvery = 250 * time.Millisecond

// dataPragmas are PocketBase's own (core.DefaultDBConnect), plus
// wal_autocheckpoint(0) for data.db. SQLite otherwise checkpoints inside
// whichever commit pushes the log past 1,000 pages: that commit (often
// the one carrying an SOS) waits for the database file to be written and
// synced, tens of milliseconds. The checkpointer does it beside the
// writers instead.
const dataPragmas = "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=journal_size_limit(200000000)" +
	"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-32000)"

// DBConnect opens PocketBase's databases as core.DefaultDBConnect does,
// with data.db's checkpoints left to the checkpointer (bindCheckpointer).
// Other databases (auxiliary logs) keep SQLite's automatic checkpoints.
func DBConnect(dbPath string) (*dbx.DB, error) {
	if filepath.Base(dbPath) != "data.db" {
		return core.DefaultDBConnect(dbPath)
	}
	db, err := dbx.Open("sqlite", dbPath+dataPragmas+"&_pragma=wal_autocheckpoint(0)")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dbPath, err)
	}
	return db, nil
}

// checkpointer runs passive checkpoints of data.db from a reader
// connection: they copy what no reader still needs and never wait for, or
// hold up, a writer. It runs whether or not DBConnect opened the database
// (a passive checkpoint is harmless beside automatic ones).
type checkpointer struct {
	once sync.Once
	stop context.CancelFunc
	done chan struct{}
}

// bindCheckpointer starts the checkpointer once the app serves and stops
// it (with a last checkpoint) when the app terminates.
func bindCheckpointer(app core.App, _ Config) error {
	c := &checkpointer{done: make(chan struct{})}
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "fengqiaoCheckpointer",
		Func: func(e *core.ServeEvent) error {
			c.once.Do(func() {
				ctx, cancel := context.WithCancel(context.Background())
				c.stop = cancel
				go c.run(ctx, e.App)
			})
			return e.Next()
		},
	})
	app.OnTerminate().Bind(&hook.Handler[*core.TerminateEvent]{
		Id: "fengqiaoCheckpointerStop",
		Func: func(e *core.TerminateEvent) error {
			if c.stop != nil {
				c.stop()
				<-c.done
			}
			return e.Next()
		},
	})
	return nil
}

func (c *checkpointer) run(ctx context.Context, app core.App) {
	defer close(c.done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		_, err := checkpoint(app)
		switch {
		case err != nil && !failing:
			app.Logger().Warn("database checkpoint failed; retrying", slog.String("error", err.Error()))
		case err == nil && failing:
			app.Logger().Info("database checkpoints resumed")
		}
		failing = err != nil
	}
}

// walCheckpoint is what PRAGMA wal_checkpoint reports: frames in the log
// and frames copied into the database file.
type walCheckpoint struct {
	Busy         int `db:"busy"`
	Log          int `db:"log"`
	Checkpointed int `db:"checkpointed"`
}

// checkpoint copies the write-ahead log into data.db as far as readers
// allow, without waiting.
func checkpoint(app core.App) (walCheckpoint, error) {
	var res walCheckpoint
	if err := app.ConcurrentDB().NewQuery("PRAGMA wal_checkpoint(PASSIVE)").One(&res); err != nil {
		return res, fmt.Errorf("wal checkpoint: %w", err)
	}
	return res, nil
}
