package rules

import (
	"strings"
	"testing"
)

func TestMatchTopic(t *testing.T) {
	tests := []struct {
		filter, topic string
		want          bool
	}{
		{"", "devices/a/up", true},
		{"devices/+/up", "devices/a/up", true},
		{"devices/+/up", "devices/a/status", false},
		{"devices/+/up", "devices/a/up/x", false},
		{"devices/+/up", "devices/up", false},
		{"devices/#", "devices/a/up", true},
		{"devices/#", "devices", true},
		{"devices/a/#", "devices/a", true},
		{"devices/a/#", "devices/b/up", false},
		{"#", "devices/a/up", true},
		{"#", "$SYS/broker", false},
		{"+/a", "$SYS/a", false},
		{"$SYS/#", "$SYS/broker", true},
		{"devices/+/+", "devices/a/", true},
		{"devices/a/up", "devices/a/up", true},
		{"devices/a/up", "devices/a/upx", false},
		{"ingest/+", "ingest/110", true},
	}
	for _, tt := range tests {
		var levels []string
		if tt.filter != "" {
			levels = strings.Split(tt.filter, "/")
		}
		if got := matchTopic(levels, tt.topic); got != tt.want {
			t.Errorf("matchTopic(%q, %q) = %v, want %v", tt.filter, tt.topic, got, tt.want)
		}
	}
}

func TestValidTopicFilter(t *testing.T) {
	for _, ok := range []string{"devices/+/up", "#", "+", "devices/#", "ingest/110", "a//b"} {
		if err := validTopicFilter(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"devices/#/up", "devices/a+/up", "dev#", "a/b\x00", strings.Repeat("a", 257)} {
		if err := validTopicFilter(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
