package broker

import (
	"bufio"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/mochi-mqtt/server/v2/packets"
)

// A replayer for the packet-sequence corpus in testdata/mqtt-corpus (from
// Eclipse Mosquitto's test/broker/data; see its README for origin and
// licence).

// corpusGroup is one group of sequences in a corpus file. Absent fields
// take the corpus harness's defaults: ver 4, connect true, expect_disconnect
// true.
type corpusGroup struct {
	Group            string         `json:"group"`
	Ver              *int           `json:"ver"`
	Connect          *bool          `json:"connect"`
	ExpectDisconnect *bool          `json:"expect_disconnect"`
	Disable          bool           `json:"disable"`
	Tests            []corpusSeqDef `json:"tests"`
}

type corpusSeqDef struct {
	Name             string      `json:"name"`
	Ver              *int        `json:"ver"`
	Connect          *bool       `json:"connect"`
	ExpectDisconnect *bool       `json:"expect_disconnect"`
	Msgs             []corpusMsg `json:"msgs"`
}

type corpusMsg struct {
	Type    string `json:"type"` // send, recv, external_publish (or publish)
	Payload string `json:"payload"`
	Topic   string `json:"topic"`
	Qos     byte   `json:"qos"`
}

// corpusSeq is one sequence ready to replay.
type corpusSeq struct {
	name             string
	ver              byte
	connect          bool
	expectDisconnect bool
	steps            []corpusStep
}

type corpusStep struct {
	send    []byte // bytes to write, or
	publish *corpusMsg
}

// loadCorpusFile parses one corpus file into sequences.
func loadCorpusFile(path string) ([]corpusSeq, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read corpus: %w", err)
	}
	var groups []corpusGroup
	if err := json.Unmarshal(raw, &groups); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	var seqs []corpusSeq
	for _, g := range groups {
		if g.Disable {
			continue
		}
		for _, t := range g.Tests {
			s := corpusSeq{
				name:             g.Group + " " + t.Name,
				ver:              byte(pick(t.Ver, g.Ver, 4)),
				connect:          pick(t.Connect, g.Connect, true),
				expectDisconnect: pick(t.ExpectDisconnect, g.ExpectDisconnect, true),
			}
			for _, m := range t.Msgs {
				switch m.Type {
				case "send":
					b, err := corpusBytes(m.Payload)
					if err != nil {
						return nil, fmt.Errorf("%s: %s: %w", path, s.name, err)
					}
					s.steps = append(s.steps, corpusStep{send: b})
				case "external_publish", "publish":
					s.steps = append(s.steps, corpusStep{publish: &m})
				case "recv": // mosquitto's answer; ours may differ (see the README)
				default:
					return nil, fmt.Errorf("%s: %s: unknown message type %q", path, s.name, m.Type)
				}
			}
			seqs = append(seqs, s)
		}
	}
	return seqs, nil
}

func pick[T any](test, group *T, def T) T {
	switch {
	case test != nil:
		return *test
	case group != nil:
		return *group
	}
	return def
}

// corpusBytes turns a payload into bytes. Tokens, space separated: hex
// bytes ("82", "80061234"); r<n> and v<n> a variable byte integer (values
// over the MQTT maximum are encoded anyway, as malformed input); i<n> one
// byte; H<n>, k<n>, m<n>, s<n> 16 bits big-endian; L<n> 32 bits; 'text'
// UTF-8 text, which may contain spaces.
func corpusBytes(payload string) ([]byte, error) {
	var out []byte
	parts := strings.Split(payload, " ")
	for i := 0; i < len(parts); i++ {
		p := parts[i]
		if p == "" {
			continue
		}
		if p[0] == '\'' {
			text := p[1:]
			for !strings.HasSuffix(text, "'") && i+1 < len(parts) {
				i++
				text += " " + parts[i]
			}
			if !strings.HasSuffix(text, "'") {
				return nil, fmt.Errorf("unterminated text in %q", payload)
			}
			out = append(out, text[:len(text)-1]...)
			continue
		}
		if n, err := strconv.ParseUint(p[1:], 10, 64); err == nil && strings.ContainsRune("irvHkmsL", rune(p[0])) {
			switch p[0] {
			case 'i':
				out = append(out, byte(n))
			case 'r', 'v':
				for {
					b := byte(n % 128)
					if n /= 128; n > 0 {
						b |= 0x80
					}
					out = append(out, b)
					if n == 0 {
						break
					}
				}
			case 'L':
				out = binary.BigEndian.AppendUint32(out, uint32(n))
			default:
				out = binary.BigEndian.AppendUint16(out, uint16(n))
			}
			continue
		}
		b, err := hex.DecodeString(p)
		if err != nil {
			return nil, fmt.Errorf("bad token %q in %q", p, payload)
		}
		out = append(out, b...)
	}
	return out, nil
}

// corpusOutcome is how a sequence ended.
type corpusOutcome int

const (
	outcomeAlive   corpusOutcome = iota // answered a PINGREQ after the sequence
	outcomeClosed                       // the broker closed the connection
	outcomeStalled                      // neither within the wait (e.g. waiting for bytes a bad length promised)
)

// replay runs one sequence on a new connection to addr. A sequence with
// connect set starts with a CONNECT of its version that logs in as device
// id (the corpus's own CONNECT carries no credentials our broker accepts).
func replay(addr string, s corpusSeq, id string, publish func(topic string, payload []byte, qos byte) error) (corpusOutcome, error) {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return 0, fmt.Errorf("dial: %w", err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	if s.connect {
		pk := connectPacket(id, id, "tok-"+id, 30)
		if s.ver == 3 {
			pk.Connect.ProtocolName = []byte("MQIsdp")
		}
		if _, err := c.Write(encode(pk, s.ver)); err != nil {
			return 0, fmt.Errorf("connect: %w", err)
		}
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if typ, body, err := readPacket(r); err != nil || typ != packets.Connack || len(body) < 2 || body[1] != 0 {
			return 0, fmt.Errorf("login refused: type %d % x %v", typ, body, err)
		}
	}
	for _, st := range s.steps {
		if st.publish != nil {
			_ = publish(st.publish.Topic, []byte(st.publish.Payload), st.publish.Qos)
			continue
		}
		_ = c.SetWriteDeadline(time.Now().Add(time.Second))
		if _, err := c.Write(st.send); err != nil {
			break // closed by the broker mid-sequence
		}
	}
	_, _ = c.Write([]byte{packets.Pingreq << 4, 0})
	_ = c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	for {
		typ, _, err := readPacket(r)
		var ne net.Error
		switch {
		case err == nil && typ == packets.Pingresp:
			return outcomeAlive, nil
		case err == nil:
			continue
		case errors.As(err, &ne) && ne.Timeout():
			return outcomeStalled, nil
		}
		return outcomeClosed, nil
	}
}

// readPacket reads one packet's type and body.
func readPacket(r *bufio.Reader) (byte, []byte, error) {
	h, err := r.ReadByte()
	if err != nil {
		return 0, nil, err
	}
	n, _, err := packets.DecodeLength(r)
	if err != nil {
		return 0, nil, err
	}
	body := make([]byte, n)
	_, err = io.ReadFull(r, body)
	return h >> 4, body, err
}
