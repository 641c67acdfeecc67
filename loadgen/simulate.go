package loadgen

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// SimDevice is one device the simulator plays.
type SimDevice struct {
	Cred
	Kind string
}

// SimConfig configures Simulate.
type SimConfig struct {
	// URL is the appliance's MQTT listener: mqtt://host:port, or
	// ws://host:port/mqtt for MQTT over WebSocket.
	URL     string
	Devices []SimDevice
	// Speed scales the pace of events (2 = twice as often).
	Speed float64
	// Out receives one line per event; nil logs summaries only.
	Out    io.Writer
	Logger *slog.Logger
}

type simulator struct {
	cfg                    SimConfig
	outMu                  sync.Mutex
	online, sent, failures atomic.Int64
}

// Simulate plays every device until ctx ends: each connects with its own
// credentials, publishes telemetry at QoS 1 at a pace that follows the
// time of day, drains its battery, now and then drops off the network
// (no DISCONNECT, as with a power or Wi-Fi cut) and comes back, and logs
// any command it receives on devices/{id}/cmd.
func Simulate(ctx context.Context, cfg SimConfig) error {
	if len(cfg.Devices) == 0 {
		return fmt.Errorf("simulate: no devices")
	}
	if cfg.Speed <= 0 {
		cfg.Speed = 1
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &simulator{cfg: cfg}
	var wg sync.WaitGroup
	for i, d := range cfg.Devices {
		wg.Go(func() { s.play(ctx, d, rand.New(rand.NewPCG(uint64(i), uint64(time.Now().UnixNano())))) })
	}
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			return nil
		case <-t.C:
			cfg.Logger.Info("simulate", slog.Int64("online", s.online.Load()), slog.Int("devices", len(cfg.Devices)),
				slog.Int64("sent", s.sent.Load()), slog.Int64("failures", s.failures.Load()))
		}
	}
}

func (s *simulator) event(id, what string) {
	if s.cfg.Out == nil {
		return
	}
	s.outMu.Lock()
	fmt.Fprintf(s.cfg.Out, "%s  %-16s %s\n", time.Now().Format("15:04:05"), id, what)
	s.outMu.Unlock()
}

// wait sleeps d scaled by the speed; false when ctx ends first.
func (s *simulator) wait(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(time.Duration(float64(d) / s.cfg.Speed)):
		return true
	}
}

// play runs one device: connect, publish, drop off, come back.
func (s *simulator) play(ctx context.Context, d SimDevice, r *rand.Rand) {
	st := newState(d.Kind, r)
	if !s.wait(ctx, time.Duration(r.Int64N(int64(3*time.Second)))) { // do not all knock at once
		return
	}
	backoff := time.Second
	for ctx.Err() == nil {
		cl, conn, err := s.connect(d)
		if err != nil {
			s.failures.Add(1)
			if backoff == time.Second {
				s.event(d.ClientID, "cannot connect: "+err.Error())
			}
			if !s.wait(ctx, backoff) {
				return
			}
			backoff = min(backoff*2, 30*time.Second)
			continue
		}
		backoff = time.Second
		s.online.Add(1)
		s.event(d.ClientID, "online")
		gone := s.session(ctx, d, st, r, cl)
		s.online.Add(-1)
		if gone > 0 {
			if conn != nil {
				_ = conn.Close() // the power goes: no DISCONNECT
			} else {
				cl.Disconnect(0)
			}
			back := time.Duration(float64(gone) / s.cfg.Speed).Round(time.Second)
			s.event(d.ClientID, fmt.Sprintf("dropped off the network (back in ~%s)", back))
			if !s.wait(ctx, gone) {
				return
			}
			continue
		}
		cl.Disconnect(250)
		return
	}
}

// session publishes until ctx ends (0) or the device drops off (how long).
func (s *simulator) session(ctx context.Context, d SimDevice, st *state, r *rand.Rand, cl mqtt.Client) time.Duration {
	cmd := "devices/" + d.ClientID + "/cmd"
	cl.Subscribe(cmd, 1, func(_ mqtt.Client, m mqtt.Message) {
		s.event(d.ClientID, "command: "+string(m.Payload()))
	})
	up := "devices/" + d.ClientID + "/up"
	for {
		wait, body := st.next(time.Now(), r)
		tok := cl.Publish(up, 1, false, body)
		switch {
		case !tok.WaitTimeout(10 * time.Second):
			s.failures.Add(1)
			s.event(d.ClientID, "publish not acknowledged in 10 s")
		case tok.Error() != nil:
			s.failures.Add(1)
			s.event(d.ClientID, "publish failed: "+tok.Error().Error())
		default:
			s.sent.Add(1)
			s.event(d.ClientID, body)
		}
		if !cl.IsConnectionOpen() {
			return time.Second
		}
		if drop, gone := dropOff(r); drop {
			return gone
		}
		if !s.wait(ctx, wait) {
			return 0
		}
	}
}

// connect opens the device's session. Over TCP it keeps the socket, so
// that dropping off can cut it without a DISCONNECT.
func (s *simulator) connect(d SimDevice) (mqtt.Client, net.Conn, error) {
	u := strings.Replace(s.cfg.URL, "mqtt://", "tcp://", 1)
	o := mqtt.NewClientOptions().AddBroker(u).SetClientID(d.ClientID).SetUsername(d.ClientID).SetPassword(d.Token).
		SetCleanSession(true).SetAutoReconnect(false).SetConnectRetry(false).SetKeepAlive(60 * time.Second).
		SetConnectTimeout(10 * time.Second).SetOrderMatters(false)
	var conn net.Conn
	if strings.HasPrefix(u, "tcp://") {
		o.SetCustomOpenConnectionFn(func(uri *url.URL, _ mqtt.ClientOptions) (net.Conn, error) {
			c, err := net.DialTimeout("tcp", uri.Host, 10*time.Second)
			conn = c
			return c, err
		})
	}
	cl := mqtt.NewClient(o)
	tok := cl.Connect()
	if !tok.WaitTimeout(15 * time.Second) {
		return nil, nil, fmt.Errorf("connect timed out")
	}
	if err := tok.Error(); err != nil {
		return nil, nil, err
	}
	return cl, conn, nil
}
