package broker

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
)

// Server is the appliance's MQTT broker: a mochi server with our
// listeners, hooks and limits. Create it with New, then Start it; Close
// stops it.
type Server struct {
	cfg      Config
	tlsConf  *tls.Config
	auth     Authenticator
	sink     Sink
	log      *slog.Logger
	mochi    *mqtt.Server
	stats    *counters
	sessions *registry
	throttle *throttle
	logLimit *limiter
	async    *asyncCommits
	ws       *wsListener

	baseCtx    context.Context // ends when Close gives up waiting
	cancelBase context.CancelFunc

	connMu sync.Mutex
	conns  map[*conn]struct{}

	started   atomic.Bool
	closing   atomic.Bool
	closeOnce sync.Once
	closeErr  error
	tcpL      *tcpListener
	tlsL      *tcpListener
}

// New builds a broker from cfg (zero limits take their defaults), the
// account directory and the message sink. It binds nothing: Start does.
func New(cfg Config, auth Authenticator, sink Sink, logger *slog.Logger) (*Server, error) {
	if auth == nil || sink == nil {
		return nil, errors.New("broker: an Authenticator and a Sink are required")
	}
	if logger == nil {
		logger = slog.Default()
	}
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("broker config: %w", err)
	}
	tlsConf, err := cfg.tlsConfig()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: cfg, tlsConf: tlsConf, auth: auth, sink: sink, log: logger.With("component", "mqtt"),
		stats: newCounters(), sessions: newRegistry(), throttle: newThrottle(cfg.Throttle, cfg.MaxClients),
		logLimit: newLimiter(refusalLogBurst, refusalLogEvery, 1),
		conns:    map[*conn]struct{}{},
	}
	s.baseCtx, s.cancelBase = context.WithCancel(context.Background())
	s.async = newAsyncCommits(s, cfg.QoS0Queue)
	s.ws = newWSListener(s)
	s.mochi = mqtt.New(&mqtt.Options{
		Capabilities:            capabilities(cfg),
		ClientNetReadBufferSize: clientReadBuffer, // kept per connection; lazyReader buffers below it
		InlineClient:            true,             // for Publish
		SysTopicResendInterval:  10,               // mochi: every second, with a ReadMemStats each time
		Logger:                  slog.New(quietHandler{s.log.With("mochi", true).Handler(), slog.LevelError}),
	})
	for _, h := range []mqtt.Hook{&wireHook{s: s}, &authHook{s: s}, &presenceHook{s: s}, &ingestHook{s: s}} {
		if err := s.mochi.AddHook(h, nil); err != nil {
			return nil, fmt.Errorf("broker hook %s: %w", h.ID(), err)
		}
	}
	return s, nil
}

// capabilities maps our limits onto mochi's, replacing its permissive
// defaults (see config.go for each choice).
func capabilities(cfg Config) *mqtt.Capabilities {
	c := mqtt.NewDefaultServerCapabilities()
	c.MaximumPacketSize = cfg.MaxPacketSize
	c.MaximumClients = int64(cfg.MaxClients)
	c.MaximumMessageExpiryInterval = int64(cfg.MaxMessageExpiry / time.Second)
	c.MaximumSessionExpiryInterval = uint32(min(cfg.MaxSessionExpiry/time.Second, math.MaxUint32))
	c.MaximumClientWritesPending = int32(cfg.MaxPendingWrites)
	c.ReceiveMaximum = cfg.ReceiveMaximum
	c.MaximumInflight = cfg.MaxInflight
	c.TopicAliasMaximum = 0 // aliases would let a publish skip the ACL'd topic name
	c.SharedSubAvailable = 0
	c.Compatibilities.NoInheritedPropertiesOnAck = true // no user properties echoed on acks
	return c
}

// Start binds the TCP and TLS listeners, enables the WebSocket handler and
// starts serving. It fails if an address cannot be bound, or if called
// twice or after Close.
func (s *Server) Start() error {
	if s.closing.Load() {
		return errors.New("broker: start after close")
	}
	if !s.started.CompareAndSwap(false, true) {
		return errors.New("broker: already started")
	}
	var ls []listeners.Listener
	if s.cfg.TCPAddr != "" {
		s.tcpL = &tcpListener{s: s, id: "tcp", addr: s.cfg.TCPAddr}
		ls = append(ls, s.tcpL)
	}
	if s.tlsConf != nil {
		s.tlsL = &tcpListener{s: s, id: "tls", addr: s.cfg.TLSAddr, tlsConf: s.tlsConf}
		ls = append(ls, s.tlsL)
	}
	ls = append(ls, s.ws)
	for _, l := range ls {
		if err := s.mochi.AddListener(l); err != nil {
			for _, bound := range ls {
				bound.Close(func(string) {})
			}
			return fmt.Errorf("broker start: %w", err)
		}
	}
	s.async.start()
	if err := s.mochi.Serve(); err != nil {
		return fmt.Errorf("broker serve: %w", err)
	}
	s.ws.state.CompareAndSwap(0, 1) // mochi starts listeners on goroutines; be ready on return
	s.log.Info("mqtt broker started", "tcp", s.TCPAddress(), "tls", s.TLSAddress(), "websocket", s.ws.Address())
	return nil
}

// TCPAddress returns the bound TCP listener address ("" if none), useful
// with port 0.
func (s *Server) TCPAddress() string { return listenerAddress(s.tcpL) }

// TLSAddress returns the bound TLS listener address ("" if none).
func (s *Server) TLSAddress() string { return listenerAddress(s.tlsL) }

func listenerAddress(l *tcpListener) string {
	if l == nil || l.ln == nil {
		return ""
	}
	return l.ln.Addr().String()
}

// WebSocketHandler serves MQTT over WebSocket (subprotocol "mqtt"); mount
// it on the HTTP router at /mqtt. It answers 503 until Start and after
// Close.
func (s *Server) WebSocketHandler() http.Handler { return s.ws }

// Close stops accepting connections, disconnects every client (MQTT 5
// clients are told the server is shutting down), waits for in-flight
// commits and drains the QoS 0 queue, all within ctx. When ctx ends first,
// commits still running are cancelled and ctx's error is returned. It is
// safe to call more than once; later calls return the first one's result.
func (s *Server) Close(ctx context.Context) error {
	s.closeOnce.Do(func() {
		s.closing.Store(true)
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = s.mochi.Close() // closes our listeners, then waits for every client goroutine
		}()
		select {
		case <-done:
		case <-ctx.Done():
			s.cancelBase()
			s.closeConns("")
			s.closeErr = fmt.Errorf("broker close: clients still running: %w", ctx.Err())
		}
		if err := s.async.shutdown(ctx); err != nil && s.closeErr == nil {
			s.closeErr = fmt.Errorf("broker close: %w", err)
		}
		s.cancelBase()
		info := s.mochi.Info.Clone()
		s.log.Info("mqtt broker stopped", "error", s.closeErr, "accepted", s.stats.accepted.Load(),
			"rejected", s.stats.rejected.Load(), "outbound_dropped_queue_full", info.MessagesDropped,
			"outbound_dropped_inflight_full", info.InflightDropped, "qos0_dropped", s.stats.qos0Dropped.Load())
	})
	return s.closeErr
}
