package rules

import (
	"fmt"
	"time"

	"github.com/expr-lang/expr/vm"
)

// WarnOptions tune Library.Warnings.
type WarnOptions struct {
	// Today is the date staleness is measured from; the library never reads
	// the clock, so the caller passes it. Zero: no staleness warnings.
	Today time.Time
	// StaleYears is the age from which a parameter's last value is worth a
	// warning (default 5).
	StaleYears int
}

// maxCombinations bounds the inputs tried to decide whether a rule can pass
// and fail.
const maxCombinations = 1 << 12

// Warnings lists what a reviewer of a rule change should look at, without
// being errors: rules and parameters that are interpretations, parameters
// whose last value is old, rules that can never pass or never fail given
// the declared values of their inputs (decided by trying every combination
// where all the inputs a rule reads are booleans or listed text values),
// and phases that overlap.
func (l *Library) Warnings(o WarnOptions) Errors {
	if o.StaleYears == 0 {
		o.StaleYears = 5
	}
	var ws Errors
	warn := func(p Pos, code Code, format string, args ...any) {
		ws = append(ws, &Error{File: p.File, Line: p.Line, Column: p.Column, Code: code, Message: "warning: " + fmt.Sprintf(format, args...)})
	}
	for i, s := range l.sets {
		for _, name := range s.order {
			for _, r := range s.models[name].Rules {
				if r.Status == "interpretation" {
					warn(r.Pos, CodeInterpret, "rule %s is an interpretation, not enacted text; its reading is in the interpretations of %s", r.ID, MetaFile)
				}
				if pass, fail, ok := s.canPassFail(s.models[name], r); ok && !pass {
					warn(r.Pos, CodeNeverPass, "rule %s can never pass: no value its inputs may take makes %q true", r.ID, r.Expr)
				} else if ok && !fail {
					warn(r.Pos, CodeNeverFail, "rule %s can never fail: every value its inputs may take makes %q true", r.ID, r.Expr)
				}
			}
		}
		ref := s.Meta.To
		if !o.Today.IsZero() && o.Today.Before(ref) {
			ref = day(o.Today)
		}
		for _, p := range s.Params {
			if p.Status == "interpretation" {
				warn(p.Pos, CodeInterpret, "parameter %s is an interpretation, not fixed by an instrument", p.Name)
			}
			last := p.Values[len(p.Values)-1]
			if o.Today.IsZero() || last.From.IsZero() {
				continue
			}
			if last.From.AddDate(o.StaleYears, 0, 0).Before(ref) {
				warn(last.Pos, CodeStale, "parameter %s: its last value dates from %s, more than %d years before %s; check that no newer instrument has changed it",
					p.Name, fmtDate(last.From), o.StaleYears, fmtDate(ref))
			}
		}
		for _, t := range l.sets[:i] {
			if !s.Meta.From.After(t.Meta.To) && !t.Meta.From.After(s.Meta.To) {
				winner, _ := l.For(maxTime(s.Meta.From, t.Meta.From))
				warn(Pos{File: s.Dir + "/" + MetaFile}, CodePhaseOverlap, "the phase of %s (%s to %s) overlaps that of %s (%s to %s); on the common days %s applies",
					s.Meta.ID, fmtDate(s.Meta.From), fmtDate(s.Meta.To), t.Meta.ID, fmtDate(t.Meta.From), fmtDate(t.Meta.To), winner.Meta.ID)
			}
		}
	}
	ws.sort()
	return ws
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// enumeration is what canPassFail tries: the rule's inputs that vary, the
// values each may take, and the dates on which the parameters change.
type enumeration struct {
	names   []string
	domains [][]any
	n       int // combinations of the inputs' values
	dates   []time.Time
}

// enumerate returns what deciding whether r can pass and fail tries, or
// false when that is not decidable by trying: the rule reads a number, a
// free text or a formula, or has too many combinations.
func (s *Set) enumerate(m *Model, r *Rule) (e enumeration, ok bool) {
	vars := append([]string(nil), r.Vars...)
	for _, v := range r.Vars {
		if p := s.Param(v); p != nil && p.By != "" && !contains(vars, p.By) {
			vars = append(vars, p.By) // the selector matters even if the rule does not name it
		}
	}
	for _, v := range vars {
		var dom []any
		if in, isInput := m.Input(v); isInput {
			switch {
			case in.Kind == KindBool:
				dom = []any{false, true}
			case in.Kind == KindText && len(in.Values) > 0:
				for _, x := range in.Values {
					dom = append(dom, x)
				}
			default:
				return e, false
			}
		} else if i := indexOf(m.hasNames, v); i >= 0 && v != "" {
			dom = []any{false, true}
		} else if s.Param(v) != nil {
			continue // set per date below
		} else {
			return e, false // a formula
		}
		e.names, e.domains = append(e.names, v), append(e.domains, dom)
	}
	e.n = 1
	for _, d := range e.domains {
		if e.n *= len(d); e.n > maxCombinations {
			return e, false
		}
	}
	e.dates = []time.Time{s.Meta.From}
	for _, p := range s.Params {
		for _, v := range p.Values {
			if v.From.After(s.Meta.From) && !v.From.After(s.Meta.To) {
				e.dates = append(e.dates, v.From)
			}
		}
	}
	return e, true
}

// analysisCost is the work of trying e on r: runs times the steps and the
// sizes of one run.
func analysisCost(m *Model, r *Rule, e enumeration) float64 {
	run := float64(r.cost.steps) + r.cost.sum*float64(m.static+sizeSlack)
	return float64(e.n) * float64(len(e.dates)) * run
}

// analysisBudget refuses, at load, a rule that Library.Warnings would take
// more than MaxAnalysis to decide.
func (b *builder) analysisBudget(m *Model, r *Rule) {
	e, ok := b.set.enumerate(m, r)
	if !ok {
		return
	}
	if c := analysisCost(m, r, e); c > MaxAnalysis {
		b.errs.add(r.at.File, r.at.Line, r.at.Column, CodeBudget, "rule %s: checking whether it can pass and fail means evaluating it %d times (%d combinations of its inputs on %d dates), more than the budget allows (%s units of work, the budget is %d); read fewer inputs in this rule, or split it",
			r.ID, e.n*len(e.dates), e.n, len(e.dates), approx(c), MaxAnalysis)
	}
}

// canPassFail tries a rule on every combination of the values its inputs
// may take, on each date of the phase where a parameter changes. ok is
// false when that is not decidable this way (see enumerate). The work is
// bounded: a set whose analysis would exceed MaxAnalysis does not load.
func (s *Set) canPassFail(m *Model, r *Rule) (pass, fail, ok bool) {
	e, ok := s.enumerate(m, r)
	if !ok || analysisCost(m, r, e) > MaxAnalysis {
		return false, false, false
	}
	machine := new(vm.VM)
	for _, d := range e.dates {
		ev, err := s.At(d)
		if err != nil {
			return false, false, false
		}
		env := map[string]any{}
		for _, p := range ev.plain {
			env[p.name] = p.value
		}
		keyed := ev.keyed
		for c := 0; c < e.n; c++ {
			k := c
			for i, dom := range e.domains {
				env[e.names[i]] = dom[k%len(dom)]
				k /= len(dom)
			}
			for _, kv := range keyed {
				key, _ := env[kv.by].(string)
				env[kv.name] = kv.byKey[key]
			}
			out, err := machine.Run(r.program, env)
			if err != nil {
				return false, false, false
			}
			if out.(bool) {
				pass = true
			} else {
				fail = true
			}
			if pass && fail {
				return true, true, true
			}
		}
	}
	return pass, fail, true
}
