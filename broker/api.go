// Package broker is fengqiao's MQTT broker: mochi-mqtt with our own
// listeners (TCP, TLS, WebSocket mounted on the HTTP router), a default-deny
// auth/ACL hook for devices and integration accounts, deliberate limits,
// crash containment, and an ingest hook that makes "acknowledged" mean
// "stored".
//
// It knows nothing of PocketBase: it talks to the rest of the appliance
// through the small interfaces in this file.
package broker

import (
	"context"
	"time"
)

// Account is what the broker knows about one MQTT login.
type Account struct {
	// ID is the client id, which is also the username; a device owns the
	// topic namespace devices/{ID}/….
	ID string
	// Kind is the device kind (sos_button, door_magnet, siren…).
	Kind string
	// Integration accounts (sirens, LED boards, feeds) use Publish and
	// Subscribe filters instead of the devices/{ID}/… namespace.
	Integration bool
	Publish     []string
	Subscribe   []string
}

// Authenticator resolves an account by client id and checks its token.
// Implementations compare SHA-256 hashes in constant time and must not
// block on I/O: the broker calls it on every CONNECT.
type Authenticator interface {
	Authenticate(clientID string, token []byte) (Account, bool)
}

// Message is one publish the ACL accepted from an account.
type Message struct {
	Account  Account
	Topic    string // the full topic, e.g. devices/sos-1/up
	Suffix   string // what follows devices/{id}/: "up", "status"…; "" for other topics
	Payload  []byte
	QoS      byte
	Retain   bool
	Received time.Time
}

// Sink receives what devices say. Commit runs inside mochi's OnPublish,
// before the PUBACK: it returns only once the message is durably stored,
// and a non-nil error makes the broker withhold the acknowledgement so the
// device retries. Presence is told about connects and disconnects and must
// not block (it queues).
type Sink interface {
	Commit(ctx context.Context, msg Message) error
	Presence(ev PresenceEvent)
}

// PresenceEvent says an account came online or went offline, and why.
type PresenceEvent struct {
	Account Account
	Online  bool
	Reason  string // on offline: "disconnect", "timeout", "kicked", "panic: …"
	Remote  string
	At      time.Time
}
