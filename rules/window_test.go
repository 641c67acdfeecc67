package rules

import (
	"testing"
	"time"
)

func mustWindow(t *testing.T, from, to string, days ...string) Window {
	t.Helper()
	w, errs := ParseWindow(from, to, days)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return w
}

func TestWindowContains(t *testing.T) {
	// 2026-03-13 is a Friday, 03-14 a Saturday.
	fri := func(h, m int) time.Time { return time.Date(2026, 3, 13, h, m, 0, 0, cst) }
	sat := func(h, m int) time.Time { return time.Date(2026, 3, 14, h, m, 0, 0, cst) }
	tests := []struct {
		name string
		w    Window
		t    time.Time
		want bool
	}{
		{"always", Window{}, sat(3, 0), true},
		{"day window inside", mustWindow(t, "07:00", "21:00"), sat(7, 0), true},
		{"day window end exclusive", mustWindow(t, "07:00", "21:00"), sat(21, 0), false},
		{"day window before", mustWindow(t, "07:00", "21:00"), sat(6, 59), false},
		{"night before midnight", mustWindow(t, "23:00", "05:00"), sat(23, 30), true},
		{"night after midnight", mustWindow(t, "23:00", "05:00"), sat(4, 59), true},
		{"night gap", mustWindow(t, "23:00", "05:00"), sat(12, 0), false},
		{"friday night includes saturday 02:00", mustWindow(t, "23:00", "05:00", "fri"), sat(2, 0), true},
		{"friday night excludes friday 02:00", mustWindow(t, "23:00", "05:00", "fri"), fri(2, 0), false},
		{"friday night at 23:30", mustWindow(t, "23:00", "05:00", "fri"), fri(23, 30), true},
		{"days only", mustWindow(t, "", "", "sat", "sun"), sat(12, 0), true},
		{"days only, other day", mustWindow(t, "", "", "sat", "sun"), fri(12, 0), false},
		{"read in the time's zone", mustWindow(t, "07:00", "21:00"), sat(8, 0).UTC(), false}, // 00:00 UTC
	}
	for _, tt := range tests {
		if got := tt.w.Contains(tt.t); got != tt.want {
			t.Errorf("%s: Contains(%v) = %v, want %v", tt.name, tt.t, got, tt.want)
		}
	}
}

func TestAddActive(t *testing.T) {
	d := func(day, h, m int) time.Time { return time.Date(2026, 3, day, h, m, 0, 0, cst) }
	tests := []struct {
		name  string
		w     Window
		start time.Time
		dur   time.Duration
		want  time.Time
	}{
		{"no window", Window{}, d(14, 20, 0), 12 * time.Hour, d(15, 8, 0)},
		{"inside the day", mustWindow(t, "07:00", "21:00"), d(14, 7, 0), 12 * time.Hour, d(14, 19, 0)},
		{"spills to next day", mustWindow(t, "07:00", "21:00"), d(14, 20, 0), 12 * time.Hour, d(15, 18, 0)},
		{"starts at night", mustWindow(t, "07:00", "21:00"), d(14, 23, 0), 12 * time.Hour, d(15, 19, 0)},
		{"exactly the window", mustWindow(t, "07:00", "21:00"), d(14, 7, 0), 14 * time.Hour, d(14, 21, 0)},
		{"two days", mustWindow(t, "07:00", "21:00"), d(14, 7, 0), 20 * time.Hour, d(15, 13, 0)},
		{"night window across midnight", mustWindow(t, "23:00", "05:00"), d(14, 12, 0), 2 * time.Hour, d(15, 1, 0)},
		{"inside a night window", mustWindow(t, "23:00", "05:00"), d(15, 2, 0), 2 * time.Hour, d(15, 4, 0)},
		{"weekdays skip the weekend", mustWindow(t, "07:00", "21:00", "mon", "tue", "wed", "thu", "fri"), d(13, 20, 0), 2 * time.Hour, d(16, 8, 0)},
		{"never", Window{clock: true, From: 0, To: 1, days: 1 << time.Sunday}, d(14, 0, 0), 30 * 24 * time.Hour, time.Time{}},
	}
	for _, tt := range tests {
		if got := tt.w.AddActive(tt.start, tt.dur); !got.Equal(tt.want) {
			t.Errorf("%s: AddActive(%v, %v) = %v, want %v", tt.name, tt.start, tt.dur, got, tt.want)
		}
	}
}

// TestAddActiveDST: windows follow the wall clock across a DST change.
func TestAddActiveDST(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	w := mustWindow(t, "07:00", "21:00")
	// Clocks go forward on 2026-03-29; the window is still 07:00–21:00 local.
	start := time.Date(2026, 3, 28, 20, 0, 0, 0, berlin)
	want := time.Date(2026, 3, 29, 18, 0, 0, 0, berlin)
	if got := w.AddActive(start, 12*time.Hour); !got.Equal(want) {
		t.Errorf("across DST: %v, want %v", got, want)
	}
}
