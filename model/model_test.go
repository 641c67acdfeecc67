package model_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/fengqiao/fengqiao/internal/testapp"
	"github.com/fengqiao/fengqiao/model"
)

// TestCollectionsExist: every collection the Go code names is created by
// the migrations.
func TestCollectionsExist(t *testing.T) {
	app := testapp.New(t)
	for _, name := range []string{model.CollectionUsers, model.CollectionGrids, model.CollectionBuildings,
		model.CollectionHouseholds, model.CollectionDepartments, model.CollectionCategories, model.CollectionCases,
		model.CollectionCaseEvents, model.CollectionElders, model.CollectionPairings, model.CollectionVisits,
		model.CollectionDevices, model.CollectionReadings, model.CollectionRules, model.CollectionEscalationPolicies,
		model.CollectionAlarms, model.CollectionAlarmEvents, model.CollectionDeliveries, model.CollectionChannels,
		model.CollectionNotices, model.CollectionParkingSpaces, model.CollectionPlaces, model.CollectionDataSources,
		model.CollectionDutyRoster, model.CollectionAlarmTimers, model.CollectionAlarmEngineState} {
		if _, err := app.FindCollectionByNameOrId(name); err != nil {
			t.Errorf("collection %s: %v", name, err)
		}
	}
}

// TestDeviceProxyRoundTrip: what the device proxy sets is stored in real
// fields and read back the same (a misspelt field name would be dropped
// silently by Set and read back empty).
func TestDeviceProxyRoundTrip(t *testing.T) {
	app := testapp.New(t)
	d, err := model.NewDevice(app)
	if err != nil {
		t.Fatal(err)
	}
	seen := time.Date(2026, 12, 4, 8, 30, 0, 0, time.UTC)
	d.SetKind(model.KindSOSButton)
	d.SetName("SOS 按钮")
	d.SetClientID("sos-proxy-1")
	d.SetTokenHash(model.HashToken("secret"))
	d.SetOnline(true)
	d.SetLastSeen(seen)
	d.SetBattery(87)
	d.SetLastError("bad json")
	d.SetLastErrorAt(seen)
	d.SetMessages(12)
	d.SetDropped(3)
	d.SetRemoteAddr("192.0.2.7:40000")
	d.SetLastState(map[string]any{"sos": true})
	if err := app.Save(d); err != nil {
		t.Fatal(err)
	}
	r, err := app.FindRecordById(model.CollectionDevices, d.Id)
	if err != nil {
		t.Fatal(err)
	}
	got := model.AsDevice(r)
	if got.Kind() != model.KindSOSButton || got.Name() != "SOS 按钮" || got.ClientID() != "sos-proxy-1" ||
		got.TokenHash() != model.HashToken("secret") || !got.Online() || !got.LastSeen().Time().Equal(seen) ||
		got.Battery() != 87 || got.LastError() != "bad json" || !got.LastErrorAt().Time().Equal(seen) ||
		got.Messages() != 12 || got.Dropped() != 3 || got.RemoteAddr() != "192.0.2.7:40000" ||
		!reflect.DeepEqual(got.LastState(), map[string]any{"sos": true}) {
		t.Errorf("read back %v", r.PublicExport())
	}
	if got.IsIntegration() {
		t.Error("an SOS button taken for an integration account")
	}
}

// TestHashToken: hex SHA-256, the form compared by the broker.
func TestHashToken(t *testing.T) {
	if h := model.HashToken("abc"); h != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("HashToken(abc) = %s", h)
	}
}

// TestKindLists: life-safety sensors are devices, never integration
// accounts (they must publish under devices/{id}/).
func TestKindLists(t *testing.T) {
	for _, k := range model.LifeSafetyKinds {
		if slices.Contains(model.IntegrationKinds, k) {
			t.Errorf("%s is both a life-safety sensor and an integration account", k)
		}
	}
	if !slices.Contains(model.LifeSafetyKinds, model.KindSOSButton) {
		t.Error("the SOS button is not a life-safety kind")
	}
}
