package broker

import (
	"testing"

	"github.com/mochi-mqtt/server/v2/packets"
)

func TestMalformed(t *testing.T) {
	ack := func(typ byte, id uint16, remaining int, ver byte) packets.Packet {
		return packets.Packet{FixedHeader: packets.FixedHeader{Type: typ, Remaining: remaining}, PacketID: id, ProtocolVersion: ver}
	}
	sub := func(f packets.Subscription, ids ...int) packets.Packet {
		pk := packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Subscribe}, Filters: packets.Subscriptions{f}, ProtocolVersion: 5}
		pk.Properties.SubscriptionIdentifier = ids
		return pk
	}
	pub := packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Publish}, TopicName: "a"}
	pub.Properties.PayloadFormat, pub.Properties.PayloadFormatFlag = 2, true
	for _, tc := range []struct {
		name string
		pk   packets.Packet
		want string
	}{
		{"PUBACK ok", ack(packets.Puback, 1, 2, 4), ""},
		{"PUBACK v5 with reason", ack(packets.Puback, 1, 3, 5), ""},
		{"PUBACK id 0", ack(packets.Puback, 0, 2, 4), "packet identifier 0"},
		{"PUBREL long 3.1.1", ack(packets.Pubrel, 1, 3, 4), "acknowledgement length"},
		{"PINGREQ", packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Pingreq}}, ""},
		{"PINGREQ long", packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Pingreq, Remaining: 1}}, "PINGREQ with a body"},
		{"payload format 2", pub, "payload format indicator"},
		{"subscribe ok", sub(packets.Subscription{Filter: "a"}, 5), ""},
		{"empty filter", sub(packets.Subscription{Filter: ""}), "empty topic filter"},
		{"retain handling 3", sub(packets.Subscription{Filter: "a", RetainHandling: 3}), "retain handling 3"},
		{"subscription id 0", sub(packets.Subscription{Filter: "a"}, 0), "subscription identifier 0"},
	} {
		if got := malformed(tc.pk); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
