package broker

import (
	"sync"
	"sync/atomic"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
)

// session is one authenticated connection: the account it logged in as and
// how it ends. mochi's *Client carries no user data, so sessions are found
// by client pointer.
type session struct {
	policy
	client   *mqtt.Client
	remote   string
	listener string

	online atomic.Bool            // the Online presence event was sent
	ended  atomic.Bool            // the session's end was handled
	reason atomic.Pointer[string] // why we ended it (kick, commit failure, panic)
	purge  atomic.Bool            // drop its persistent session too (kicked)

	// superseded: a newer connection of the same client id took over. Its
	// will is not published (OnWill voids it): the device is not offline.
	superseded atomic.Bool
}

// setReason records why the broker itself is ending the session; the first
// reason wins.
func (s *session) setReason(r string) {
	s.reason.CompareAndSwap(nil, &r)
}

// registry maps client ids to the current session; a client's own session
// hangs off its connection wrapper (conn.sess), which costs a device
// nothing more than the pointer.
type registry struct {
	mu      sync.Mutex
	byID    map[string]*session
	kickGen map[string]uint64 // bumped by Kick, checked by logins in flight
}

func newRegistry() *registry {
	return &registry{byID: map[string]*session{}, kickGen: map[string]uint64{}}
}

// get returns the session of a client (nil before login, after its end,
// and for the inline client).
func (r *registry) get(cl *mqtt.Client) *session {
	if c := connOf(cl); c != nil {
		return c.sess.Load()
	}
	return nil
}

// kickGeneration returns the id's kick counter, read before a token is
// checked so that a Kick racing with the login is noticed by register.
func (r *registry) kickGeneration(id string) uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.kickGen[id]
}

// register makes sess the current session of its id. It fails when the id
// was kicked since gen was read. The session it replaces (a device
// reconnecting before its old connection timed out) is returned and marked
// superseded.
func (r *registry) register(sess *session, gen uint64) (prev *session, ok bool) {
	id := sess.acct.ID
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.kickGen[id] != gen {
		return nil, false
	}
	c := connOf(sess.client)
	if c == nil {
		return nil, false // not a network client: nothing to attach the session to
	}
	prev = r.byID[id]
	r.byID[id] = sess
	c.sess.Store(sess)
	if prev != nil {
		// Not a write to prev's mochi Will: mochi writes it unsynchronised
		// from prev's own goroutine. OnWill checks this flag instead.
		prev.superseded.Store(true)
	}
	return prev, true
}

// unregister forgets sess and reports whether it was still the current
// session of its id (false: superseded by a newer connection).
func (r *registry) unregister(sess *session) (current bool) {
	if c := connOf(sess.client); c != nil {
		c.sess.CompareAndSwap(sess, nil)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byID[sess.acct.ID] == sess {
		delete(r.byID, sess.acct.ID)
		return true
	}
	return false
}

// kick bumps the id's kick counter and returns its current session.
func (r *registry) kick(id string) *session {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.kickGen[id]++
	return r.byID[id]
}

// all returns the current sessions.
func (r *registry) all() []*session {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*session, 0, len(r.byID))
	for _, s := range r.byID {
		out = append(out, s)
	}
	return out
}

// current returns the current session of id.
func (r *registry) current(id string) *session {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byID[id]
}

// presence builds a presence event for sess.
func (s *session) presence(online bool, reason string) PresenceEvent {
	return PresenceEvent{Account: s.acct, Online: online, Reason: reason, Remote: s.remote, At: time.Now()}
}
