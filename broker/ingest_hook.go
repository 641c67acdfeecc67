package broker

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// ingestHook hands every accepted publish to the Sink. It is where
// "acknowledged" comes to mean "stored": mochi's processPublish runs
// OnPublish before it writes the PUBACK (QoS 1) or PUBREC (QoS 2).
//
// Withholding the acknowledgement needs packets.ErrRejectPacket: with any
// other error mochi still acks an MQTT 3.1.1 publish (and an MQTT 5 one
// whose error is not a packets.Code), and forwards it. ErrRejectPacket
// makes processPublish return before the ack, the retain and the forward.
// The client is then disconnected (MQTT 5: DISCONNECT 0x89 server busy),
// because MQTT clients retransmit an unacknowledged publish only when they
// reconnect [MQTT-4.4.0-1]; leaving the connection open would leave the
// message stuck in the device.
//
// QoS 0 publishes go to the Sink through a bounded queue on other
// goroutines (asyncCommits): the device asked for at-most-once and gets no
// acknowledgement to wait for, so its read loop must not wait for the
// database either. When the queue is full they are dropped and counted.
// Status publishes (devices/{id}/status) become presence events.
type ingestHook struct {
	mqtt.HookBase
	s *Server
}

func (h *ingestHook) ID() string { return "fengqiao-ingest" }

func (h *ingestHook) Provides(b byte) bool { return b == mqtt.OnPublish }

func (h *ingestHook) OnPublish(cl *mqtt.Client, pk packets.Packet) (out packets.Packet, err error) {
	if cl.Net.Inline {
		return pk, nil // the appliance's own Publish
	}
	defer func() {
		if r := recover(); r != nil {
			h.s.hookPanicked("ingest", r, cl)
			out, err = pk, packets.ErrRejectPacket
		}
	}()
	sess := h.s.sessions.get(cl)
	if sess == nil {
		return pk, packets.ErrRejectPacket
	}
	// OnACLCheck saw the same topic (topic aliases are off); checking again
	// costs little and keeps this hook safe on its own.
	if r := sess.publish(pk.TopicName); r != "" {
		h.s.stats.rejected.Add(1)
		h.s.refuse("publish", r, sess.acct.ID, sess.remote, "topic", pk.TopicName)
		return pk, packets.ErrRejectPacket
	}
	msg := Message{
		Account: sess.acct, Topic: pk.TopicName, Suffix: sess.suffix(pk.TopicName), Payload: pk.Payload,
		QoS: pk.FixedHeader.Qos, Retain: pk.FixedHeader.Retain, Received: time.Now(),
	}
	if !sess.acct.Integration && msg.Suffix != suffixStatus {
		// A device retains only its status: retained messages on ever new
		// subtopics would grow the broker's memory without bound.
		pk.FixedHeader.Retain = false
	}
	switch {
	case !sess.acct.Integration && msg.Suffix == suffixStatus:
		if online, ok := parseStatus(msg.Payload); ok {
			h.s.presence(sess.presence(online, "status"))
		}
	case msg.QoS == 0:
		h.s.async.offer(msg)
	default:
		if err := h.s.commit(msg); err != nil {
			h.s.stats.commitFailures.Add(1)
			h.s.stats.rejected.Add(1)
			h.s.refuse("publish", "commit failed", sess.acct.ID, sess.remote, "topic", msg.Topic, "error", err)
			sess.setReason("commit failed: " + err.Error())
			h.s.disconnect(cl, packets.ErrServerBusy)
			return pk, packets.ErrRejectPacket
		}
	}
	h.s.stats.accepted.Add(1)
	return pk, nil
}

// commit calls Sink.Commit with the commit timeout, treating a panic in the
// Sink as a failed commit.
func (s *Server) commit(m Message) (err error) {
	ctx, cancel := context.WithTimeout(s.baseCtx, s.cfg.CommitTimeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			s.panicked("sink commit", r, nil)
			err = fmt.Errorf("sink panic: %v", r)
		}
	}()
	if err := s.sink.Commit(ctx, m); err != nil {
		return fmt.Errorf("commit %s: %w", m.Topic, err)
	}
	return nil
}

// parseStatus reads a status payload: online/offline, 1/0, true/false,
// up/down, connected/disconnected (any case, optionally quoted), or a JSON
// object {"online": bool} or {"status": "online"}.
func parseStatus(p []byte) (online, ok bool) {
	if len(p) > 256 {
		return false, false
	}
	switch strings.ToLower(strings.Trim(string(p), " \t\r\n\"")) {
	case "online", "1", "true", "up", "connected":
		return true, true
	case "offline", "0", "false", "down", "disconnected":
		return false, true
	}
	var v struct {
		Online *bool  `json:"online"`
		Status string `json:"status"`
	}
	if len(p) == 0 || p[0] != '{' || json.Unmarshal(p, &v) != nil {
		return false, false
	}
	if v.Online != nil {
		return *v.Online, true
	}
	if v.Status != "" && !strings.HasPrefix(v.Status, "{") {
		return parseStatus([]byte(v.Status))
	}
	return false, false
}
