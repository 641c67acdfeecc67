package broker

import (
	"strings"
	"testing"
)

func TestCovers(t *testing.T) {
	for _, tc := range []struct {
		pattern, filter string
		want            bool
	}{
		{"#", "a/b", true},
		{"#", "$SYS/x", false},
		{"+/b", "$SYS/b", false},
		{"$SYS/#", "$SYS/broker/uptime", true},
		{"alarms/#", "alarms", true},
		{"alarms/#", "alarms/critical/7", true},
		{"alarms/#", "alarms/+/7", true},
		{"alarms/#", "alarmsX/critical", false},
		{"alarms/+/7", "alarms/critical/7", true},
		{"alarms/+/7", "alarms/+/7", true},
		{"alarms/+/7", "alarms/#", false},
		{"alarms/critical/+", "alarms/+/x", false},
		{"a/+", "a", false},
		{"a/+", "a/b/c", false},
		{"a/b", "a/b", true},
		{"a/b", "a/b/c", false},
		{"a/b/c", "a/b", false},
		{"ingest/110", "ingest/110", true},
		{"ingest/110", "ingest/12345", false},
	} {
		if got := covers(tc.pattern, tc.filter); got != tc.want {
			t.Errorf("covers(%q, %q) = %v, want %v", tc.pattern, tc.filter, got, tc.want)
		}
	}
}

func TestCheckTopic(t *testing.T) {
	for _, tc := range []struct {
		topic  string
		filter bool
		want   string
	}{
		{"devices/a/up", false, ""},
		{"", false, "empty topic"},
		{strings.Repeat("x", 257), false, "topic too long"},
		{"a/\x01", false, "control character in topic"},
		{"a/\u0085", false, "control character in topic"},
		{"a/\xff", false, "invalid UTF-8"},
		{"a/+", false, "wildcard in topic name"},
		{"a/#", true, ""},
		{"a/#/b", true, "misplaced wildcard"},
		{"a/b+", true, "misplaced wildcard"},
		{"+/x/+", true, ""},
		{"设备/门磁", false, ""},
	} {
		if got := checkTopic(tc.topic, tc.filter, 256); got != tc.want {
			t.Errorf("checkTopic(%q, %v) = %q, want %q", tc.topic, tc.filter, got, tc.want)
		}
	}
}

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{
		"sos-1": true, "A_b-9": true, strings.Repeat("x", 64): true,
		"": false, strings.Repeat("x", 65): false, "a/b": false, "a b": false, "门磁": false, "a+": false, "$SYS": false,
	} {
		if validID(id) != want {
			t.Errorf("validID(%q) = %v", id, !want)
		}
	}
}

// The device and integration policies, default deny.
func TestPolicy(t *testing.T) {
	dev := newPolicy(Account{ID: "sos-1"}, 256)
	siren := newPolicy(Account{ID: "siren-1", Integration: true, Publish: []string{"ingest/siren-1"}, Subscribe: []string{"alarms/#"}}, 256)
	spy := newPolicy(Account{ID: "spy", Integration: true, Subscribe: []string{"#"}}, 256)
	for _, tc := range []struct {
		name  string
		p     *policy
		write bool
		topic string
		want  string
	}{
		{"own telemetry", &dev, true, "devices/sos-1/up", ""},
		{"own status", &dev, true, "devices/sos-1/status", ""},
		{"own sub-level", &dev, true, "devices/sos-1/up/battery", ""},
		{"own downlink", &dev, true, "devices/sos-1/cmd", "downlink topic"},
		{"own downlink sub-level", &dev, true, "devices/sos-1/cmd/x", "downlink topic"},
		{"own root", &dev, true, "devices/sos-1/", "empty topic level"},
		{"empty level", &dev, true, "devices/sos-1//up", "empty topic level"},
		{"foreign device", &dev, true, "devices/sos-2/up", "foreign topic"},
		{"prefix of another id", &dev, true, "devices/sos-10/up", "foreign topic"},
		{"alarms", &dev, true, "alarms/critical/1", "foreign topic"},
		{"$SYS", &dev, true, "$SYS/x", "$ topic"},
		{"wildcard publish", &dev, true, "devices/sos-1/+", "wildcard in topic name"},
		{"subscribe own cmd", &dev, false, "devices/sos-1/cmd", ""},
		{"subscribe own up", &dev, false, "devices/sos-1/up", "foreign topic"},
		{"subscribe foreign cmd", &dev, false, "devices/sos-2/cmd", "foreign topic"},
		{"subscribe wildcard", &dev, false, "devices/+/cmd", "wildcard subscription"},
		{"subscribe everything", &dev, false, "#", "wildcard subscription"},
		{"subscribe $SYS", &dev, false, "$SYS/#", "$ topic"},
		{"subscribe shared", &dev, false, "$share/g/devices/sos-1/cmd", "shared subscription"},
		{"subscribe shared upper", &dev, false, "$SHARE/g/devices/sos-1/cmd", "shared subscription"},
		{"siren feed", &siren, true, "ingest/siren-1", ""},
		{"siren other feed", &siren, true, "ingest/110", "not in publish patterns"},
		{"siren spoof device", &siren, true, "devices/sos-1/up", "not in publish patterns"},
		{"siren alarms", &siren, false, "alarms/+/7", ""},
		{"siren devices", &siren, false, "devices/#", "not in subscribe patterns"},
		{"siren shared", &siren, false, "$share/g/alarms/#", "shared subscription"},
		{"spy everything", &spy, false, "#", ""},
		{"spy $SYS", &spy, false, "$SYS/#", "not in subscribe patterns"},
		{"spy publish", &spy, true, "devices/sos-1/cmd", "not in publish patterns"},
	} {
		got := tc.p.subscribe(tc.topic)
		if tc.write {
			got = tc.p.publish(tc.topic)
		}
		if got != tc.want {
			t.Errorf("%s: %q → %q, want %q", tc.name, tc.topic, got, tc.want)
		}
	}
}

func TestDeviceWill(t *testing.T) {
	got := deviceWill("devices/a/status", willOf("devices/b/status", "online", 2, false))
	if got.TopicName != "devices/a/status" || string(got.Payload) != "online" || got.Qos != 2 || got.Retain {
		t.Errorf("own status payload kept, topic forced: %+v", got)
	}
	got = deviceWill("devices/a/status", willOf("devices/b/up", `{"sos":true}`, 1, true))
	if string(got.Payload) != "offline" {
		t.Errorf("a payload that is no status becomes offline: %q", got.Payload)
	}
	got = deviceWill("devices/a/status", willOf("", "", 0, false))
	got.Flag = 1
	if got.TopicName != "devices/a/status" || string(got.Payload) != "offline" || !got.Retain || got.Qos != 1 {
		t.Errorf("broker-set will: %+v", got)
	}
}
