// Package rulestest runs a rule library's YAML test cases as Go subtests,
// so that an embedding project's `go test` checks the rules it ships. It is
// a package of its own so that programs using package rules do not link
// package testing.
package rulestest

import (
	"testing"

	"github.com/hotro-vn/hotro/rules"
)

// Run runs the library's cases as subtests of t, one per case. A library
// whose sets hold no case fails: a rule set without tests is a mistake.
func Run(t *testing.T, lib *rules.Library, runners map[string]rules.Runner) {
	t.Helper()
	n := 0
	for _, s := range lib.Sets() {
		n += len(s.Cases)
	}
	if len(lib.Sets()) > 0 && n == 0 {
		t.Fatalf("the rule sets hold no test cases")
	}
	for _, r := range lib.RunCases(runners) {
		t.Run(r.Set.Meta.ID+"/"+r.Case.Name, func(t *testing.T) {
			for _, f := range r.Failures {
				t.Errorf("%s:%d: %s", r.Case.Pos.File, r.Case.Pos.Line, f)
			}
		})
	}
}
