package demo

import (
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"github.com/fengqiao/fengqiao/model"
)

func newRecordOf(col *core.Collection) *core.Record { return core.NewRecord(col) }

var demoNotices = []struct{ title, body, category string }{
	{"冬季用电用气安全提醒", "<p>天气转冷，请居民朋友注意用电用气安全：不私拉电线，不在楼道充电，燃气灶使用完毕及时关阀。独居老人家中已安装烟感和燃气报警器，如有异常请按一键呼救。</p>", "safety"},
	{"银龄志愿者招募", "<p>社区招募银龄志愿者，与独居、空巢老人结对，每半月至少上门探访一次。报名请到社区治理联动工作站或联系网格员。</p>", "activity"},
	{"北区停车场划线施工通知", "<p>12月8日至10日北区停车场重新划线，B01–B08车位暂停使用，请提前挪车。空余车位可在“停车”页面实时查看。</p>", "outage"},
	{"“枫桥经验”矛盾纠纷调解室开放时间", "<p>人民调解室工作日 8:30–17:30 开放，律师每周三下午驻点提供免费法律咨询。小事不出村，大事不出镇，矛盾不上交。</p>", "service"},
}

var demoPlaces = []struct {
	name, kind, address, phone, hours string
	walk                              int
}{
	{"枫桥镇卫生院", "clinic", "枫桥镇步森大道12号", "0575-87071234", "全天", 12},
	{"社区卫生服务站", "clinic", "枫桥花园东门商铺3号", "0575-87075678", "8:00–17:00", 3},
	{"老百姓大药房", "pharmacy", "枫源路101号", "0575-87079012", "7:30–22:00", 5},
	{"幸福食堂（老年助餐点）", "canteen", "枫桥花园中心花园旁", "0575-87073456", "10:30–13:00，16:30–18:30", 4},
	{"居家养老服务照料中心", "elderly_center", "枫桥花园5栋一楼", "0575-87077890", "8:00–18:00", 2},
	{"枫桥农贸市场", "market", "枫溪路28号", "", "5:30–18:00", 9},
	{"枫桥派出所", "police", "枫桥镇新枫路1号", "0575-87010110", "全天", 14},
	{"社区治理联动工作站", "service_center", "枫桥花园东门", "0575-87070000", "8:30–17:30", 2},
}

func (s *seeder) noticesAndPlaces() error {
	author := s.id("user:13800000002")
	for i, n := range demoNotices {
		if _, err := s.upsert(model.CollectionNotices, "title", n.title, map[string]any{
			"body": n.body, "category": n.category, "published": true, "pinned": i == 0,
			"published_at": time.Now().AddDate(0, 0, -i*3), "author": author,
		}); err != nil {
			return err
		}
	}
	for i, p := range demoPlaces {
		if _, err := s.upsert(model.CollectionPlaces, "name", p.name, map[string]any{
			"kind": p.kind, "address": p.address, "phone": p.phone, "hours": p.hours, "walk_minutes": p.walk,
			"location": types.GeoPoint{Lat: baseLat + float64(i-4)*0.0015, Lon: baseLon + float64(i%3-1)*0.0015},
		}); err != nil {
			return err
		}
	}
	return nil
}

// dataSources registers the external feeds with no key yet: an admin issues
// keys (shown once) when a feed is really connected.
func (s *seeder) dataSources() error {
	sources := []struct{ code, name, kind string }{
		{"hotline12345", "12345政务服务热线", "hotline_12345"},
		{"police110", "110警情联动", "police_110"},
		{"four-platforms", "基层治理四平台", "four_platforms"},
	}
	for _, src := range sources {
		if _, err := s.upsert(model.CollectionDataSources, "code", src.code, map[string]any{"name": src.name, "kind": src.kind}); err != nil {
			return err
		}
	}
	return nil
}
