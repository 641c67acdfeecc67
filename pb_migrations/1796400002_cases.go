package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Cases and their append-only timeline: the closed loop of disputes,
// complaints and repairs from intake to the resident's feedback.
func init() {
	m.Register(func(app core.App) error {
		if err := createCases(app); err != nil {
			return err
		}
		return createCaseEvents(app)
	}, func(app core.App) error {
		return dropCollections(app, "case_events", "cases")
	})
}

// CaseStatuses is the closed loop in DESIGN.md, in order.
var caseStatuses = []string{"submitted", "accepted", "rejected", "dispatched", "in_progress", "resolved", "closed"}

var caseSources = []string{"resident_app", "grid_patrol", "walk_in", "hotline_12345", "police_110",
	"four_platforms", "sensor_alarm", "open311", "external"}

func createCases(app core.App) error {
	c := core.NewBaseCollection("cases", cid("cases"))
	c.Fields.Add(
		// number is human readable (2026-000123) and set by the intake hook.
		pattern("number", false, 20, `^[0-9]{4}-[0-9]{6}$`),
		selectOne("kind", true, "dispute", "complaint", "repair", "city", "safety", "consult"),
		relation("category", cid("categories"), false, false),
		text("title", true, 200),
		text("description", false, 5000),
		images("photos", 9),
		geo("location"),
		text("address", false, 300),
		relation("grid", cid("grids"), false, false),
		relation("household", cid("households"), false, false),
		selectOne("source", true, caseSources...),
		relation("reporter", usersID, false, false),
		text("reporter_name", false, 100),
		pattern("reporter_phone", false, 20, `^\+?[0-9-]{5,20}$`),
		// parties: [{name, phone, role}] of a dispute.
		jsonField("parties", 20_000),
		number("amount", false, 0, 1e12, false),
		selectOne("difficulty", false, "normal", "difficult", "mass_incident"),
		selectOne("status", false, caseStatuses...),
		relation("lead_department", cid("departments"), false, false),
		relations("assisting_departments", cid("departments"), 10),
		relation("mediator", usersID, false, false),
		relation("handler", usersID, false, false),
		date("due_at", false),
		boolean("overdue"),
		// supervision_level: 0 none; 1 reminder; 2 supervised (督办); 3 secretary.
		number("supervision_level", false, 0, 3, true),
		boolean("whistle"),
		date("whistle_at", false),
		date("checkin_due_at", false),
		selectOne("outcome", false, "success", "failed", "withdrawn", "referred"),
		text("resolution", false, 5000),
		text("agreement", false, 5000),
		number("satisfaction", false, 1, 5, true),
		text("feedback", false, 2000),
		date("accepted_at", false),
		date("resolved_at", false),
		date("closed_at", false),
		// external_id: the id in the source system (12345 ticket, Open311 token…).
		text("external_id", false, 100),
		relation("data_source", cid("data_sources"), false, false),
	)
	timestamps(c)
	c.AddIndex("idx_cases_number", true, "number", "number != ''")
	c.AddIndex("idx_cases_status", false, "status, due_at", "")
	c.AddIndex("idx_cases_reporter", false, "reporter", "")
	c.AddIndex("idx_cases_household", false, "household", "")
	c.AddIndex("idx_cases_grid", false, "grid, created", "")
	c.AddIndex("idx_cases_lead", false, "lead_department", "")
	c.AddIndex("idx_cases_mediator", false, "mediator", "")
	c.AddIndex("idx_cases_created", false, "created", "")
	c.AddIndex("idx_cases_external", false, "data_source, external_id", "external_id != ''")
	return saveCollection(app, c)
}

func createCaseEvents(app core.App) error {
	c := core.NewBaseCollection("case_events", cid("case_events"))
	c.Fields.Add(
		// required and not cascading: a case with a timeline cannot be deleted.
		relation("case", cid("cases"), true, false),
		relation("actor", usersID, false, false),
		text("actor_name", false, 100),
		selectOne("action", true, "submit", "accept", "reject", "dispatch", "checkin", "start", "mediate",
			"resolve", "feedback", "close", "reopen", "supervise", "whistle", "comment", "assign", "overdue"),
		selectOne("from_status", false, caseStatuses...),
		selectOne("to_status", false, caseStatuses...),
		relation("department", cid("departments"), false, false),
		text("note", false, 5000),
		jsonField("data", 20_000),
	)
	createdOnly(c)
	c.AddIndex("idx_case_events_case", false, "`case`, created", "")
	return saveCollection(app, c)
}
