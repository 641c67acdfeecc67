package rules

import (
	"fmt"
	"strings"
	"time"
)

// Window is when a rule is active: a daily clock window [From, To) and a
// set of weekdays. A window whose To is before its From crosses midnight
// (23:00–05:00); its early-morning part belongs to the day it started on,
// so "fri 23:00–05:00" includes Saturday 02:00. Clock times are read in
// the location of the time given. The zero Window is always active.
type Window struct {
	// From and To are minutes after midnight; both 0 when there is no clock
	// window (all day).
	From, To int
	clock    bool
	days     uint8 // bit i set: weekday i (Sunday = 0) allowed; 0: every day
}

// ParseWindow reads a rule's active_from, active_to ("07:00") and days
// ("mon"…"sun"). Both times or neither must be given, and they must differ.
func ParseWindow(from, to string, days []string) (Window, Errors) {
	var w Window
	var errs Errors
	switch {
	case from == "" && to == "":
	case from == "" || to == "":
		field := "active_from"
		if to == "" {
			field = "active_to"
		}
		errs.add(field, "", "give both active_from and active_to, or neither")
	default:
		f, err1 := parseClock(from)
		t, err2 := parseClock(to)
		if err1 != nil {
			errs.add("active_from", "", err1.Error())
		}
		if err2 != nil {
			errs.add("active_to", "", err2.Error())
		}
		if err1 == nil && err2 == nil {
			if f == t {
				errs.add("active_to", "", "active_to equals active_from: leave both empty for all day")
			}
			w.From, w.To, w.clock = f, t, true
		}
	}
	for i, d := range days {
		n := dayIndex(d)
		if n < 0 {
			errs.add("days", fmt.Sprintf("days[%d]", i), fmt.Sprintf("unknown day %q: use mon, tue, wed, thu, fri, sat, sun", d))
			continue
		}
		w.days |= 1 << n
	}
	return w, errs
}

func parseClock(s string) (int, error) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("invalid time %q: use HH:MM, e.g. 07:00", s)
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || h > 23 || m > 59 || h < 0 || m < 0 {
		return 0, fmt.Errorf("invalid time %q: use HH:MM from 00:00 to 23:59", s)
	}
	return h*60 + m, nil
}

func dayIndex(d string) int {
	for i, n := range dayNames {
		if strings.EqualFold(d, n) {
			return i
		}
	}
	return -1
}

// Always reports whether the window places no restriction.
func (w Window) Always() bool { return !w.clock && w.days == 0 }

// Contains reports whether t falls inside the window.
func (w Window) Contains(t time.Time) bool {
	if w.Always() {
		return true
	}
	day := t.Weekday()
	if w.clock {
		m := t.Hour()*60 + t.Minute()
		switch {
		case w.From < w.To:
			if m < w.From || m >= w.To {
				return false
			}
		case m >= w.From:
		case m < w.To:
			day = (day + 6) % 7 // the early-morning part of yesterday's window
		default:
			return false
		}
	}
	return w.dayAllowed(day)
}

func (w Window) dayAllowed(d time.Weekday) bool { return w.days == 0 || w.days&(1<<d) != 0 }

// AddActive returns the moment when d of active time has passed since
// start, counting only time inside the window: the deadline of a silence
// rule ("no motion for 12 h of daytime"). It returns the zero time if that
// takes more than ten years.
func (w Window) AddActive(start time.Time, d time.Duration) time.Time {
	if w.Always() || d <= 0 {
		return start.Add(d)
	}
	loc := start.Location()
	y, mo, dd := start.Date()
	left := d
	// Start a day early: yesterday's window may reach past midnight.
	for i := -1; i < 3660; i++ {
		from, to, ok := w.interval(y, mo, dd+i, loc)
		if !ok || !to.After(start) {
			continue
		}
		if from.Before(start) {
			from = start
		}
		if span := to.Sub(from); left <= span {
			return from.Add(left)
		} else {
			left -= span
		}
	}
	return time.Time{}
}

// interval is the active interval that starts on the given calendar day.
func (w Window) interval(y int, m time.Month, d int, loc *time.Location) (from, to time.Time, ok bool) {
	day := time.Date(y, m, d, 0, 0, 0, 0, loc)
	if !w.dayAllowed(day.Weekday()) {
		return from, to, false
	}
	if !w.clock {
		return day, time.Date(y, m, d+1, 0, 0, 0, 0, loc), true
	}
	from = time.Date(y, m, d, w.From/60, w.From%60, 0, 0, loc)
	endDay := d
	if w.To <= w.From {
		endDay++
	}
	to = time.Date(y, m, endDay, w.To/60, w.To%60, 0, 0, loc)
	return from, to, true
}
