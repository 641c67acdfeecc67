package loadgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Device kinds the simulator knows (the appliance's devices.kind values).
const (
	kindDoor    = "door_magnet"
	kindSOS     = "sos_button"
	kindPIR     = "pir"
	kindSmoke   = "smoke"
	kindGas     = "gas"
	kindLeak    = "water_leak"
	kindParking = "parking"
)

// KindFromClientID guesses a demo device's kind from its client id prefix
// ("sos-3-2-401" → sos_button); "" when it cannot tell.
func KindFromClientID(id string) string {
	prefix, _, _ := strings.Cut(id, "-")
	switch prefix {
	case "door":
		return kindDoor
	case "sos":
		return kindSOS
	case "pir":
		return kindPIR
	case "smoke":
		return kindSmoke
	case "gas":
		return kindGas
	case "leak":
		return kindLeak
	case "park":
		return kindParking
	}
	return ""
}

// SimKinds are the kinds generated devices cycle through.
var SimKinds = []string{kindPIR, kindDoor, kindParking, kindSOS, kindSmoke}

// state is one simulated sensor's memory.
type state struct {
	kind     string
	battery  float64
	open     bool // door
	occupied bool // parking space
	motion   bool
}

func newState(kind string, r *rand.Rand) *state {
	return &state{kind: kind, battery: 55 + r.Float64()*45, occupied: r.IntN(2) == 0}
}

// daytime reports whether residents are up and about at t (07–22 h).
func daytime(t time.Time) bool { h := t.Hour(); return h >= 7 && h < 22 }

// jitter returns a random duration around d (×0.5…×1.5).
func jitter(r *rand.Rand, d time.Duration) time.Duration {
	return time.Duration(float64(d) * (0.5 + r.Float64()))
}

// next decides the device's next message and how long to wait before
// sending it. The pace is a demo's: things happen every few seconds to
// minutes across the community, scaled by the simulator's speed.
func (s *state) next(now time.Time, r *rand.Rand) (wait time.Duration, body string) {
	day := daytime(now)
	s.battery -= 0.02 + r.Float64()*0.03 // a slow drain: a few % an hour at speed 1
	if s.battery < 5 {
		s.battery = 100 // someone changed the batteries
	}
	batt := int(s.battery)
	switch s.kind {
	case kindPIR:
		if s.motion {
			s.motion = false
			return jitter(r, 40*time.Second), fmt.Sprintf(`{"motion":false,"battery":%d}`, batt)
		}
		if day || r.IntN(10) == 0 { // at night an elder rarely gets up
			s.motion = true
			return jitter(r, 20*time.Second), fmt.Sprintf(`{"motion":true,"battery":%d}`, batt)
		}
		return jitter(r, 3*time.Minute), fmt.Sprintf(`{"motion":false,"battery":%d}`, batt)
	case kindDoor:
		if s.open {
			s.open = false
			return jitter(r, 3*time.Minute), fmt.Sprintf(`{"open":false,"battery":%d}`, batt)
		}
		if day || r.IntN(12) == 0 { // a door opening at night is what rules watch for
			s.open = true
			return jitter(r, 20*time.Second), fmt.Sprintf(`{"open":true,"battery":%d}`, batt)
		}
		return jitter(r, 5*time.Minute), fmt.Sprintf(`{"open":false,"battery":%d}`, batt)
	case kindParking:
		churn := 4 * time.Minute
		if !day {
			churn = 20 * time.Minute
		}
		s.occupied = !s.occupied
		return jitter(r, churn), fmt.Sprintf(`{"occupied":%v,"battery":%d}`, s.occupied, batt)
	case kindSOS:
		if r.IntN(40) == 0 { // the occasional press: about one an hour per button at speed 1
			return jitter(r, 90*time.Second), fmt.Sprintf(`{"sos":true,"battery":%d}`, batt)
		}
		return jitter(r, 90*time.Second), fmt.Sprintf(`{"battery":%d}`, batt)
	case kindSmoke, kindGas, kindLeak:
		key := map[string]string{kindSmoke: "smoke", kindGas: "gas", kindLeak: "leak"}[s.kind]
		alarm := r.IntN(500) == 0
		return jitter(r, 2*time.Minute), fmt.Sprintf(`{"%s":%v,"battery":%d}`, key, alarm, batt)
	}
	return jitter(r, 2*time.Minute), fmt.Sprintf(`{"battery":%d}`, batt)
}

// dropOff decides whether the device loses its connection now (about
// once an hour each at speed 1) and for how long.
func dropOff(r *rand.Rand) (bool, time.Duration) {
	if r.IntN(60) != 0 {
		return false, 0
	}
	return true, jitter(r, 90*time.Second)
}
