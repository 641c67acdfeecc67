package broker

import (
	"net"
	"sync"
	"syscall"
)

// clientReadBuffer is the size of mochi's per-client bufio.Reader
// (Options.ClientNetReadBufferSize), which it allocates for every
// connection and keeps for its life: 16 bytes, bufio's minimum, instead of
// a kilobyte that ten thousand idle devices would each hold. The buffering
// that matters for a busy client happens below it, in lazyReader.
const clientReadBuffer = 16

// lazyReadSize is the read buffer a connection borrows while bytes it
// has read wait to be consumed.
const lazyReadSize = 4096

var lazyReadPool = sync.Pool{New: func() any { b := make([]byte, lazyReadSize); return &b }}

// lazyReader buffers a plain TCP connection's reads without holding a
// buffer while the connection is idle. A read blocks in the kernel with
// the caller's own (small) buffer; when that comes back full, more is
// probably waiting, and one non-blocking read takes whatever the socket
// holds into a buffer borrowed from a pool, which goes back as soon as it
// has been consumed. An idle device therefore holds no read buffer at all,
// and a busy publisher still gets its packets a few kilobytes per system
// call. TLS and WebSocket connections read straight through (they buffer
// themselves). Only mochi's read loop reads, so no lock is needed.
type lazyReader struct {
	raw  syscall.RawConn // the TCP socket; nil: read straight through
	buf  *[]byte         // borrowed; nil when nothing is buffered
	next int             // the first unread byte of *buf
}

func (r *lazyReader) init(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		if raw, err := tc.SyscallConn(); err == nil {
			r.raw = raw
		}
	}
}

// read serves p from the borrowed buffer if it holds anything, else from
// c, topping the buffer up without blocking when p came back full.
func (r *lazyReader) read(c net.Conn, p []byte) (int, error) {
	if r.buf != nil {
		n := copy(p, (*r.buf)[r.next:])
		r.next += n
		if r.next == len(*r.buf) {
			r.release()
		}
		return n, nil
	}
	n, err := c.Read(p)
	if err == nil && n == len(p) && r.raw != nil {
		r.fill()
	}
	return n, err
}

// fill reads what the socket holds now, without waiting, into a borrowed
// buffer. An empty socket, the end of the stream or an error leave
// nothing buffered: the next blocking read reports them.
func (r *lazyReader) fill() {
	bp := lazyReadPool.Get().(*[]byte)
	b := (*bp)[:cap(*bp)]
	n := 0
	_ = r.raw.Read(func(fd uintptr) bool {
		n, _ = syscall.Read(int(fd), b) // the socket is non-blocking: EAGAIN when empty
		return true                     // one attempt; never wait here
	})
	if n <= 0 {
		lazyReadPool.Put(bp)
		return
	}
	*bp = b[:n]
	r.buf, r.next = bp, 0
}

func (r *lazyReader) release() {
	*r.buf = (*r.buf)[:cap(*r.buf)]
	lazyReadPool.Put(r.buf)
	r.buf, r.next = nil, 0
}
