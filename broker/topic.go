package broker

import (
	"strings"
	"unicode/utf8"
)

// checkTopic validates a topic name (publish) or, with filter set, a topic
// filter (subscribe), and returns the reason it is refused or "". mochi's
// decoder already rejects invalid UTF-8 and NUL; this adds the length limit,
// control characters and wildcard placement, so the appliance's own Publish
// gets the same checks as a device.
func checkTopic(t string, filter bool, maxLen int) string {
	switch {
	case t == "":
		return "empty topic"
	case len(t) > maxLen:
		return "topic too long"
	case !utf8.ValidString(t):
		return "invalid UTF-8"
	}
	for _, r := range t {
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == utf8.RuneError {
			return "control character in topic"
		}
	}
	if !filter {
		if strings.ContainsAny(t, "+#") {
			return "wildcard in topic name"
		}
		return ""
	}
	levels := strings.Split(t, "/")
	for i, l := range levels {
		if (strings.Contains(l, "+") && l != "+") || (strings.Contains(l, "#") && (l != "#" || i != len(levels)-1)) {
			return "misplaced wildcard"
		}
	}
	return ""
}

// covers reports whether every topic matched by filter is also matched by
// pattern, using MQTT matching: "+" is one level, "#" the rest (including the
// parent level), and neither matches a first level that starts with "$".
// With a wildcard-free filter this is ordinary topic matching, so the same
// function checks subscriptions and deliveries.
func covers(pattern, filter string) bool {
	if strings.HasPrefix(filter, "$") && !strings.HasPrefix(pattern, "$") {
		return false // [MQTT-4.7.2-1]
	}
	for {
		p, pRest, pMore := strings.Cut(pattern, "/")
		if p == "#" {
			return true
		}
		f, fRest, fMore := strings.Cut(filter, "/")
		if f == "#" || (p != "+" && (f == "+" || p != f)) {
			return false
		}
		switch {
		case !pMore && !fMore:
			return true
		case !fMore:
			return pRest == "#" // "a/#" also matches the parent level "a"
		case !pMore:
			return false
		}
		pattern, filter = pRest, fRest
	}
}

// isSharedFilter reports a $share/… subscription (mochi compares the prefix
// case-insensitively, so do we).
func isSharedFilter(f string) bool {
	return len(f) >= 7 && strings.EqualFold(f[:7], "$share/")
}

// hasEmptyLevel reports "a//b", "/a" or "a/".
func hasEmptyLevel(t string) bool {
	return strings.HasPrefix(t, "/") || strings.HasSuffix(t, "/") || strings.Contains(t, "//")
}
