package hooks

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	validation "github.com/go-ozzo/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/fengqiao/fengqiao/alarms"
	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/telemetry"
)

// storeKeyAlarms holds the app's alarm engine; storeKeyMQTTSide the MQTT
// side (broker.go), which the engine asks for the seam's drops and for
// publishing device commands.
const (
	storeKeyAlarms   = "fengqiao.alarms"
	storeKeyMQTTSide = "fengqiao.mqttSide"
)

// alarmEngine returns app's alarm engine (nil before bindAlarms).
func alarmEngine(app core.App) *alarms.Engine {
	eng, _ := app.Store().Get(storeKeyAlarms).(*alarms.Engine)
	return eng
}

// alarmsHandler is the telemetry pipeline's handler: the alarm engine.
func alarmsHandler(app core.App) telemetry.Handler {
	if eng := alarmEngine(app); eng != nil {
		return eng
	}
	return telemetry.NopHandler{}
}

// bindAlarms creates the alarm engine and binds what feeds it: rule and
// policy validation, the record hooks that keep its caches fresh, its
// start after the MQTT side (OnServe) and stop before it (OnTerminate),
// and the alarm endpoints.
func bindAlarms(app core.App, _ Config) error {
	eng := alarms.New(app, alarms.Config{Location: time.Local, Seam: seamStats(app), Publisher: brokerPublisher{app}})
	app.Store().Set(storeKeyAlarms, eng)
	bindRuleChecks(app, eng)
	bindAlarmFollowers(app, eng)
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "fengqiaoAlarms",
		Func: func(e *core.ServeEvent) error {
			if err := eng.Start(); err != nil {
				return err
			}
			bindAlarmRoutes(e)
			return e.Next()
		},
	})
	app.OnTerminate().Bind(&hook.Handler[*core.TerminateEvent]{
		Id: "fengqiaoAlarmsStop",
		Func: func(e *core.TerminateEvent) error {
			if err := eng.Stop(); err != nil {
				e.App.Logger().Error("alarm engine did not stop cleanly", slog.String("error", err.Error()))
			}
			return e.Next()
		},
	})
	return nil
}

// bindRuleChecks refuses broken rules and policies when saved (any way:
// admin UI, API, Go) and keeps the engine's bookkeeping on rules.
func bindRuleChecks(app core.App, eng *alarms.Engine) {
	app.OnRecordValidate(model.CollectionRules).Bind(&hook.Handler[*core.RecordEvent]{
		Id: "fengqiaoRuleValidate",
		Func: func(e *core.RecordEvent) error {
			return mergeValidation(e.Next(), alarms.ValidateRule(e.Record))
		},
	})
	app.OnRecordValidate(model.CollectionEscalationPolicies).Bind(&hook.Handler[*core.RecordEvent]{
		Id: "fengqiaoPolicyValidate",
		Func: func(e *core.RecordEvent) error {
			return mergeValidation(e.Next(), alarms.ValidatePolicy(e.Record))
		},
	})
	// hits, errors, last_error… are the engine's: an edit in the admin UI
	// sends back what it loaded, which must not undo the engine's counts.
	app.OnRecordUpdateRequest(model.CollectionRules).Bind(&hook.Handler[*core.RecordRequestEvent]{
		Id: "fengqiaoRuleBookkeeping",
		Func: func(e *core.RecordRequestEvent) error {
			orig := e.Record.Original()
			for _, f := range model.RuleBookkeeping {
				e.Record.Set(f, orig.Get(f))
			}
			return e.Next()
		},
	})
	reload := func(what string, fn func() error) func(e *core.RecordEvent) error {
		return func(e *core.RecordEvent) error {
			if err := fn(); err != nil {
				e.App.Logger().Error("alarm engine could not reload "+what, slog.String("error", err.Error()))
			}
			return e.Next()
		}
	}
	for i, h := range []*hook.TaggedHook[*core.RecordEvent]{app.OnRecordAfterCreateSuccess(model.CollectionRules),
		app.OnRecordAfterUpdateSuccess(model.CollectionRules), app.OnRecordAfterDeleteSuccess(model.CollectionRules)} {
		h.Bind(&hook.Handler[*core.RecordEvent]{Id: fmt.Sprintf("fengqiaoRulesReload%d", i), Func: reload("rules", eng.ReloadRules)})
	}
	for i, h := range []*hook.TaggedHook[*core.RecordEvent]{app.OnRecordAfterCreateSuccess(model.CollectionEscalationPolicies),
		app.OnRecordAfterUpdateSuccess(model.CollectionEscalationPolicies), app.OnRecordAfterDeleteSuccess(model.CollectionEscalationPolicies)} {
		h.Bind(&hook.Handler[*core.RecordEvent]{Id: fmt.Sprintf("fengqiaoPoliciesReload%d", i), Func: reload("policies", eng.ReloadPolicies)})
	}
}

// bindAlarmFollowers keeps the engine's context cache (devices, elders,
// households, buildings, grids, and the pairings the alarm feed's check of
// volunteers reads) and alarm index fresh after each commit.
func bindAlarmFollowers(app core.App, eng *alarms.Engine) {
	context := []string{model.CollectionDevices, model.CollectionElders, model.CollectionHouseholds,
		model.CollectionBuildings, model.CollectionGrids, model.CollectionPairings}
	put := func(e *core.RecordEvent) error {
		eng.ObserveRecord(e.Record)
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(context...).Bind(&hook.Handler[*core.RecordEvent]{Id: "fengqiaoAlarmsContextCreate", Func: put})
	app.OnRecordAfterUpdateSuccess(context...).Bind(&hook.Handler[*core.RecordEvent]{Id: "fengqiaoAlarmsContextUpdate", Func: put})
	app.OnRecordAfterDeleteSuccess(context...).Bind(&hook.Handler[*core.RecordEvent]{
		Id: "fengqiaoAlarmsContextDelete",
		Func: func(e *core.RecordEvent) error {
			eng.ForgetRecord(e.Record)
			return e.Next()
		},
	})
	observe := func(e *core.RecordEvent) error {
		eng.ObserveAlarm(e.Record)
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(model.CollectionAlarms).Bind(&hook.Handler[*core.RecordEvent]{Id: "fengqiaoAlarmsIndexCreate", Func: observe})
	app.OnRecordAfterUpdateSuccess(model.CollectionAlarms).Bind(&hook.Handler[*core.RecordEvent]{Id: "fengqiaoAlarmsIndexUpdate", Func: observe})
	app.OnRecordAfterDeleteSuccess(model.CollectionAlarms).Bind(&hook.Handler[*core.RecordEvent]{
		Id: "fengqiaoAlarmsIndexDelete",
		Func: func(e *core.RecordEvent) error {
			eng.ForgetAlarm(e.Record)
			return e.Next()
		},
	})
}

// mergeValidation joins PocketBase's own field errors with ours, so an
// admin sees every problem at once.
func mergeValidation(base, ours error) error {
	if ours == nil {
		return base
	}
	if base == nil {
		return ours
	}
	var b, o validation.Errors
	if errors.As(base, &b) && errors.As(ours, &o) {
		out := validation.Errors{}
		for k, v := range o {
			out[k] = v
		}
		for k, v := range b {
			out[k] = v
		}
		return out
	}
	return base
}

// mqttSideOf returns app's MQTT side (nil before bindBroker).
func mqttSideOf(app core.App) *mqttSide {
	m, _ := app.Store().Get(storeKeyMQTTSide).(*mqttSide)
	return m
}

// seamStats reads the pipeline's drop count and depth for the engine.
func seamStats(app core.App) func() alarms.SeamStats {
	return func() alarms.SeamStats {
		m := mqttSideOf(app)
		if m == nil {
			return alarms.SeamStats{}
		}
		m.mu.Lock()
		pipe := m.pipe
		m.mu.Unlock()
		if pipe == nil {
			return alarms.SeamStats{}
		}
		st := pipe.Stats()
		return alarms.SeamStats{Dropped: st.SeamDropped, Depth: st.SeamDepth}
	}
}
