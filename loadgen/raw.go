package loadgen

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"time"

	"github.com/mochi-mqtt/server/v2/packets"
)

// brokerAddr returns host:port of an mqtt:// or tcp:// URL.
func brokerAddr(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("broker url %q: %w", rawURL, err)
	}
	switch u.Scheme {
	case "mqtt", "tcp":
	default:
		return "", fmt.Errorf("broker url %q: want mqtt://host:port", rawURL)
	}
	if u.Port() == "" {
		return net.JoinHostPort(u.Hostname(), "1883"), nil
	}
	return u.Host, nil
}

// ConnectResult is how one raw connect went.
type connectResult int

const (
	connected connectResult = iota
	refused                 // CONNACK with a non-zero return code
	failed                  // network error, timeout, or no CONNACK
)

// rawDialer opens bare MQTT 3.1.1 sessions: CONNECT, wait for CONNACK,
// then hold the socket. With no client library in between, one process
// holds ten thousand sessions cheaply and the connect rate measured is the
// broker's, not the client's.
type rawDialer struct {
	addr      string
	keepAlive uint16
	timeout   time.Duration
	// locals are source addresses used in turn on loopback, so that storms
	// of connects do not run out of ephemeral ports.
	locals []*net.TCPAddr
}

func newRawDialer(addr string, keepAlive uint16, timeout time.Duration) *rawDialer {
	d := &rawDialer{addr: addr, keepAlive: keepAlive, timeout: timeout}
	if host, _, err := net.SplitHostPort(addr); err == nil {
		if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() && ip.To4() != nil {
			for i := 1; i <= 16; i++ {
				d.locals = append(d.locals, &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(i))})
			}
		}
	}
	return d
}

// connect opens one session; n picks the source address.
func (d *rawDialer) connect(ctx context.Context, n int, c Cred) (net.Conn, connectResult, error) {
	dl := net.Dialer{Timeout: d.timeout}
	if len(d.locals) > 0 {
		dl.LocalAddr = d.locals[n%len(d.locals)]
	}
	conn, err := dl.DialContext(ctx, "tcp", d.addr)
	if err != nil {
		return nil, failed, err
	}
	pk := packets.Packet{
		FixedHeader:     packets.FixedHeader{Type: packets.Connect},
		ProtocolVersion: 4,
		Connect: packets.ConnectParams{
			ProtocolName: []byte("MQTT"), Clean: true, Keepalive: d.keepAlive, ClientIdentifier: c.ClientID,
			UsernameFlag: true, Username: []byte(c.ClientID), PasswordFlag: c.Token != "", Password: []byte(c.Token),
		},
	}
	var buf bytes.Buffer
	if err := pk.ConnectEncode(&buf); err != nil {
		conn.Close()
		return nil, failed, fmt.Errorf("encode CONNECT: %w", err)
	}
	_ = conn.SetDeadline(time.Now().Add(d.timeout))
	if _, err := conn.Write(buf.Bytes()); err != nil {
		conn.Close()
		return nil, failed, err
	}
	var ack [4]byte
	if _, err := io.ReadFull(conn, ack[:]); err != nil {
		conn.Close()
		return nil, failed, fmt.Errorf("no CONNACK: %w", err)
	}
	_ = conn.SetDeadline(time.Time{})
	if ack[0] != 0x20 || ack[1] != 2 {
		conn.Close()
		return nil, failed, fmt.Errorf("unexpected reply % x", ack)
	}
	if ack[3] != 0 {
		conn.Close()
		return nil, refused, fmt.Errorf("CONNACK return code %d", ack[3])
	}
	return conn, connected, nil
}
