package model

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

var _ core.RecordProxy = (*Reading)(nil)

// Reading is one stored device message. The ingest pipeline writes
// readings with raw batched inserts; this proxy is for reading them back
// (and for the one-Save-per-message baseline in the benchmarks).
type Reading struct {
	core.BaseRecordProxy
}

// NewReading returns a blank reading.
func NewReading(app core.App) (*Reading, error) {
	r, err := newRecord(app, CollectionReadings)
	if err != nil {
		return nil, err
	}
	return AsReading(r), nil
}

// AsReading wraps a readings record.
func AsReading(r *core.Record) *Reading {
	x := &Reading{}
	x.SetProxyRecord(r)
	return x
}

func (x *Reading) Device() string          { return x.GetString("device") }
func (x *Reading) SetDevice(v string)      { x.Set("device", v) }
func (x *Reading) Topic() string           { return x.GetString("topic") }
func (x *Reading) SetTopic(v string)       { x.Set("topic", v) }
func (x *Reading) SetData(v any)           { x.Set("data", v) }
func (x *Reading) Created() types.DateTime { return x.GetDateTime("created") }
