// Package telemetry is the appliance's ingest pipeline: what happens to a
// device's message between the broker and the rule engine.
//
//   - Directory: the in-memory device directory, the broker's
//     Authenticator, kept fresh by record hooks (bound in hooks/).
//   - Pipeline: the broker's Sink. Commit decodes a payload once, writes it
//     to readings through a group-commit writer (raw inserts, one
//     transaction per batch) and returns only once the batch is on disk;
//     then the message goes on to the Handler through a bounded queue,
//     off the broker's read loop. Presence and device state are coalesced
//     per device in memory and saved in batches.
//   - Prune: drops readings past the retention, in small batches.
//
// It knows PocketBase (it writes records) but binds no hooks itself.
package telemetry

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/fengqiao/fengqiao/broker"
	"github.com/fengqiao/fengqiao/model"
	"github.com/fengqiao/fengqiao/payload"
)

// Config tunes the pipeline; zero values take the defaults in brackets.
type Config struct {
	// MaxBatch is the most readings one transaction inserts [2048].
	MaxBatch int
	// Linger is the most a batch waits, under load, for more messages
	// before it commits [2ms; negative: never]; an idle appliance commits
	// at once.
	Linger time.Duration
	// QueueDepth is the depth of the seam's queue to the Handler [8192].
	QueueDepth int
	// PresenceInterval is how often device state is saved [1s].
	PresenceInterval time.Duration
	// PresenceBudget is the most records one presence flush updates; the
	// rest coalesces into the next flush [20000].
	PresenceBudget int
	// AnnounceEvery is how long a device's routine changes (battery, last
	// state) wait after its last announcement [5s; negative: announce every
	// change at once]; see announcer.
	AnnounceEvery time.Duration
	// Handler receives committed events [NopHandler].
	Handler Handler
}

func (c *Config) defaults() {
	if c.MaxBatch <= 0 {
		c.MaxBatch = 2048
	}
	switch {
	case c.Linger == 0:
		c.Linger = 2 * time.Millisecond
	case c.Linger < 0:
		c.Linger = 0
	}
	if c.QueueDepth <= 0 {
		c.QueueDepth = 8192
	}
	if c.PresenceInterval <= 0 {
		c.PresenceInterval = time.Second
	}
	if c.PresenceBudget <= 0 {
		c.PresenceBudget = 20000
	}
	switch {
	case c.AnnounceEvery == 0:
		c.AnnounceEvery = 5 * time.Second
	case c.AnnounceEvery < 0:
		c.AnnounceEvery = 0
	}
	if c.Handler == nil {
		c.Handler = NopHandler{}
	}
}

// Pipeline is the broker's Sink: see the package documentation.
type Pipeline struct {
	app      core.App
	db       *sql.DB // the write connection, for raw batched statements
	dir      *Directory
	cfg      Config
	logger   *slog.Logger
	ids      idGen
	writer   *writer
	seam     *seam
	presence *presence
	// announcer paces presence announcements (used by the flush only).
	announcer *announcer
	stats     counters
	// presenceStmts are updateDevice and updateSpace, prepared.
	presenceStmts [2]*sql.Stmt

	stopFlush chan struct{}
	flushDone chan struct{}
	closeOnce sync.Once
	closeErr  error
}

var _ broker.Sink = (*Pipeline)(nil)

// New starts the pipeline on app's database. Devices still marked online
// by a previous run (a crash leaves them so) are marked offline first:
// they come back online as they reconnect.
func New(app core.App, dir *Directory, cfg Config) (*Pipeline, error) {
	cfg.defaults()
	db, ok := app.NonconcurrentDB().(*dbx.DB)
	if !ok {
		return nil, errors.New("telemetry pipeline: app must not be inside a transaction")
	}
	if _, err := app.NonconcurrentDB().NewQuery("UPDATE devices SET online = FALSE WHERE online = TRUE").Execute(); err != nil {
		return nil, fmt.Errorf("reset device presence: %w", err)
	}
	p := &Pipeline{app: app, db: db.DB(), dir: dir, cfg: cfg, logger: app.Logger().With(slog.String("component", "telemetry")),
		presence: newPresence(), announcer: newAnnouncer(cfg.AnnounceEvery), stopFlush: make(chan struct{}), flushDone: make(chan struct{})}
	p.stats.init()
	for i, q := range []string{updateDevice, updateSpace} {
		stmt, err := p.db.Prepare(q)
		if err != nil {
			p.closeStmts()
			return nil, fmt.Errorf("prepare presence update: %w", err)
		}
		p.presenceStmts[i] = stmt
	}
	w, err := newWriter(p.db, cfg.MaxBatch, cfg.Linger, p.afterCommit)
	if err != nil {
		p.closeStmts()
		return nil, err
	}
	p.writer = w
	p.seam = newSeam(cfg.Handler, cfg.QueueDepth, p.logger)
	go p.flushLoop()
	return p, nil
}

// Commit stores one message and returns once it is committed: see
// broker.Sink. Bad payloads are counted, recorded on the device and
// acknowledged (a retry would not mend them), except that an SOS
// button's unreadable message is stored and handed on flagged Unreadable.
func (p *Pipeline) Commit(ctx context.Context, msg broker.Message) error {
	e, ok := p.dir.Lookup(msg.Account.ID)
	if !ok { // disabled or deleted a moment ago, or the broker's own publish
		p.stats.unknown.Add(1)
		return nil
	}
	at := msg.Received
	if at.IsZero() {
		at = time.Now()
	}
	if msg.Suffix == "status" || msg.Topic == "devices/"+e.ClientID+"/status" { // presence comes from the broker
		p.presence.touch(e, at)
		return nil
	}
	raw := append([]byte(nil), msg.Payload...)
	ev := Event{DeviceID: e.RecordID, ClientID: e.ClientID, Kind: e.Kind, Elder: e.Elder, Household: e.Household,
		ParkingSpace: e.ParkingSpace, Topic: msg.Topic, Suffix: msg.Suffix, Raw: raw, Received: at}
	data, err := payload.Decode(raw)
	stored := string(raw)
	if err != nil {
		reason, detail := reasonOf(err)
		p.stats.bad(reason)
		sos := e.Kind == model.KindSOSButton
		p.presence.bad(e, fmt.Sprintf("%s on %s: %s", reason, msg.Topic, detail), at, !sos)
		if !sos {
			return nil
		}
		ev.Unreadable, ev.Reason, ev.Detail = true, reason, detail
		stored = unreadableData(reason, detail, raw)
	}
	ev.Payload = data
	j := &job{row: row{id: p.ids.next(at), device: e.RecordID, topic: msg.Topic, data: stored},
		ev: ev, entry: e, state: data, done: make(chan error, 1), urgent: isUrgent(&ev)}
	if err := p.writer.submit(ctx, j); err != nil {
		return fmt.Errorf("store message from %s: %w", e.ClientID, err)
	}
	return nil
}

// reasonOf returns the decoder's reason label and detail.
func reasonOf(err error) (string, string) {
	var perr *payload.Error
	if errors.As(err, &perr) {
		return perr.Reason, perr.Detail
	}
	return "invalid", err.Error()
}

// unreadableData is what a reading stores for an SOS message that could
// not be decoded: the reason and (the start of) the raw bytes.
func unreadableData(reason, detail string, raw []byte) string {
	const keep = 1024
	cut := raw[:min(len(raw), keep)]
	b, _ := json.Marshal(map[string]any{"unreadable": reason, "detail": detail,
		"raw_base64": base64.StdEncoding.EncodeToString(cut), "raw_bytes": len(raw)})
	return string(b)
}

// afterCommit runs on the writer goroutine once a batch is on disk.
func (p *Pipeline) afterCommit(batch []*job) {
	p.presence.mu.Lock()
	for _, j := range batch {
		p.presence.messageLocked(j.entry, j.state, j.ev.Received)
	}
	p.presence.mu.Unlock()
	for _, j := range batch {
		j.ev.ReadingID = j.row.id
		p.seam.offer(j.ev)
	}
}

// Presence records a device's connect or disconnect; it never blocks.
func (p *Pipeline) Presence(ev broker.PresenceEvent) {
	recordID := ""
	if e, ok := p.dir.Lookup(ev.Account.ID); ok {
		recordID = e.RecordID
	} else if ev.Online {
		return
	}
	at := ev.At
	if at.IsZero() {
		at = time.Now()
	}
	p.presence.connected(recordID, ev.Account.ID, ev.Online, ev.Remote, ev.Reason, at)
}

// FlushPresence saves every pending device state now.
func (p *Pipeline) FlushPresence() error {
	_, err := p.flushPresence(0)
	return err
}

func (p *Pipeline) flushLoop() {
	defer close(p.flushDone)
	t := time.NewTicker(p.cfg.PresenceInterval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if _, err := p.flushPresence(p.cfg.PresenceBudget); err != nil {
				p.logger.Error("device state flush failed; retrying", slog.String("error", err.Error()))
			}
		case <-p.stopFlush:
			return
		}
	}
}

// Close flushes the pipeline: no new messages are accepted, every queued
// message is committed, device state saved, and the queued events handed
// to the Handler (until ctx ends). Safe to call more than once.
func (p *Pipeline) Close(ctx context.Context) error {
	p.closeOnce.Do(func() {
		close(p.stopFlush)
		<-p.flushDone
		var errs []error
		if err := p.writer.close(ctx); err != nil {
			errs = append(errs, err)
		}
		if _, err := p.flushPresence(0); err != nil {
			errs = append(errs, fmt.Errorf("final device state flush: %w", err))
		}
		p.seam.close(ctx)
		p.closeStmts()
		p.closeErr = errors.Join(errs...)
		st := p.Stats()
		p.logger.Info("telemetry pipeline stopped", slog.Int64("stored", st.Stored),
			slog.Int64("batches", st.Batches), slog.Int64("seam_dropped", st.SeamDropped))
	})
	return p.closeErr
}

func (p *Pipeline) closeStmts() {
	for i, s := range p.presenceStmts {
		if s != nil {
			_ = s.Close() // nothing to do about a statement that will not close
			p.presenceStmts[i] = nil
		}
	}
}
