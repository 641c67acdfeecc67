package alarms

import "testing"

// TestPairIndex: the index follows creates, edits (deactivate, move to
// another elder or volunteer) and deletes of pairings.
func TestPairIndex(t *testing.T) {
	x := newPairIndex()
	steps := []struct {
		name   string
		apply  func()
		paired map[[2]string]bool // (elder, volunteer) → paired
	}{
		{"create active", func() { x.put("p1", pairing{volunteer: "v1", elder: "e1", active: true}) },
			map[[2]string]bool{{"e1", "v1"}: true, {"e2", "v1"}: false, {"e1", "v2"}: false}},
		{"create inactive", func() { x.put("p2", pairing{volunteer: "v1", elder: "e2"}) },
			map[[2]string]bool{{"e1", "v1"}: true, {"e2", "v1"}: false}},
		{"activate", func() { x.put("p2", pairing{volunteer: "v1", elder: "e2", active: true}) },
			map[[2]string]bool{{"e1", "v1"}: true, {"e2", "v1"}: true}},
		{"move to another volunteer", func() { x.put("p1", pairing{volunteer: "v2", elder: "e1", active: true}) },
			map[[2]string]bool{{"e1", "v1"}: false, {"e1", "v2"}: true, {"e2", "v1"}: true}},
		{"second pairing of the same pair", func() { x.put("p3", pairing{volunteer: "v2", elder: "e1", active: true}) },
			map[[2]string]bool{{"e1", "v2"}: true}},
		{"delete one of the two", func() { x.remove("p1") }, map[[2]string]bool{{"e1", "v2"}: true}},
		{"deactivate the other", func() { x.put("p3", pairing{volunteer: "v2", elder: "e1"}) }, map[[2]string]bool{{"e1", "v2"}: false}},
		{"delete unknown", func() { x.remove("nope") }, map[[2]string]bool{{"e2", "v1"}: true}},
		{"delete", func() { x.remove("p2") }, map[[2]string]bool{{"e2", "v1"}: false}},
	}
	for _, s := range steps {
		s.apply()
		for pair, want := range s.paired {
			if got := x.paired(pair[0], pair[1]); got != want {
				t.Errorf("%s: paired(%s, %s) = %v, want %v", s.name, pair[0], pair[1], got, want)
			}
		}
	}
	if len(x.active) != 0 {
		t.Errorf("left over: %v", x.active)
	}
}
