package broker

import (
	"errors"
	"fmt"
	"io"
	"net"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// serveConn runs one connection through mochi under a recover. mochi v2.7.9
// has no recover anywhere: a panic in its decoder (an MQTT 5 SUBSCRIBE
// without its options byte does it) or in any hook on a connection's read
// goroutine would end the whole appliance. Here it ends only that client.
//
// mochi's other per-client goroutine, Client.WriteLoop, only encodes and
// writes packets (its encoders index nothing and cannot panic) and calls
// OnPacketEncode/OnPacketSent; our OnPacketEncode recovers, and no hook of
// ours provides OnPacketSent.
func (s *Server) serveConn(listener string, raw net.Conn) {
	c := newConn(raw, listener)
	if reason := s.track(c); reason != "" {
		_ = raw.Close()
		s.refuse("connect", reason, "", raw.RemoteAddr().String(), "listener", listener)
		return
	}
	defer s.untrack(c)
	// mochi reads CONNECT without any deadline; until CONNECT, ours holds.
	_ = raw.SetDeadline(time.Now().Add(s.cfg.ConnectTimeout))

	var err error
	defer func() {
		r := recover()
		if r != nil {
			_ = c.Close()
			s.panicked("connection", r, c.client.Load())
		}
		s.finishConn(c, err, r)
	}()
	err = s.mochi.EstablishConnection(listener, c)
}

// finishConn handles what mochi's attachClient leaves undone when it returns
// early or panics: the client may still be in mochi's client map with its
// subscriptions and inflight messages, no OnDisconnect hook has run, and so
// the Sink was never told the device went offline.
func (s *Server) finishConn(c *conn, err error, r any) {
	cl := c.client.Load()
	var sess *session
	if cl != nil {
		sess = s.sessions.get(cl)
	}
	if sess == nil {
		if r == nil && !c.counted.Load() {
			s.countConnError(c, err)
		}
		return
	}
	if sess.ended.Load() {
		return
	}
	if r != nil {
		sess.setReason(fmt.Sprintf("panic: %v", r))
		s.sendWill(sess)
	}
	reason := disconnectReason(sess, cl, err)
	if cur, ok := s.mochi.Clients.Get(cl.ID); ok && cur == cl {
		s.mochi.UnsubscribeClient(cl)
		cl.ClearInflights()
		s.mochi.Clients.Delete(cl.ID)
	}
	s.endSession(sess, reason)
}

// countConnError counts a connection that ended before logging in, when it
// was for a reason worth knowing (not a port scan or a health check).
func (s *Server) countConnError(c *conn, err error) {
	var reason string
	var ne net.Error
	switch {
	case err == nil, errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed), errors.Is(err, mqtt.ErrConnectionClosed):
		return
	case errors.Is(err, packets.ErrServerBusy):
		reason = "server full"
	case errors.Is(err, packets.ErrPacketTooLarge):
		reason = "packet too large"
	case errors.As(err, &ne) && ne.Timeout():
		reason = "no CONNECT in time"
	default:
		reason = "malformed CONNECT"
	}
	s.refuse("connect", reason, "", c.RemoteAddr().String(), "listener", c.listener, "error", err)
}

// sendWill publishes a panicked client's will, which mochi would have sent
// had its read loop returned: the device did drop off. The will was forced
// to the device's own status topic at login.
func (s *Server) sendWill(sess *session) {
	w := &sess.client.Properties.Will
	if !atomic.CompareAndSwapUint32(&w.Flag, 1, 0) || s.sessions.current(sess.acct.ID) != sess {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			s.panicked("will", r, nil)
		}
	}()
	if err := s.mochi.Publish(w.TopicName, w.Payload, w.Retain, w.Qos); err != nil {
		s.log.Error("mqtt will after panic", "device", sess.acct.ID, "error", err)
	}
}

// panicked counts and logs a recovered panic with its stack; where a client
// was involved it is named, and disconnected by the caller.
func (s *Server) panicked(where string, r any, cl *mqtt.Client) {
	s.stats.panics.Add(1)
	id, remote := "", ""
	if cl != nil {
		id, remote = cl.ID, cl.Net.Remote
	}
	s.log.Error("mqtt panic recovered", "in", where, "device", id, "remote", remote,
		"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
}

// hookPanicked is the recover path of our hooks: count, log, and end the
// client's session with the panic as its reason.
func (s *Server) hookPanicked(hook string, r any, cl *mqtt.Client) {
	s.panicked("hook "+hook, r, cl)
	if cl == nil || cl.Net.Inline {
		return
	}
	if sess := s.sessions.get(cl); sess != nil {
		sess.setReason(fmt.Sprintf("panic: %v", r))
	}
	go s.disconnect(cl, packets.ErrImplementationSpecificError)
}

// disconnectWriteTimeout bounds the DISCONNECT write (and any write it
// queues behind) to a client that has stopped reading.
const disconnectWriteTimeout = time.Second

// disconnect ends a client's connection under a recover of its own. MQTT 5
// clients get a DISCONNECT with the reason; 3.1.1 has no server DISCONNECT,
// so those connections are just closed (mochi would send one anyway).
func (s *Server) disconnect(cl *mqtt.Client, code packets.Code) {
	defer func() {
		if r := recover(); r != nil {
			s.panicked("disconnect", r, cl)
			cl.Stop(code)
		}
	}()
	if cl.Net.Conn != nil {
		_ = cl.Net.Conn.SetWriteDeadline(time.Now().Add(disconnectWriteTimeout))
	}
	if cl.Properties.ProtocolVersion < 5 {
		cl.Stop(code)
		return
	}
	_ = s.mochi.DisconnectClient(cl, code)
}

// track registers an open connection, or returns why it is refused.
func (s *Server) track(c *conn) string {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	switch {
	case s.closing.Load():
		return "shutting down"
	case len(s.conns) >= s.cfg.MaxConnections:
		return "too many connections"
	}
	s.conns[c] = struct{}{}
	s.stats.connections.Store(int64(len(s.conns)))
	return ""
}

func (s *Server) untrack(c *conn) {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	delete(s.conns, c)
	s.stats.connections.Store(int64(len(s.conns)))
}

// disconnectAll ends every connection of one listener at shutdown: MQTT 5
// clients are told the server is shutting down, then every socket is
// closed, including those still waiting to log in. It replaces the close
// callback mochi hands its listeners, whose Clients.GetByListener takes the
// clients map's read lock recursively (through Clients.Len) and so
// deadlocks Close when a client connects or leaves at the same moment.
func (s *Server) disconnectAll(listener string) {
	var wg sync.WaitGroup
	for _, sess := range s.sessions.all() {
		if sess.listener == listener {
			wg.Go(func() { s.disconnect(sess.client, packets.ErrServerShuttingDown) })
		}
	}
	wg.Wait() // each write is bounded by disconnectWriteTimeout
	s.closeConns(listener)
}

// closeConns closes the open connections of one listener ("" for all),
// including those still waiting to log in.
func (s *Server) closeConns(listener string) {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	for c := range s.conns {
		if listener == "" || c.listener == listener {
			_ = c.Close()
		}
	}
}
