package rules

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// parseDuration is time.ParseDuration plus a "d" (24h) unit, for the
// durations admins write: "12h", "90m", "2d", "1d12h".
func parseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, errors.New("empty duration")
	}
	var days int64
	rest := s
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if c >= '0' && c <= '9' {
			continue
		}
		if c == 'd' {
			n, err := parseDigits(rest[:i])
			if err != nil {
				return 0, fmt.Errorf("invalid duration %q", s)
			}
			days, rest = n, rest[i+1:]
		}
		break
	}
	var d time.Duration
	if rest != "" {
		var err error
		if d, err = time.ParseDuration(rest); err != nil {
			return 0, fmt.Errorf("invalid duration %q (use units like 90s, 10m, 12h, 2d)", s)
		}
	}
	if days > 365*100 || d < 0 {
		return 0, fmt.Errorf("invalid duration %q", s)
	}
	return time.Duration(days)*24*time.Hour + d, nil
}

func parseDigits(s string) (int64, error) {
	if s == "" || len(s) > 6 {
		return 0, errors.New("bad number")
	}
	var n int64
	for i := 0; i < len(s); i++ {
		n = n*10 + int64(s[i]-'0')
	}
	return n, nil
}

// formatDuration prints 12h rather than 12h0m0s, 1h30m rather than 1h30m0s.
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
