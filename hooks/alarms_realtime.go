package hooks

import (
	"log/slog"
	"sync"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/subscriptions"

	"github.com/fengqiao/fengqiao/alarms"
	"github.com/fengqiao/fengqiao/model"
)

// The alarm feed: realtime topic model.TopicAlarms ("fengqiao/alarms").
//
// PocketBase's record subscriptions (alarms/*) check the alarms view rule,
// a database query with a join on pairings, for each subscribed client in
// turn: ~0.2 ms each, so 50 dashboards wait ~10 ms for an SOS. The feed
// decides in memory instead (alarms.Engine.CanView, from the client's auth
// record and the engine's context cache; hooks/alarms_realtime_rule_test.go
// holds it to PocketBase's own check of the rule), builds each payload
// once, and hands it to a per-client queue, so the broadcast neither
// queries per client nor waits for a slow one. It runs after the commit
// (OnRecordAfter…Success), never inside the transaction.

// bindAlarmsRealtime binds the feed: alarm changes to broadcast and the
// subscription registry. The pairings the volunteers' check needs are in
// the engine's context cache (bindAlarmFollowers).
func bindAlarmsRealtime(app core.App, _ Config) error {
	f := &alarmFeed{subscribers: map[string]subscriptions.Client{}, expand: newExpandCache()}
	app.Store().Set(storeKeyAlarmFeed, f)
	f.expand.bind(app)
	broadcast := func(action string) func(e *core.RecordEvent) error {
		return func(e *core.RecordEvent) error {
			f.broadcast(e.App, action, e.Record)
			return e.Next()
		}
	}
	app.OnRecordAfterCreateSuccess(model.CollectionAlarms).Bind(&hook.Handler[*core.RecordEvent]{
		Id: "fengqiaoAlarmFeedCreate", Func: broadcast("create")})
	app.OnRecordAfterUpdateSuccess(model.CollectionAlarms).Bind(&hook.Handler[*core.RecordEvent]{
		Id: "fengqiaoAlarmFeedUpdate", Func: broadcast("update")})
	app.OnRecordAfterDeleteSuccess(model.CollectionAlarms).Bind(&hook.Handler[*core.RecordEvent]{
		Id: "fengqiaoAlarmFeedDelete", Func: broadcast("delete")})

	app.OnRealtimeSubscribeRequest().Bind(&hook.Handler[*core.RealtimeSubscribeRequestEvent]{
		Id: "fengqiaoAlarmFeedSubscribe",
		Func: func(e *core.RealtimeSubscribeRequestEvent) error {
			if err := e.Next(); err != nil {
				return err
			}
			f.follow(e.Client)
			return nil
		},
	})
	app.OnRealtimeConnectRequest().Bind(&hook.Handler[*core.RealtimeConnectRequestEvent]{
		Id: "fengqiaoAlarmFeedConnect",
		Func: func(e *core.RealtimeConnectRequestEvent) error {
			err := e.Next() // returns when the connection ends
			f.drop(e.Client)
			return err
		},
	})
	return nil
}

// alarmFeed is the feed's state: the clients subscribed to the topic.
type alarmFeed struct {
	mu          sync.Mutex
	subscribers map[string]subscriptions.Client // client id → client
	queues      sync.Mutex                      // serialises queue creation
	expand      *expandCache                    // related records of the staff payload
}

// storeKeyAlarmFeed holds the app's alarm feed.
const storeKeyAlarmFeed = "fengqiao.alarmFeed"

// feedPrefix matches the topic with or without subscription options, the
// way PocketBase matches its own topics (Client.Subscriptions).
const feedPrefix = model.TopicAlarms + "?"

// follow records whether a client is subscribed to the feed after it
// (re)set its subscriptions.
func (f *alarmFeed) follow(c subscriptions.Client) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(c.Subscriptions(feedPrefix)) > 0 && !c.IsDiscarded() {
		f.subscribers[c.Id()] = c
	} else {
		delete(f.subscribers, c.Id())
	}
}

// drop forgets a client whose connection ended and stops its queue.
func (f *alarmFeed) drop(c subscriptions.Client) {
	f.mu.Lock()
	delete(f.subscribers, c.Id())
	f.mu.Unlock()
	if q, ok := c.Get(feedQueueKey).(*feedQueue); ok {
		q.close()
	}
}

// snapshot lists the subscribed clients.
func (f *alarmFeed) snapshot() []subscriptions.Client {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]subscriptions.Client, 0, len(f.subscribers))
	for _, c := range f.subscribers {
		out = append(out, c)
	}
	return out
}

// broadcast sends one alarm change to every subscriber who may see it.
func (f *alarmFeed) broadcast(app core.App, action string, record *core.Record) {
	clients := f.snapshot()
	if len(clients) == 0 {
		return
	}
	eng := alarmEngine(app)
	if eng == nil {
		return
	}
	rec := record.Fresh() // the committed state, as PocketBase sends it
	scope := alarms.ScopeOf(rec)
	msg := newAlarmPayloads(app, action, rec, f.expand.fetch(app))
	for _, c := range clients {
		subs := c.Subscriptions(feedPrefix)
		if len(subs) == 0 || c.IsDiscarded() {
			continue
		}
		v := viewerOf(c)
		ok, err := eng.CanView(v, scope)
		if err != nil {
			app.Logger().Error("alarm feed: access check failed", slog.String("client", c.Id()),
				slog.String("alarm", rec.Id), slog.String("error", err.Error()))
			continue
		}
		if !ok {
			continue
		}
		data, err := msg.forViewer(v)
		if err != nil {
			app.Logger().Error("alarm feed: payload", slog.String("alarm", rec.Id), slog.String("error", err.Error()))
			return
		}
		q := f.queueOf(c)
		if q == nil {
			continue
		}
		for sub := range subs {
			if !q.push(subscriptions.Message{Name: sub, Data: data}) {
				f.overflow(app, c, q)
				break
			}
		}
	}
}

// viewerKey caches a client's Viewer with the auth record it was read
// from: PocketBase replaces the record (never edits it) when the user
// changes, so a new pointer means a new Viewer.
const viewerKey = "fengqiao.alarmFeedViewer"

type cachedViewer struct {
	auth *core.Record
	v    alarms.Viewer
}

// viewerOf is the client's Viewer, from the auth record PocketBase keeps
// on it (apis.RealtimeClientAuthKey; nil for a guest).
func viewerOf(c subscriptions.Client) alarms.Viewer {
	auth, _ := c.Get(apis.RealtimeClientAuthKey).(*core.Record)
	if cv, ok := c.Get(viewerKey).(cachedViewer); ok && cv.auth == auth {
		return cv.v
	}
	v := alarms.ViewerOf(auth)
	c.Set(viewerKey, cachedViewer{auth: auth, v: v})
	return v
}
