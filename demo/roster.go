package demo

import (
	"time"

	"github.com/pocketbase/dbx"
)

// dutyRoster puts the three station staff on day and night shifts for the
// two weeks around today, so "on-duty staff" always finds someone.
func (s *seeder) dutyRoster() error {
	staff := []string{"13800000002", "13800000003", "13800000004"}
	today := time.Now().Truncate(24 * time.Hour)
	col, err := s.app.FindCachedCollectionByNameOrId("duty_roster")
	if err != nil {
		return err
	}
	for d := -7; d < 14; d++ {
		day := today.AddDate(0, 0, d)
		shifts := []struct {
			shift      string
			start, end time.Time
		}{
			{"day", day.Add(8 * time.Hour), day.Add(20 * time.Hour)},
			{"night", day.Add(20 * time.Hour), day.Add(32 * time.Hour)},
		}
		for k, sh := range shifts {
			user := s.id("user:" + staff[(d+7+k)%len(staff)])
			n, err := s.app.CountRecords("duty_roster", dbx.HashExp{"user": user, "starts_at": sh.start.UTC().Format("2006-01-02 15:04:05.000Z")})
			if err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			r := newRecordOf(col)
			r.Load(map[string]any{"user": user, "starts_at": sh.start, "ends_at": sh.end, "shift": sh.shift})
			if err := s.app.Save(r); err != nil {
				return err
			}
		}
	}
	return nil
}
