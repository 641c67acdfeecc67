package broker

import (
	"bytes"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

// authHook is the default-deny login and ACL hook. mochi runs OnConnect,
// then OnConnectAuthenticate, on the connection's goroutine before CONNACK;
// OnACLCheck on every publish, subscription and delivery; OnWill before a
// will is published (mochi publishes wills without any ACL check).
type authHook struct {
	mqtt.HookBase
	s *Server
}

func (h *authHook) ID() string { return "fengqiao-auth" }

func (h *authHook) Provides(b byte) bool {
	return b == mqtt.OnConnect || b == mqtt.OnConnectAuthenticate || b == mqtt.OnACLCheck || b == mqtt.OnWill
}

// OnConnect ties the client to its connection, imposes the server
// keep-alive, and refuses throttled and malformed logins with a precise
// CONNACK before any token is looked at.
func (h *authHook) OnConnect(cl *mqtt.Client, pk packets.Packet) (err error) {
	c := connOf(cl)
	if c != nil {
		c.client.Store(cl)
	}
	defer func() {
		if r := recover(); r != nil {
			h.s.panicked("hook auth", r, cl)
			err = packets.ErrUnspecifiedError
		}
	}()
	if pk.Connect.Keepalive == 0 { // [MQTT-3.2.2-21]: MQTT 5 clients are told in CONNACK
		cl.State.Keepalive = uint16(h.s.cfg.ServerKeepAlive / time.Second)
		cl.State.ServerKeepalive = true
	}
	id, user := pk.Connect.ClientIdentifier, string(pk.Connect.Username)
	addr, userKey, now := hostOf(cl.Net.Remote), throttleKey(user), time.Now()
	if !h.s.throttle.allowed(addr, userKey, now) {
		return h.reject(cl, c, packets.ErrConnectionRateExceeded, "throttled", user)
	}
	reason, code := "", packets.ErrBadUsernameOrPassword
	switch {
	case !validID(id):
		reason, code = "bad client id", packets.ErrClientIdentifierNotValid
	case reservedIDs[id]:
		reason, code = "reserved client id", packets.ErrClientIdentifierNotValid
	case !pk.Connect.UsernameFlag || user != id:
		reason = "username is not the client id"
	case !pk.Connect.PasswordFlag:
		reason = "no token"
	}
	if reason != "" {
		h.s.throttle.fail(addr, userKey, now)
		return h.reject(cl, c, code, reason, user)
	}
	return nil
}

// reject sends the CONNACK for a refused login and counts it once.
func (h *authHook) reject(cl *mqtt.Client, c *conn, code packets.Code, reason, user string) error {
	if cl.Properties.ProtocolVersion < 5 && code == packets.ErrConnectionRateExceeded {
		code = packets.ErrServerUnavailable // 3.1.1 has no rate code; 0x03
	}
	if c != nil {
		c.counted.Store(true)
	}
	h.s.refuse("login", reason, user, cl.Net.Remote)
	_ = h.s.mochi.SendConnack(cl, code, false, nil)
	return code
}

// throttleKey is the username as a throttle key, only if it could be a
// client id at all (bounded length; others are refused by format anyway).
func throttleKey(user string) string {
	if validID(user) {
		return user
	}
	return ""
}

// OnConnectAuthenticate checks the token through the Authenticator and
// starts the session. mochi answers a false with "bad username or password".
func (h *authHook) OnConnectAuthenticate(cl *mqtt.Client, pk packets.Packet) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			h.s.panicked("hook auth", r, cl)
			ok = false
		}
	}()
	c := connOf(cl)
	if c != nil {
		c.counted.Store(true) // from here on refusals are counted below
	}
	id := cl.ID
	gen := h.s.sessions.kickGeneration(id)
	acct, ok := h.s.authenticate(id, pk.Connect.Password)
	if !ok {
		h.s.throttle.fail(hostOf(cl.Net.Remote), id, time.Now())
		h.s.refuse("login", "bad credentials", id, cl.Net.Remote)
		return false
	}
	if acct.ID != id {
		h.s.refuse("login", "authenticator returned another account", id, cl.Net.Remote, "account", acct.ID)
		return false
	}
	h.s.throttle.succeeded(hostOf(cl.Net.Remote), id, time.Now())
	sess := &session{policy: newPolicy(acct, h.s.cfg.MaxTopicLength), client: cl, remote: cl.Net.Remote, listener: cl.Net.Listener}
	h.forceWill(sess)
	if _, ok := h.s.sessions.register(sess, gen); !ok {
		h.s.refuse("login", "kicked", id, cl.Net.Remote)
		return false
	}
	if acct.Integration && c != nil {
		// Before the CONNACK, the first packet mochi writes to it.
		c.out.Store(newWriteQueue(c.Conn, h.s.cfg.IntegrationQueue))
	}
	return true
}

// forceWill makes a device's will its own status topic, whatever it asked
// for, and gives one to devices that set none, so that subscribers of
// devices/+/status learn when a device drops off. An integration account's
// will must pass its publish patterns or is dropped.
func (h *authHook) forceWill(sess *session) {
	w := &sess.client.Properties.Will
	if sess.acct.Integration {
		if w.Flag == 1 {
			if r := sess.publish(w.TopicName); r != "" {
				h.s.refuse("will", r, sess.acct.ID, sess.remote, "topic", w.TopicName)
				*w = mqtt.Will{}
			}
		}
		return
	}
	if w.Flag == 1 && w.TopicName != sess.status {
		h.s.refuse("will", "foreign topic, forced to own status", sess.acct.ID, sess.remote, "topic", w.TopicName)
	}
	*w = deviceWill(sess.status, *w)
}

// deviceWill is the will a device gets: on its status topic, with its own
// payload only if that reads as a status, retained unless it set a will
// without retain, and without user properties.
func deviceWill(status string, w mqtt.Will) mqtt.Will {
	out := mqtt.Will{TopicName: status, Payload: []byte("offline"), Qos: 1, Retain: true, Flag: 1}
	if w.Flag == 1 {
		out.Qos, out.Retain, out.WillDelayInterval = w.Qos, w.Retain, w.WillDelayInterval
		if _, ok := parseStatus(w.Payload); ok {
			out.Payload = bytes.Clone(w.Payload)
		}
	}
	return out
}

// OnACLCheck is the default-deny ACL for publishes (write), subscriptions
// and deliveries (read). Unknown clients are refused.
func (h *authHook) OnACLCheck(cl *mqtt.Client, topic string, write bool) (ok bool) {
	if cl.Net.Inline {
		return true // the appliance's own Publish
	}
	defer func() {
		if r := recover(); r != nil {
			h.s.hookPanicked("acl", r, cl)
			ok = false
		}
	}()
	sess := h.s.sessions.get(cl)
	if sess == nil {
		return false
	}
	kind, reason := "subscribe", ""
	if write {
		kind, reason = "publish", sess.publish(topic)
	} else {
		reason = sess.subscribe(topic)
	}
	if reason == "" {
		return true
	}
	if write {
		h.s.stats.rejected.Add(1)
	}
	h.s.refuse(kind, reason, sess.acct.ID, sess.remote, "topic", topic)
	return false
}

// OnWill re-checks a will as mochi publishes it (forceWill already fixed
// it at login; this covers any path that changed it since), and voids the
// will of a connection replaced by a newer one of the same device.
func (h *authHook) OnWill(cl *mqtt.Client, will mqtt.Will) (out mqtt.Will, err error) {
	defer func() {
		if r := recover(); r != nil {
			h.s.panicked("hook will", r, cl)
			out = voidWill
		}
	}()
	if cl.Net.Inline {
		return will, nil
	}
	sess := h.s.sessions.get(cl)
	switch {
	case sess == nil, sess.superseded.Load():
		return voidWill, nil
	case !sess.acct.Integration && will.TopicName != sess.status:
		return deviceWill(sess.status, will), nil
	case sess.acct.Integration && sess.publish(will.TopicName) != "":
		return voidWill, nil
	}
	return will, nil
}

// voidWill is published where a will must not be: mochi offers no way to
// cancel a will from OnWill, so it goes, unretained, to a $ topic that no
// wildcard subscription matches.
var voidWill = mqtt.Will{TopicName: "$fengqiao/void", Payload: []byte("-"), Flag: 1}
