// Package guard runs a function under test so that a panic, a hang or a
// run that costs too much becomes a test failure that says what happened,
// as the fuzz targets of the rule loader and of the record readers need:
// the cost oracle of docs/fuzzing.md.
package guard

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// MaxAlloc is the most one run may allocate, in bytes: the bytes it
// allocates in all (runtime.MemStats.TotalAlloc), which bound the most it
// can hold at once.
const MaxAlloc = 256 << 20

// raceSlowdown stretches deadlines under the race detector, which makes
// code several times slower (race.go).
var raceSlowdown = 1

// Run runs f, turning a panic into a failure with its stack, a run longer
// than deadline (ten times longer under the race detector) into a failure
// naming it, and a run that allocates more than MaxAlloc into a failure
// saying how much. The allocation is sampled while f runs, so that a run
// that would exhaust the memory fails before it does.
func Run(t testing.TB, what string, deadline time.Duration, f func()) {
	t.Helper()
	deadline *= time.Duration(raceSlowdown)
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	allocated := func() uint64 {
		var now runtime.MemStats
		runtime.ReadMemStats(&now)
		return now.TotalAlloc - before.TotalAlloc
	}
	done := make(chan string, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Sprintf("%s panicked: %v\n%s", what, p, debug.Stack())
				return
			}
			done <- ""
		}()
		f()
	}()
	timeout := time.After(deadline)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case msg := <-done:
			if msg != "" {
				t.Fatal(msg)
			}
			if a := allocated(); a > MaxAlloc {
				t.Fatalf("%s allocated %d MB, more than the %d MB one input may use", what, a>>20, MaxAlloc>>20)
			}
			return
		case <-tick.C:
			if a := allocated(); a > MaxAlloc {
				t.Fatalf("%s allocated more than %d MB (%d MB so far) without finishing", what, MaxAlloc>>20, a>>20)
				return
			}
		case <-timeout:
			t.Fatalf("%s did not finish within %s", what, deadline)
			return
		}
	}
}
