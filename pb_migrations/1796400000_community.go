package pb_migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The community's geography, its departments, its people and the service
// catalogue: grids → buildings → households; users with roles.
func init() {
	m.Register(func(app core.App) error {
		steps := []func(core.App) error{createGrids, createBuildings, createHouseholds, createDepartments, extendUsers, createCategories}
		for _, step := range steps {
			if err := step(app); err != nil {
				return err
			}
		}
		return nil
	}, func(app core.App) error {
		return dropCollections(app, "categories", "households", "buildings", "grids", "departments")
	})
}

func createGrids(app core.App) error {
	c := core.NewBaseCollection("grids", cid("grids"))
	c.Fields.Add(
		text("name", true, 100),
		pattern("code", true, 32, `^[A-Za-z0-9_-]+$`),
		text("area", false, 500),
		geo("center"),
		text("notes", false, 2000),
	)
	timestamps(c)
	c.AddIndex("idx_grids_code", true, "code", "")
	return saveCollection(app, c)
}

func createBuildings(app core.App) error {
	c := core.NewBaseCollection("buildings", cid("buildings"))
	c.Fields.Add(
		relation("grid", cid("grids"), true, false),
		text("name", true, 100),
		text("address", true, 300),
		geo("location"),
		number("floors", false, 0, 200, true),
		number("units", false, 0, 50, true),
	)
	timestamps(c)
	c.AddIndex("idx_buildings_grid", false, "grid", "")
	c.AddIndex("idx_buildings_name", true, "grid, name", "")
	return saveCollection(app, c)
}

func createHouseholds(app core.App) error {
	c := core.NewBaseCollection("households", cid("households"))
	c.Fields.Add(
		relation("building", cid("buildings"), true, false),
		text("unit", false, 20),
		text("room", true, 20),
		text("address", true, 300),
		text("head_name", false, 100),
		pattern("phone", false, 20, `^\+?[0-9-]{5,20}$`),
		number("members", false, 0, 50, true),
		selectMany("tags", false, "elder_alone", "empty_nest", "low_income", "disabled", "military", "rental", "vacant"),
		text("notes", false, 2000),
	)
	timestamps(c)
	c.AddIndex("idx_households_building", false, "building", "")
	c.AddIndex("idx_households_room", true, "building, unit, room", "")
	return saveCollection(app, c)
}

func createDepartments(app core.App) error {
	c := core.NewBaseCollection("departments", cid("departments"))
	c.Fields.Add(
		text("name", true, 100),
		pattern("code", true, 32, `^[a-z0-9_]+$`),
		selectOne("kind", true, "police", "law_enforcement", "market_supervision", "mediation",
			"city_management", "legal", "housing", "property", "other"),
		// presence: resident (常驻) sits in the workstation; on_demand (随驻) is summoned.
		selectOne("presence", true, "resident", "on_demand"),
		text("contact_name", false, 100),
		pattern("contact_phone", false, 20, `^\+?[0-9-]{5,20}$`),
		text("duties", false, 2000),
	)
	timestamps(c)
	c.AddIndex("idx_departments_code", true, "code", "")
	return saveCollection(app, c)
}

// Users: residents bind to a household (staff verifies); workforce roles
// carry their department and grids. Login by e-mail or by phone.
func extendUsers(app core.App) error {
	c, err := app.FindCollectionByNameOrId("users")
	if err != nil {
		return fmt.Errorf("find users: %w", err)
	}
	c.Fields.Add(
		pattern("phone", false, 20, `^1[3-9][0-9]{9}$`),
		selectMany("roles", false, "resident", "volunteer", "grid_worker", "mediator", "dept_staff", "staff", "secretary"),
		relation("department", cid("departments"), false, false),
		relations("grids", cid("grids"), 20),
		relation("household", cid("households"), false, false),
		// household_verified: staff confirmed the resident lives there
		// (PocketBase's own "verified" means the e-mail was confirmed).
		boolean("household_verified"),
		selectOne("lang", false, "zh-CN", "en"),
		boolean("large_text"),
	)
	c.AddIndex("idx_users_phone", true, "phone", "phone != ''")
	c.AddIndex("idx_users_household", false, "household", "")
	c.AddIndex("idx_users_department", false, "department", "")
	c.PasswordAuth.IdentityFields = []string{"email", "phone"}
	// Many residents have a phone and no e-mail: either identity will do
	// (hooks/users.go requires one of the two).
	if f, ok := c.Fields.GetByName("email").(*core.EmailField); ok {
		f.Required = false
	}

	return saveCollection(app, c)
}

func createCategories(app core.App) error {
	c := core.NewBaseCollection("categories", cid("categories"))
	c.Fields.Add(
		pattern("code", true, 32, `^[a-z0-9_.]+$`),
		text("name", true, 100),
		text("name_en", false, 100),
		selectOne("kind", true, "dispute", "complaint", "repair", "city", "safety", "consult"),
		text("description", false, 1000),
		relation("default_department", cid("departments"), false, false),
		number("deadline_hours", true, 1, 24*90, true),
		text("keywords", false, 500),
		// open311: listed in the public GeoReport services.json.
		boolean("open311"),
		boolean("active"),
		number("sort", false, 0, 10000, true),
	)
	timestamps(c)
	c.AddIndex("idx_categories_code", true, "code", "")
	return saveCollection(app, c)
}

func saveCollection(app core.App, c *core.Collection) error {
	if err := app.Save(c); err != nil {
		return fmt.Errorf("save collection %s: %w", c.Name, err)
	}
	return nil
}

func dropCollections(app core.App, names ...string) error {
	for _, name := range names {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			continue // already gone: down migrations must be re-runnable
		}
		if err := app.Delete(c); err != nil {
			return fmt.Errorf("drop %s: %w", name, err)
		}
	}
	return nil
}
