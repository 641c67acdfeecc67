package demo

import (
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/fengqiao/fengqiao/model"
)

type space struct{ code, zone, kind string }

// demoParking: the east surface lot (A) and the north lot (B), with a few
// charging and accessible spaces; all have occupancy sensors.
func demoParking() []space {
	var out []space
	for i := 1; i <= 20; i++ {
		kind := "resident"
		switch {
		case i <= 4:
			kind = "visitor"
		case i == 5:
			kind = "accessible"
		}
		out = append(out, space{fmt.Sprintf("A%02d", i), "东门地面停车场", kind})
	}
	for i := 1; i <= 16; i++ {
		kind := "resident"
		if i <= 3 {
			kind = "charging"
		}
		out = append(out, space{fmt.Sprintf("B%02d", i), "北区停车场", kind})
	}
	return out
}

func (s *seeder) parking() error {
	for i, p := range demoParking() {
		loc := types.GeoPoint{Lat: baseLat + 0.002 + float64(i/10)*0.0001, Lon: baseLon + float64(i%10)*0.00005}
		id, err := s.upsert(model.CollectionParkingSpaces, "code", p.code, map[string]any{
			"zone": p.zone, "kind": p.kind, "location": loc, "occupied": i%3 == 0,
			"public": p.kind == "visitor" || p.kind == "charging" || p.kind == "accessible",
		})
		if err != nil {
			return err
		}
		clientID := "park-" + strings.ToLower(p.code)
		if _, err := s.upsert(model.CollectionDevices, "client_id", clientID, map[string]any{
			"kind": model.KindParking, "name": "车位传感器 " + p.code, "parking_space": id,
			"token_hash": model.HashToken(DeviceToken(clientID)), "battery": 100, "firmware": "2.0.1",
		}); err != nil {
			return err
		}
	}
	return nil
}
