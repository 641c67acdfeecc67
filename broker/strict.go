package broker

import "github.com/mochi-mqtt/server/v2/packets"

// malformed returns why a decoded inbound packet violates MQTT framing
// rules that mochi v2.7.9 lets through, or "". Replaying the packet corpus
// showed mochi keeping such connections open; the connection is closed
// instead (a well-behaved client never sends any of these).
func malformed(pk packets.Packet) string {
	switch pk.FixedHeader.Type {
	case packets.Pingreq:
		if pk.FixedHeader.Remaining != 0 {
			return "PINGREQ with a body" // [MQTT-3.12]
		}
	case packets.Puback, packets.Pubrec, packets.Pubrel, packets.Pubcomp:
		if pk.PacketID == 0 {
			return "packet identifier 0" // [MQTT-2.3.1-1]
		}
		if pk.ProtocolVersion < 5 && pk.FixedHeader.Remaining != 2 {
			return "acknowledgement length" // 3.1.1: exactly the packet id
		}
	case packets.Publish:
		if pk.Properties.PayloadFormatFlag && pk.Properties.PayloadFormat > 1 {
			return "payload format indicator" // [MQTT-3.3.2.3.2]
		}
	case packets.Subscribe, packets.Unsubscribe:
		for _, f := range pk.Filters {
			switch {
			case f.Filter == "":
				return "empty topic filter" // [MQTT-4.7.3-1]
			case pk.FixedHeader.Type == packets.Subscribe && f.RetainHandling == 3:
				return "retain handling 3" // [MQTT-3.8.3-4]
			}
		}
		if pk.FixedHeader.Type == packets.Subscribe {
			for _, id := range pk.Properties.SubscriptionIdentifier {
				if id == 0 {
					return "subscription identifier 0" // [MQTT-3.8.2.1.2]
				}
			}
		}
	}
	return ""
}
