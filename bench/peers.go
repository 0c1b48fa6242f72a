// Package bench compares the rules engine with its peers on one rule, in
// one run: the five eligibility conditions and the top-up of the person
// model of the embedded 2020–2025 rule set on 2024-07-01 (docs/policy.md
// §2–§3), decided for the same population by
//
//   - the library: Day.DecideRecord on records read once (engine), and
//     Day.DecideRecordInto with a caller-owned Decision (engine-into);
//   - the rule written by hand in Go with shopspring/decimal (hand-decimal)
//     and with int64 đồng (hand-int64);
//   - cel-go with int64 money (cel), its derived values (age, commune,
//     zone) worked out in Go, as a cel-go user would.
//
// It is a module of its own so that the library's go.mod does not carry
// cel-go. Run the benchmarks with
//
//	go test -run '^$' -bench . -benchmem -count 6
//
// or the table of ratios with go run ./cmd/ratios.
package bench

import (
	"fmt"
	"time"

	"github.com/hotro-vn/hotro/admin"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/shopspring/decimal"
)

// Date is the day every implementation decides on.
var Date = time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)

// Plain is a person as the hand-written and cel-go peers hold it: plain
// fields, the record's defaults applied, read once.
type Plain struct {
	ID, HouseholdID                        string
	BirthDate                              time.Time
	CommuneCode, Zone                      string
	Resident, HouseholdPoor                bool
	HouseholdCategory, Disability          string
	SeriousIllness, InCareFacility         bool
	AllowanceCoefficient, MonthlyAllowance decimal.NullDecimal
	OtherIncome                            decimal.Decimal
	// The same amounts as int64: đồng, and the coefficient in thousandths.
	HasAllowance, HasCoef bool
	Allowance, Coef1000   int64
	Other                 int64
}

// Persons is a varied population: both zones, a commune outside the
// province, all groups, allowances given as amounts or coefficients, some
// ineligible, some incomes above the line. It is the population of
// eligibility's BenchmarkDecide.
func Persons(n int) []Plain {
	communes := []string{"18112", "18073", "18133", "18571", "18100"}
	dis := []string{"none", "none", "mild", "severe", "especially_severe"}
	ps := make([]Plain, n)
	for i := range ps {
		p := Plain{ID: fmt.Sprintf("p%d", i), HouseholdID: fmt.Sprintf("h%d", i/2),
			BirthDate: time.Date(1930+i%90, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC), CommuneCode: communes[i%5],
			Resident: i%31 != 0, HouseholdPoor: i%17 != 0, HouseholdCategory: "btxh", Disability: dis[i%5],
			SeriousIllness: i%13 == 0, InCareFacility: i%29 == 0, Other: int64(i%7) * 50000}
		p.OtherIncome = decimal.NewFromInt(p.Other)
		switch i % 3 {
		case 0:
			p.MonthlyAllowance = decimal.NewNullDecimal(decimal.NewFromInt(270000))
			p.HasAllowance, p.Allowance = true, 270000
		case 1:
			p.AllowanceCoefficient = decimal.NewNullDecimal(decimal.RequireFromString("1.5"))
			p.HasCoef, p.Coef1000 = true, 1500
		}
		ps[i] = p
	}
	return ps
}

// Person is the same person as the library's typed convenience.
func (p Plain) Person() eligibility.Person {
	b := func(v bool) *bool { return &v }
	return eligibility.Person{ID: p.ID, HouseholdID: p.HouseholdID, BirthDate: p.BirthDate, CommuneCode: p.CommuneCode,
		Zone: p.Zone, Resident: b(p.Resident), HouseholdPoor: b(p.HouseholdPoor), HouseholdCategory: p.HouseholdCategory,
		Disability: p.Disability, SeriousIllness: b(p.SeriousIllness), InCareFacility: b(p.InCareFacility),
		AllowanceCoefficient: p.AllowanceCoefficient, MonthlyAllowance: p.MonthlyAllowance, OtherIncome: decimal.NewNullDecimal(p.OtherIncome)}
}

// Answer is what every implementation answers: eligibility, the bits of
// the failed rules (in the rule set's order), and the top-up in đồng.
type Answer struct {
	Eligible bool
	Failed   uint8
	Topup    int64
}

// The parameters in force on Date (rulesets/hatinh-2020-2025/parameters.yaml).
const (
	lineRural, lineUrban = 1_500_000, 2_000_000
	base, step           = 500_000, 1000
	childBelow, elderly  = 16, 60
	province             = "42"
)

// derived are the values the rule set derives from a record, by hand.
type derived struct {
	age      int
	province string
	urban    bool
}

func derive(reg *admin.Registry, p *Plain) (derived, error) {
	if p.BirthDate.After(Date) {
		return derived{}, fmt.Errorf("birth date %s is after the evaluation date", p.BirthDate.Format(time.DateOnly))
	}
	c, err := reg.On(p.CommuneCode, Date)
	if err != nil {
		return derived{}, err
	}
	urban := c.Type == "Phường" || c.Type == "Thị trấn"
	if p.Zone != "" {
		urban = p.Zone == "urban"
	}
	return derived{age(p.BirthDate, Date), c.ProvinceCode, urban}, nil
}

func age(birth, date time.Time) int {
	y := date.Year() - birth.Year()
	if date.Month() < birth.Month() || date.Month() == birth.Month() && date.Day() < birth.Day() {
		y--
	}
	return y
}

func conditions(p *Plain, d derived) (failed uint8) {
	ok := [5]bool{p.HouseholdPoor, p.HouseholdCategory == "btxh", p.Resident && d.province == province,
		d.age < childBelow || d.age >= elderly || p.Disability == "severe" || p.Disability == "especially_severe" || p.SeriousIllness,
		!p.InCareFacility}
	for i, pass := range ok {
		if !pass {
			failed |= 1 << i
		}
	}
	return failed
}

// HandDecimal is the rule written by hand with shopspring/decimal.
type HandDecimal struct {
	reg                        *admin.Registry
	lineRural, lineUrban, base decimal.Decimal
	step, one                  decimal.Decimal
}

func NewHandDecimal() *HandDecimal {
	return &HandDecimal{reg: admin.Default(), lineRural: decimal.NewFromInt(lineRural), lineUrban: decimal.NewFromInt(lineUrban),
		base: decimal.NewFromInt(base), step: decimal.NewFromInt(step), one: decimal.NewFromInt(1)}
}

func (h *HandDecimal) Decide(p *Plain) (Answer, error) {
	d, err := derive(h.reg, p)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Failed: conditions(p, d)}
	a.Eligible = a.Failed == 0
	allowance := decimal.Zero
	if p.MonthlyAllowance.Valid {
		allowance = p.MonthlyAllowance.Decimal
	} else if p.AllowanceCoefficient.Valid {
		allowance = p.AllowanceCoefficient.Decimal.Mul(h.base)
	}
	line := h.lineRural
	if d.urban {
		line = h.lineUrban
	}
	gap := line.Sub(allowance.Add(p.OtherIncome))
	if gap.Sign() < 0 {
		gap = decimal.Zero
	}
	q, r := gap.QuoRem(h.step, 0)
	if r.Sign() > 0 {
		q = q.Add(h.one)
	}
	if a.Eligible {
		a.Topup = q.Mul(h.step).IntPart()
	}
	return a, nil
}

// HandInt64 is the rule written by hand with int64 đồng (the coefficient
// in thousandths); amounts of a person are far from overflowing, so it
// does not check.
type HandInt64 struct{ reg *admin.Registry }

func NewHandInt64() *HandInt64 { return &HandInt64{reg: admin.Default()} }

func (h *HandInt64) Decide(p *Plain) (Answer, error) {
	d, err := derive(h.reg, p)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Failed: conditions(p, d)}
	a.Eligible = a.Failed == 0
	var allowance int64
	if p.HasAllowance {
		allowance = p.Allowance
	} else if p.HasCoef {
		allowance = p.Coef1000 * base / 1000
	}
	line := int64(lineRural)
	if d.urban {
		line = lineUrban
	}
	gap := max(0, line-(allowance+p.Other))
	if a.Eligible {
		a.Topup = (gap + step - 1) / step * step
	}
	return a, nil
}
