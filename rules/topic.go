package rules

import (
	"errors"
	"strings"
)

// validTopicFilter checks an MQTT topic filter: levels separated by "/",
// "+" alone in a level matches one level, "#" alone in the last level
// matches the rest.
func validTopicFilter(f string) error {
	if len(f) > 256 {
		return errors.New("topic filter longer than 256 characters")
	}
	if strings.ContainsAny(f, "\x00") {
		return errors.New("topic filter contains a NUL character")
	}
	levels := strings.Split(f, "/")
	for i, l := range levels {
		switch {
		case l == "#" && i != len(levels)-1:
			return errors.New(`"#" must be the last level of a topic filter, e.g. devices/#`)
		case l != "#" && l != "+" && strings.ContainsAny(l, "#+"):
			return errors.New(`"+" and "#" must stand alone in a topic level, e.g. devices/+/up`)
		}
	}
	return nil
}

// matchTopic reports whether topic matches the filter levels, as an MQTT
// broker would: wildcards in the first level do not match topics that
// start with "$".
func matchTopic(filter []string, topic string) bool {
	if len(filter) == 0 {
		return true
	}
	if strings.HasPrefix(topic, "$") && (filter[0] == "+" || filter[0] == "#") {
		return false
	}
	rest := topic
	for i, f := range filter {
		if f == "#" {
			return true
		}
		level, more := rest, false
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			level, rest, more = rest[:j], rest[j+1:], true
		} else {
			rest = ""
		}
		if f != "+" && f != level {
			return false
		}
		if !more {
			// topic ended: matches if the filter ends too, or continues with "#"
			return i == len(filter)-1 || (i == len(filter)-2 && filter[i+1] == "#")
		}
	}
	return false // topic has more levels than the filter
}
