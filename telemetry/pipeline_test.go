package telemetry

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fengqiao/fengqiao/model"
)

func TestCommitStoresAndHandsOn(t *testing.T) {
	app := newTestApp(t)
	dev := addDevice(t, app, "door-1", model.KindDoorMagnet, map[string]any{"household": ""})
	rec := &recorder{}
	p, _ := newPipeline(t, app, Config{Handler: rec})

	if err := p.Commit(context.Background(), msg("door-1", "up", `{"open":true,"battery":87}`)); err != nil {
		t.Fatal(err)
	}
	// Commit returned: the row is already on disk.
	if n := countReadings(t, app, dev.Id); n != 1 {
		t.Fatalf("readings = %d, want 1", n)
	}
	waitFor(t, "the event", func() bool { return len(rec.all()) == 1 })
	ev := rec.all()[0]
	if ev.ClientID != "door-1" || ev.DeviceID != dev.Id || ev.Kind != model.KindDoorMagnet || ev.Suffix != "up" ||
		ev.Payload["open"] != true || ev.Unreadable || ev.ReadingID == "" || string(ev.Raw) != `{"open":true,"battery":87}` {
		t.Fatalf("event = %+v", ev)
	}
	r, err := app.FindRecordById(model.CollectionReadings, ev.ReadingID)
	if err != nil {
		t.Fatalf("reading %s: %v", ev.ReadingID, err)
	}
	if r.GetString("topic") != "devices/door-1/up" || r.GetString("device") != dev.Id || r.GetDateTime("created").IsZero() {
		t.Fatalf("reading = %v", r.FieldsData())
	}
	var data map[string]any
	if err := r.UnmarshalJSONField("data", &data); err != nil || data["battery"] != 87.0 {
		t.Fatalf("reading data = %v (%v)", data, err)
	}
	// Status messages and unknown accounts are not stored.
	if err := p.Commit(context.Background(), msg("door-1", "status", `online`)); err != nil {
		t.Fatal(err)
	}
	if err := p.Commit(context.Background(), msg("ghost", "up", `{"x":1}`)); err != nil {
		t.Fatal(err)
	}
	if n := countReadings(t, app, dev.Id); n != 1 {
		t.Fatalf("readings = %d, want 1", n)
	}
	if st := p.Stats(); st.Stored != 1 || st.Unknown != 1 {
		t.Fatalf("stats = %+v", st)
	}
}

// TestGroupCommitBatches holds the first transaction until 299 more
// messages from 30 devices wait, and checks they commit as one batch.
func TestGroupCommitBatches(t *testing.T) {
	app := newTestApp(t)
	for i := range 30 {
		addDevice(t, app, fmt.Sprintf("pir-%d", i), model.KindPIR, nil)
	}
	p, _ := newPipeline(t, app, Config{})
	release := make(chan struct{})
	var sizes []int
	var mu sync.Mutex
	p.writer.beforeCommit = func(n int) {
		mu.Lock()
		first := len(sizes) == 0
		sizes = append(sizes, n)
		mu.Unlock()
		if first {
			<-release
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 300)
	for i := range 300 {
		wg.Go(func() {
			errs <- p.Commit(context.Background(), msg(fmt.Sprintf("pir-%d", i%30), "up", fmt.Sprintf(`{"motion":true,"n":%d}`, i)))
		})
		if i == 0 {
			waitFor(t, "the first batch", func() bool { mu.Lock(); defer mu.Unlock(); return len(sizes) == 1 })
		}
	}
	waitFor(t, "299 queued messages", func() bool { return len(p.writer.in) == 299 })
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(sizes) != 2 || sizes[0] != 1 || sizes[1] != 299 {
		t.Fatalf("batch sizes = %v, want [1 299]", sizes)
	}
	var n int
	if err := app.DB().NewQuery("SELECT COUNT(*) FROM readings").Row(&n); err != nil || n != 300 {
		t.Fatalf("readings = %d (%v), want 300", n, err)
	}
	if st := p.Stats(); st.Batches != 2 || st.Stored != 300 {
		t.Fatalf("stats = %+v", st)
	}
}

// TestCommitFailureIsReported makes the database refuse inserts: every
// Commit of the batch returns an error (so the broker withholds the
// PUBACK), nothing goes to the seam, and the pipeline recovers.
func TestCommitFailureIsReported(t *testing.T) {
	app := newTestApp(t)
	dev := addDevice(t, app, "sos-1", model.KindSOSButton, nil)
	rec := &recorder{}
	p, _ := newPipeline(t, app, Config{Handler: rec})
	exec := func(q string) {
		if _, err := app.NonconcurrentDB().NewQuery(q).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	exec(`CREATE TRIGGER test_disk_full BEFORE INSERT ON readings BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
	err := p.Commit(context.Background(), msg("sos-1", "up", `{"sos":true}`))
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Commit error = %v, want the database's", err)
	}
	exec(`DROP TRIGGER test_disk_full`)
	if err := p.Commit(context.Background(), msg("sos-1", "up", `{"sos":true}`)); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
	if n := countReadings(t, app, dev.Id); n != 1 {
		t.Fatalf("readings = %d, want 1", n)
	}
	waitFor(t, "one event", func() bool { return len(rec.all()) == 1 })
	if st := p.Stats(); st.CommitFailures != 1 || st.Stored != 1 {
		t.Fatalf("stats = %+v", st)
	}
}

func TestCommitContextAndClose(t *testing.T) {
	app := newTestApp(t)
	addDevice(t, app, "pir-1", model.KindPIR, nil)
	p, _ := newPipeline(t, app, Config{})
	block := make(chan struct{})
	p.writer.beforeCommit = func(int) { <-block }

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := p.Commit(ctx, msg("pir-1", "up", `{"motion":true}`)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Commit with an expired context = %v", err)
	}
	// Messages queued behind the held batch are flushed by Close.
	var wg sync.WaitGroup
	for range 5 {
		wg.Go(func() {
			if err := p.Commit(context.Background(), msg("pir-1", "up", `{"motion":false}`)); err != nil {
				t.Error(err)
			}
		})
	}
	waitFor(t, "queued messages", func() bool { return len(p.writer.in) == 5 })
	closed := make(chan error, 1)
	go func() { closed <- p.Close(context.Background()) }()
	close(block)
	wg.Wait()
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if err := p.Close(context.Background()); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := p.Commit(context.Background(), msg("pir-1", "up", `{"motion":true}`)); !errors.Is(err, ErrClosed) {
		t.Fatalf("Commit after Close = %v, want ErrClosed", err)
	}
	var n int
	if err := app.DB().NewQuery("SELECT COUNT(*) FROM readings").Row(&n); err != nil || n != 6 {
		t.Fatalf("readings = %d (%v), want 6 (the timed-out one is stored too)", n, err)
	}
}

// TestLingerWaitsForTheLastBatchsSenders: under load (the last batch had
// three messages) the writer waits for three again before committing; an
// idle appliance (last batch of one) commits at once.
func TestLingerWaitsForTheLastBatchsSenders(t *testing.T) {
	app := newTestApp(t)
	addDevice(t, app, "pir-1", model.KindPIR, nil)
	p, _ := newPipeline(t, app, Config{Linger: time.Second})
	send := func() {
		if err := p.Commit(context.Background(), msg("pir-1", "up", `{"motion":true}`)); err != nil {
			t.Error(err)
		}
	}
	sizes := underLoad(t, p, send)
	var wg sync.WaitGroup
	start := time.Now()
	for range 3 { // batch 3: three senders a few milliseconds apart
		wg.Go(send)
		time.Sleep(5 * time.Millisecond)
	}
	wg.Wait()
	if time.Since(start) > 900*time.Millisecond {
		t.Fatal("the writer waited out its linger although the senders came")
	}
	if got := sizes(); len(got) != 3 || got[0] != 1 || got[1] != 3 || got[2] != 3 {
		t.Fatalf("batch sizes %v, want [1 3 3]", got)
	}
}

// underLoad puts the writer under load: one batch of one message held at
// its commit while three more queue up, then a batch of those three, so
// the writer will linger for three. send commits one message. It returns
// the sizes of the batches committed so far (and from then on).
func underLoad(t *testing.T, p *Pipeline, send func()) (sizes func() []int) {
	t.Helper()
	var mu sync.Mutex
	var got []int
	hold := make(chan struct{})
	p.writer.beforeCommit = func(n int) {
		mu.Lock()
		got = append(got, n)
		first := len(got) == 1
		mu.Unlock()
		if first {
			<-hold
		}
	}
	sizes = func() []int { mu.Lock(); defer mu.Unlock(); return slices.Clone(got) }
	var wg sync.WaitGroup
	wg.Go(send) // batch 1: one message, held while three more queue up
	waitFor(t, "the first batch", func() bool { return len(sizes()) == 1 })
	for range 3 {
		wg.Go(send)
	}
	waitFor(t, "three queued", func() bool { return len(p.writer.in) == 3 })
	close(hold)
	wg.Wait() // batch 2: the three
	return sizes
}

// TestUrgentMessageDoesNotLinger: under load the writer lingers for the
// last batch's senders, but a message from a life-safety sensor (an SOS)
// is committed with what is already waiting. The linger here is an hour:
// an SOS that waited for it would fail its commit's deadline.
func TestUrgentMessageDoesNotLinger(t *testing.T) {
	app := newTestApp(t)
	addDevice(t, app, "pir-1", model.KindPIR, nil)
	addDevice(t, app, "sos-1", model.KindSOSButton, nil)
	p, _ := newPipeline(t, app, Config{Linger: time.Hour})
	sizes := underLoad(t, p, func() {
		if err := p.Commit(context.Background(), msg("pir-1", "up", `{"motion":true}`)); err != nil {
			t.Error(err)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := p.Commit(ctx, msg("sos-1", "up", `{"sos":true}`)); err != nil {
		t.Fatalf("the SOS waited for the batch to fill: %v", err)
	}
	if got := sizes(); len(got) != 3 || got[2] != 1 {
		t.Fatalf("batch sizes %v, want [1 3 1]", got)
	}
}
