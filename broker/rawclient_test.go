package broker

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/mochi-mqtt/server/v2/packets"
)

// rawClient speaks MQTT byte by byte, with mochi's packet encoders, for the
// MQTT 5 cases and malformed input a real client library will not send.
type rawClient struct {
	t   testing.TB
	c   net.Conn
	r   *bufio.Reader
	ver byte
}

func dialRaw(t testing.TB, addr string, ver byte) *rawClient {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return &rawClient{t: t, c: c, r: bufio.NewReader(c), ver: ver}
}

// dialRawWS connects over WebSocket (subprotocol mqtt) and reuses the
// broker's own frame-to-stream adapter on the client side.
func dialRawWS(t testing.TB, url string, ver byte) *rawClient {
	t.Helper()
	d := websocket.Dialer{Subprotocols: []string{"mqtt"}, HandshakeTimeout: 5 * time.Second}
	ws, resp, err := d.Dial(url, http.Header{})
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	_ = resp.Body.Close()
	c := &wsConn{Conn: ws.UnderlyingConn(), ws: ws, remote: remoteAddr(ws.RemoteAddr().String())}
	t.Cleanup(func() { _ = c.Close() })
	return &rawClient{t: t, c: c, r: bufio.NewReader(c), ver: ver}
}

// encode returns the wire bytes of pk for the client's protocol version.
func encode(pk packets.Packet, ver byte) []byte {
	pk.ProtocolVersion = ver
	var buf bytes.Buffer
	var err error
	switch pk.FixedHeader.Type {
	case packets.Connect:
		err = pk.ConnectEncode(&buf)
	case packets.Publish:
		err = pk.PublishEncode(&buf)
	case packets.Puback:
		err = pk.PubackEncode(&buf)
	case packets.Pubrel:
		err = pk.PubrelEncode(&buf)
	case packets.Subscribe:
		err = pk.SubscribeEncode(&buf)
	case packets.Unsubscribe:
		err = pk.UnsubscribeEncode(&buf)
	case packets.Pingreq:
		err = pk.PingreqEncode(&buf)
	case packets.Disconnect:
		err = pk.DisconnectEncode(&buf)
	default:
		err = fmt.Errorf("encode: packet type %d not supported", pk.FixedHeader.Type)
	}
	if err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func (c *rawClient) send(pk packets.Packet) { c.write(encode(pk, c.ver)) }

func (c *rawClient) write(b []byte) {
	c.t.Helper()
	_ = c.c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.c.Write(b); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// read returns the next packet from the broker within d.
func (c *rawClient) read(d time.Duration) (packets.Packet, error) {
	_ = c.c.SetReadDeadline(time.Now().Add(d))
	var pk packets.Packet
	b, err := c.r.ReadByte()
	if err != nil {
		return pk, err
	}
	if err := pk.FixedHeader.Decode(b); err != nil {
		return pk, err
	}
	n, _, err := packets.DecodeLength(c.r)
	if err != nil {
		return pk, err
	}
	pk.FixedHeader.Remaining = n
	body := make([]byte, n)
	if _, err := io.ReadFull(c.r, body); err != nil {
		return pk, err
	}
	pk.ProtocolVersion = c.ver
	switch pk.FixedHeader.Type {
	case packets.Connack:
		err = pk.ConnackDecode(body)
	case packets.Publish:
		err = pk.PublishDecode(body)
	case packets.Puback:
		err = pk.PubackDecode(body)
	case packets.Pubrec:
		err = pk.PubrecDecode(body)
	case packets.Pubcomp:
		err = pk.PubcompDecode(body)
	case packets.Suback:
		err = pk.SubackDecode(body)
	case packets.Unsuback:
		err = pk.UnsubackDecode(body)
	case packets.Disconnect:
		err = pk.DisconnectDecode(body)
	}
	return pk, err
}

// expect reads the next packet and fails unless it has type typ.
func (c *rawClient) expect(typ byte) packets.Packet {
	c.t.Helper()
	pk, err := c.read(5 * time.Second)
	if err != nil {
		c.t.Fatalf("waiting for %s: %v", packets.PacketNames[typ], err)
	}
	if pk.FixedHeader.Type != typ {
		c.t.Fatalf("got %s (reason %#x), want %s", packets.PacketNames[pk.FixedHeader.Type], pk.ReasonCode, packets.PacketNames[typ])
	}
	return pk
}

// expectClosed reads until the broker closes the connection and returns
// the packets it sent first (e.g. an MQTT 5 DISCONNECT).
func (c *rawClient) expectClosed() []packets.Packet {
	c.t.Helper()
	var got []packets.Packet
	for {
		pk, err := c.read(5 * time.Second)
		var ne net.Error
		switch {
		case err == nil:
			got = append(got, pk)
			continue
		case errors.As(err, &ne) && ne.Timeout():
			c.t.Fatalf("connection still open after %d packets", len(got))
		}
		return got
	}
}

// expectNothing fails if the broker sends a packet within d.
func (c *rawClient) expectNothing(d time.Duration) {
	c.t.Helper()
	pk, err := c.read(d)
	var ne net.Error
	if err == nil {
		c.t.Fatalf("unexpected %s (id %d, reason %#x)", packets.PacketNames[pk.FixedHeader.Type], pk.PacketID, pk.ReasonCode)
	}
	if !errors.As(err, &ne) || !ne.Timeout() {
		c.t.Fatalf("connection ended: %v", err)
	}
}

// connectPacket builds a CONNECT with a clean session.
func connectPacket(id, user, pass string, keepalive uint16) packets.Packet {
	pk := packets.Packet{
		FixedHeader: packets.FixedHeader{Type: packets.Connect},
		Connect: packets.ConnectParams{
			ProtocolName: []byte("MQTT"), Clean: true, Keepalive: keepalive, ClientIdentifier: id,
			UsernameFlag: user != "", Username: []byte(user), PasswordFlag: pass != "", Password: []byte(pass),
		},
	}
	return pk
}

// login connects as a device with its test token and returns the CONNACK.
func (c *rawClient) login(id string) packets.Packet {
	c.t.Helper()
	c.send(connectPacket(id, id, "tok-"+id, 30))
	ack := c.expect(packets.Connack)
	if ack.ReasonCode != 0 {
		c.t.Fatalf("login %s refused: %#x", id, ack.ReasonCode)
	}
	return ack
}

func publishPacket(topic string, payload []byte, qos byte, id uint16) packets.Packet {
	return packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Publish, Qos: qos}, TopicName: topic, Payload: payload, PacketID: id}
}

func subscribePacket(id uint16, filters ...string) packets.Packet {
	pk := packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Subscribe, Qos: 1}, PacketID: id}
	for _, f := range filters {
		pk.Filters = append(pk.Filters, packets.Subscription{Filter: f, Qos: 1})
	}
	return pk
}

// publishAck publishes QoS 1 and returns the PUBACK.
func (c *rawClient) publishAck(topic, payload string, id uint16) packets.Packet {
	c.t.Helper()
	c.send(publishPacket(topic, []byte(payload), 1, id))
	ack := c.expect(packets.Puback)
	if ack.PacketID != id {
		c.t.Fatalf("PUBACK for %d, want %d", ack.PacketID, id)
	}
	return ack
}
