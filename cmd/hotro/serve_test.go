package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server's log and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// waitFor polls cond until it holds or the deadline passes (a deadline for
// a live process to start, not a timed assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("gave up waiting for %s", what)
}

// TestServeLive runs `hotro serve` on a free loopback port, decides over
// HTTP, reloads on a change of --rules and on SIGHUP, and stops it with
// SIGTERM: the command returns 0 after a graceful shutdown.
func TestServeLive(t *testing.T) {
	rules := copyRules(t)
	addrFile := filepath.Join(t.TempDir(), "addr")
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		code := run([]string{"serve", "--rules", rules, "--addr", "127.0.0.1:0", "--addr-file", addrFile, "--watch", "50ms"}, &bytes.Buffer{}, &stderr)
		done <- code
	}()
	var base string
	waitFor(t, "the address file", func() bool {
		b, err := os.ReadFile(addrFile)
		base = "http://" + strings.TrimSpace(string(b))
		return err == nil && len(b) > 0
	})
	status := func() (s struct {
		OK      bool
		Trigger string
		Active  []struct{ Hash string }
	}) {
		resp, err := http.Get(base + "/v1/status")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		json.NewDecoder(resp.Body).Decode(&s)
		return s
	}
	first := status().Active[0].Hash

	body := `{"date": "2024-07-01", "records": [{"person_id": "HT-0001", "household_id": "HH-001", "birth_date": "1941-04-12",
	  "commune_code": "18112", "household_poor": true, "household_category": "btxh", "monthly_allowance": "270000"}]}`
	resp, err := http.Post(base+"/v1/decide", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		RuleSet struct{ Hash string }
		Results []struct {
			MonthlyTopup string `json:"monthly_topup"`
		}
	}
	json.NewDecoder(resp.Body).Decode(&d)
	resp.Body.Close()
	if resp.StatusCode != 200 || d.RuleSet.Hash != first || d.Results[0].MonthlyTopup != "1230000" {
		t.Fatalf("decide: %d %+v", resp.StatusCode, d)
	}

	// A condition written another way (the same decisions): the watcher
	// reloads, and the hash, which names what decides, moves.
	f := filepath.Join(rules, "eligibility.yaml")
	b, _ := os.ReadFile(f)
	os.WriteFile(f, bytes.Replace(b, []byte("when: household_poor\n"), []byte("when: household_poor == true\n"), 1), 0o644)
	waitFor(t, "the reload on a change", func() bool { s := status(); return s.OK && s.Active[0].Hash != first })

	syscall.Kill(os.Getpid(), syscall.SIGHUP)
	waitFor(t, "the reload on SIGHUP", func() bool { return status().Trigger == "SIGHUP" })

	syscall.Kill(os.Getpid(), syscall.SIGTERM)
	if code := <-done; code != 0 {
		t.Fatalf("serve exited %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "shutting down") {
		t.Errorf("log: %s", stderr.String())
	}
}

func TestServeUsageAndBadRules(t *testing.T) {
	if code, _, _ := hotro("serve", "extra"); code != 2 {
		t.Errorf("serve with an argument: %d", code)
	}
	dir := copyRules(t, [3]string{"eligibility.yaml", "when: household_poor", "when: household_poor &&"})
	code, _, stderr := hotro("serve", "--rules", dir, "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(stderr, "eligibility.yaml:") {
		t.Errorf("serve on broken rules: %d %s", code, stderr)
	}
}
