package model

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

var _ core.RecordProxy = (*ParkingSpace)(nil)

// ParkingSpace is one space in the community's car parks; its occupancy
// sensor keeps Occupied current so residents can see free spaces live.
type ParkingSpace struct {
	core.BaseRecordProxy
}

// AsParkingSpace wraps a parking_spaces record.
func AsParkingSpace(r *core.Record) *ParkingSpace {
	p := &ParkingSpace{}
	p.SetProxyRecord(r)
	return p
}

func (p *ParkingSpace) Code() string              { return p.GetString("code") }
func (p *ParkingSpace) Occupied() bool            { return p.GetBool("occupied") }
func (p *ParkingSpace) SetOccupied(v bool)        { p.Set("occupied", v) }
func (p *ParkingSpace) ChangedAt() types.DateTime { return p.GetDateTime("changed_at") }
func (p *ParkingSpace) SetChangedAt(t time.Time)  { p.Set("changed_at", t) }
