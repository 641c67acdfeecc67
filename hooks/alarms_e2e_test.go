package hooks_test

import (
	"net/http"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
	"github.com/pocketbase/dbx"

	"github.com/fengqiao/fengqiao/alarms"
	"github.com/fengqiao/fengqiao/internal/testapp"
	"github.com/fengqiao/fengqiao/model"
)

// TestAlarmEndToEnd starts the real pieces — the app's HTTP API, the MQTT
// broker on 127.0.0.1:0, the ingest pipeline and the alarm engine — and
// presses the SOS button of elder e1 with a real MQTT client: the alarm
// arrives on the staff's and the grid worker's realtime subscriptions
// (not on a resident of another household's), with its first escalation
// step's deliveries already written. An unreadable press raises the
// critical "unreadable alarm".
func TestAlarmEndToEnd(t *testing.T) {
	c := testapp.Shared(t)
	app := c.Clone(t)
	const sirenToken = "siren-token-0123456789"
	testapp.Create(t, app, "devices", map[string]any{"kind": "siren", "name": "gate siren", "client_id": "siren-test",
		"token_hash": model.HashToken(sirenToken), "subscribe_topics": []string{"alarms/critical/+"}})
	base := testapp.Serve(t, app)
	eng, ok := app.Store().Get("fengqiao.alarms").(*alarms.Engine)
	if !ok {
		t.Fatal("no alarm engine in the app's store")
	}
	select {
	case <-eng.Ready():
	case <-time.After(10 * time.Second):
		t.Fatal("alarm engine not ready")
	}
	addrs, _ := app.Store().Get("fengqiao.mqtt").([2]string)
	if addrs[0] == "" {
		t.Fatal("no MQTT TCP listener")
	}

	staff, status := connectRealtime(t, base, c, testapp.Staff, "alarms/*")
	if status != http.StatusNoContent {
		t.Fatalf("staff subscription: %d", status)
	}
	grid, _ := connectRealtime(t, base, c, testapp.GridWorker, "alarms/*")
	resident, _ := connectRealtime(t, base, c, testapp.Resident, "alarms/*")

	o := mqtt.NewClientOptions().AddBroker("tcp://" + addrs[0]).SetClientID("sos-e1").SetUsername("sos-e1").
		SetPassword("sos-e1").SetAutoReconnect(false).SetCleanSession(true).SetConnectTimeout(5 * time.Second)
	button := mqtt.NewClient(o)
	if tok := button.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("sos-e1 connect: %v", tok.Error())
	}
	defer button.Disconnect(0)

	heard := make(chan string, 8)
	so := mqtt.NewClientOptions().AddBroker("tcp://" + addrs[0]).SetClientID("siren-test").SetUsername("siren-test").
		SetPassword(sirenToken).SetAutoReconnect(false).SetConnectTimeout(5 * time.Second)
	siren := mqtt.NewClient(so)
	if tok := siren.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("siren connect: %v", tok.Error())
	}
	defer siren.Disconnect(0)
	if tok := siren.Subscribe("alarms/critical/+", 1, func(_ mqtt.Client, m mqtt.Message) { heard <- m.Topic() }); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("siren subscribe: %v", tok.Error())
	}

	press := func(payload string) (string, time.Duration) {
		t.Helper()
		start := time.Now()
		tok := button.Publish("devices/sos-e1/up", 1, false, payload)
		if !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
			t.Fatalf("publish %q: not acknowledged (%v)", payload, tok.Error())
		}
		for {
			select {
			case ev := <-staff.events:
				if ev.action == "create" {
					return ev.recordID, time.Since(start)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("no alarm on the staff's realtime subscription after %q", payload)
			}
		}
	}

	id, took := press(`{"sos":true}`)
	t.Logf("SOS publish → alarm on realtime: %v", took)
	a, err := app.FindRecordById("alarms", id)
	if err != nil {
		t.Fatal(err)
	}
	if a.GetString("rule") != c.ID("rule.sos_pressed") || a.GetString("severity") != "critical" ||
		a.GetString("elder") != c.ID("elder.e1") || a.GetString("grid") != c.ID("grid.g1") {
		t.Errorf("alarm: %v", a.PublicExport())
	}
	// The first step's deliveries are written just after the alarm's commit.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		n, err := app.CountRecords("deliveries", dbx.HashExp{"alarm": id, "step": 0})
		if err == nil && n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("first step deliveries: %d %v", n, err)
		}
	}
	grid.collect(t, id)
	select {
	case topic := <-heard:
		if topic != "alarms/critical/"+id {
			t.Errorf("the siren heard %s, want alarms/critical/%s", topic, id)
		}
	case <-time.After(10 * time.Second):
		t.Error("the siren heard nothing of the SOS")
	}

	id2, _ := press("SOS!!\xff")
	u, err := app.FindRecordById("alarms", id2)
	if err != nil {
		t.Fatal(err)
	}
	if u.GetString("rule") != c.ID("rule.sos_unreadable") || u.GetString("severity") != "critical" || u.GetString("kind") != "sos_unreadable" {
		t.Errorf("unreadable alarm: %v", u.PublicExport())
	}
	grid.collect(t, id2)
	for _, ev := range resident.drain(nil) {
		if ev.recordID == id || ev.recordID == id2 {
			t.Errorf("a resident of another household heard alarm %s", ev.recordID)
		}
	}
}
