package broker

import (
	"crypto/tls"
	"errors"
	"fmt"
	"math"
	"time"
)

// Defaults, chosen for a community appliance on a small machine with up to
// ~10,000 sensors that send small JSON payloads. Each is documented where it
// departs from mochi's permissive default.
const (
	// DefaultTCPAddr is the plain MQTT port.
	DefaultTCPAddr = ":1883"
	// DefaultTLSAddr is the MQTT-over-TLS port, used when a certificate is set.
	DefaultTLSAddr = ":8883"
	// DefaultMaxPacketSize bounds every inbound packet (mochi: unlimited, so an
	// unauthenticated client could make it allocate 2×256 MiB with 5 bytes).
	// Sensor payloads are a few hundred bytes; 16 KiB leaves room for external
	// feeds on ingest/{source}.
	DefaultMaxPacketSize = 16 << 10
	// DefaultMaxClients is the number of authenticated sessions (mochi:
	// unlimited): twice the 10,000 devices the appliance is sized for.
	DefaultMaxClients = 20000
	// DefaultConnectTimeout is how long a new connection may take to send its
	// CONNECT (mochi: forever, so idle sockets pile up).
	DefaultConnectTimeout = 10 * time.Second
	// DefaultServerKeepAlive is imposed on clients that ask for keep-alive 0
	// (mochi: no deadline at all, so a dead NAT mapping holds a session forever).
	DefaultServerKeepAlive = 120 * time.Second
	// DefaultMaxSessionExpiry bounds how long a persistent session (clean
	// session false) is kept after its client left (mochi: 136 years).
	DefaultMaxSessionExpiry = 24 * time.Hour
	// DefaultReceiveMaximum is the QoS>0 window a client may have open towards
	// the broker (mochi: 1024).
	DefaultReceiveMaximum = 64
	// DefaultMaxInflight bounds the QoS>0 messages stored per client on the
	// way out, e.g. commands queued for an offline device. An entry costs
	// memory only while its message is unacknowledged, and the bound is the
	// same for every client, so it is sized for the heaviest one: an
	// integration subscribed to devices/+/up at QoS 1, which at 20–25k
	// msgs/s and ~200 ms of PUBACK latency has ~5,000 messages in flight (at
	// 1024, `fengqiao bench` lost 4.7% of its deliveries to this bound).
	DefaultMaxInflight = 8192
	// DefaultMaxPendingWrites sizes each client's outbound channel in mochi
	// (mochi: 8192, a 64 KiB channel per client before it has sent a byte).
	// It is the same for every client and allocated when the connection
	// opens: 8 bytes a slot for each idle device. Integration accounts also
	// get a byte queue behind it (IntegrationQueue), so the channel only has
	// to ride out moments when mochi's write loop is not scheduled; on a
	// loaded 2-core machine those reach 256–1024 messages at 25k msgs/s
	// (bench: ~1.5% of deliveries to one subscriber dropped at 256, none at
	// 1024, which would cost each device 6 KiB more).
	DefaultMaxPendingWrites = 256
	// DefaultIntegrationQueue is the outbound queue, in bytes, of each
	// integration account's connection (see writeQueue): about 8,000
	// telemetry messages for a subscriber on devices/+/up that falls behind
	// for a moment. Devices have none.
	DefaultIntegrationQueue = 1 << 20
	// DefaultMaxTopicLength bounds topic names and filters in bytes.
	DefaultMaxTopicLength = 256
	// DefaultCommitTimeout bounds one Sink.Commit; past it the publish is
	// refused without an acknowledgement and the device retries.
	DefaultCommitTimeout = 10 * time.Second
	// DefaultQoS0Queue is the depth of the non-blocking QoS 0 ingest queue.
	DefaultQoS0Queue = 4096
)

// Config is the broker's configuration. The zero value of every field means
// its documented default, except the addresses: an empty TCPAddr disables the
// plain TCP listener and TLS is off unless a certificate is given. Use
// DefaultConfig for the production addresses.
type Config struct {
	// TCPAddr is the plain MQTT listener, e.g. ":1883"; "" disables it.
	TCPAddr string
	// TLSAddr is the MQTT-over-TLS listener; it defaults to DefaultTLSAddr
	// when TLSConfig or TLSCertFile/TLSKeyFile are set, and is unused otherwise.
	TLSAddr string
	// TLSCertFile and TLSKeyFile are a PEM certificate chain and key.
	TLSCertFile string
	TLSKeyFile  string
	// TLSConfig, if set, is used as is (and the files are ignored).
	TLSConfig *tls.Config

	// MaxPacketSize is the largest inbound packet in bytes; larger ones close
	// the connection before their body is read. Announced to MQTT 5 clients.
	MaxPacketSize uint32
	// MaxClients is the number of authenticated sessions at once.
	MaxClients int
	// MaxConnections caps open sockets on all listeners, authenticated or not
	// (default MaxClients+1024); extra connections are closed on accept.
	MaxConnections int
	// ConnectTimeout is how long a connection may take to send CONNECT.
	ConnectTimeout time.Duration
	// ServerKeepAlive replaces a client's keep-alive of 0 (whole seconds).
	ServerKeepAlive time.Duration
	// MaxMessageExpiry, when positive, drops queued and retained messages
	// older than it. Zero (the default) imposes no broker-side expiry, so a
	// device's retained status stays until the device replaces it; mochi's
	// default of 24 h would silently erase the status of quiet devices.
	// MQTT 5 clients can still set their own message expiry.
	MaxMessageExpiry time.Duration
	// MaxSessionExpiry bounds how long a persistent session outlives its
	// connection.
	MaxSessionExpiry time.Duration
	// ReceiveMaximum is the inbound QoS>0 window per client.
	ReceiveMaximum uint16
	// MaxInflight is the outbound QoS>0 store per client.
	MaxInflight uint16
	// MaxPendingWrites is the outbound queue length per client; messages for
	// a client whose queue is full are dropped (counted by mochi).
	MaxPendingWrites int
	// IntegrationQueue bounds, in bytes, what may wait to be written to one
	// integration account's connection.
	IntegrationQueue int
	// MaxTopicLength bounds topic names and filters in bytes.
	MaxTopicLength int
	// CommitTimeout bounds one Sink.Commit for a QoS 1/2 publish.
	CommitTimeout time.Duration
	// QoS0Queue is the depth of the queue that hands QoS 0 publishes to
	// Sink.Commit off the device's read loop; when it is full they are
	// dropped and counted.
	QoS0Queue int
	// Throttle limits repeated failed logins.
	Throttle ThrottleConfig
}

// ThrottleConfig limits failed logins per remote address and per username
// with token buckets that only failures drain, so thousands of correct
// logins from one NAT address after a power cut are never slowed down.
type ThrottleConfig struct {
	// AddrBurst failures are allowed from one address, then one more per
	// AddrEvery (defaults 30 and 2 s: a few misprovisioned devices behind a
	// NAT retrying every few seconds never lock out their neighbours).
	AddrBurst int
	AddrEvery time.Duration
	// UserBurst failures are allowed for one username, then one more per
	// UserEvery (defaults 10 and 6 s).
	UserBurst int
	UserEvery time.Duration
	// MaxKeys bounds the addresses and usernames tracked (each; default
	// 10,000); past it idle buckets are evicted first, then arbitrary ones.
	MaxKeys int
}

// DefaultConfig returns the production configuration: TCP on :1883, TLS on
// :8883 once a certificate is set, and every limit at its default.
func DefaultConfig() Config {
	return Config{TCPAddr: DefaultTCPAddr}.withDefaults()
}

// withDefaults returns c with every zero limit replaced by its default.
func (c Config) withDefaults() Config {
	setDefault(&c.MaxPacketSize, DefaultMaxPacketSize)
	setDefault(&c.MaxClients, DefaultMaxClients)
	setDefault(&c.MaxConnections, c.MaxClients+1024)
	setDefault(&c.ConnectTimeout, DefaultConnectTimeout)
	setDefault(&c.ServerKeepAlive, DefaultServerKeepAlive)
	setDefault(&c.MaxSessionExpiry, DefaultMaxSessionExpiry)
	setDefault(&c.ReceiveMaximum, DefaultReceiveMaximum)
	setDefault(&c.MaxInflight, DefaultMaxInflight)
	setDefault(&c.MaxPendingWrites, DefaultMaxPendingWrites)
	setDefault(&c.IntegrationQueue, DefaultIntegrationQueue)
	setDefault(&c.MaxTopicLength, DefaultMaxTopicLength)
	setDefault(&c.CommitTimeout, DefaultCommitTimeout)
	setDefault(&c.QoS0Queue, DefaultQoS0Queue)
	setDefault(&c.Throttle.AddrBurst, 30)
	setDefault(&c.Throttle.AddrEvery, 2*time.Second)
	setDefault(&c.Throttle.UserBurst, 10)
	setDefault(&c.Throttle.UserEvery, 6*time.Second)
	setDefault(&c.Throttle.MaxKeys, 10000)
	if c.tlsEnabled() && c.TLSAddr == "" {
		c.TLSAddr = DefaultTLSAddr
	}
	return c
}

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

func (c Config) tlsEnabled() bool {
	return c.TLSConfig != nil || c.TLSCertFile != "" || c.TLSKeyFile != ""
}

// validate reports the first setting that cannot work, naming the field.
func (c Config) validate() error {
	switch {
	case c.MaxPacketSize < 256:
		return errors.New("MaxPacketSize: must be at least 256 bytes (a CONNECT with a token and a will)")
	case c.MaxPacketSize > 1<<24:
		return errors.New("MaxPacketSize: must be at most 16 MiB")
	case c.MaxClients < 1:
		return errors.New("MaxClients: must be positive")
	case c.MaxConnections < c.MaxClients:
		return errors.New("MaxConnections: must be at least MaxClients")
	case c.ConnectTimeout < time.Second:
		return errors.New("ConnectTimeout: must be at least 1s")
	case c.ServerKeepAlive < time.Second || c.ServerKeepAlive > math.MaxUint16*time.Second:
		return errors.New("ServerKeepAlive: must be between 1s and 65535s")
	case c.MaxMessageExpiry < 0:
		return errors.New("MaxMessageExpiry: must not be negative")
	case c.MaxSessionExpiry < 0 || c.MaxSessionExpiry > math.MaxUint32*time.Second:
		return errors.New("MaxSessionExpiry: out of range")
	case c.MaxPendingWrites < 1 || c.MaxPendingWrites > math.MaxInt32:
		return errors.New("MaxPendingWrites: out of range")
	case c.IntegrationQueue < 4096:
		return errors.New("IntegrationQueue: must be at least 4096 bytes")
	case c.MaxTopicLength < 16 || c.MaxTopicLength > math.MaxUint16:
		return errors.New("MaxTopicLength: must be between 16 and 65535")
	case c.CommitTimeout <= 0 || c.QoS0Queue < 1:
		return errors.New("CommitTimeout, QoS0Queue: must be positive")
	case c.Throttle.AddrBurst < 1 || c.Throttle.UserBurst < 1 || c.Throttle.MaxKeys < 1:
		return errors.New("Throttle: bursts and MaxKeys must be positive")
	case c.Throttle.AddrEvery <= 0 || c.Throttle.UserEvery <= 0:
		return errors.New("Throttle: refill intervals must be positive")
	case (c.TLSCertFile == "") != (c.TLSKeyFile == "") && c.TLSConfig == nil:
		return errors.New("TLSCertFile, TLSKeyFile: give both or neither")
	}
	return nil
}

// tlsConfig returns the TLS configuration for the TLS listener, loading the
// certificate files if no *tls.Config was given; nil when TLS is off.
func (c Config) tlsConfig() (*tls.Config, error) {
	if c.TLSConfig != nil {
		return c.TLSConfig, nil
	}
	if c.TLSCertFile == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(c.TLSCertFile, c.TLSKeyFile)
	if err != nil {
		return nil, fmt.Errorf("load MQTT TLS certificate: %w", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}
