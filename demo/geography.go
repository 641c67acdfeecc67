package demo

import (
	"fmt"

	"github.com/pocketbase/pocketbase/tools/types"
)

// The demo community sits in Fengqiao town, Zhuji, Zhejiang, where the
// "Fengqiao experience" of settling disputes locally began.
const (
	communityName = "枫桥花园社区"
	estate        = "枫桥花园"
	baseLat       = 29.6375
	baseLon       = 120.3905
)

var demoGrids = []struct{ code, name, area string }{
	{"G01", "第一网格", "1–4栋及东门商铺"},
	{"G02", "第二网格", "5–8栋及中心花园"},
	{"G03", "第三网格", "9–12栋及北区停车场"},
}

const (
	buildingsPerGrid = 4
	unitsPerBuilding = 2
	floorsPerUnit    = 6
	roomsPerFloor    = 2
)

// householdKey names a household by building, unit and room ("3-2-401").
func householdKey(building, unit int, room string) string {
	return fmt.Sprintf("household:%d-%d-%s", building, unit, room)
}

func (s *seeder) geography() error {
	for gi, g := range demoGrids {
		center := types.GeoPoint{Lat: baseLat + float64(gi)*0.0012, Lon: baseLon + float64(gi)*0.0009}
		id, err := s.upsert("grids", "code", g.code, map[string]any{"name": g.name, "area": g.area, "center": center})
		if err != nil {
			return err
		}
		s.ids["grid:"+g.code] = id
		for bi := 1; bi <= buildingsPerGrid; bi++ {
			if err := s.building(gi*buildingsPerGrid+bi, id, center); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *seeder) building(n int, gridID string, near types.GeoPoint) error {
	name := fmt.Sprintf("%d栋", n)
	loc := types.GeoPoint{Lat: near.Lat + float64(n%4)*0.0003, Lon: near.Lon + float64(n%3)*0.0003}
	existing, err := s.app.FindFirstRecordByFilter("buildings", "grid = {:g} && name = {:n}", map[string]any{"g": gridID, "n": name})
	var bid string
	if err == nil {
		bid = existing.Id
	} else {
		bid, err = s.upsert("buildings", "address", fmt.Sprintf("%s%s", estate, name), map[string]any{
			"grid": gridID, "name": name, "location": loc, "floors": floorsPerUnit, "units": unitsPerBuilding,
		})
		if err != nil {
			return err
		}
	}
	s.ids[fmt.Sprintf("building:%d", n)] = bid
	for unit := 1; unit <= unitsPerBuilding; unit++ {
		for floor := 1; floor <= floorsPerUnit; floor++ {
			for r := 1; r <= roomsPerFloor; r++ {
				room := fmt.Sprintf("%d%02d", floor, r)
				address := fmt.Sprintf("%s%d栋%d单元%s室", estate, n, unit, room)
				i := (n*100 + unit*10 + floor*2 + r) % len(surnames)
				hid, err := s.upsert("households", "address", address, map[string]any{
					"building": bid, "unit": fmt.Sprint(unit), "room": room,
					"head_name": surnames[i] + givenNames[(i*7+floor)%len(givenNames)],
					"phone":     fmt.Sprintf("1390575%04d", n*100+unit*20+floor*2+r),
					"members":   1 + (n+floor+r)%4,
					"tags":      householdTags(n, unit, floor, r),
				})
				if err != nil {
					return err
				}
				s.ids[householdKey(n, unit, room)] = hid
			}
		}
	}
	return nil
}

// householdTags marks a plausible share of rentals and vacant flats; the
// elders' households are tagged when the elders are seeded.
func householdTags(building, unit, floor, room int) []string {
	switch (building*31 + unit*7 + floor*3 + room) % 17 {
	case 0:
		return []string{"rental"}
	case 5:
		return []string{"vacant"}
	case 9:
		return []string{"empty_nest"}
	}
	return nil
}
