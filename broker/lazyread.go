package broker

import (
	"errors"
	"io"
	"net"
	"os"
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
// buffer while the connection is idle. It reads the socket itself
// (syscall.RawConn): a buffer is borrowed from a pool only for the read
// system call, given back at once if the socket turns out to be empty
// (the goroutine then waits for it to become readable holding nothing), and
// kept only until what it read has been consumed. An idle device holds no
// read buffer at all; a busy publisher still gets a few kilobytes of
// packets per system call, and there are no more system calls than a plain
// read makes. TLS and WebSocket connections read straight through (they
// buffer themselves). Only mochi's read loop reads, so no lock is needed.
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

// read serves p from the borrowed buffer, refilling it from the socket
// when it is empty; without a raw socket it reads c.
func (r *lazyReader) read(c net.Conn, p []byte) (int, error) {
	if r.buf == nil {
		if r.raw == nil {
			return c.Read(p)
		}
		if len(p) == 0 {
			return 0, nil
		}
		if err := r.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, (*r.buf)[r.next:])
	r.next += n
	if r.next == len(*r.buf) {
		*r.buf = (*r.buf)[:cap(*r.buf)]
		lazyReadPool.Put(r.buf)
		r.buf, r.next = nil, 0
	}
	return n, nil
}

// fill reads at least one byte into a borrowed buffer, waiting (with no
// buffer held) until the socket is readable. It honours the connection's
// read deadline, and reports the end of the stream as io.EOF.
func (r *lazyReader) fill() error {
	var n int
	var rerr error
	err := r.raw.Read(func(fd uintptr) bool {
		bp := lazyReadPool.Get().(*[]byte)
		b := (*bp)[:cap(*bp)]
		for {
			n, rerr = syscall.Read(int(fd), b)
			if !errors.Is(rerr, syscall.EINTR) {
				break
			}
		}
		if errors.Is(rerr, syscall.EAGAIN) {
			lazyReadPool.Put(bp)
			return false // nothing yet: wait for the socket, holding no buffer
		}
		if n > 0 {
			*bp = b[:n]
			r.buf, r.next = bp, 0
		} else {
			lazyReadPool.Put(bp)
		}
		return true
	})
	switch {
	case err != nil: // deadline, closed connection
		return err
	case rerr != nil:
		return os.NewSyscallError("read", rerr)
	case n == 0:
		return io.EOF
	}
	return nil
}
