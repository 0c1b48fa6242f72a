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
	Run(r, "slow", 10*time.Millisecond, func() { time.Sleep(time.Second) })
	if r.failed != "slow did not finish within 10ms" {
		t.Errorf("a hang: got %q", r.failed)
	}
}
