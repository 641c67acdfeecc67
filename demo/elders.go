package demo

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pocketbase/pocketbase/core"
)

type elder struct {
	name, gender, phone, household, volunteer string
	born                                      int
	alone                                     bool
	contact                                   string
}

// Elders living alone get a door magnet, an SOS button and a PIR sensor;
// empty-nest couples an SOS button and a smoke detector.
var demoElders = []elder{
	{"骆阿婆", "female", "13905750101", "1-1-102", "13800000041", 1938, true, "骆建军 儿子 13957501001"},
	{"何大爷", "male", "13905750102", "2-2-201", "13800000041", 1942, true, "何丽 女儿 13957501002"},
	{"陈奶奶", "female", "13905750103", "3-1-501", "13800000042", 1940, true, "陈志强 儿子 13957501003"},
	{"杨老伯", "male", "13905750104", "4-2-102", "13800000042", 1945, true, "杨芳 女儿 13957501004"},
	{"宋阿姨", "female", "13905750105", "5-1-302", "13800000043", 1947, true, "宋晓东 侄子 13957501005"},
	{"黄爷爷", "male", "13905750106", "6-1-601", "13800000043", 1936, true, "黄海燕 孙女 13957501006"},
	{"吴婆婆", "female", "13905750107", "7-2-101", "13800000044", 1941, true, "吴立新 儿子 13957501007"},
	{"朱老师", "male", "13905750108", "9-1-202", "13800000045", 1944, true, "朱红霞 女儿 13957501008"},
	{"谢奶奶", "female", "13905750109", "10-1-401", "13800000045", 1939, true, "谢勇 儿子 13957501009"},
	{"韩大伯", "male", "13905750110", "12-1-101", "13800000046", 1943, true, "韩静 女儿 13957501010"},
	{"许阿公", "male", "13905750111", "8-1-302", "13800000046", 1946, false, "许磊 儿子 13957501011"},
	{"曾阿婆", "female", "13905750112", "11-2-501", "13800000044", 1948, false, "曾娟 女儿 13957501012"},
}

func (s *seeder) elders() error {
	for i, e := range demoElders {
		hid := s.id("household:" + e.household)
		if err := s.tagHousehold(hid, e.alone); err != nil {
			return err
		}
		c := strings.Fields(e.contact)
		id, err := s.upsert("elders", "phone", e.phone, map[string]any{
			"name": e.name, "gender": e.gender, "birth_year": e.born, "household": hid,
			"lives_alone": e.alone, "empty_nest": !e.alone, "mode": "home",
			"emergency_contacts": []map[string]string{{"name": c[0], "relation": c[1], "phone": c[2]}},
			"health_notes":       []string{"高血压，按时服药", "行动不便，使用助行器", "轻度听力下降", "糖尿病", ""}[i%5],
		})
		if err != nil {
			return err
		}
		s.ids["elder:"+e.phone] = id
		pairing, err := s.pair(s.id("user:"+e.volunteer), id)
		if err != nil {
			return err
		}
		if err := s.visits(pairing, s.id("user:"+e.volunteer), id, i); err != nil {
			return err
		}
	}
	return nil
}

// tagHousehold adds elder_alone or empty_nest to a household's tags.
func (s *seeder) tagHousehold(id string, alone bool) error {
	h, err := s.app.FindRecordById("households", id)
	if err != nil {
		return err
	}
	tag := "empty_nest"
	if alone {
		tag = "elder_alone"
	}
	tags := h.GetStringSlice("tags")
	if slices.Contains(tags, tag) {
		return nil
	}
	h.Set("tags", append(tags, tag))
	return s.app.Save(h)
}

func (s *seeder) pair(volunteer, elder string) (string, error) {
	existing, err := s.app.FindFirstRecordByFilter("pairings", "volunteer = {:v} && elder = {:e}", map[string]any{"v": volunteer, "e": elder})
	if err == nil {
		return existing.Id, nil
	}
	col, err := s.app.FindCachedCollectionByNameOrId("pairings")
	if err != nil {
		return "", err
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{"volunteer": volunteer, "elder": elder, "interval_days": 15, "active": true,
		"started_at": time.Now().AddDate(0, -8, 0)})
	if err := s.app.Save(r); err != nil {
		return "", fmt.Errorf("pairing: %w", err)
	}
	return r.Id, nil
}

// visits logs a few past visits, once: one elder (i%6 == 5) is overdue.
func (s *seeder) visits(pairing, volunteer, elder string, i int) error {
	n, err := s.app.CountRecords("visits", dbxEq("pairing", pairing))
	if err != nil || n > 0 {
		return err
	}
	col, err := s.app.FindCachedCollectionByNameOrId("visits")
	if err != nil {
		return err
	}
	services := [][]string{{"chat", "health_check"}, {"medicine_delivery", "chat"}, {"anti_fraud", "chat"},
		{"holiday_greeting"}, {"cleaning", "shopping"}}
	lastAgo := 2 + i%10
	if i%6 == 5 {
		lastAgo = 19 // overdue: more than 15 days ago
	}
	for k := 0; k < 3; k++ {
		r := core.NewRecord(col)
		r.Load(map[string]any{"pairing": pairing, "volunteer": volunteer, "elder": elder,
			"visited_at": time.Now().AddDate(0, 0, -(lastAgo + 14*k)).Truncate(time.Hour),
			"minutes":    30 + 15*((i+k)%4), "services": services[(i+k)%len(services)],
			"notes": []string{"老人精神状态良好", "提醒按时吃药", "讲解防诈骗知识，老人表示明白", "帮忙打扫卫生"}[(i+k)%4]})
		if err := s.app.Save(r); err != nil {
			return fmt.Errorf("visit: %w", err)
		}
	}
	return nil
}
