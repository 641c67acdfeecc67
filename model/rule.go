package model

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

var _ core.RecordProxy = (*Rule)(nil)

// Rule is a rules record: the rule an admin wrote (see package rules for
// the language) and the engine's bookkeeping of it (hits, errors).
type Rule struct {
	core.BaseRecordProxy
}

// AsRule wraps a rules record.
func AsRule(r *core.Record) *Rule {
	x := &Rule{}
	x.SetProxyRecord(r)
	return x
}

func (x *Rule) Key() string            { return x.GetString("key") }
func (x *Rule) Name() string           { return x.GetString("name") }
func (x *Rule) Enabled() bool          { return x.GetBool("enabled") }
func (x *Rule) When() string           { return x.GetString("when") }
func (x *Rule) DeviceKinds() []string  { return x.GetStringSlice("device_kinds") }
func (x *Rule) Topic() string          { return x.GetString("topic") }
func (x *Rule) Condition() string      { return x.GetString("condition") }
func (x *Rule) ResetCondition() string { return x.GetString("reset_condition") }
func (x *Rule) ClearCondition() string { return x.GetString("clear_condition") }
func (x *Rule) SilenceFor() string     { return x.GetString("silence_for") }
func (x *Rule) Cooldown() string       { return x.GetString("cooldown") }
func (x *Rule) Schedule() string       { return x.GetString("schedule") }
func (x *Rule) ActiveFrom() string     { return x.GetString("active_from") }
func (x *Rule) ActiveTo() string       { return x.GetString("active_to") }
func (x *Rule) Days() []string         { return x.GetStringSlice("days") }

// Actions is the raw JSON list of actions ("" or null when none).
func (x *Rule) Actions() []byte {
	switch v := x.Get("actions").(type) {
	case types.JSONRaw:
		return v
	case []byte:
		return v
	case string:
		return []byte(v)
	}
	return nil
}

// Bookkeeping written by the engine (in batches, not through Save).
func (x *Rule) Hits() int                   { return x.GetInt("hits") }
func (x *Rule) LastHitAt() types.DateTime   { return x.GetDateTime("last_hit_at") }
func (x *Rule) Errors() int                 { return x.GetInt("errors") }
func (x *Rule) LastError() string           { return x.GetString("last_error") }
func (x *Rule) LastErrorAt() types.DateTime { return x.GetDateTime("last_error_at") }
func (x *Rule) SetLastError(msg string, at time.Time) {
	x.Set("last_error", msg)
	x.Set("last_error_at", at)
}

// RuleBookkeeping are the fields the engine owns on a rule.
var RuleBookkeeping = []string{"hits", "last_hit_at", "errors", "last_error", "last_error_at"}
