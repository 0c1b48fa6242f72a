package impact

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
)

// Quotas is how the sponsorship plan moves under a change: each set's
// plan of the same units and persons on one date (allocation.Planner,
// with allocation), unit by unit and area by area.
type Quotas struct {
	Date time.Time
	// Base and New are the two plans, whole.
	Base, New *allocation.Plan
	// Units has every unit, in the plans' order (by id).
	Units []UnitChange
	// Areas has every area of either plan, by level (the base set's order)
	// then code.
	Areas []AreaChange
}

// UnitChange is one sponsoring unit under both plans.
type UnitChange struct {
	ID    string `json:"unit_id"`
	Name  string `json:"name,omitempty"`
	Level string `json:"level"`
	Kind  string `json:"kind"`
	// BaseRule and NewRule are the quota rules applied (docs/policy.md §5 ids).
	BaseRule string `json:"base_rule"`
	NewRule  string `json:"new_rule"`
	// Obligation is what the unit (or its group) owes; Counted is what the
	// quota rules counted as sponsored.
	Obligation Count `json:"obligation"`
	Counted    Count `json:"counted"`
	BaseMet    bool  `json:"base_met"`
	NewMet     bool  `json:"new_met"`
	// Error is why the unit could take part in neither plan.
	Error string `json:"error,omitempty"`
	owes  bool   // counts towards the total obligation: alone, or its group's lead
}

// Changed reports whether the unit's rule, obligation, count or outcome moves.
func (u UnitChange) Changed() bool {
	return u.BaseRule != u.NewRule || u.Obligation.Delta != 0 || u.Counted.Delta != 0 || u.BaseMet != u.NewMet
}

// AreaChange is one commune, district or province under both plans.
type AreaChange struct {
	Level string `json:"level"`
	Code  string `json:"code"`
	Name  string `json:"name"`
	// Beneficiaries are the area's subjects (eligible, top-up above 0).
	Beneficiaries Count `json:"beneficiaries"`
	// Required is the local share required (ceil(70% of the subjects) for
	// a district in 2020–2025); SponsoredLocal what the local levels took.
	Required       Count `json:"local_share_required"`
	SponsoredLocal Count `json:"sponsored_local"`
	// ProvinceList is what the levels below left to the province (non-zero
	// at the province only); Uncovered what nobody sponsors.
	ProvinceList Count    `json:"province_list"`
	Uncovered    Count    `json:"uncovered"`
	BaseFailed   []string `json:"base_failed_rules,omitempty"`
	NewFailed    []string `json:"new_failed_rules,omitempty"`
}

// Changed reports whether any of the area's counts or outcomes moves.
func (a AreaChange) Changed() bool {
	return a.Beneficiaries.Delta != 0 || a.Required.Delta != 0 || a.SponsoredLocal.Delta != 0 ||
		a.ProvinceList.Delta != 0 || a.Uncovered.Delta != 0 || !slices.Equal(a.BaseFailed, a.NewFailed)
}

// QuotaSummary totals a plan comparison.
type QuotaSummary struct {
	// Beneficiaries are the persons planned for: eligible, top-up above 0.
	Beneficiaries Count `json:"beneficiaries"`
	// Obligations is the subjects all units owe, a group's once.
	Obligations Count `json:"obligations"`
	// Unmet counts the units whose quota the plan does not meet.
	Unmet Count `json:"unmet"`
	// Remainder is the province remainder: the subjects the levels below
	// the last one leave to it (province_list).
	Remainder Count `json:"remainder"`
	// Uncovered counts the subjects nobody sponsors.
	Uncovered Count `json:"uncovered"`
	// Monthly is what the sponsors pay each month.
	Monthly Total `json:"monthly"`
	// UnitErrors counts units in error (the same under both plans).
	UnitErrors int `json:"unit_errors"`
}

// Quotas plans sponsorship under each rule set on date for the same units
// and persons (allocation.Planner.PlanRecords with allocation) and compares
// the plans. Units and persons in error are in both plans with their error.
// The error return is for rule sets without quota models (rules.Errors), a
// date either does not cover, or rules that fail to evaluate.
func (c Change) Quotas(date time.Time, units []allocation.UnitRecord, persons []eligibility.Record) (*Quotas, error) {
	var plans [2]*allocation.Plan
	for i, side := range []struct {
		name string
		e    *eligibility.Engine
	}{{"base", c.Base}, {"new", c.New}} {
		if side.e == nil {
			return nil, fmt.Errorf("impact: a change needs both a base and a new engine")
		}
		p, err := allocation.New(side.e.Library())
		if err != nil {
			return nil, fmt.Errorf("%s rules: %w", side.name, err)
		}
		if plans[i], err = p.PlanRecords(side.e, date, units, persons, true); err != nil {
			return nil, fmt.Errorf("%s rules: %w", side.name, err)
		}
	}
	q := &Quotas{Date: date, Base: plans[0], New: plans[1]}
	b, n := q.Base.Units, q.New.Units
	if len(b) != len(n) {
		return nil, fmt.Errorf("impact: the plans have %d and %d units", len(b), len(n))
	}
	for i := range b {
		ub, un := b[i], n[i]
		if ub.ID != un.ID || ub.Line != un.Line {
			return nil, fmt.Errorf("impact: the plans list units in different orders (%s, %s)", ub.ID, un.ID)
		}
		u := UnitChange{ID: ub.ID, Name: ub.Name, Level: ub.Level, Kind: ub.Kind, BaseRule: ub.Rule, NewRule: un.Rule,
			Obligation: Count{}.add(ub.Obligation, un.Obligation), Counted: Count{}.add(ub.Counted, un.Counted),
			BaseMet: ub.Met, NewMet: un.Met, Error: ub.Error, owes: ub.Group == "" || ub.Group == ub.ID}
		if u.Error == "" {
			u.Error = un.Error
		}
		q.Units = append(q.Units, u)
	}
	q.Areas = mergeAreas(q.Base, q.New)
	return q, nil
}

func mergeAreas(base, new *allocation.Plan) []AreaChange {
	levels := slices.Clone(base.Levels)
	for _, l := range new.Levels {
		if !slices.Contains(levels, l) {
			levels = append(levels, l)
		}
	}
	byKey := map[string]*AreaChange{}
	var out []*AreaChange
	for side, plan := range []*allocation.Plan{base, new} {
		for _, a := range plan.Areas {
			k := a.Level + "/" + a.Code
			ac := byKey[k]
			if ac == nil {
				ac = &AreaChange{Level: a.Level, Code: a.Code, Name: a.Name}
				byKey[k] = ac
				out = append(out, ac)
			}
			pick := func(v int) (int, int) {
				if side == 0 {
					return v, 0
				}
				return 0, v
			}
			ac.Beneficiaries = ac.Beneficiaries.add(pick(a.Beneficiaries))
			ac.Required = ac.Required.add(pick(a.Required))
			ac.SponsoredLocal = ac.SponsoredLocal.add(pick(a.SponsoredLocal))
			ac.ProvinceList = ac.ProvinceList.add(pick(a.ProvinceList))
			ac.Uncovered = ac.Uncovered.add(pick(a.Uncovered))
			if side == 0 {
				ac.BaseFailed = a.Failed
			} else {
				ac.NewFailed = a.Failed
			}
		}
	}
	slices.SortStableFunc(out, func(x, y *AreaChange) int {
		if d := slices.Index(levels, x.Level) - slices.Index(levels, y.Level); d != 0 {
			return d
		}
		return strings.Compare(x.Code, y.Code)
	})
	res := make([]AreaChange, len(out))
	for i, a := range out {
		res[i] = *a
	}
	return res
}

// Summary totals the two plans.
func (q *Quotas) Summary() QuotaSummary {
	sb, sn := q.Base.Summary(), q.New.Summary()
	s := QuotaSummary{
		Beneficiaries: Count{}.add(sb.Beneficiaries, sn.Beneficiaries),
		Unmet:         Count{}.add(sb.QuotasUnmet, sn.QuotasUnmet),
		Uncovered:     Count{}.add(sb.Uncovered, sn.Uncovered),
		Monthly:       zero().add(sb.Monthly, sn.Monthly),
		UnitErrors:    sb.UnitsInError,
	}
	for _, u := range q.Units {
		if u.Error == "" && u.owes {
			s.Obligations = s.Obligations.add(u.Obligation.Base, u.Obligation.New)
		}
	}
	last := func(p *allocation.Plan) string { return p.Levels[len(p.Levels)-1] }
	for _, a := range q.Areas {
		b, n := 0, 0
		if a.Level == last(q.Base) {
			b = a.ProvinceList.Base
		}
		if a.Level == last(q.New) {
			n = a.ProvinceList.New
		}
		s.Remainder = s.Remainder.add(b, n)
	}
	return s
}

// Changed returns the units whose rule, obligation, count or outcome
// moves, in order.
func (q *Quotas) Changed() []UnitChange {
	var out []UnitChange
	for _, u := range q.Units {
		if u.Changed() {
			out = append(out, u)
		}
	}
	return out
}
