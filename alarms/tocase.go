package alarms

import (
	"fmt"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/model"
)

// caseCategory is the catalogue code alarm cases are filed under when the
// catalogue has it.
const caseCategory = "safety.elder"

// ToCase turns the alarm into a case (source sensor_alarm, kind safety,
// category safety.elder when the catalogue has it) and links it on the
// alarm, in one transaction with the "to_case" event. The case intake
// gives it its number, status, deadline and first timeline row. An alarm
// with a case already is refused (field "case").
func ToCase(app core.App, id string, by Actor, note string) (*model.Alarm, *core.Record, error) {
	note, err := cleanNote(note, false)
	if err != nil {
		return nil, nil, err
	}
	var kase *core.Record
	a, err := change(app, id, by, ActCase, func(tx core.App, a *model.Alarm) (alarmEvent, error) {
		if a.Case() != "" {
			return alarmEvent{}, fieldErr("case", "validation_alarm_has_case", "The alarm has a case already.")
		}
		col, err := tx.FindCachedCollectionByNameOrId(model.CollectionCases)
		if err != nil {
			return alarmEvent{}, err
		}
		kase = core.NewRecord(col)
		kase.Set("kind", "safety")
		if cat, err := tx.FindFirstRecordByFilter(model.CollectionCategories, "code = {:c}", dbx.Params{"c": caseCategory}); err == nil {
			kase.Set("category", cat.Id)
		}
		kase.Set("title", truncate(a.Title(), 200))
		kase.Set("description", truncate(caseDescription(tx, a, note), 5000))
		kase.Set("household", a.Household())
		kase.Set("grid", a.Grid())
		kase.Set("source", "sensor_alarm")
		kase.Set("reporter", by.ID)
		kase.Set("reporter_name", truncate(by.Name, 100))
		if err := tx.Save(kase); err != nil {
			return alarmEvent{}, fmt.Errorf("create case: %w", err)
		}
		a.SetCase(kase.Id)
		return alarmEvent{action: model.AlarmEventToCase, note: note,
			data: map[string]any{"case": kase.Id, "number": kase.GetString("number")}}, nil
	})
	if err != nil {
		return nil, nil, err
	}
	return a, kase, nil
}

// caseDescription says what the alarm was, for the case's description.
func caseDescription(app core.App, a *model.Alarm, note string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "告警 %s（%s）: %s\n", a.Id, a.Severity(), a.Title())
	fmt.Fprintf(&b, "首次 %s，共 %d 次，状态 %s\n", a.FirstSeen().Time().Format("2006-01-02 15:04:05 MST"), a.Count(), a.Status())
	if d, err := app.FindRecordById(model.CollectionDevices, a.Device()); err == nil {
		fmt.Fprintf(&b, "设备 %s（%s）\n", d.GetString("name"), d.GetString("client_id"))
	}
	if note != "" {
		b.WriteString(note)
	}
	return b.String()
}
