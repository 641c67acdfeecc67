package hooks

import (
	"sync"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/fengqiao/fengqiao/model"
)

// The staff payload expands the board's relations (model.AlarmBoardExpand)
// once per alarm change. Elders, households, grids and users change seldom
// and only through saves (record hooks), so the feed keeps the ones it
// expanded and forgets each after its next change; a device changes with
// every message it sends (the ingest pipeline writes it directly, without
// hooks), so it is read from the database each time, as PocketBase would.

// expandCached are the collections whose records the feed keeps.
var expandCached = []string{model.CollectionElders, model.CollectionHouseholds, model.CollectionGrids, model.CollectionUsers}

// expandCacheMax bounds the cache; past it, it starts over.
const expandCacheMax = 10_000

// expandCache holds expanded records by collection and id.
type expandCache struct {
	mu      sync.Mutex
	records map[string]*core.Record // collection name + "/" + id
	// gen counts forgets: a record read from the database is kept only if
	// nothing was forgotten while it was being read (it may be older).
	gen uint64
}

func newExpandCache() *expandCache { return &expandCache{records: map[string]*core.Record{}} }

// bind forgets a record after each change of it, and everything after a
// change of a collection's schema.
func (x *expandCache) bind(app core.App) {
	forget := func(e *core.RecordEvent) error {
		x.forget(e.Record.Collection().Name + "/" + e.Record.Id)
		return e.Next()
	}
	app.OnRecordAfterUpdateSuccess(expandCached...).Bind(&hook.Handler[*core.RecordEvent]{Id: "fengqiaoAlarmFeedExpandUpdate", Func: forget})
	app.OnRecordAfterDeleteSuccess(expandCached...).Bind(&hook.Handler[*core.RecordEvent]{Id: "fengqiaoAlarmFeedExpandDelete", Func: forget})
	app.OnCollectionAfterUpdateSuccess().Bind(&hook.Handler[*core.CollectionEvent]{
		Id: "fengqiaoAlarmFeedExpandSchema",
		Func: func(e *core.CollectionEvent) error {
			x.forget("")
			return e.Next()
		},
	})
}

// forget drops one record ("" drops all).
func (x *expandCache) forget(key string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.gen++
	if key == "" {
		clear(x.records)
		return
	}
	delete(x.records, key)
}

// fetch is a core.ExpandFetchFunc with no access check (the staff payload
// is for those who may see every related record) that serves the cached
// collections from memory. It returns copies: the caller may change them.
func (x *expandCache) fetch(app core.App) core.ExpandFetchFunc {
	return func(col *core.Collection, ids []string) ([]*core.Record, error) {
		cached := false
		for _, name := range expandCached {
			cached = cached || col.Name == name
		}
		if !cached {
			return app.FindRecordsByIds(col.Id, ids)
		}
		out := make([]*core.Record, 0, len(ids))
		var missing []string
		x.mu.Lock()
		gen := x.gen
		for _, id := range ids {
			if r, ok := x.records[col.Name+"/"+id]; ok {
				out = append(out, r.Fresh())
			} else {
				missing = append(missing, id)
			}
		}
		x.mu.Unlock()
		if len(missing) == 0 {
			return out, nil
		}
		found, err := app.FindRecordsByIds(col.Id, missing)
		if err != nil {
			return nil, err
		}
		x.mu.Lock()
		if x.gen == gen {
			if len(x.records)+len(found) > expandCacheMax {
				clear(x.records)
			}
			for _, r := range found {
				x.records[col.Name+"/"+r.Id] = r.Fresh()
			}
		}
		x.mu.Unlock()
		return append(out, found...), nil
	}
}
