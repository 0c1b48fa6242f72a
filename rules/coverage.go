package rules

import (
	"time"
)

// Coverage says what a library's test cases exercise: whether each rule was
// seen both passing and failing, and whether a case fell in the period of
// each dated parameter value.
type Coverage struct {
	Rules  []RuleCoverage
	Values []ValueCoverage
}

// RuleCoverage is one rule's coverage.
type RuleCoverage struct {
	Set            *Set
	Rule           *Rule
	Passed, Failed bool
}

// Covered reports whether the cases made the rule both pass and fail.
func (r RuleCoverage) Covered() bool { return r.Passed && r.Failed }

// ValueCoverage is one value of a parameter, in force from From to To
// (both days included, clipped to the phase).
type ValueCoverage struct {
	Set      *Set
	Param    *Param
	Value    *ParamValue
	From, To time.Time
	Cases    int // cases dated in the period
}

// Coverage computes the coverage of the results of RunCases. Values in
// force on no day of their set's phase (a 2016 line kept in a 2026 set for
// its history) are not counted.
func (l *Library) Coverage(results []CaseResult) Coverage {
	var c Coverage
	for _, s := range l.sets {
		idx := map[*Rule]int{}
		for _, name := range s.order {
			for _, r := range s.models[name].Rules {
				idx[r] = len(c.Rules)
				c.Rules = append(c.Rules, RuleCoverage{Set: s, Rule: r})
			}
		}
		first := len(c.Values)
		for _, p := range s.Params {
			for i := range p.Values {
				v := &p.Values[i]
				from, to := s.Meta.From, s.Meta.To
				if !v.From.IsZero() && v.From.After(from) {
					from = v.From
				}
				end := v.To
				if i+1 < len(p.Values) && (end.IsZero() || p.Values[i+1].From.AddDate(0, 0, -1).Before(end)) {
					end = p.Values[i+1].From.AddDate(0, 0, -1)
				}
				if !end.IsZero() && end.Before(to) {
					to = end
				}
				if to.Before(from) {
					continue
				}
				c.Values = append(c.Values, ValueCoverage{Set: s, Param: p, Value: v, From: from, To: to})
			}
		}
		for _, r := range results {
			if r.Set != s {
				continue
			}
			if r.Result != nil {
				for _, rr := range r.Result.Rules {
					if i, ok := idx[rr.Rule]; ok {
						if rr.Pass {
							c.Rules[i].Passed = true
						} else {
							c.Rules[i].Failed = true
						}
					}
				}
			}
			d := day(r.Case.Date)
			for i := first; i < len(c.Values); i++ {
				if v := &c.Values[i]; !d.Before(v.From) && !d.After(v.To) {
					v.Cases++
				}
			}
		}
	}
	return c
}

// Percent returns the share of rules covered both ways and of parameter
// values with a case, as whole percentages rounded down (100 only when
// nothing is missing).
func (c Coverage) Percent() (rules, values int) {
	return percent(c.Rules, RuleCoverage.Covered), percent(c.Values, func(v ValueCoverage) bool { return v.Cases > 0 })
}

func percent[T any](items []T, ok func(T) bool) int {
	if len(items) == 0 {
		return 100
	}
	n := 0
	for _, it := range items {
		if ok(it) {
			n++
		}
	}
	return n * 100 / len(items)
}
