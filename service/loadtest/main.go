// Command loadtest measures `hotro serve` on loopback: single decisions at a
// fixed rate, then batches of 1,000 records back to back, then the same
// batches decided in-process with eligibility.Engine.DecideAll, and reports
// requests/s, p50/p99, errors and memory. It starts its own server on
// 127.0.0.1 (or uses -url, which must be a loopback address) and stops by
// itself.
//
//	go run ./service/loadtest                  # 60 s per phase
//	go run ./service/loadtest -duration 5s     # a quick run
package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/service"
)

func main() {
	duration := flag.Duration("duration", 60*time.Second, "how long each phase runs")
	rate := flag.Int("rate", 1000, "single decisions per second")
	batch := flag.Int("batch", 1000, "records per batch")
	clients := flag.Int("clients", 2, "concurrent batch clients")
	persons := flag.String("persons", "examples/hatinh/persons.csv", "person records to send")
	target := flag.String("url", "", "a running server on loopback (default: start one in this process)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the batch phase to this file")
	flag.Parse()
	profile = *cpuprofile
	if err := run(*duration, *rate, *batch, *clients, *persons, *target); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(duration time.Duration, rate, batchSize, clients int, personsPath, target string) error {
	rows, err := readRows(personsPath, batchSize)
	if err != nil {
		return err
	}
	base := target
	if base == "" {
		s, err := service.New(service.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Timeout: time.Minute})
		if err != nil {
			return err
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		srv := &http.Server{Handler: s}
		go srv.Serve(ln)
		defer srv.Shutdown(context.Background())
		base = "http://" + ln.Addr().String()
	} else if u, err := url.Parse(base); err != nil || !loopback(u.Hostname()) {
		return errors.New("-url must be a loopback address")
	}
	fmt.Printf("server %s, GOMAXPROCS %d, %d records, phases of %s\n", base, runtime.GOMAXPROCS(0), len(rows), duration)
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256}, Timeout: time.Minute}
	mem := startMemory()
	if target != "" {
		mem.remote = base
	}

	// Single decisions, open loop at rate per second.
	singles := make([][]byte, len(rows))
	for i, r := range rows {
		singles[i], _ = json.Marshal(map[string]any{"date": "2024-07-01", "records": []any{r}})
	}
	lat, errs, late, took := openLoop(client, base, singles, rate, duration)
	report("single decisions", lat, errs, took, 1)
	fmt.Printf("  sent %d at a target of %d/s; %d could not be sent on time (all workers busy)\n", len(lat)+errs, rate, late)
	mem.mark("after singles")

	// Batches, closed loop.
	body, _ := json.Marshal(map[string]any{"date": "2024-07-01", "records": rows})
	if profile != "" {
		f, err := os.Create(profile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	lat, errs, took = closedLoop(client, base, body, len(rows), clients, duration)
	if profile != "" {
		pprof.StopCPUProfile()
	}
	report(fmt.Sprintf("batches of %d (%d clients)", len(rows), clients), lat, errs, took, len(rows))
	served := float64(len(lat)*len(rows)) / took.Seconds()
	mem.mark("after batches")

	// The same batch in-process.
	e, err := eligibility.Default()
	if err != nil {
		return err
	}
	date := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	recs, _, err := e.ReadJSON(bytes.NewReader(mustJSON(rows)), date)
	if err != nil {
		return err
	}
	n, start := 0, time.Now()
	for time.Since(start) < duration {
		if _, err := e.DecideAll(context.Background(), recs, date); err != nil {
			return err
		}
		n++
	}
	inproc := float64(n*len(recs)) / time.Since(start).Seconds()
	fmt.Printf("in-process DecideAll: %.0f records/s (%d batches of %d)\n", inproc, n, len(recs))
	fmt.Printf("served batches / in-process DecideAll: %.2f\n", served/inproc)

	// The same batch in-process from its JSON: what a served batch must do
	// besides HTTP (eligibility.ReadJSON, then DecideAll).
	n, start = 0, time.Now()
	for time.Since(start) < duration {
		recs, _, err := e.ReadJSON(bytes.NewReader(mustJSON(rows)), date)
		if err != nil {
			return err
		}
		if _, err := e.DecideAll(context.Background(), recs, date); err != nil {
			return err
		}
		n++
	}
	fromJSON := float64(n*len(recs)) / time.Since(start).Seconds()
	fmt.Printf("in-process ReadJSON + DecideAll: %.0f records/s; served batches / this: %.2f\n", fromJSON, served/fromJSON)
	mem.mark("end")
	mem.stop()
	return nil
}

// profile is the file for a CPU profile of the batch phase, if any.
var profile string

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

func loopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

// readRows reads the first n rows of a person CSV as JSON records.
func readRows(path string, n int) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, err
	}
	var out []map[string]string
	for len(out) < n {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		for i, k := range head {
			if row[i] != "" {
				m[k] = row[i]
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// post sends one request of n records and checks the answer: status 200,
// JSON, the rule set's hash, one result per record. Every fullEvery-th
// answer is decoded whole with encoding/json; the others are checked on
// their bytes, so that the client, which shares the machine's cores with
// the server, spends little of them (decoding 1,000 results by reflection
// costs about a third of what deciding them does).
func post(c *http.Client, base string, body []byte, n int, full bool) error {
	resp, err := c.Post(base+"/v1/decide", "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if full {
		var d struct {
			RuleSet struct{ Hash string }
			Results []struct {
				DecisionID string `json:"decision_id"`
			}
		}
		if err := json.Unmarshal(b, &d); err != nil {
			return err
		}
		if len(d.RuleSet.Hash) != 64 || len(d.Results) != n {
			return fmt.Errorf("hash %q, %d results for %d records", d.RuleSet.Hash, len(d.Results), n)
		}
		return nil
	}
	_, hash, _ := bytes.Cut(b, []byte(`"hash":"`))
	if !bytes.HasPrefix(b, []byte(`{"ruleset":{`)) || len(hash) < 65 || hash[64] != '"' || !bytes.HasSuffix(b, []byte("}\n")) {
		return errors.New("not an answer of /v1/decide")
	}
	if got := bytes.Count(b, []byte(`{"decision_id":`)); got != n {
		return fmt.Errorf("%d results for %d records", got, n)
	}
	return nil
}

const fullEvery = 50

// openLoop sends bodies at rate per second for d, whatever the answers'
// latency (up to 256 at once), and returns every latency.
func openLoop(c *http.Client, base string, bodies [][]byte, rate int, d time.Duration) ([]time.Duration, int, int, time.Duration) {
	jobs := make(chan []byte, 1024)
	var mu sync.Mutex
	var lat []time.Duration
	var errs, late atomic.Int64
	var wg sync.WaitGroup
	for range 256 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for b := range jobs {
				t := time.Now()
				if err := post(c, base, b, 1, len(mine)%fullEvery == 0); err != nil {
					errs.Add(1)
					continue
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	start := time.Now()
	interval := time.Second / time.Duration(rate)
	for i := 0; ; i++ {
		next := start.Add(time.Duration(i) * interval)
		if next.Sub(start) >= d {
			break
		}
		time.Sleep(time.Until(next))
		select {
		case jobs <- bodies[i%len(bodies)]:
		default:
			late.Add(1)
		}
	}
	close(jobs)
	wg.Wait()
	return lat, int(errs.Load()), int(late.Load()), time.Since(start)
}

// closedLoop sends body from clients goroutines back to back for d.
func closedLoop(c *http.Client, base string, body []byte, n, clients int, d time.Duration) ([]time.Duration, int, time.Duration) {
	var mu sync.Mutex
	var lat []time.Duration
	errs := 0
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Since(start) < d; i++ {
				t := time.Now()
				err := post(c, base, body, n, i%fullEvery == 0)
				mu.Lock()
				if err != nil {
					errs++
				} else {
					lat = append(lat, time.Since(t))
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return lat, errs, time.Since(start)
}

func report(what string, lat []time.Duration, errs int, took time.Duration, perReq int) {
	slices.Sort(lat)
	q := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	fmt.Printf("%s: %d ok, %d errors in %s: %.0f requests/s, %.0f records/s; latency p50 %s, p90 %s, p99 %s, max %s\n",
		what, len(lat), errs, took.Round(time.Millisecond), float64(len(lat))/took.Seconds(), float64(len(lat)*perReq)/took.Seconds(),
		q(.5).Round(time.Microsecond), q(.9).Round(time.Microsecond), q(.99).Round(time.Microsecond), q(1).Round(time.Microsecond))
}

// memory samples the heap every second.
type memory struct {
	remote  string // a server in another process: its /metrics are read too
	mu      sync.Mutex
	samples []uint64
	done    chan struct{}
}

func startMemory() *memory {
	m := &memory{done: make(chan struct{})}
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-m.done:
				return
			case <-t.C:
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				m.mu.Lock()
				m.samples = append(m.samples, ms.HeapInuse)
				m.mu.Unlock()
			}
		}
	}()
	return m
}

// mark prints the heap now and the spread of the samples since the last mark.
func (m *memory) mark(when string) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m.mu.Lock()
	s := m.samples
	m.samples = nil
	m.mu.Unlock()
	if len(s) == 0 {
		s = []uint64{ms.HeapInuse}
	}
	half := func(part []uint64) float64 {
		if len(part) == 0 {
			return 0
		}
		var t uint64
		for _, x := range part {
			t += x
		}
		return float64(t) / float64(len(part)) / (1 << 20)
	}
	fmt.Printf("  memory %s: heap in use %.1f MiB (sampled each second: min %.1f, max %.1f; mean of first half %.1f, second half %.1f), sys %.1f MiB, goroutines %d\n",
		when, float64(ms.HeapInuse)/(1<<20), float64(slices.Min(s))/(1<<20), float64(slices.Max(s))/(1<<20),
		half(s[:len(s)/2]), half(s[len(s)/2:]), float64(ms.Sys)/(1<<20), runtime.NumGoroutine())
	if m.remote != "" {
		fmt.Printf("  server %s: %s\n", when, serverMemory(m.remote))
	}
}

func (m *memory) stop() { close(m.done) }

// serverMemory reads the heap and resident memory of a server in another
// process from its /metrics.
func serverMemory(base string) string {
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		for _, name := range []string{"go_memstats_heap_inuse_bytes ", "hotro_process_resident_memory_bytes ", "go_goroutines "} {
			if v, ok := strings.CutPrefix(line, name); ok {
				f, _ := strconv.ParseFloat(v, 64)
				if strings.HasSuffix(name, "bytes ") {
					out = append(out, fmt.Sprintf("%s %.1f MiB", strings.TrimSuffix(name, "_bytes "), f/(1<<20)))
				} else {
					out = append(out, fmt.Sprintf("%s%.0f", name, f))
				}
			}
		}
	}
	return strings.Join(out, ", ")
}
