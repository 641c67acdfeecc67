// Package pb_migrations holds fengqiao's schema and default data as Go
// migrations, applied in timestamp order at start by PocketBase.
//
// Migrations import no project package: a migration is a snapshot of the
// schema on the day it was written and must not change when the code does.
package pb_migrations

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// The helpers below keep collection definitions short enough to read as a
// schema. Each returns a typed PocketBase field; nothing here is magic.

func text(name string, required bool, max int) *core.TextField {
	return &core.TextField{Name: name, Required: required, Max: max}
}

func pattern(name string, required bool, max int, re string) *core.TextField {
	return &core.TextField{Name: name, Required: required, Max: max, Pattern: re}
}

func hiddenText(name string, max int) *core.TextField {
	return &core.TextField{Name: name, Hidden: true, Max: max}
}

func editor(name string) *core.EditorField {
	return &core.EditorField{Name: name, MaxSize: 200_000}
}

func number(name string, required bool, min, max float64, onlyInt bool) *core.NumberField {
	return &core.NumberField{Name: name, Required: required, Min: types.Pointer(min), Max: types.Pointer(max), OnlyInt: onlyInt}
}

func counter(name string) *core.NumberField {
	return &core.NumberField{Name: name, Min: types.Pointer(0.0), OnlyInt: true}
}

func boolean(name string) *core.BoolField {
	return &core.BoolField{Name: name}
}

func date(name string, required bool) *core.DateField {
	return &core.DateField{Name: name, Required: required}
}

func geo(name string) *core.GeoPointField {
	return &core.GeoPointField{Name: name}
}

func jsonField(name string, maxSize int64) *core.JSONField {
	return &core.JSONField{Name: name, MaxSize: maxSize}
}

func url(name string) *core.URLField {
	return &core.URLField{Name: name}
}

func email(name string) *core.EmailField {
	return &core.EmailField{Name: name}
}

func selectOne(name string, required bool, values ...string) *core.SelectField {
	return &core.SelectField{Name: name, Required: required, MaxSelect: 1, Values: values}
}

func selectMany(name string, required bool, values ...string) *core.SelectField {
	return &core.SelectField{Name: name, Required: required, MaxSelect: len(values), Values: values}
}

// relation links to one record; many links to up to max records.
func relation(name string, collectionID string, required, cascade bool) *core.RelationField {
	return &core.RelationField{Name: name, CollectionId: collectionID, Required: required, CascadeDelete: cascade, MaxSelect: 1}
}

func relations(name string, collectionID string, max int) *core.RelationField {
	return &core.RelationField{Name: name, CollectionId: collectionID, MaxSelect: max}
}

func images(name string, max int) *core.FileField {
	return &core.FileField{
		Name:      name,
		MaxSelect: max,
		MaxSize:   10 << 20,
		MimeTypes: []string{"image/jpeg", "image/png", "image/webp", "image/heic"},
		Thumbs:    []string{"160x160", "640x0"},
	}
}

func files(name string, max int) *core.FileField {
	return &core.FileField{Name: name, MaxSelect: max, MaxSize: 20 << 20}
}

// timestamps adds the created/updated autodate fields every collection has.
func timestamps(c *core.Collection) {
	c.Fields.Add(&core.AutodateField{Name: "created", OnCreate: true})
	c.Fields.Add(&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true})
}

// createdOnly adds only "created": for append-only and write-once rows.
func createdOnly(c *core.Collection) {
	c.Fields.Add(&core.AutodateField{Name: "created", OnCreate: true})
}

// setRules sets list, view, create, update and delete rules. A nil rule is
// superusers only (PocketBase's locked state); "" would be public and is only
// ever passed for the collections on the public list in access_test.go.
func setRules(c *core.Collection, list, view, create, update, del *string) {
	c.ListRule, c.ViewRule, c.CreateRule, c.UpdateRule, c.DeleteRule = list, view, create, update, del
}

// usersID is the id PocketBase gave its built-in users collection.
const usersID = "_pb_users_auth_"

// cid is the stable id of a fengqiao collection, so relations can name
// collections created earlier in the same migration.
func cid(name string) string { return "fq_" + name }
