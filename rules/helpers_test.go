package rules

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	good := map[string]time.Duration{"12h": 12 * time.Hour, "90m": 90 * time.Minute, "2d": 48 * time.Hour,
		"1d12h": 36 * time.Hour, "0s": 0, "1.5h": 90 * time.Minute, "30s": 30 * time.Second}
	for s, want := range good {
		if got, err := parseDuration(s); err != nil || got != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "d", "12", "12 hours", "-5m", "1d-5h", "2w", "1d2d", "9999999d", "h"} {
		if _, err := parseDuration(s); err == nil {
			t.Errorf("parseDuration(%q) accepted", s)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{12 * time.Hour: "12h", 90 * time.Minute: "1h30m", 30 * time.Second: "30s",
		time.Hour + time.Second: "1h0m1s", 10 * time.Minute: "10m"} {
		if got := formatDuration(d); got != want {
			t.Errorf("formatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestElderAway(t *testing.T) {
	now := at(10, 0)
	tests := []struct {
		e    Elder
		want bool
	}{
		{Elder{}, false},
		{Elder{Mode: ModeHome}, false},
		{Elder{Mode: ModeAway}, true},
		{Elder{Mode: ModeHospital, ModeUntil: now.Add(time.Hour)}, true},
		{Elder{Mode: ModeHospital, ModeUntil: now.Add(-time.Hour)}, false},
	}
	for _, tt := range tests {
		if got := tt.e.Away(now); got != tt.want {
			t.Errorf("%+v.Away = %v, want %v", tt.e, got, tt.want)
		}
	}
}
