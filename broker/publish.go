package broker

import (
	"errors"
	"fmt"
	"strings"

	"github.com/mochi-mqtt/server/v2/packets"
)

// Publish sends a message from the appliance itself, e.g. on
// alarms/{severity}/{id} for local sirens and LED boards. It bypasses the
// publish ACL (the appliance may publish anywhere but $ topics), but every
// subscriber's read ACL still applies. qos is the highest QoS delivered.
func (s *Server) Publish(topic string, payload []byte, retain bool, qos byte) error {
	if r := checkTopic(topic, false, s.cfg.MaxTopicLength); r != "" {
		return fmt.Errorf("broker publish %q: %s", topic, r)
	}
	if strings.HasPrefix(topic, "$") {
		return fmt.Errorf("broker publish %q: $ topics are reserved", topic)
	}
	if qos > 2 {
		return fmt.Errorf("broker publish %q: qos %d out of range", topic, qos)
	}
	if !s.started.Load() || s.closing.Load() {
		return errors.New("broker publish: broker not running")
	}
	if err := s.mochi.Publish(topic, payload, retain, qos); err != nil {
		return fmt.Errorf("broker publish %q: %w", topic, err)
	}
	s.stats.published.Add(1)
	return nil
}

// Kick disconnects the client now (MQTT 5 clients get DISCONNECT 0x98
// administrative action; the connection is closed within a second even if
// the client does not read), drops its persistent session, and makes a
// login that was being checked at the same moment fail. It does not wait
// for the connection to end, so record hooks may call it. Call it after the
// Authenticator stops accepting the client, e.g. when an admin disables or
// deletes a device. The Sink gets an offline event with Reason
// "kicked: "+reason. Kicking an unknown or offline client is a no-op apart
// from dropping its stored session.
func (s *Server) Kick(clientID, reason string) {
	sess := s.sessions.kick(clientID)
	if sess != nil && !sess.ended.Load() {
		s.stats.kicks.Add(1)
		sess.setReason("kicked: " + reason)
		sess.purge.Store(true)
		s.log.Info("mqtt client kicked", "device", clientID, "reason", reason, "remote", sess.remote)
		go s.disconnect(sess.client, packets.ErrAdministrativeAction)
		return
	}
	// Not connected: forget a persistent session kept for its return.
	if cl, ok := s.mochi.Clients.Get(clientID); ok && cl.Closed() && !cl.Net.Inline {
		s.mochi.UnsubscribeClient(cl)
		cl.ClearInflights()
		s.mochi.Clients.Delete(clientID)
	}
}
