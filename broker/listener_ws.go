package broker

import (
	"log/slog"
	"net/http"
	"sync/atomic"

	"github.com/gorilla/websocket"
	"github.com/mochi-mqtt/server/v2/listeners"
)

const wsListenerID = "ws"

// wsListener is MQTT over WebSocket on the appliance's HTTP port: an
// http.Handler that PocketBase's router mounts at /mqtt (mochi's own
// WebSocket listener is unexported and runs its own HTTP server). It is
// also registered with mochi as a listener so that shutdown disconnects
// its clients like the others.
type wsListener struct {
	s        *Server
	state    atomic.Int32 // 0 before Start, 1 serving, 2 closed
	upgrader websocket.Upgrader
}

var _ listeners.Listener = (*wsListener)(nil)

func newWSListener(s *Server) *wsListener {
	return &wsListener{s: s, upgrader: websocket.Upgrader{
		Subprotocols:    []string{"mqtt"},
		ReadBufferSize:  1024,
		WriteBufferSize: 1024,
		// Devices and integrations authenticate with a token in CONNECT,
		// not with cookies, so a foreign Origin cannot borrow a session.
		CheckOrigin: func(*http.Request) bool { return true },
	}}
}

func (l *wsListener) ID() string                  { return wsListenerID }
func (l *wsListener) Address() string             { return "/mqtt" }
func (l *wsListener) Protocol() string            { return "ws" }
func (l *wsListener) Init(*slog.Logger) error     { return nil }
func (l *wsListener) Serve(listeners.EstablishFn) { l.state.CompareAndSwap(0, 1) }

// Close refuses new upgrades and ends this listener's connections.
func (l *wsListener) Close(listeners.CloseFn) {
	if l.state.Swap(2) == 2 {
		return
	}
	l.s.disconnectAll(wsListenerID)
}

// ServeHTTP upgrades the request and serves MQTT on it until the client
// leaves; it answers 503 before Start and after Close.
func (l *wsListener) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if l.state.Load() != 1 {
		http.Error(w, "MQTT broker not running", http.StatusServiceUnavailable)
		return
	}
	ws, err := l.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered with an HTTP error
	}
	// A WebSocket message may hold several packets, but never needs to be
	// much larger than the largest packet.
	ws.SetReadLimit(int64(l.s.cfg.MaxPacketSize) * 4)
	l.s.serveConn(wsListenerID, &wsConn{Conn: ws.UnderlyingConn(), ws: ws, remote: remoteAddr(r.RemoteAddr)})
}
