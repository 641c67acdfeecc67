package demo

import (
	"fmt"

	"github.com/fengqiao/fengqiao/model"
)

type person struct {
	phone, name, role, dept, grid, household string
	verified                                 bool
}

// The community's people. Phones 1380000xxxx are the workforce, 1390000xxxx
// residents; the first of each role is printed as that role's demo login.
var demoPeople = []person{
	{phone: "13800000001", name: "陈建国", role: model.RoleSecretary},
	{phone: "13800000002", name: "王丽", role: model.RoleStaff},
	{phone: "13800000003", name: "李强", role: model.RoleStaff},
	{phone: "13800000004", name: "赵敏", role: model.RoleStaff},
	{phone: "13800000011", name: "张伟", role: model.RoleGridWorker, grid: "G01"},
	{phone: "13800000012", name: "刘芳", role: model.RoleGridWorker, grid: "G02"},
	{phone: "13800000013", name: "周杰", role: model.RoleGridWorker, grid: "G03"},
	{phone: "13800000021", name: "孙德明", role: model.RoleMediator, dept: "mediation"},
	{phone: "13800000022", name: "骆桂英", role: model.RoleMediator, dept: "mediation"},
	{phone: "13800000023", name: "何立新", role: model.RoleMediator, dept: "mediation"},
	{phone: "13800000031", name: "郑警官", role: model.RoleDeptStaff, dept: "police"},
	{phone: "13800000032", name: "冯志刚", role: model.RoleDeptStaff, dept: "law_enforcement"},
	{phone: "13800000033", name: "蒋海燕", role: model.RoleDeptStaff, dept: "market_supervision"},
	{phone: "13800000034", name: "曹文明", role: model.RoleDeptStaff, dept: "city_management"},
	{phone: "13800000035", name: "杜律师", role: model.RoleDeptStaff, dept: "legal"},
	{phone: "13800000036", name: "彭永康", role: model.RoleDeptStaff, dept: "housing"},
	{phone: "13800000037", name: "叶晓东", role: model.RoleDeptStaff, dept: "property"},
	{phone: "13800000041", name: "徐秀英", role: model.RoleVolunteer, household: "2-1-301", verified: true},
	{phone: "13800000042", name: "马国强", role: model.RoleVolunteer, household: "5-2-202", verified: true},
	{phone: "13800000043", name: "胡玉珍", role: model.RoleVolunteer, household: "7-1-401", verified: true},
	{phone: "13800000044", name: "郭春梅", role: model.RoleVolunteer, household: "9-2-102", verified: true},
	{phone: "13800000045", name: "林德明", role: model.RoleVolunteer, household: "11-1-502", verified: true},
	{phone: "13800000046", name: "罗金凤", role: model.RoleVolunteer, household: "12-2-601", verified: true},
}

// residents: demo residents bound to households; the last two are not yet
// verified by staff.
func demoResidents() []person {
	rooms := []string{"1-1-101", "1-2-302", "2-1-402", "3-1-201", "3-2-502", "4-1-602", "5-1-101", "6-2-301",
		"7-2-202", "8-1-501", "9-1-301", "10-2-401", "11-2-102", "12-1-201", "4-2-401", "8-2-602"}
	out := make([]person, len(rooms))
	for i, room := range rooms {
		out[i] = person{
			phone:     fmt.Sprintf("139000000%02d", i+1),
			name:      surnames[(i*3+5)%len(surnames)] + givenNames[(i*5+2)%len(givenNames)],
			role:      model.RoleResident,
			household: room,
			verified:  i < len(rooms)-2,
		}
	}
	return out
}

func (s *seeder) people() error {
	printed := map[string]bool{}
	for _, p := range append(append([]person{}, demoPeople...), demoResidents()...) {
		roles := []string{p.role}
		if p.role == model.RoleVolunteer {
			roles = append(roles, model.RoleResident) // silver-age volunteers live here too
		}
		data := map[string]any{
			"name": p.name, "roles": roles, "password": Password, "household_verified": p.verified,
			"lang": "zh-CN",
		}
		if p.grid != "" {
			data["grids"] = []string{s.id("grid:" + p.grid)}
		}
		if p.household != "" {
			data["household"] = s.id("household:" + p.household)
		}
		if p.dept != "" {
			d, err := s.app.FindFirstRecordByData(model.CollectionDepartments, "code", p.dept)
			if err != nil {
				return fmt.Errorf("department %s: %w", p.dept, err)
			}
			data["department"] = d.Id
		}
		id, err := s.upsert(model.CollectionUsers, "phone", p.phone, data)
		if err != nil {
			return err
		}
		s.ids["user:"+p.phone] = id
		if !printed[p.role] {
			printed[p.role] = true
			s.logins = append(s.logins, Login{Role: p.role, Name: p.name, Phone: p.phone, Password: Password})
		}
	}
	return nil
}
