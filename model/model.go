// Package model holds typed record proxies for the collections fengqiao's
// Go code reads and writes, so that field names as strings live in one
// place. The schema itself is defined by the migrations in pb_migrations.
package model

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
)

// Collection names.
const (
	CollectionUsers              = "users"
	CollectionGrids              = "grids"
	CollectionBuildings          = "buildings"
	CollectionHouseholds         = "households"
	CollectionDepartments        = "departments"
	CollectionCategories         = "categories"
	CollectionCases              = "cases"
	CollectionCaseEvents         = "case_events"
	CollectionElders             = "elders"
	CollectionPairings           = "pairings"
	CollectionVisits             = "visits"
	CollectionDevices            = "devices"
	CollectionReadings           = "readings"
	CollectionRules              = "rules"
	CollectionEscalationPolicies = "escalation_policies"
	CollectionAlarms             = "alarms"
	CollectionAlarmEvents        = "alarm_events"
	CollectionDeliveries         = "deliveries"
	CollectionChannels           = "channels"
	CollectionNotices            = "notices"
	CollectionParkingSpaces      = "parking_spaces"
	CollectionPlaces             = "places"
	CollectionDataSources        = "data_sources"
	CollectionDutyRoster         = "duty_roster"
)

// newRecord returns an empty record of the named collection from the app's
// collection cache.
func newRecord(app core.App, collection string) (*core.Record, error) {
	c, err := app.FindCachedCollectionByNameOrId(collection)
	if err != nil {
		return nil, fmt.Errorf("collection %s: %w", collection, err)
	}
	return core.NewRecord(c), nil
}
