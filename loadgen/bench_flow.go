package loadgen

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// FlowResult is the throughput phase: publishers at QoS 1 (by default),
// one subscriber on devices/+/up, and for the appliance the stored rows.
type FlowResult struct {
	Publishers                         int
	Sent, Acked, PubErrors, Received   int64
	Stored, Lost                       int64
	StoredKnown                        bool // the target has a DB to count in
	Elapsed                            time.Duration
	SentRate, AckRate, RecvRate, Store float64 // per second over Elapsed
	P50, P99, Max                      time.Duration
	CPU                                float64
	RSS                                int64
	// ClientCPU is this bench process's own CPU over the phase (percent
	// of one core): the publishers and the subscriber share the machine.
	ClientCPU  float64
	FirstError string
}

// benchMsg is what bench publishers send: a device-like payload with the
// run, a sequence number and the send time (ns) for latency.
type benchMsg struct {
	Run string `json:"run"`
	Seq uint32 `json:"seq"`
	T   int64  `json:"t"`
}

// seqSet is a set of sequence numbers per client id.
type seqSet map[string][]uint64

func (s seqSet) add(id string, seq uint32) {
	b := s[id]
	for int(seq/64) >= len(b) {
		b = append(b, 0)
	}
	b[seq/64] |= 1 << (seq % 64)
	s[id] = b
}

func (s seqSet) has(id string, seq uint32) bool {
	b := s[id]
	return int(seq/64) < len(b) && b[seq/64]&(1<<(seq%64)) != 0
}

func newRunID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// pahoClient connects one paho client with bench-friendly options.
func pahoClient(url string, c Cred, ordered bool) (mqtt.Client, error) {
	o := mqtt.NewClientOptions().AddBroker(strings.Replace(url, "mqtt://", "tcp://", 1)).
		SetClientID(c.ClientID).SetUsername(c.ClientID).SetPassword(c.Token).
		SetCleanSession(true).SetAutoReconnect(false).SetConnectRetry(false).
		SetOrderMatters(ordered).SetKeepAlive(60 * time.Second).SetWriteTimeout(30 * time.Second).
		SetConnectTimeout(30 * time.Second).SetMessageChannelDepth(10000)
	cl := mqtt.NewClient(o)
	tok := cl.Connect()
	if !tok.WaitTimeout(30 * time.Second) {
		return nil, fmt.Errorf("connect %s: timed out", c.ClientID)
	}
	if err := tok.Error(); err != nil {
		return nil, fmt.Errorf("connect %s: %w", c.ClientID, err)
	}
	return cl, nil
}

// subscriber counts what arrives for the run and measures latency.
type subscriber struct {
	run      string
	mu       sync.Mutex
	got      seqSet
	lat      []time.Duration
	received atomic.Int64
	last     atomic.Int64 // unix ns of the latest delivery
}

func (s *subscriber) handle(_ mqtt.Client, m mqtt.Message) {
	now := time.Now().UnixNano()
	var b benchMsg
	if json.Unmarshal(m.Payload(), &b) != nil || b.Run != s.run {
		return
	}
	id := strings.TrimSuffix(strings.TrimPrefix(m.Topic(), "devices/"), "/up")
	s.mu.Lock()
	s.got.add(id, b.Seq)
	s.lat = append(s.lat, time.Duration(now-b.T))
	s.mu.Unlock()
	s.received.Add(1)
	s.last.Store(now)
}

func flowPhase(ctx context.Context, cfg BenchConfig, t Target) (FlowResult, error) {
	res := FlowResult{Publishers: cfg.Publishers, StoredKnown: t.DB != ""}
	run := newRunID()
	sub := &subscriber{run: run, got: seqSet{}}
	sc, err := pahoClient(t.URL, t.Sub, true)
	if err != nil {
		return res, fmt.Errorf("subscriber: %w", err)
	}
	defer sc.Disconnect(100)
	if tok := sc.Subscribe("devices/+/up", cfg.QoS, sub.handle); !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		return res, fmt.Errorf("subscribe devices/+/up: %v", tok.Error())
	}

	pubs, err := connectPublishers(t.URL, cfg.Creds[:cfg.Publishers])
	defer func() {
		for _, p := range pubs {
			if p != nil {
				p.Disconnect(100)
			}
		}
	}()
	if err != nil {
		return res, err
	}

	acked := make([][]uint32, len(pubs))
	var sent, ackN, pubErr atomic.Int64
	var lastAck atomic.Int64
	var firstErr atomic.Value
	before, _ := sampleProc(t.PID)
	self, _ := sampleProc(os.Getpid())
	start := time.Now()
	deadline := start.Add(cfg.Duration)
	var wg sync.WaitGroup
	for i, p := range pubs {
		wg.Go(func() {
			topic := "devices/" + cfg.Creds[i].ClientID + "/up"
			inflight := make(chan struct {
				seq uint32
				tok mqtt.Token
			}, cfg.Window)
			done := make(chan struct{})
			go func() { // acks come back in order on one connection
				defer close(done)
				for f := range inflight {
					if !f.tok.WaitTimeout(60*time.Second) || f.tok.Error() != nil {
						pubErr.Add(1)
						firstErr.CompareAndSwap(nil, fmt.Sprintf("publish: %v", f.tok.Error()))
						continue
					}
					acked[i] = append(acked[i], f.seq)
					ackN.Add(1)
					lastAck.Store(time.Now().UnixNano())
				}
			}()
			for seq := uint32(1); time.Now().Before(deadline) && ctx.Err() == nil; seq++ {
				body := fmt.Appendf(nil, `{"run":%q,"seq":%d,"t":%d,"motion":%v,"battery":%d}`,
					run, seq, time.Now().UnixNano(), seq%2 == 0, 100-seq%50)
				tok := p.Publish(topic, cfg.QoS, false, body)
				sent.Add(1)
				inflight <- struct {
					seq uint32
					tok mqtt.Token
				}{seq, tok}
			}
			close(inflight)
			<-done
		})
	}
	wg.Wait()
	end := time.Unix(0, lastAck.Load())
	if end.Before(start) {
		end = time.Now()
	}
	after, _ := sampleProc(t.PID)
	res.CPU, res.RSS = cpuPercent(before, after), after.rss
	if selfAfter, ok := sampleProc(os.Getpid()); ok {
		res.ClientCPU = cpuPercent(self, selfAfter)
	}
	res.Sent, res.Acked, res.PubErrors = sent.Load(), ackN.Load(), pubErr.Load()
	if e, ok := firstErr.Load().(string); ok {
		res.FirstError = e
	}
	res.Elapsed = end.Sub(start)

	waitQuiet(ctx, func() int64 { return sub.received.Load() }, res.Acked)
	res.Received = sub.received.Load()

	check := sub.got // a plain broker: acknowledged must have been delivered
	if t.DB != "" {
		stored, n, err := storedSeqs(ctx, t.DB, run, start)
		if err != nil {
			return res, err
		}
		res.Stored, check = n, stored
	}
	for i, seqs := range acked {
		id := cfg.Creds[i].ClientID
		for _, s := range seqs {
			if !check.has(id, s) {
				res.Lost++
			}
		}
	}
	// Sent, acknowledged and stored (stored before acknowledged) count to
	// the last acknowledgement; delivered to the last delivery, which a
	// broker that queues for a slow subscriber makes later.
	if sec := res.Elapsed.Seconds(); sec > 0 {
		res.SentRate, res.AckRate, res.Store = float64(res.Sent)/sec, float64(res.Acked)/sec, float64(res.Stored)/sec
	}
	if last := time.Unix(0, sub.last.Load()); last.After(start) {
		res.RecvRate = float64(res.Received) / last.Sub(start).Seconds()
	}
	sub.mu.Lock()
	res.P50, res.P99, res.Max = percentiles(sub.lat)
	sub.mu.Unlock()
	return res, nil
}

// connectPublishers connects the publishers, 32 at a time.
func connectPublishers(url string, creds []Cred) ([]mqtt.Client, error) {
	pubs := make([]mqtt.Client, len(creds))
	errs := make([]error, len(creds))
	sem := make(chan struct{}, 32)
	var wg sync.WaitGroup
	for i, c := range creds {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			pubs[i], errs[i] = pahoClient(url, c, false)
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return pubs, fmt.Errorf("publisher: %w", err)
		}
	}
	return pubs, nil
}

// waitQuiet waits until count reaches want or stops growing for 2 s.
func waitQuiet(ctx context.Context, count func() int64, want int64) {
	last, since := count(), time.Now()
	for ctx.Err() == nil && last < want && time.Since(since) < 2*time.Second {
		time.Sleep(50 * time.Millisecond)
		if n := count(); n != last {
			last, since = n, time.Now()
		}
	}
}

// percentiles returns p50, p99 and the maximum of ds (sorted in place).
func percentiles(ds []time.Duration) (p50, p99, maxd time.Duration) {
	if len(ds) == 0 {
		return 0, 0, 0
	}
	slices.Sort(ds)
	at := func(q float64) time.Duration { return ds[min(len(ds)-1, int(q*float64(len(ds))))] }
	return at(0.50), at(0.99), ds[len(ds)-1]
}
