package loadgen

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// ReadSSE reads a PocketBase realtime (server-sent events) stream until it
// ends, calling fn with each event's name and data. PocketBase sends one
// data line per event; events may be up to 1 MiB.
func ReadSSE(r io.Reader, fn func(event, data string)) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var name, data string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event:"):
			name = strings.TrimSpace(line[len("event:"):])
		case strings.HasPrefix(line, "data:"):
			data = strings.TrimSpace(line[len("data:"):])
		case line == "" && name != "":
			fn(name, data)
			name, data = "", ""
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read realtime stream: %w", err)
	}
	return nil
}
