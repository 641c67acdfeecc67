package pb_migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The 4+X departments every linkage workstation has, and the service
// catalogue with each category's default department and deadline. A
// community edits both in the admin UI; this only fills an empty appliance.
func init() {
	m.Register(func(app core.App) error {
		if err := seedDepartments(app); err != nil {
			return err
		}
		return seedCategories(app)
	}, nil)
}

type department struct{ code, name, kind, presence, duties string }

var defaultDepartments = []department{
	// The "4" that sit in the workstation (常驻).
	{"police", "社区警务室", "police", "resident", "治安、交通事故、诈骗与安全隐患"},
	{"law_enforcement", "综合行政执法队", "law_enforcement", "resident", "违章搭建、噪音、养犬等行政执法"},
	{"market_supervision", "市场监管所", "market_supervision", "resident", "消费纠纷、食品安全"},
	{"mediation", "人民调解委员会", "mediation", "resident", "矛盾纠纷调解"},
	// The "X" summoned on demand (随驻).
	{"city_management", "城市管理", "city_management", "on_demand", "市容环卫、占道经营、道路设施"},
	{"legal", "法律顾问（律师）", "legal", "on_demand", "法律咨询与援助"},
	{"housing", "住房保障与房管", "housing", "on_demand", "房屋安全与房产纠纷"},
	{"property", "物业服务中心", "property", "on_demand", "小区设施维修与物业服务"},
}

type category struct {
	code, name, nameEn, kind, dept string
	hours                          int
	open311                        bool
}

var defaultCategories = []category{
	{"dispute.neighbor", "邻里纠纷", "Neighbour dispute", "dispute", "mediation", 168, false},
	{"dispute.family", "婚姻家庭纠纷", "Family dispute", "dispute", "mediation", 168, false},
	{"dispute.property", "物业纠纷", "Dispute with property management", "dispute", "mediation", 168, false},
	{"dispute.labor", "劳资纠纷", "Wage or labour dispute", "dispute", "mediation", 168, false},
	{"dispute.housing", "房屋土地纠纷", "Housing or land dispute", "dispute", "housing", 240, false},
	{"dispute.consumer", "消费纠纷", "Consumer dispute", "dispute", "market_supervision", 168, false},
	{"dispute.traffic", "交通事故纠纷", "Traffic accident dispute", "dispute", "police", 168, false},
	{"dispute.debt", "债务纠纷", "Debt dispute", "dispute", "legal", 240, false},
	{"complaint.noise", "噪音扰民", "Noise", "complaint", "law_enforcement", 48, true},
	{"complaint.sanitation", "环境卫生", "Sanitation", "complaint", "city_management", 48, true},
	{"complaint.construction", "违章搭建", "Illegal construction", "complaint", "law_enforcement", 168, true},
	{"complaint.parking", "乱停乱放", "Illegal parking", "complaint", "police", 24, true},
	{"complaint.food", "食品安全", "Food safety", "complaint", "market_supervision", 48, true},
	{"complaint.dogs", "不文明养犬", "Dogs off the lead", "complaint", "law_enforcement", 72, true},
	{"complaint.property_service", "物业服务", "Property service", "complaint", "property", 72, true},
	{"repair.water", "漏水与水管", "Water leak or pipes", "repair", "property", 24, true},
	{"repair.lighting", "电路与照明", "Lighting or wiring", "repair", "property", 24, true},
	{"repair.elevator", "电梯故障", "Lift out of order", "repair", "property", 4, true},
	{"repair.road", "道路破损", "Damaged road or path", "repair", "city_management", 72, true},
	{"repair.facility", "公共设施损坏", "Damaged public facility", "repair", "property", 72, true},
	{"city.vendor", "占道经营", "Street vending", "city", "city_management", 24, true},
	{"city.waste", "垃圾清运", "Rubbish collection", "city", "city_management", 24, true},
	{"city.greenery", "绿化养护", "Trees and greenery", "city", "city_management", 168, true},
	{"safety.fire", "消防隐患", "Fire hazard", "safety", "police", 12, true},
	{"safety.fraud", "电信诈骗", "Phone or online fraud", "safety", "police", 24, false},
	{"safety.security", "治安隐患", "Public security", "safety", "police", 12, false},
	{"safety.elder", "独居老人安全", "Safety of an elder living alone", "safety", "", 2, false},
	{"consult.policy", "政策咨询", "Policy question", "consult", "", 72, false},
	{"consult.legal", "法律咨询", "Legal question", "consult", "legal", 72, false},
}

func seedDepartments(app core.App) error {
	col, err := app.FindCollectionByNameOrId("departments")
	if err != nil {
		return err
	}
	for _, d := range defaultDepartments {
		if _, err := app.FindFirstRecordByData(col, "code", d.code); err == nil {
			continue // a community already has it: never overwrite their edits
		}
		r := core.NewRecord(col)
		r.Load(map[string]any{"code": d.code, "name": d.name, "kind": d.kind, "presence": d.presence, "duties": d.duties})
		if err := app.Save(r); err != nil {
			return fmt.Errorf("department %s: %w", d.code, err)
		}
	}
	return nil
}

func seedCategories(app core.App) error {
	col, err := app.FindCollectionByNameOrId("categories")
	if err != nil {
		return err
	}
	for i, c := range defaultCategories {
		if _, err := app.FindFirstRecordByData(col, "code", c.code); err == nil {
			continue
		}
		r := core.NewRecord(col)
		r.Load(map[string]any{"code": c.code, "name": c.name, "name_en": c.nameEn, "kind": c.kind,
			"deadline_hours": c.hours, "open311": c.open311, "active": true, "sort": (i + 1) * 10})
		if c.dept != "" {
			d, err := app.FindFirstRecordByData("departments", "code", c.dept)
			if err != nil {
				return fmt.Errorf("category %s: department %s: %w", c.code, c.dept, err)
			}
			r.Set("default_department", d.Id)
		}
		if err := app.Save(r); err != nil {
			return fmt.Errorf("category %s: %w", c.code, err)
		}
	}
	return nil
}
