package loadgen

import (
	"strings"
	"testing"
)

func TestReadSSE(t *testing.T) {
	stream := "id:1\nevent:PB_CONNECT\ndata:{\"clientId\":\"c1\"}\n\n" +
		": a comment\n\n" +
		"event:fengqiao/alarms\ndata:{\"action\":\"create\"}\n\n" +
		"event:cut off\ndata:{\"never\""
	var got []string
	if err := ReadSSE(strings.NewReader(stream), func(ev, data string) { got = append(got, ev+" "+data) }); err != nil {
		t.Fatal(err)
	}
	want := []string{`PB_CONNECT {"clientId":"c1"}`, `fengqiao/alarms {"action":"create"}`}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("events %q, want %q", got, want)
	}
	long := "event:big\ndata:" + strings.Repeat("x", 2<<20) + "\n\n"
	if err := ReadSSE(strings.NewReader(long), func(string, string) {}); err == nil {
		t.Error("an event over 1 MiB read without an error")
	}
}
