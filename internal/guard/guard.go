// Package guard runs a function under test so that a panic or a hang
// becomes a test failure that says what happened, as the fuzz targets of
// the rule loader and of the record readers need.
package guard

import (
	"fmt"
	"runtime/debug"
	"testing"
	"time"
)

// Run runs f, turning a panic into a failure with its stack and a run
// longer than deadline into a failure naming it.
func Run(t testing.TB, what string, deadline time.Duration, f func()) {
	t.Helper()
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
	select {
	case msg := <-done:
		if msg != "" {
			t.Fatal(msg)
		}
	case <-time.After(deadline):
		t.Fatalf("%s did not finish within %s", what, deadline)
	}
}
