package hooks

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/fengqiao/fengqiao/loadgen"
)

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// appliance runs the real binary on loopback ports.
type appliance struct {
	t              *testing.T
	bin, data      string
	httpPort, mqtt int
	cmd            *exec.Cmd
	out            syncBuffer // both runs' output, shown if the test fails
}

// syncBuffer collects the output of processes that may overlap.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (a *appliance) run(args ...string) {
	a.t.Helper()
	// --dev=false: the binary lives under the temp dir, where PocketBase
	// would take it for `go run` and log every SQL statement.
	out, err := exec.Command(a.bin, append(args, "--dir", a.data, "--dev=false")...).CombinedOutput()
	if err != nil {
		a.t.Fatalf("fengqiao %v: %v\n%s", args, err, out)
	}
}

func (a *appliance) start() {
	a.t.Helper()
	a.cmd = exec.Command(a.bin, "serve", "--dir", a.data, "--dev=false",
		"--http", "127.0.0.1:"+strconv.Itoa(a.httpPort), "--mqtt", "127.0.0.1:"+strconv.Itoa(a.mqtt))
	a.cmd.Stdout, a.cmd.Stderr = &a.out, &a.out
	if err := a.cmd.Start(); err != nil {
		a.t.Fatal(err)
	}
	cmd := a.cmd
	a.t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(a.mqtt), time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			a.t.Fatalf("appliance did not listen on MQTT port %d", a.mqtt)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stream publishes {"seq":n} at QoS 1 (8 in flight) until the
// connection breaks, and returns the acknowledged sequence numbers.
func stream(url string, c loadgen.Cred, started *sync.WaitGroup) []int {
	o := mqtt.NewClientOptions().AddBroker(url).SetClientID(c.ClientID).SetUsername(c.ClientID).
		SetPassword(c.Token).SetAutoReconnect(false).SetCleanSession(true).SetOrderMatters(false)
	cl := mqtt.NewClient(o)
	tok := cl.Connect()
	ok := tok.WaitTimeout(5*time.Second) && tok.Error() == nil
	started.Done()
	if !ok {
		return nil
	}
	type pending struct {
		seq int
		tok mqtt.Token
	}
	window := make(chan pending, 8)
	var acked []int
	done := make(chan struct{})
	go func() {
		defer close(done)
		for p := range window {
			if p.tok.WaitTimeout(5*time.Second) && p.tok.Error() == nil {
				acked = append(acked, p.seq)
			}
		}
	}()
	for seq := 1; cl.IsConnectionOpen() && seq < 1_000_000; seq++ {
		window <- pending{seq, cl.Publish("devices/"+c.ClientID+"/up", 1, false, fmt.Sprintf(`{"motion":true,"seq":%d}`, seq))}
	}
	close(window)
	<-done
	return acked
}

// TestKillNineDurability: every message the appliance acknowledged
// before a kill -9 is in the database after the restart.
func TestKillNineDurability(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	dir := t.TempDir()
	a := &appliance{t: t, bin: filepath.Join(dir, "fengqiao"), data: filepath.Join(dir, "pb_data"),
		httpPort: freePort(t), mqtt: freePort(t)}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("appliance output:\n%s", a.out.String())
		}
	})
	build := exec.Command("go", "build", "-o", a.bin, ".")
	build.Dir = ".." // the module root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	credsFile := filepath.Join(dir, "creds.csv")
	a.run("device", "add", "--bulk", "4", "--prefix", "dur-", "--kind", "pir", "--out", credsFile)
	creds, err := loadgen.ReadCredsFile(credsFile)
	if err != nil {
		t.Fatal(err)
	}

	a.start()
	url := "tcp://127.0.0.1:" + strconv.Itoa(a.mqtt)
	acked := make([][]int, len(creds))
	var started, finished sync.WaitGroup
	started.Add(len(creds))
	for i, c := range creds {
		finished.Go(func() { acked[i] = stream(url, c, &started) })
	}
	started.Wait()
	time.Sleep(1500 * time.Millisecond)
	if err := a.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = a.cmd.Wait() // "signal: killed"
	finished.Wait()

	a.start() // the restart: SQLite recovers its write-ahead log
	stored := storedSeqs(t, filepath.Join(a.data, "data.db"))
	var nAcked, nStored, lost int
	for i, c := range creds {
		for _, seq := range acked[i] {
			nAcked++
			if stored[c.ClientID][seq] {
				nStored++
			} else {
				lost++
				t.Errorf("%s seq %d was acknowledged but is not stored", c.ClientID, seq)
			}
		}
	}
	total := 0
	for _, s := range stored {
		total += len(s)
	}
	msg := fmt.Sprintf("kill -9 durability: acknowledged %d, stored %d, lost %d (%d rows stored in all; the rest lost only their PUBACK to the kill)",
		nAcked, nStored, lost, total)
	t.Log(msg)
	fmt.Println(msg)
	if nAcked < 100 {
		t.Fatalf("only %d messages acknowledged before the kill: the test proved nothing", nAcked)
	}

	// The restarted appliance takes messages again, then stops cleanly on
	// SIGTERM sent twice.
	cl := mqtt.NewClient(mqtt.NewClientOptions().AddBroker(url).SetClientID(creds[0].ClientID).
		SetUsername(creds[0].ClientID).SetPassword(creds[0].Token))
	if tok := cl.Connect(); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("reconnect after restart: %v", tok.Error())
	}
	if tok := cl.Publish("devices/"+creds[0].ClientID+"/up", 1, false, `{"motion":false,"seq":0}`); !tok.WaitTimeout(5*time.Second) || tok.Error() != nil {
		t.Fatalf("publish after restart: %v", tok.Error())
	}
	_ = a.cmd.Process.Signal(syscall.SIGTERM)
	_ = a.cmd.Process.Signal(syscall.SIGTERM)
	exited := make(chan error, 1)
	go func() { exited <- a.cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("appliance exit after SIGTERM: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("appliance still running 30 s after SIGTERM")
	}
	cl.Disconnect(0)
	if !storedSeqs(t, filepath.Join(a.data, "data.db"))[creds[0].ClientID][0] {
		t.Fatal("the message acknowledged after the restart is not stored")
	}
}

// storedSeqs reads the stored sequence numbers per client id.
func storedSeqs(t *testing.T, path string) map[string]map[int]bool {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(context.Background(), `SELECT d.client_id, CAST(json_extract(r.data, '$.seq') AS INTEGER)
		FROM readings r JOIN devices d ON d.id = r.device WHERE d.client_id LIKE 'dur-%'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]map[int]bool{}
	for rows.Next() {
		var id string
		var seq int
		if err := rows.Scan(&id, &seq); err != nil {
			t.Fatal(err)
		}
		if out[id] == nil {
			out[id] = map[int]bool{}
		}
		out[id][seq] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
