package eligibility

import (
	"fmt"

	"github.com/hotro-vn/hotro/rules"
)

// CaseRunner runs a rule-set test case of the person model: its input is a
// person record (its columns, as text), decided on the case's date. The
// case's outputs may also name monthly_topup, the amount the decision pays
// (zero when not eligible), and the values derived from the record.
func (e *Engine) CaseRunner(s *rules.Set, c *rules.Case) (*rules.Result, error) {
	info := e.sets[s]
	if info == nil {
		return nil, fmt.Errorf("rule set %s is not one of the engine's", s.Meta.ID)
	}
	rec := info.schema.NewReader().Cells(0, c.Input)
	if rec.Err != nil {
		return nil, rec.Err
	}
	ev, err := s.At(c.Date)
	if err != nil {
		return nil, err
	}
	d, err := e.decide(ev, &rec, newScratch())
	if err != nil {
		return nil, err
	}
	res := d.Result()
	res.Extra = append(res.Extra, rules.Value{Name: "monthly_topup", Value: d.MonthlyTopup})
	res.Extra = append(res.Extra, d.Derived()...)
	return res, nil
}

// Runners returns the runners for rules.Test and rules.Library.RunCases.
func (e *Engine) Runners() map[string]rules.Runner {
	return map[string]rules.Runner{Model: e.CaseRunner}
}
