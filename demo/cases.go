package demo

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
)

type demoCase struct {
	key, category, title, description, source, reporter, household, grid, status, dept string
	ageDays                                                                            int
	amount                                                                             float64
}

// A handful of cases at every stage of the loop, so the screens are not
// empty. They are keyed by external_id "demo-N".
var demoCases = []demoCase{
	{"demo-1", "complaint.noise", "楼上装修噪音影响休息", "3栋2单元502每天早上7点前开始装修，电钻声很大。", "resident_app", "13900000005", "3-2-502", "G01", "submitted", "", 0, 0},
	{"demo-2", "repair.elevator", "9栋电梯停运", "9栋1单元电梯卡在4楼，已有老人被困过一次。", "grid_patrol", "13800000013", "", "G03", "accepted", "property", 1, 0},
	{"demo-3", "dispute.neighbor", "楼道堆放杂物引发邻里纠纷", "2栋1单元402与401因楼道堆物多次争吵。", "walk_in", "13900000003", "2-1-402", "G01", "dispatched", "mediation", 3, 0},
	{"demo-4", "dispute.labor", "装修工人讨薪", "外来装修队6名工人称被拖欠工资，共计4.8万元。", "hotline_12345", "", "", "G02", "in_progress", "mediation", 6, 48000},
	{"demo-5", "complaint.sanitation", "中心花园垃圾桶满溢", "中心花园两个垃圾桶两天未清运，有异味。", "resident_app", "13900000007", "5-1-101", "G02", "resolved", "city_management", 4, 0},
	{"demo-6", "repair.lighting", "北区停车场路灯不亮", "北区停车场靠近B10的路灯晚上不亮，老人走路不安全。", "resident_app", "13900000011", "9-1-301", "G03", "closed", "property", 12, 0},
	{"demo-7", "safety.fraud", "老人接到冒充公检法电话", "独居老人接到自称公安的电话要求转账，网格员及时劝阻。", "grid_patrol", "13800000012", "", "G02", "closed", "police", 20, 0},
	{"demo-8", "dispute.property", "物业费与维修基金争议", "12栋多户业主对电梯维修费用分摊有异议。", "walk_in", "13900000014", "12-1-201", "G03", "dispatched", "mediation", 16, 12000},
}

// statusPath is the order of the loop; a demo case walks it up to its status.
var statusPath = []string{"submitted", "accepted", "dispatched", "in_progress", "resolved", "closed"}

var actionFor = map[string]string{"accepted": "accept", "dispatched": "dispatch", "in_progress": "start", "resolved": "resolve", "closed": "close"}

func (s *seeder) cases() error {
	for _, c := range demoCases {
		if _, err := s.app.FindFirstRecordByData(model.CollectionCases, "external_id", c.key); err == nil {
			continue
		}
		if err := s.createCase(c); err != nil {
			return fmt.Errorf("case %s: %w", c.key, err)
		}
	}
	return nil
}

func (s *seeder) createCase(c demoCase) error {
	cat, err := s.app.FindFirstRecordByData(model.CollectionCategories, "code", c.category)
	if err != nil {
		return err
	}
	col, err := s.app.FindCachedCollectionByNameOrId(model.CollectionCases)
	if err != nil {
		return err
	}
	opened := time.Now().Add(-time.Duration(c.ageDays)*24*time.Hour - 3*time.Hour)
	r := core.NewRecord(col)
	r.Load(map[string]any{
		"kind": cat.GetString("kind"), "category": cat.Id, "title": c.title, "description": c.description,
		"source": c.source, "grid": s.id("grid:" + c.grid), "external_id": c.key, "amount": c.amount,
		"difficulty": "normal", "status": "submitted",
		"due_at": opened.Add(time.Duration(cat.GetInt("deadline_hours")) * time.Hour),
	})
	if c.reporter != "" {
		r.Set("reporter", s.id("user:"+c.reporter))
	} else {
		r.Set("reporter_name", "12345热线来电人")
	}
	if c.household != "" {
		r.Set("household", s.id("household:"+c.household))
		h, err := s.app.FindRecordById(model.CollectionHouseholds, r.GetString("household"))
		if err != nil {
			return err
		}
		r.Set("address", h.GetString("address"))
	}
	if c.dept != "" {
		d, err := s.app.FindFirstRecordByData(model.CollectionDepartments, "code", c.dept)
		if err != nil {
			return err
		}
		r.Set("lead_department", d.Id)
	}
	if c.dept == "mediation" {
		r.Set("mediator", s.id("user:13800000021"))
	}
	if err := s.app.Save(r); err != nil {
		return err
	}
	return s.walkCase(r, c, opened)
}

// walkCase moves a demo case along the loop to its status, writing the
// timeline as the workflow would have.
func (s *seeder) walkCase(r *core.Record, c demoCase, opened time.Time) error {
	staff := s.id("user:13800000002")
	events, err := s.app.FindCachedCollectionByNameOrId(model.CollectionCaseEvents)
	if err != nil {
		return err
	}
	from := "submitted"
	for i, to := range statusPath[1:] {
		if indexOf(statusPath, from) >= indexOf(statusPath, c.status) {
			break
		}
		at := opened.Add(time.Duration(i+1) * 5 * time.Hour)
		ev := core.NewRecord(events)
		ev.Load(map[string]any{"case": r.Id, "actor": staff, "actor_name": "王丽", "action": actionFor[to],
			"from_status": from, "to_status": to, "department": r.GetString("lead_department")})
		if err := s.app.Save(ev); err != nil {
			return err
		}
		switch to {
		case "accepted":
			r.Set("accepted_at", at)
		case "resolved":
			r.Set("resolved_at", at)
			r.Set("outcome", "success")
			r.Set("resolution", "已协调相关部门处理完毕。")
		case "closed":
			r.Set("closed_at", at)
			r.Set("satisfaction", 5)
			r.Set("feedback", "处理及时，很满意。")
		}
		from = to
	}
	r.Set("status", c.status)
	return s.app.Save(r)
}

func indexOf(list []string, v string) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}
