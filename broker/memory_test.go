package broker

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestIdleDeviceMemory prints what idle connected devices cost the broker,
// broken down: goroutines and their stacks, heap objects, and the
// process's RSS. The devices are bare sockets held by a child process (this
// test binary again), so nothing on the client side is counted. It is a
// figure, not an assertion; it runs only when FENGQIAO_MEM_DEVICES is set:
//
//	FENGQIAO_MEM_DEVICES=10000 go test ./broker -run TestIdleDeviceMemory -v
//
// FENGQIAO_MEM_PROFILE=file also writes a heap profile (in-use space) with
// the devices held, FENGQIAO_MEM_GOROUTINES=file the goroutines' stacks.
func TestIdleDeviceMemory(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("FENGQIAO_MEM_DEVICES"))
	if n <= 0 {
		t.Skip("set FENGQIAO_MEM_DEVICES=N to measure N idle devices")
	}
	auth := newFakeAuth()
	for i := range n {
		auth.device(fmt.Sprintf("mem-%d", i))
	}
	s, err := New(Config{TCPAddr: "127.0.0.1:0", MaxClients: n + 100}, auth, &nopSink{}, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Close(t.Context())

	settle := func() memSample {
		for range 4 { // each GC halves oversized stacks once
			runtime.GC()
		}
		debug.FreeOSMemory()
		return sampleMemory()
	}
	before := settle()

	child := exec.Command(os.Args[0], "-test.run=^TestIdleDeviceMemoryClients$")
	child.Env = append(os.Environ(), "FENGQIAO_MEM_ADDR="+s.TCPAddress(), "FENGQIAO_MEM_DEVICES="+strconv.Itoa(n))
	child.Stderr = os.Stderr
	stdin, _ := child.StdinPipe()
	stdout, _ := child.StdoutPipe()
	start := time.Now()
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = stdin.Close(); _ = child.Wait() }()
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && !strings.HasPrefix(sc.Text(), "held") {
	}
	t.Logf("%s (%s)", sc.Text(), time.Since(start).Round(time.Millisecond))
	if got := s.Stats().ClientsConnected; got != int64(n) {
		t.Fatalf("%d clients connected, want %d", got, n)
	}
	raw := sampleMemory() // as the storm left it
	time.Sleep(3 * time.Second)
	held := settle()
	if path := os.Getenv("FENGQIAO_MEM_PROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		_ = pprof.Lookup("heap").WriteTo(f, 0)
		_ = f.Close()
	}
	if path := os.Getenv("FENGQIAO_MEM_GOROUTINES"); path != "" { // where each goroutine waits
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		_ = pprof.Lookup("goroutine").WriteTo(f, 1)
		_ = f.Close()
	}
	per := func(a, b uint64) string { return fmt.Sprintf("%8.0f B/device", (float64(b)-float64(a))/float64(n)) }
	t.Logf("devices held:            %d", n)
	t.Logf("goroutines:              %d → %d (%.2f per device)", before.goroutines, held.goroutines,
		float64(held.goroutines-before.goroutines)/float64(n))
	t.Logf("stacks:                  %s  (right after connecting: %s)", per(before.stacks, held.stacks), per(before.stacks, raw.stacks))
	t.Logf("heap objects:            %s  (%d objects/device)", per(before.objects, held.objects),
		(held.objectCount-before.objectCount)/uint64(n))
	t.Logf("heap unused+free (held): %s", per(before.heapSlack, held.heapSlack))
	t.Logf("runtime metadata etc.:   %s", per(before.other, held.other))
	t.Logf("Go total mapped:         %s", per(before.total, held.total))
	t.Logf("process RSS:             %s  (right after connecting: %s)", per(before.rss, held.rss), per(before.rss, raw.rss))
	t.Logf("starting stack size:     %d B", held.startStack)
}

// TestIdleDeviceMemoryClients is the child process of TestIdleDeviceMemory:
// it logs in FENGQIAO_MEM_DEVICES devices, says "held", and keeps them until
// its stdin closes.
func TestIdleDeviceMemoryClients(t *testing.T) {
	addr := os.Getenv("FENGQIAO_MEM_ADDR")
	n, _ := strconv.Atoi(os.Getenv("FENGQIAO_MEM_DEVICES"))
	if addr == "" || n <= 0 {
		t.Skip("child process of TestIdleDeviceMemory")
	}
	conns := make([]net.Conn, n)
	next := make(chan int)
	errs := make(chan error, 64)
	for range 64 {
		go func() {
			for i := range next {
				id := fmt.Sprintf("mem-%d", i)
				c, err := net.Dial("tcp", addr)
				if err == nil {
					_, err = c.Write(encode(connectPacket(id, id, "tok-"+id, 600), 4))
				}
				ack := make([]byte, 4)
				if err == nil && !readConnack(c, ack) {
					err = fmt.Errorf("login %s: % x", id, ack)
				}
				conns[i] = c
				errs <- err
			}
		}()
	}
	go func() {
		for i := range n {
			next <- i
		}
		close(next)
	}()
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	fmt.Println("held", n, "devices")
	_, _ = io.Copy(io.Discard, os.Stdin)
}

type memSample struct {
	goroutines, startStack       uint64
	stacks, objects, objectCount uint64
	heapSlack, other, total, rss uint64
}

func sampleMemory() memSample {
	names := []string{
		"/sched/goroutines:goroutines", "/memory/classes/heap/stacks:bytes", "/memory/classes/heap/objects:bytes",
		"/gc/heap/objects:objects", "/memory/classes/heap/unused:bytes", "/memory/classes/heap/free:bytes",
		"/memory/classes/total:bytes", "/gc/stack/starting-size:bytes", "/memory/classes/heap/released:bytes",
	}
	ms := make([]metrics.Sample, len(names))
	for i, n := range names {
		ms[i].Name = n
	}
	metrics.Read(ms)
	v := func(i int) uint64 { return ms[i].Value.Uint64() }
	s := memSample{goroutines: v(0), stacks: v(1), objects: v(2), objectCount: v(3), heapSlack: v(4) + v(5),
		total: v(6) - v(8), startStack: v(7)}
	s.other = s.total - s.stacks - s.objects - s.heapSlack
	s.rss = selfRSS()
	return s
}

func selfRSS() uint64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
