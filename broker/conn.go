package broker

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
	mqtt "github.com/mochi-mqtt/server/v2"
)

// conn wraps every connection our listeners hand to mochi, so that the
// hooks can tie the mochi client to its connection and its session, and the
// recover path in serveConn can find the client to clean up after a panic.
// A device's writes go straight to the socket; an integration account's go
// through a write queue (see writeQueue).
type conn struct {
	net.Conn
	listener string
	client   atomic.Pointer[mqtt.Client] // set by the auth hook on CONNECT
	sess     atomic.Pointer[session]     // set at login, cleared at the session's end
	out      atomic.Pointer[writeQueue]  // set at login for integration accounts
	counted  atomic.Bool                 // its refusal was already counted
	lazyReader
}

// newConn wraps a connection a listener accepted.
func newConn(raw net.Conn, listener string) *conn {
	c := &conn{Conn: raw, listener: listener}
	c.lazyReader.init(raw)
	return c
}

// connOf returns the wrapper of a client's connection (nil for the inline
// client).
func connOf(cl *mqtt.Client) *conn {
	if cl == nil {
		return nil
	}
	c, _ := cl.Net.Conn.(*conn)
	return c
}

// Read reads through the lazy read buffer (see lazyReader).
func (c *conn) Read(p []byte) (int, error) { return c.lazyReader.read(c.Conn, p) }

// Write sends p, through the write queue once there is one.
func (c *conn) Write(p []byte) (int, error) {
	if q := c.out.Load(); q != nil {
		return q.write(p)
	}
	return c.Conn.Write(p)
}

// Close flushes a write queue (bounded by queueCloseTimeout) and closes
// the connection.
func (c *conn) Close() error {
	if q := c.out.Load(); q != nil {
		q.close()
	}
	return c.Conn.Close()
}

var errTextFrame = errors.New("websocket: MQTT needs binary frames")

// wsConn presents a WebSocket as the byte stream mochi reads packets from.
// MQTT over WebSocket may split a packet across frames or put several in
// one, so frames are read as one stream; deadlines and addresses come from
// the underlying connection.
type wsConn struct {
	net.Conn // the hijacked HTTP connection
	ws       *websocket.Conn
	r        io.Reader // the current frame, nil between frames
	remote   net.Addr
	wmu      sync.Mutex   // mochi serialises writes already; this keeps gorilla safe regardless
	wdl      atomic.Int64 // write deadline, unix nanoseconds (0: none)
}

func (c *wsConn) Read(p []byte) (int, error) {
	for {
		if c.r == nil {
			op, r, err := c.ws.NextReader()
			if err != nil {
				return 0, err
			}
			if op != websocket.BinaryMessage {
				return 0, errTextFrame
			}
			c.r = r
		}
		n, err := c.r.Read(p)
		if errors.Is(err, io.EOF) {
			c.r = nil
			err = nil
		}
		if n > 0 || err != nil {
			return n, err
		}
	}
}

// Write sends p as one binary frame. gorilla sets its own write deadline
// on the socket before every frame (none unless told), which would undo
// the deadline mochi sets through SetDeadline: a client that stops reading
// would block its writer forever. So the deadline is handed to gorilla here.
func (c *wsConn) Write(p []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	var dl time.Time
	if n := c.wdl.Load(); n != 0 {
		dl = time.Unix(0, n)
	}
	_ = c.ws.SetWriteDeadline(dl)
	if err := c.ws.WriteMessage(websocket.BinaryMessage, p); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (c *wsConn) Close() error { return c.ws.Close() }

// SetDeadline sets the read and write deadlines (see Write).
func (c *wsConn) SetDeadline(t time.Time) error {
	c.storeWriteDeadline(t)
	return c.Conn.SetDeadline(t)
}

// SetWriteDeadline also interrupts a write in progress at t.
func (c *wsConn) SetWriteDeadline(t time.Time) error {
	c.storeWriteDeadline(t)
	return c.Conn.SetWriteDeadline(t)
}

func (c *wsConn) storeWriteDeadline(t time.Time) {
	if t.IsZero() {
		c.wdl.Store(0)
		return
	}
	c.wdl.Store(t.UnixNano())
}

// RemoteAddr is the HTTP request's remote address (what PocketBase's router
// saw), not necessarily the hijacked socket's.
func (c *wsConn) RemoteAddr() net.Addr { return c.remote }

// remoteAddr is a net.Addr for a "host:port" taken from an HTTP request.
type remoteAddr string

func (a remoteAddr) Network() string { return "tcp" }
func (a remoteAddr) String() string  { return string(a) }
