package alarms

import (
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/rules"
)

// The context cache's view of records: what rules see of a device, an
// elder and a household, read from their records.

func deviceOf(r *core.Record) *deviceInfo {
	d := model.AsDevice(r)
	return &deviceInfo{
		dev: rules.Device{ID: r.Id, ClientID: d.ClientID(), Kind: d.Kind(), Name: d.Name(),
			Location: r.GetString("location_note"), Online: d.Online(), LastSeen: d.LastSeen().Time(),
			Battery: d.Battery(), Firmware: r.GetString("firmware")},
		elder: d.Elder(), household: d.Household(), parking: d.ParkingSpace(), disabled: d.Disabled(),
	}
}

func elderOf(r *core.Record) *elderInfo {
	return &elderInfo{
		elder: rules.Elder{ID: r.Id, Name: r.GetString("name"), Gender: r.GetString("gender"),
			Phone: r.GetString("phone"), LivesAlone: r.GetBool("lives_alone"), EmptyNest: r.GetBool("empty_nest"),
			Mode: r.GetString("mode"), ModeUntil: r.GetDateTime("mode_until").Time()},
		birthYear: r.GetInt("birth_year"), household: r.GetString("household"),
	}
}

func householdOf(r *core.Record) *householdInfo {
	return &householdInfo{
		household: rules.Household{ID: r.Id, Address: r.GetString("address"), Unit: r.GetString("unit"),
			Room: r.GetString("room"), HeadName: r.GetString("head_name"), Phone: r.GetString("phone"),
			Members: r.GetInt("members"), Tags: r.GetStringSlice("tags")},
		building: r.GetString("building"),
	}
}
