package model

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

var _ core.RecordProxy = (*EscalationPolicy)(nil)

// EscalationPolicy is the ladder for one severity: ordered steps (see
// rules.ParseSteps), repeated up to Repeat more times, RepeatEvery apart,
// until someone acknowledges.
type EscalationPolicy struct {
	core.BaseRecordProxy
}

// AsEscalationPolicy wraps an escalation_policies record.
func AsEscalationPolicy(r *core.Record) *EscalationPolicy {
	x := &EscalationPolicy{}
	x.SetProxyRecord(r)
	return x
}

func (x *EscalationPolicy) Key() string         { return x.GetString("key") }
func (x *EscalationPolicy) Name() string        { return x.GetString("name") }
func (x *EscalationPolicy) Severity() string    { return x.GetString("severity") }
func (x *EscalationPolicy) Enabled() bool       { return x.GetBool("enabled") }
func (x *EscalationPolicy) Repeat() int         { return x.GetInt("repeat") }
func (x *EscalationPolicy) RepeatEvery() string { return x.GetString("repeat_every") }

// Steps is the raw JSON list of steps (nil when none).
func (x *EscalationPolicy) Steps() []byte {
	switch v := x.Get("steps").(type) {
	case types.JSONRaw:
		if len(v) == 0 || string(v) == "null" {
			return nil
		}
		return v
	case []byte:
		return v
	case string:
		return []byte(v)
	}
	return nil
}
