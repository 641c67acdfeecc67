package notify_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fengqiao/fengqiao/internal/testapp"
	"github.com/fengqiao/fengqiao/notify"
	"github.com/fengqiao/fengqiao/rules"
)

// who is a recipient as the tables write it: "user.grid1" for a seeded
// user (with the audience that named them), "phone:139…" for a contact.
func who(c *testapp.Community, rs []notify.Recipient) []string {
	byID := map[string]string{}
	for _, key := range c.Keys("users") {
		byID[c.ID(key)] = key
	}
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		name := "phone:" + r.Phone
		if r.UserID != "" {
			name = byID[r.UserID]
		}
		out = append(out, name+"/"+r.Audience)
	}
	return out
}

func TestRecipients(t *testing.T) {
	c := testapp.Shared(t)
	app := c.Clone(t)
	now := time.Now()
	// The elder e1's contacts: a son, the paired volunteer's own phone
	// (one person, reached once), and one with no number (left out).
	e1 := c.Record(t, app, "elder.e1")
	e1.Set("emergency_contacts", []map[string]string{
		{"name": "陈小明", "relation": "儿子", "phone": "13911112222"},
		{"name": "志愿者", "relation": "邻居", "phone": "13800000041"},
		{"name": "没有电话"},
	})
	if err := app.Save(e1); err != nil {
		t.Fatal(err)
	}
	e1id, e2id := c.ID("elder.e1"), c.ID("elder.e2")
	for _, tc := range []struct {
		name      string
		audiences []string
		target    notify.Target
		at        time.Time
		want      []string
	}{
		{"grid worker from the elder's household", []string{rules.AudienceGridWorker}, notify.Target{Elder: e1id}, now,
			[]string{"user.grid1/grid_worker"}},
		{"grid worker of a named grid", []string{rules.AudienceGridWorker}, notify.Target{Grid: c.ID("grid.g2")}, now,
			[]string{"user.grid2/grid_worker"}},
		{"grid worker of an empty grid", []string{rules.AudienceGridWorker}, notify.Target{Grid: c.ID("grid.spare")}, now, []string{}},
		{"grid worker unknown", []string{rules.AudienceGridWorker}, notify.Target{}, now, []string{}},
		{"on duty now", []string{rules.AudienceOnDuty}, notify.Target{}, now, []string{"user.staff/on_duty"}},
		{"on duty tomorrow", []string{rules.AudienceOnDuty}, notify.Target{}, now.Add(24 * time.Hour), []string{}},
		{"staff", []string{rules.AudienceStaff}, notify.Target{}, now, []string{"user.staff/staff"}},
		{"secretary", []string{rules.AudienceSecretary}, notify.Target{}, now, []string{"user.secretary/secretary"}},
		{"paired volunteer", []string{rules.AudienceVolunteer}, notify.Target{Elder: e1id}, now, []string{"user.volunteer/volunteer"}},
		{"inactive pairing", []string{rules.AudienceVolunteer}, notify.Target{Elder: e2id}, now, []string{}},
		{"household: verified residents by name", []string{rules.AudienceHousehold}, notify.Target{Household: c.ID("household.h1")}, now,
			[]string{"user.resident/household", "user.housemate/household"}},
		{"emergency contacts in call order", []string{rules.AudienceEmergencyContacts}, notify.Target{Elder: e1id}, now,
			[]string{"phone:13911112222/emergency_contacts", "phone:13800000041/emergency_contacts"}},
		{"no contacts", []string{rules.AudienceEmergencyContacts}, notify.Target{Elder: e2id}, now, []string{}},
		{"the critical ladder, de-duplicated", []string{rules.AudienceGridWorker, rules.AudienceOnDuty, rules.AudienceVolunteer,
			rules.AudienceEmergencyContacts, rules.AudienceStaff, rules.AudienceSecretary}, notify.Target{Elder: e1id}, now,
			[]string{"user.grid1/grid_worker", "user.staff/on_duty", "user.volunteer/volunteer",
				"phone:13911112222/emergency_contacts", "user.secretary/secretary"}},
		{"a contact who is a member gains their user", []string{rules.AudienceEmergencyContacts, rules.AudienceVolunteer}, notify.Target{Elder: e1id}, now,
			[]string{"phone:13911112222/emergency_contacts", "user.volunteer/emergency_contacts"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := notify.Recipients(app, tc.audiences, tc.target, tc.at)
			if err != nil {
				t.Fatal(err)
			}
			if w := who(c, got); !slices.Equal(w, tc.want) {
				t.Fatalf("got %v, want %v", w, tc.want)
			}
			again, err := notify.Recipients(app, tc.audiences, tc.target, tc.at)
			if err != nil || !slices.Equal(again, got) {
				t.Fatalf("not stable: %v then %v (%v)", got, again, err)
			}
		})
	}

	t.Run("recipients carry their addresses", func(t *testing.T) {
		got, err := notify.Recipients(app, []string{rules.AudienceEmergencyContacts, rules.AudienceGridWorker}, notify.Target{Elder: e1id}, now)
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Name != "陈小明 (儿子)" || got[0].Phone != "13911112222" || got[0].UserID != "" {
			t.Errorf("contact %+v", got[0])
		}
		grid1 := got[len(got)-1]
		if grid1.UserID != c.ID("user.grid1") || grid1.Phone != "13800000011" || !strings.Contains(grid1.Name, "13800000011") {
			t.Errorf("grid worker %+v", grid1)
		}
	})

	t.Run("unknown audience", func(t *testing.T) {
		if _, err := notify.Recipients(app, []string{"everyone"}, notify.Target{}, now); err == nil || !strings.Contains(err.Error(), "everyone") {
			t.Fatalf("error %v, want one naming the audience", err)
		}
	})

	t.Run("suspended users are left out", func(t *testing.T) {
		u := c.Record(t, app, "user.grid1")
		u.Set("roles", []string{})
		if err := app.Save(u); err != nil {
			t.Fatal(err)
		}
		got, err := notify.Recipients(app, []string{rules.AudienceGridWorker}, notify.Target{Elder: e1id}, now)
		if err != nil || len(got) != 0 {
			t.Fatalf("got %v (%v), want nobody", who(c, got), err)
		}
	})
}
