package broker

import (
	"strings"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// wireHook adjusts packets on the wire: what mochi sends (no user
// properties on acknowledgements, our limits announced in CONNACK) and the
// publishes mochi drops before any ACL hook sees them (counted here, so
// that every refusal is logged).
type wireHook struct {
	mqtt.HookBase
	s *Server
}

func (h *wireHook) ID() string { return "fengqiao-wire" }

func (h *wireHook) Provides(b byte) bool {
	return b == mqtt.OnPacketEncode || b == mqtt.OnPacketRead
}

// OnPacketEncode runs on every outbound packet (also on mochi's write
// goroutine, which has no recover: this must not panic, and recovers if it
// does). mochi echoes the client's user properties on PUBACK, PUBREC,
// PUBREL, PUBCOMP, SUBACK and UNSUBACK (its NoInheritedPropertiesOnAck
// covers only the first four); strict device stacks reject them.
func (h *wireHook) OnPacketEncode(cl *mqtt.Client, pk packets.Packet) (out packets.Packet) {
	defer func() {
		if r := recover(); r != nil {
			h.s.hookPanicked("encode", r, cl)
			out = pk
		}
	}()
	switch pk.FixedHeader.Type {
	case packets.Connack:
		pk.Properties.User = nil
		if pk.ReasonCode == packets.CodeSuccess.Code {
			// MQTT 5: tell clients what the broker enforces [MQTT-3.2.2-15].
			pk.Properties.MaximumPacketSize = h.s.cfg.MaxPacketSize
			pk.Properties.SharedSubAvailable, pk.Properties.SharedSubAvailableFlag = 0, true
		}
	case packets.Puback, packets.Pubrec, packets.Pubrel, packets.Pubcomp,
		packets.Suback, packets.Unsuback, packets.Disconnect, packets.Auth:
		pk.Properties.User = nil
	}
	return pk
}

// OnPacketRead closes connections that send packets mochi accepts although
// MQTT forbids them (see malformed), and counts publishes that mochi drops
// silently before OnACLCheck: topics starting with $SYS (a QoS 1 one even
// goes unacknowledged) and topic aliases, which this broker does not offer.
// Wildcards in a topic name are a protocol error mochi answers itself.
func (h *wireHook) OnPacketRead(cl *mqtt.Client, pk packets.Packet) (out packets.Packet, err error) {
	if cl.Net.Inline {
		return pk, nil
	}
	defer func() {
		if r := recover(); r != nil {
			h.s.hookPanicked("read", r, cl)
			out, err = pk, packets.ErrRejectPacket
		}
	}()
	if reason := malformed(pk); reason != "" {
		h.s.refuse("packet", "malformed: "+reason, cl.ID, cl.Net.Remote)
		return pk, packets.ErrRejectPacket // mochi closes the connection
	}
	if pk.FixedHeader.Type != packets.Publish {
		return pk, nil
	}
	reason := ""
	switch t := pk.TopicName; {
	case pk.Properties.TopicAliasFlag:
		reason = "topic alias"
	case strings.ContainsAny(t, "+#"):
		reason = "wildcard in topic name"
	case len(t) >= 4 && strings.EqualFold(t[:4], "$SYS"):
		reason = "$ topic"
	}
	if reason != "" {
		h.s.stats.rejected.Add(1)
		h.s.refuse("publish", reason, cl.ID, cl.Net.Remote, "topic", pk.TopicName)
	}
	return pk, nil
}
