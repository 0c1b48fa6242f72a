// Package preload starts loading the embedded rule set that hotro eval
// will need while the program is still initialising its other packages.
//
// Go initialises the packages of a program one after the other, on one
// processor; those that the rules do not need (the workbook, web server
// and metrics libraries) take the last third of hotro's initialisation.
// This package is initialised as soon as package rules and its own
// dependencies are: its init reads the command line as eval will,
// guessing the policy and the date, and loads the rule set in force then
// in a goroutine, on the other processor. Once eval has parsed its flags,
// [Take] gives it that library if the guess was right; otherwise eval
// loads as it would have. A wrong guess costs time on another processor,
// never a different result: the library is the one eval would load.
package preload

import (
	"cmp"
	"os"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
)

// loading is what was started, if anything.
var loading *load

// load is one loading of the rule sets of a policy on a date; once done is
// closed, lib and err are what it gave (panicked: it panicked).
type load struct {
	policy   string
	date     time.Time
	done     chan struct{}
	lib      *rules.Library
	err      error
	panicked bool
	taken    atomic.Bool
	gcOff    bool      // the collector is off until the first take
	gcOnce   sync.Once // turns it on, or hands it over
	gc       int       // the percentage to set again then
}

func init() {
	if p, d, ok := guess(os.Args[1:]); ok {
		loading = start(p, d)
	}
}

// start loads the rule sets of policy p in force on d in a goroutine.
// The collector waits until the library is taken: what the program has
// allocated by then is mostly the library and the packages' tables, all
// live, and a collection while the other processor initialises packages
// only slows both (unless GOGC says otherwise).
func start(p string, d time.Time) *load {
	l := &load{policy: p, date: d, done: make(chan struct{})}
	if os.Getenv("GOGC") == "" {
		l.gcOff, l.gc = true, debug.SetGCPercent(-1)
	}
	go func() {
		defer close(l.done)
		defer func() {
			if recover() != nil {
				l.panicked = true // eval loads again, and panics there
			}
		}()
		l.lib, l.err = rules.LoadPolicy(rulesets.PolicyOn(p, d), ".", p)
	}()
	return l
}

// HandOver hands the collector over to the caller when the preloading
// turned it off: it stays off (Take will not turn it on again), and the
// caller sets it as it needs once loaded; percent is what GOGC was before.
// ok is false when the preloading left the collector alone, or a Take
// already turned it on again.
func HandOver() (percent int, ok bool) { return loading.handOver() }

func (l *load) handOver() (int, bool) {
	if l == nil || !l.gcOff {
		return 0, false
	}
	handed := false
	l.gcOnce.Do(func() { handed = true })
	return l.gc, handed
}

// Take returns what rules.LoadPolicy(rulesets.PolicyOn(p, d), ".", p)
// returns, waiting for it, when that is what was started; ok is false
// otherwise. Only the first call can take it. The first call turns the
// collector back on (see start), unless it was handed over (HandOver).
func Take(p string, d time.Time) (_ *rules.Library, _ error, ok bool) {
	return loading.take(p, d)
}

func (l *load) take(p string, d time.Time) (*rules.Library, error, bool) {
	if l == nil {
		return nil, nil, false
	}
	ok := p == l.policy && d.Equal(l.date) && l.taken.CompareAndSwap(false, true)
	if ok {
		<-l.done
	}
	l.gcOnce.Do(func() {
		if l.gcOff {
			debug.SetGCPercent(l.gc)
		}
	})
	if !ok {
		return nil, nil, false
	}
	if l.panicked {
		return nil, nil, false
	}
	return l.lib, l.err, true
}

// guess reads args as hotro reads `hotro [--lang L] eval FLAGS FILE`: it
// returns the policy (rulesets.DefaultPolicy when none is named) and the
// date of an eval of the embedded rules, or false for anything else: any
// other command, --rules, a flag it does not know, no date.
func guess(args []string) (policy string, date time.Time, ok bool) {
	var rest []string
	for i := 0; i < len(args); i++ { // hotro drops --lang wherever it is
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		if name, _, eq := strings.Cut(strings.TrimLeft(a, "-"), "="); strings.HasPrefix(a, "-") && name == "lang" {
			if !eq {
				i++
			}
			continue
		}
		rest = append(rest, a)
	}
	if len(rest) == 0 || rest[0] != "eval" {
		return "", time.Time{}, false
	}
	policy, day := rulesets.DefaultPolicy, ""
	for i := 1; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			continue // the file
		}
		name, val, eq := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch name {
		case "explain", "verbose", "excel", "progress":
			continue
		case "date", "policy", "out", "format":
			if !eq {
				if i++; i >= len(rest) {
					return "", time.Time{}, false
				}
				val = rest[i]
			}
		default: // --rules, -h, a mistake
			return "", time.Time{}, false
		}
		switch name {
		case "date":
			day = val
		case "policy":
			policy = cmp.Or(val, rulesets.DefaultPolicy)
		}
	}
	date, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return "", time.Time{}, false
	}
	return policy, date, true
}
