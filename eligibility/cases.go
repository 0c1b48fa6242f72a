package eligibility

import (
	"strings"

	"github.com/hotro-vn/hotro/rules"
)

// CaseRunner runs a rule-set test case of the person model: its input is a
// person record (POLICY.md §10, fields as text), decided on the case's
// date. The case's outputs may also name monthly_topup, the amount the
// decision pays (zero when not eligible).
func (e *Engine) CaseRunner(s *rules.Set, c *rules.Case) (*rules.Result, error) {
	vals := map[string]rawVal{}
	for k, v := range c.Input {
		if v = strings.TrimSpace(v); v != "" {
			vals[k] = rawVal{s: v}
		}
	}
	rec := buildRecord(0, vals, nil, map[string]int{})
	if rec.Err != nil {
		return nil, rec.Err
	}
	ev, err := s.At(c.Date)
	if err != nil {
		return nil, err
	}
	d, err := e.decide(ev, rec.Person, newScratch())
	if err != nil {
		return nil, err
	}
	// Besides the formulas and the values the expressions read, a case may
	// check the amount paid and the zone.
	res := d.Result()
	res.Extra = append(res.Extra, rules.Value{Name: "monthly_topup", Value: d.MonthlyTopup}, rules.Value{Name: "zone", Value: d.Zone})
	return res, nil
}

// Runners returns the runners for rules.Test and rules.Library.RunCases.
func (e *Engine) Runners() map[string]rules.Runner {
	return map[string]rules.Runner{Model: e.CaseRunner}
}
