package telemetry

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/payload"
)

var badPayloads = []struct {
	name, body, reason string
}{
	{"not JSON", `{"open":tru`, payload.ReasonNotJSON},
	{"empty", ``, payload.ReasonNotJSON},
	{"not an object", `[1,2,3]`, payload.ReasonNotObject},
	{"a bare string", `"open"`, payload.ReasonNotObject},
	{"invalid UTF-8", "{\"name\":\"\xff\xfe\"}", payload.ReasonInvalidUTF8},
	{"too deep", strings.Repeat(`{"a":`, 40) + `1` + strings.Repeat(`}`, 40), payload.ReasonTooDeep},
	{"too large", `{"pad":"` + strings.Repeat("x", payload.MaxBytes) + `"}`, payload.ReasonTooLarge},
}

// TestBadPayloadsAreCountedAndDropped: each is acknowledged (Commit nil),
// not stored, not handed on, counted by reason, and recorded on the device
// as its last error and dropped counter; good messages go on meanwhile.
func TestBadPayloadsAreCountedAndDropped(t *testing.T) {
	app := newTestApp(t)
	dev := addDevice(t, app, "door-1", model.KindDoorMagnet, nil)
	rec := &recorder{}
	p, _ := newPipeline(t, app, Config{Handler: rec})
	for _, tt := range badPayloads {
		t.Run(tt.name, func(t *testing.T) {
			if err := p.Commit(context.Background(), msg("door-1", "up", tt.body)); err != nil {
				t.Fatalf("Commit = %v, want nil (acknowledged and dropped)", err)
			}
			if err := p.Commit(context.Background(), msg("door-1", "up", `{"open":false}`)); err != nil {
				t.Fatal(err)
			}
			if err := p.FlushPresence(); err != nil {
				t.Fatal(err)
			}
			d := findDevice(t, p, "door-1")
			if !strings.HasPrefix(d.LastError(), tt.reason+" on devices/door-1/up") || d.LastErrorAt().IsZero() {
				t.Fatalf("last_error = %q at %v", d.LastError(), d.LastErrorAt())
			}
		})
	}
	if err := p.FlushPresence(); err != nil {
		t.Fatal(err)
	}
	d := findDevice(t, p, "door-1")
	if d.Dropped() != len(badPayloads) || d.Messages() != len(badPayloads) {
		t.Fatalf("dropped = %d, messages = %d, want %d each", d.Dropped(), d.Messages(), len(badPayloads))
	}
	if n := countReadings(t, app, dev.Id); n != len(badPayloads) {
		t.Fatalf("readings = %d, want only the %d good ones", n, len(badPayloads))
	}
	waitFor(t, "the good events", func() bool { return len(rec.all()) == len(badPayloads) })
	for _, ev := range rec.all() {
		if ev.Unreadable {
			t.Fatalf("a bad payload from a door magnet reached the seam: %+v", ev)
		}
	}
	st := p.Stats()
	want := map[string]int64{payload.ReasonNotJSON: 2, payload.ReasonNotObject: 2, payload.ReasonInvalidUTF8: 1,
		payload.ReasonTooDeep: 1, payload.ReasonTooLarge: 1}
	for r, n := range want {
		if st.Bad[r] != n {
			t.Fatalf("Stats.Bad = %v, want %v", st.Bad, want)
		}
	}
}

// TestUnreadableSOSReachesTheSeam: an SOS button's garbled message is
// stored (with its raw bytes) and handed on flagged Unreadable, ahead of
// ordinary telemetry; it is recorded as the last error but not dropped.
func TestUnreadableSOSReachesTheSeam(t *testing.T) {
	app := newTestApp(t)
	sos := addDevice(t, app, "sos-1", model.KindSOSButton, map[string]any{})
	rec := &recorder{}
	p, _ := newPipeline(t, app, Config{Handler: rec})
	for _, tt := range badPayloads {
		t.Run(tt.name, func(t *testing.T) {
			before := len(rec.all())
			if err := p.Commit(context.Background(), msg("sos-1", "up", tt.body)); err != nil {
				t.Fatalf("Commit = %v", err)
			}
			waitFor(t, "the event", func() bool { return len(rec.all()) == before+1 })
			ev := rec.all()[before]
			if !ev.Unreadable || ev.Reason != tt.reason || ev.Payload != nil || ev.Kind != model.KindSOSButton ||
				ev.ReadingID == "" || string(ev.Raw) != tt.body {
				t.Fatalf("event = %+v", ev)
			}
			r, err := app.FindRecordById(model.CollectionReadings, ev.ReadingID)
			if err != nil {
				t.Fatal(err)
			}
			var data map[string]any
			if err := json.Unmarshal([]byte(r.GetString("data")), &data); err != nil || data["unreadable"] != tt.reason {
				t.Fatalf("stored data = %s (%v)", r.GetString("data"), err)
			}
		})
	}
	if err := p.FlushPresence(); err != nil {
		t.Fatal(err)
	}
	d := findDevice(t, p, "sos-1")
	if d.Dropped() != 0 || d.Messages() != len(badPayloads) || !strings.Contains(d.LastError(), "sos-1") {
		t.Fatalf("sos-1 = dropped %d, messages %d, last_error %q", d.Dropped(), d.Messages(), d.LastError())
	}
	if n := countReadings(t, app, sos.Id); n != len(badPayloads) {
		t.Fatalf("readings = %d", n)
	}
}
