package broker

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"github.com/mochi-mqtt/server/v2/listeners"
)

// tcpListener serves MQTT on TCP, or TLS when tlsConf is set. It replaces
// mochi's listeners.TCP, whose per-connection goroutine has no recover (one
// malformed packet ends the process) and whose accept loop stops for good
// on the first error (a moment of fd exhaustion ends MQTT service).
type tcpListener struct {
	s       *Server
	id      string
	addr    string
	tlsConf *tls.Config
	ln      net.Listener
	closed  atomic.Bool
}

var _ listeners.Listener = (*tcpListener)(nil)

func (l *tcpListener) ID() string { return l.id }

func (l *tcpListener) Protocol() string {
	if l.tlsConf != nil {
		return "tls"
	}
	return "tcp"
}

// Address returns the bound address once Init has run.
func (l *tcpListener) Address() string {
	if l.ln != nil {
		return l.ln.Addr().String()
	}
	return l.addr
}

// Init binds the address (mochi calls it from AddListener).
func (l *tcpListener) Init(*slog.Logger) error {
	ln, err := net.Listen("tcp", l.addr)
	if err != nil {
		return fmt.Errorf("mqtt %s listener on %s: %w", l.id, l.addr, err)
	}
	if l.tlsConf != nil {
		ln = tls.NewListener(ln, l.tlsConf)
	}
	l.ln = ln
	return nil
}

// Serve accepts connections until Close; each is served by serveConn on
// its own goroutine. The establish function mochi passes is its own
// EstablishConnection, which serveConn calls under a recover.
func (l *tcpListener) Serve(listeners.EstablishFn) {
	backoff := time.Duration(0)
	for {
		c, err := l.ln.Accept()
		if err != nil {
			if l.closed.Load() || errors.Is(err, net.ErrClosed) {
				return
			}
			// e.g. EMFILE: back off like net/http does, and keep serving.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			l.s.log.Error("mqtt accept failed", "listener", l.id, "error", err, "retry_in", backoff)
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		go l.s.serveConn(l.id, c)
	}
}

// Close stops accepting and ends this listener's connections (see
// Server.disconnectAll). Safe to call twice.
func (l *tcpListener) Close(listeners.CloseFn) {
	if !l.closed.CompareAndSwap(false, true) {
		return
	}
	if l.ln != nil {
		_ = l.ln.Close()
	}
	l.s.disconnectAll(l.id)
}
