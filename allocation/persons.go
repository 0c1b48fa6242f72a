package allocation

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/eligibility"
)

// Beneficiaries returns the persons an allocation is for: those eligible
// with a top-up above zero, from decisions on one date. Every other
// outcome becomes a row that says why (an error, not eligible, no top-up),
// so that a report can list every record.
func Beneficiaries(outs []eligibility.Outcome) ([]Beneficiary, []Sponsorship) {
	return beneficiaries(outs, nil, nil)
}

// beneficiaries appends the beneficiaries of outs to bens and the other
// rows to others.
func beneficiaries(outs []eligibility.Outcome, bens []Beneficiary, others []Sponsorship) ([]Beneficiary, []Sponsorship) {
	for _, o := range outs {
		id := o.Record.ID
		switch d := o.Decision; {
		case o.Err != nil:
			others = append(others, Sponsorship{Beneficiary: id, Commune: o.Record.Text("commune_code"), Error: o.Err.Error()})
		case !d.Eligible:
			others = append(others, Sponsorship{Beneficiary: id, Commune: d.Commune.Code, Note: "not eligible (failed: " + strings.Join(d.Failed(), ", ") + ")"})
		case d.MonthlyTopup.Sign() <= 0:
			others = append(others, Sponsorship{Beneficiary: id, Commune: d.Commune.Code, Note: "eligible, top-up 0: income reaches the line"})
		default:
			bens = append(bens, Beneficiary{ID: id, Topup: d.MonthlyTopup, Commune: d.Commune,
				Member: o.Record.Text("member_of"), Circumstances: o.Record.Text("circumstances")})
		}
	}
	return bens, others
}

// PlanRecords is Plan for records as read from files: units with their
// read errors, and persons decided on date by e. The plan has a row for
// every unit record and every person record, in error or not.
//
// Persons are decided in chunks and only what the plan needs is kept, so
// memory grows with the number of persons, not with their decisions.
// With allocate false it makes the quotas only, as Quotas does.
func (p *Planner) PlanRecords(e *eligibility.Engine, date time.Time, units []UnitRecord, persons []eligibility.Record, allocate bool) (*Plan, error) {
	rows, bens, others, err := p.inputs(e, date, units, persons)
	if err != nil {
		return nil, err
	}
	plan, err := p.plan(date, rows, bens, allocate, nil)
	if err != nil {
		return nil, err
	}
	finish(plan, others)
	return plan, nil
}

// inputs decides the persons on date and turns the records into the
// plan's inputs: the unit rows, the beneficiaries, and a row for every
// other person.
func (p *Planner) inputs(e *eligibility.Engine, date time.Time, units []UnitRecord, persons []eligibility.Record) ([]UnitResult, []Beneficiary, []Sponsorship, error) {
	bens := make([]Beneficiary, 0, len(persons)) // no copy as it grows: a beneficiary is some 200 bytes
	var others []Sponsorship
	const chunk = 1 << 15
	for lo := 0; lo < len(persons); lo += chunk {
		outs, err := e.DecideAll(context.Background(), persons[lo:min(lo+chunk, len(persons))], date)
		if err != nil {
			return nil, nil, nil, err
		}
		bens, others = beneficiaries(outs, bens, others)
	}
	rows := make([]UnitResult, len(units))
	for i, r := range units {
		rows[i] = UnitResult{Unit: r.Unit, Line: r.Line}
		if r.Err != nil {
			rows[i].Error = r.Err.Error()
		}
	}
	return rows, bens, others, nil
}

// finish adds the rows of the persons not planned and sorts by person id.
func finish(plan *Plan, others []Sponsorship) {
	if len(others) == 0 {
		return // the plan's own rows are in id order
	}
	byID := func(x, y Sponsorship) int { return cmp.Compare(x.Beneficiary, y.Beneficiary) }
	if !slices.IsSortedFunc(others, byID) {
		slices.SortStableFunc(others, byID)
	}
	// Merge the two lists in id order, the plan's row first on equal ids
	// (as a stable sort of the plan's rows followed by the others gives).
	ps := plan.Sponsorships
	out := make([]Sponsorship, 0, len(ps)+len(others))
	i, j := 0, 0
	for i < len(ps) && j < len(others) {
		if byID(others[j], ps[i]) < 0 {
			out, j = append(out, others[j]), j+1
		} else {
			out, i = append(out, ps[i]), i+1
		}
	}
	plan.Sponsorships = append(append(out, ps[i:]...), others[j:]...)
}
