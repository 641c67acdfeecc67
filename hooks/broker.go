package hooks

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"

	"github.com/fengqiao/fengqiao/broker"
	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/telemetry"
)

// Tunables of the MQTT side that are not worth a flag.
const (
	// directorySyncEvery is how often the device directory re-reads the
	// devices table, for changes made outside this process (the `fengqiao
	// device` commands while the appliance runs).
	directorySyncEvery = 3 * time.Second
	// stopTimeout bounds the broker's and the pipeline's shutdown each.
	stopTimeout = 15 * time.Second
	// pruneJob is the cron job that drops readings past --readings-days.
	pruneJob      = "fengqiaoReadingsPrune"
	pruneSchedule = "23 * * * *" // hourly, so each run has little to delete
	// storeKeyMQTT holds the running broker's addresses for the banner.
	storeKeyMQTT = "fengqiao.mqtt"
)

// telemetryHandler is where committed device messages go: the alarm
// engine (hooks/alarms.go).
func telemetryHandler(app core.App) telemetry.Handler { return alarmsHandler(app) }

// mqttSide is the broker, the device directory and the ingest pipeline of
// one app. OnServe starts them (once: PocketBase's API test scenarios fire
// OnServe for every request), OnTerminate stops them (once).
type mqttSide struct {
	cfg Config
	dir *telemetry.Directory

	mu       sync.Mutex
	srv      *broker.Server
	pipe     *telemetry.Pipeline
	stopSync chan struct{}
	syncDone chan struct{}
	stopGC   context.CancelFunc
}

// bindBroker binds the device directory's record hooks, the start and stop
// of the MQTT side, the /mqtt WebSocket route and the readings prune job.
func bindBroker(app core.App, cfg Config) error {
	m := &mqttSide{cfg: cfg, dir: telemetry.NewDirectory(app.Logger().With(slog.String("component", "directory")))}
	app.Store().Set(storeKeyMQTTSide, m) // the alarm engine reads the seam's drops and publishes commands
	bindDeviceDirectory(app, m.dir)
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Id: "fengqiaoBroker",
		Func: func(e *core.ServeEvent) error {
			if err := m.start(e); err != nil {
				return err
			}
			e.Router.GET("/mqtt", func(re *core.RequestEvent) error {
				m.mu.Lock()
				srv := m.srv
				m.mu.Unlock()
				if srv == nil {
					return re.Error(http.StatusServiceUnavailable, "MQTT broker not running", nil)
				}
				srv.WebSocketHandler().ServeHTTP(re.Response, re.Request)
				return nil
			})
			return e.Next()
		},
	})
	app.OnTerminate().Bind(&hook.Handler[*core.TerminateEvent]{
		Id: "fengqiaoBrokerStop",
		Func: func(e *core.TerminateEvent) error {
			if err := m.stop(); err != nil {
				e.App.Logger().Error("mqtt side did not stop cleanly", slog.String("error", err.Error()))
			}
			return e.Next()
		},
	})
	if cfg.ReadingsDays > 0 {
		days := cfg.ReadingsDays
		if err := app.Cron().Add(pruneJob, pruneSchedule, func() { pruneReadings(app, days) }); err != nil {
			return fmt.Errorf("readings prune job: %w", err)
		}
	}
	return nil
}

// bindDeviceDirectory keeps the directory fresh: a device created,
// changed, disabled or deleted in the admin UI (or by any code in this
// process) is applied as soon as its transaction commits; disabled and
// deleted devices are kicked off the broker at once.
func bindDeviceDirectory(app core.App, dir *telemetry.Directory) {
	put := func(e *core.RecordEvent) error {
		dir.Put(e.Record)
		return e.Next()
	}
	app.OnRecordAfterCreateSuccess(model.CollectionDevices).Bind(&hook.Handler[*core.RecordEvent]{
		Id: "fengqiaoDirectoryCreate", Func: put})
	app.OnRecordAfterUpdateSuccess(model.CollectionDevices).Bind(&hook.Handler[*core.RecordEvent]{
		Id: "fengqiaoDirectoryUpdate", Func: put})
	app.OnRecordAfterDeleteSuccess(model.CollectionDevices).Bind(&hook.Handler[*core.RecordEvent]{
		Id: "fengqiaoDirectoryDelete",
		Func: func(e *core.RecordEvent) error {
			dir.Remove(e.Record)
			return e.Next()
		},
	})
}

// brokerConfig maps the appliance's flags onto the broker's. Without an
// HTTP server (PocketBase's API test scenarios fire OnServe without one)
// the TCP and TLS listeners stay off, so tests never fight over ports.
func (m *mqttSide) brokerConfig(withListeners bool) (broker.Config, error) {
	c := broker.DefaultConfig()
	if (m.cfg.MQTTCert == "") != (m.cfg.MQTTKey == "") {
		return c, errors.New("--mqtt-cert and --mqtt-key go together: give both for MQTT over TLS, or neither")
	}
	c.TCPAddr, c.TLSAddr = m.cfg.MQTT, m.cfg.MQTTTLS
	c.TLSCertFile, c.TLSKeyFile = m.cfg.MQTTCert, m.cfg.MQTTKey
	if m.cfg.MQTTMaxClients > 0 {
		c.MaxClients = m.cfg.MQTTMaxClients
	}
	if !withListeners {
		c.TCPAddr, c.TLSCertFile, c.TLSKeyFile = "", "", ""
	}
	return c, nil
}

// start loads the directory and starts the pipeline and the broker, in
// that order; a second call is a no-op.
func (m *mqttSide) start(e *core.ServeEvent) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.srv != nil {
		return nil
	}
	app := e.App
	bcfg, err := m.brokerConfig(e.Server != nil)
	if err != nil {
		return err
	}
	if err := m.dir.Load(app); err != nil {
		return err
	}
	pipe, err := telemetry.New(app, m.dir, telemetry.Config{Handler: telemetryHandler(app)})
	if err != nil {
		return fmt.Errorf("start telemetry pipeline: %w", err)
	}
	logger := app.Logger().With(slog.String("component", "mqtt"))
	srv, err := broker.New(bcfg, m.dir, pipe, logger)
	if err == nil {
		m.dir.SetKicker(srv)
		err = srv.Start()
	}
	if err != nil {
		m.dir.SetKicker(nil)
		ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
		defer cancel()
		return errors.Join(fmt.Errorf("start mqtt broker: %w", err), pipe.Close(ctx))
	}
	m.srv, m.pipe = srv, pipe
	m.stopSync, m.syncDone = make(chan struct{}), make(chan struct{})
	go m.syncLoop(app, m.stopSync, m.syncDone)
	// The connected devices are most of the process's memory: cap the
	// garbage the collector lets it keep (see broker.TuneGC).
	var gcCtx context.Context
	gcCtx, m.stopGC = context.WithCancel(context.Background())
	go broker.TuneGC(gcCtx)
	app.Store().Set(storeKeyMQTT, [2]string{srv.TCPAddress(), srv.TLSAddress()})
	app.Logger().Info("mqtt side started", slog.String("tcp", srv.TCPAddress()), slog.String("tls", srv.TLSAddress()),
		slog.Int("devices", m.dir.Len()))
	return nil
}

// syncLoop re-reads the devices table now and then (see Directory.Sync).
func (m *mqttSide) syncLoop(app core.App, stop, done chan struct{}) {
	defer close(done)
	t := time.NewTicker(directorySyncEvery)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if err := m.dir.Sync(app); err != nil {
				app.Logger().Warn("device directory sync failed", slog.String("error", err.Error()))
			}
		}
	}
}

// stop closes the broker first (no new messages; commits in flight
// finish), then flushes the pipeline. It lets go of m.mu before it waits:
// the seam's handler (the alarm engine) may publish through m while the
// pipeline drains. Safe to call more than once.
func (m *mqttSide) stop() error {
	m.mu.Lock()
	srv, pipe, stopSync, syncDone, stopGC := m.srv, m.pipe, m.stopSync, m.syncDone, m.stopGC
	m.srv, m.pipe = nil, nil
	m.mu.Unlock()
	if srv == nil {
		return nil
	}
	stopGC()
	close(stopSync)
	<-syncDone
	ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel()
	errBroker := srv.Close(ctx)
	m.dir.SetKicker(nil)
	ctx2, cancel2 := context.WithTimeout(context.Background(), stopTimeout)
	defer cancel2()
	errPipe := pipe.Close(ctx2)
	return errors.Join(errBroker, errPipe)
}

// pruneReadings is the cron job: readings older than days go, in batches.
func pruneReadings(app core.App, days int) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	n, err := telemetry.PruneOlderThan(ctx, app, days, time.Now())
	if err != nil {
		app.Logger().Error("readings prune failed", slog.Int64("deleted", n), slog.String("error", err.Error()))
		return
	}
	if n > 0 {
		app.Logger().Info("readings pruned", slog.Int64("deleted", n), slog.Int("days", days))
	}
}

// mqttBannerText is the banner's MQTT lines: the listeners' addresses and
// the WebSocket URL on the HTTP port (base is the banner's http URL).
func mqttBannerText(e *core.ServeEvent, base string) string {
	addrs, ok := e.App.Store().Get(storeKeyMQTT).([2]string)
	if !ok {
		return ""
	}
	var b strings.Builder
	if addrs[0] != "" {
		fmt.Fprintf(&b, "  MQTT         mqtt://%s\n", loopbackIfAny(addrs[0]))
	}
	if addrs[1] != "" {
		fmt.Fprintf(&b, "  MQTT (TLS)   mqtts://%s\n", loopbackIfAny(addrs[1]))
	}
	ws := strings.Replace(strings.Replace(base, "https://", "wss://", 1), "http://", "ws://", 1)
	fmt.Fprintf(&b, "  MQTT (ws)    %s/mqtt\n", ws)
	return b.String()
}

// loopbackIfAny shows a wildcard listen address as a dialable one.
func loopbackIfAny(addr string) string {
	for _, any := range []string{"[::]:", "0.0.0.0:", ":"} {
		if strings.HasPrefix(addr, any) {
			return "127.0.0.1:" + addr[len(any):]
		}
	}
	return addr
}

// brokerPublisher publishes from the appliance on app's running broker:
// the rules' device commands and the alarms sirens and LED boards hear.
// It looks the broker up at each publish, so nothing depends on start-up
// order; while no broker runs it fails, and the caller retries.
type brokerPublisher struct{ app core.App }

// Publish sends a message from the appliance.
func (p brokerPublisher) Publish(topic string, payload []byte, retain bool, qos byte) error {
	m := mqttSideOf(p.app)
	if m == nil {
		return errors.New("no mqtt broker")
	}
	m.mu.Lock()
	srv := m.srv
	m.mu.Unlock()
	if srv == nil {
		return errors.New("mqtt broker not running")
	}
	return srv.Publish(topic, payload, retain, qos)
}
