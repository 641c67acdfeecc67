package broker

import (
	"bytes"
	"errors"
	"io"
	"net"
	"testing"
	"time"
)

// TestLazyReader: bytes come through in order however small the reads;
// the borrowed buffer is given back once consumed (an idle connection
// holds none, also while it waits for data); the read deadline and the
// end of the stream come through; a connection that is not plain TCP
// reads straight through.
func TestLazyReader(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	server, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	c := newConn(server, "tcp")
	defer c.Close()
	if c.raw == nil {
		t.Fatal("a TCP connection got no raw socket")
	}

	want := bytes.Repeat([]byte("0123456789abcdef-"), 1000) // 17 kB: several fills
	if _, err := client.Write(want); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 0, len(want))
	p := make([]byte, clientReadBuffer)
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	borrowed := false
	for len(got) < len(want) {
		n, err := c.Read(p)
		if err != nil {
			t.Fatalf("after %d bytes: %v", len(got), err)
		}
		got = append(got, p[:n]...)
		borrowed = borrowed || c.buf != nil
	}
	if !bytes.Equal(got, want) {
		t.Fatal("bytes differ")
	}
	if !borrowed {
		t.Error("a busy connection never borrowed a buffer")
	}
	if c.buf != nil {
		t.Errorf("%d bytes still buffered on an idle connection", len(*c.buf)-c.next)
	}
	_ = c.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	var ne net.Error
	if _, err := c.Read(p); !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("an idle read past its deadline: %v, want a timeout", err)
	}
	if c.buf != nil {
		t.Error("a buffer is held while waiting")
	}
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_ = client.Close()
	if _, err := c.Read(p); err != io.EOF {
		t.Errorf("after the peer closed: %v, want EOF", err)
	}

	a, b := net.Pipe()
	defer b.Close()
	pc := newConn(a, "ws")
	if pc.raw != nil {
		t.Fatal("a non-TCP connection got a raw socket")
	}
	go func() { _, _ = b.Write([]byte("hello")) }()
	if n, err := pc.Read(make([]byte, 5)); n != 5 || err != nil {
		t.Fatalf("pipe read: %d, %v", n, err)
	}
}
