package broker

import (
	"errors"
	"net"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// presenceHook tells the Sink when a session starts and ends.
type presenceHook struct {
	mqtt.HookBase
	s *Server
}

func (h *presenceHook) ID() string { return "fengqiao-presence" }

func (h *presenceHook) Provides(b byte) bool {
	return b == mqtt.OnSessionEstablished || b == mqtt.OnDisconnect
}

// OnSessionEstablished runs after CONNACK was sent.
func (h *presenceHook) OnSessionEstablished(cl *mqtt.Client, _ packets.Packet) {
	defer func() {
		if r := recover(); r != nil {
			h.s.hookPanicked("presence", r, cl)
		}
	}()
	sess := h.s.sessions.get(cl)
	if sess == nil {
		return
	}
	sess.online.Store(true)
	h.s.stats.connects.Add(1)
	h.s.presence(sess.presence(true, "connect"))
}

// OnDisconnect runs when a session's read loop has ended.
func (h *presenceHook) OnDisconnect(cl *mqtt.Client, err error, expire bool) {
	defer func() {
		if r := recover(); r != nil {
			h.s.hookPanicked("presence", r, cl)
		}
	}()
	sess := h.s.sessions.get(cl)
	if sess == nil {
		return
	}
	if errors.Is(err, packets.ErrPacketTooLarge) {
		h.s.refuse("packet", "packet too large", sess.acct.ID, sess.remote)
	}
	if sess.purge.Load() && !expire {
		// Kicked: mochi keeps a persistent session for its return; the
		// device is gone, so its subscriptions and queued messages go too.
		if cur, ok := h.s.mochi.Clients.Get(cl.ID); ok && cur == cl {
			h.s.mochi.UnsubscribeClient(cl)
			cl.ClearInflights()
			h.s.mochi.Clients.Delete(cl.ID)
		}
	}
	h.s.endSession(sess, disconnectReason(sess, cl, err))
}

// disconnectReason names why a session ended, for PresenceEvent.Reason.
func disconnectReason(sess *session, cl *mqtt.Client, err error) string {
	if r := sess.reason.Load(); r != nil {
		return *r
	}
	if err == nil {
		err = cl.StopCause() // mochi's read loop returns nil once the client was stopped
	}
	var ne net.Error
	switch {
	case err == nil, errors.Is(err, packets.CodeDisconnect), errors.Is(err, packets.CodeSuccess):
		return "disconnect"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, packets.ErrServerShuttingDown):
		return "shutdown"
	case errors.Is(err, packets.ErrSessionTakenOver):
		return "taken over"
	}
	return "error: " + err.Error()
}

// endSession ends a session exactly once: forget it and, if the Sink was
// told it came online and no newer connection of the same client replaced
// it, tell the Sink it went offline.
func (s *Server) endSession(sess *session, reason string) {
	if !sess.ended.CompareAndSwap(false, true) {
		return
	}
	current := s.sessions.unregister(sess)
	if !sess.online.Load() {
		return
	}
	s.stats.disconnects.Add(1)
	if current {
		s.presence(sess.presence(false, reason))
	}
}

// presence hands an event to the Sink, which queues and must not block.
func (s *Server) presence(ev PresenceEvent) {
	defer func() {
		if r := recover(); r != nil {
			s.panicked("sink presence", r, nil)
		}
	}()
	s.sink.Presence(ev)
}

// authenticate asks the Authenticator, treating a panic as a refusal.
func (s *Server) authenticate(id string, token []byte) (acct Account, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			s.panicked("authenticator", r, nil)
			acct, ok = Account{}, false
		}
	}()
	return s.auth.Authenticate(id, token)
}
