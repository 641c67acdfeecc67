package broker

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// The WebSocket adapter keeps the write deadline mochi sets: gorilla would
// otherwise clear it before every frame, and a client that stops reading
// would block the broker's writer for good.
func TestWSConnWriteDeadline(t *testing.T) {
	got := make(chan error, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			got <- err
			return
		}
		c := &wsConn{Conn: ws.UnderlyingConn(), ws: ws, remote: remoteAddr(r.RemoteAddr)}
		_ = c.SetDeadline(time.Now().Add(200 * time.Millisecond))
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for {
			if _, err := c.Write(chunk); err != nil {
				got <- err
				return
			}
		}
	}))
	defer srv.Close()
	client, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close() // and never read
	select {
	case err := <-got:
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Fatalf("write ended with %v, want a timeout", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("write to a client that does not read never gave up")
	}
}
