package guard

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// recorder keeps what Run would fail the test with.
type recorder struct {
	testing.TB
	failed string
}

func (r *recorder) Fatal(args ...any)                 { r.failed = fmt.Sprint(args...) }
func (r *recorder) Fatalf(format string, args ...any) { r.failed = fmt.Sprintf(format, args...) }

func TestRun(t *testing.T) {
	r := &recorder{TB: t}
	Run(r, "fine", time.Second, func() {})
	if r.failed != "" {
		t.Errorf("a function that returns failed: %s", r.failed)
	}
	Run(r, "load", time.Second, func() { panic("boom") })
	if !strings.HasPrefix(r.failed, "load panicked: boom\n") {
		t.Errorf("a panic: got %q", r.failed)
	}
	r.failed = ""
	Run(r, "slow", 10*time.Millisecond, func() { time.Sleep(10 * time.Second) })
	if want := fmt.Sprintf("slow did not finish within %s", 10*time.Millisecond*time.Duration(raceSlowdown)); r.failed != want {
		t.Errorf("a hang: got %q, want %q", r.failed, want)
	}
	r.failed = ""
	// Caught when it ends or, if the sampler sees it first, while it runs.
	Run(r, "greedy", time.Minute, func() {
		var keep [][]byte
		for range 300 {
			keep = append(keep, make([]byte, 1<<20))
		}
		_ = keep
	})
	if r.failed != "greedy allocated 300 MB, more than the 256 MB one input may use" &&
		!strings.HasPrefix(r.failed, "greedy allocated more than 256 MB (") {
		t.Errorf("too much memory: got %q", r.failed)
	}
	r.failed = ""
	stop := make(chan struct{})
	Run(r, "runaway", time.Minute, func() {
		var keep [][]byte
		for {
			select {
			case <-stop:
				return
			default:
			}
			keep = append(keep, make([]byte, 1<<20))
			if len(keep) > 16 {
				keep = nil // little is held at once, much is allocated
			}
		}
	})
	close(stop)
	if !strings.HasPrefix(r.failed, "runaway allocated more than 256 MB (") {
		t.Errorf("a run that allocates without end: got %q", r.failed)
	}
}
