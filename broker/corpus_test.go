package broker

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"sync"
	"testing"
)

func TestCorpusBytes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []byte
	}{
		{"82 r38 m1234", []byte{0x82, 38, 0x04, 0xd2}},
		{"80061234", []byte{0x80, 0x06, 0x12, 0x34}},
		{"r321", []byte{0xc1, 0x02}},
		{"v268435456", []byte{0x80, 0x80, 0x80, 0x80, 0x01}},
		{"s4 'a b'", []byte{0, 4, 'a', ' ', 'b'}},
		{"k10 i7 H258 L1", []byte{0, 10, 7, 1, 2, 0, 0, 0, 1}},
		{"'MQTT'", []byte("MQTT")},
	} {
		got, err := corpusBytes(tc.in)
		if err != nil || !bytes.Equal(got, tc.want) {
			t.Errorf("corpusBytes(%q) = % x, %v; want % x", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"zz", "'open", "r-1"} {
		if _, err := corpusBytes(bad); err == nil {
			t.Errorf("corpusBytes(%q) accepted", bad)
		}
	}
}

// TestCorpusReplay replays every sequence of the corpus against the real
// broker. After each file the broker must still serve: a canary device's
// QoS 1 publish is acknowledged within a second (a liveness bound, not a
// speed target). At the end no connection or session may be left over.
func TestCorpusReplay(t *testing.T) {
	files, err := filepath.Glob("testdata/mqtt-corpus/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	sort.Strings(files)
	auth := newFakeAuth().integration("helper", []string{"#"}, nil)
	// Hundreds of the corpus's own CONNECTs fail our login from 127.0.0.1;
	// the throttle would (rightly) stop them, which is not what this tests.
	b := startBroker(t, Config{Throttle: ThrottleConfig{AddrBurst: 1 << 30, UserBurst: 1 << 30}}, auth)
	k := newCanary(t, b)
	publish := func(topic string, payload []byte, qos byte) error { return b.Publish(topic, payload, false, qos) }

	total, byOutcome := 0, map[corpusOutcome]int{}
	var acceptedForbidden []string
	for fi, file := range files {
		seqs, err := loadCorpusFile(file)
		if err != nil {
			t.Fatal(err)
		}
		panicsBefore := b.Stats().PanicsRecovered
		outcomes := make([]corpusOutcome, len(seqs))
		var wg sync.WaitGroup
		sem := make(chan struct{}, 16)
		for si, s := range seqs {
			id := fmt.Sprintf("r%02d-%04d", fi, si)
			auth.device(id)
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				o, err := replay(b.TCPAddress(), s, id, publish)
				if err != nil {
					t.Errorf("%s: %s: %v", filepath.Base(file), s.name, err)
					o = outcomeClosed
				}
				outcomes[si] = o
			}()
		}
		wg.Wait()
		k.check(t, filepath.Base(file))
		for si, o := range outcomes {
			byOutcome[o]++
			if o == outcomeAlive && seqs[si].expectDisconnect {
				acceptedForbidden = append(acceptedForbidden, filepath.Base(file)+": "+seqs[si].name)
			}
		}
		total += len(seqs)
		t.Logf("%-18s %4d sequences, panics recovered %d", filepath.Base(file), len(seqs), b.Stats().PanicsRecovered-panicsBefore)
	}
	eventually(t, "every replay connection cleaned up", func() bool {
		st := b.Stats()
		return st.Connections == 1 && st.ClientsConnected == 1 && b.mochi.Clients.Len() == 2 // canary and mochi's inline client
	})
	t.Logf("replayed %d sequences: %d left the connection alive, %d closed by the broker, %d stalled on a truncated packet; %d panics recovered",
		total, byOutcome[outcomeAlive], byOutcome[outcomeClosed], byOutcome[outcomeStalled], b.Stats().PanicsRecovered)
	t.Logf("%d sequences mosquitto disconnects were kept open (replies may legitimately differ): %v", len(acceptedForbidden), acceptedForbidden)
	if total < 1800 {
		t.Errorf("only %d sequences replayed", total)
	}
}
