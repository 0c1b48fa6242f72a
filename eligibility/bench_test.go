package eligibility

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hotro-vn/hotro/admin"
	"github.com/hotro-vn/hotro/rules"
	"github.com/shopspring/decimal"
)

// The benchmarks compare the engine with the same rules written by hand in
// Go with shopspring/decimal, in the same run; each handwritten line reports
// engine-x, the engine's time divided by the hand-written time:
//
//	go test -run '^$' -bench . -benchmem ./eligibility

var benchDate = time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)

// benchPersons is a varied population: both zones, all groups, allowances
// given as amounts or coefficients, some ineligible.
func benchPersons(n int) []plainPerson {
	communes := []string{"18112", "18073", "18133", "18571", "18100"}
	dis := []string{"none", "none", "mild", "severe", "especially_severe"}
	ps := make([]plainPerson, n)
	for i := range ps {
		p := plainPerson{ID: fmt.Sprintf("p%d", i), HouseholdID: fmt.Sprintf("h%d", i/2),
			BirthDate: time.Date(1930+i%90, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC), CommuneCode: communes[i%5],
			Resident: i%31 != 0, HouseholdPoor: i%17 != 0, HouseholdCategory: "btxh", Disability: dis[i%5],
			SeriousIllness: i%13 == 0, InCareFacility: i%29 == 0, OtherIncome: decimal.NewFromInt(int64(i%7) * 50000)}
		switch i % 3 {
		case 0:
			p.MonthlyAllowance = decimal.NewNullDecimal(decimal.NewFromInt(270000))
		case 1:
			p.AllowanceCoefficient = decimal.NewNullDecimal(decimal.RequireFromString("1.5"))
		}
		ps[i] = p
	}
	return ps
}

// handDecision is what the hand-written rules answer: the same facts as a
// Decision (eligibility, failed rules, top-up), without the rule texts.
type handDecision struct {
	eligible bool
	failed   []string
	topup    decimal.Decimal
}

// handRules is the default rule set for 2024-07-01 written by hand.
type handRules struct {
	communes                *admin.Registry
	lineRural, lineUrban    decimal.Decimal
	base, step              decimal.Decimal
	childBelow, elderlyFrom int
}

func newHandRules() *handRules {
	return &handRules{communes: admin.Default(), lineRural: decimal.NewFromInt(1500000), lineUrban: decimal.NewFromInt(2000000),
		base: decimal.NewFromInt(500000), step: decimal.NewFromInt(1000), childBelow: 16, elderlyFrom: 60}
}

func (h *handRules) decide(p plainPerson, date time.Time) (handDecision, error) {
	d, _, err := h.decideWith(p, date)
	return d, err
}

// handFacts are what decideWith worked out on the way, for an explanation.
type handFacts struct {
	c    admin.Commune
	zone string
	age  int
	line decimal.Decimal
}

func (h *handRules) decideWith(p plainPerson, date time.Time) (handDecision, handFacts, error) {
	c, ok := h.communes.Lookup(p.CommuneCode)
	if !ok {
		return handDecision{}, handFacts{}, fmt.Errorf("no commune has code %q", p.CommuneCode)
	}
	zone := p.Zone
	if zone == "" {
		zone = c.Zone()
	}
	a := handAge(p.BirthDate, date)
	var d handDecision
	fail := func(ok bool, id string) {
		if !ok {
			d.failed = append(d.failed, id)
		}
	}
	fail(p.HouseholdPoor, "poor_household")
	fail(p.HouseholdCategory == "btxh", "social_protection_household")
	fail(p.Resident && c.ProvinceCode == "42", "resident")
	fail(a < h.childBelow || a >= h.elderlyFrom || p.Disability == "severe" || p.Disability == "especially_severe" || p.SeriousIllness, "no_labour_capacity_group")
	fail(!p.InCareFacility, "not_in_care_facility")
	d.eligible = len(d.failed) == 0
	allowance := decimal.Zero
	if p.MonthlyAllowance.Valid {
		allowance = p.MonthlyAllowance.Decimal
	} else if p.AllowanceCoefficient.Valid {
		allowance = p.AllowanceCoefficient.Decimal.Mul(h.base)
	}
	line := h.lineRural
	if zone == "urban" {
		line = h.lineUrban
	}
	gap := line.Sub(allowance.Add(p.OtherIncome))
	if gap.Sign() < 0 {
		gap = decimal.Zero
	}
	q, r := gap.QuoRem(h.step, 0) // round up to the step
	if r.Sign() > 0 {
		q = q.Add(decimal.NewFromInt(1))
	}
	d.topup = q.Mul(h.step)
	if !d.eligible {
		d.topup = decimal.Zero
	}
	return d, handFacts{c, zone, a, line}, nil
}

// explainedDecision is the hand-written answer with what an engine decision
// also carries: each rule's outcome with the values it read, and the
// values the top-up was computed from.
type explainedDecision struct {
	handDecision
	reasons []handReason
	used    []rules.Value
}

type handReason struct {
	id     string
	pass   bool
	values []rules.Value
}

func (h *handRules) decideExplained(p plainPerson, date time.Time) (explainedDecision, error) {
	d, f, err := h.decideWith(p, date)
	if err != nil {
		return explainedDecision{}, err
	}
	c, a, line := f.c, f.age, f.line
	failed := func(id string) bool {
		for _, f := range d.failed {
			if f == id {
				return true
			}
		}
		return false
	}
	x := explainedDecision{handDecision: d, reasons: []handReason{
		{"poor_household", !failed("poor_household"), []rules.Value{val("household_poor", p.HouseholdPoor)}},
		{"social_protection_household", !failed("social_protection_household"), []rules.Value{val("household_category", p.HouseholdCategory)}},
		{"resident", !failed("resident"), []rules.Value{val("resident", p.Resident), val("commune_province", c.ProvinceCode), val("province_code", "42")}},
		{"no_labour_capacity_group", !failed("no_labour_capacity_group"), []rules.Value{val("age", a), val("child_age_below", h.childBelow), val("elderly_age_from", h.elderlyFrom), val("disability", p.Disability), val("serious_illness", p.SeriousIllness)}},
		{"not_in_care_facility", !failed("not_in_care_facility"), []rules.Value{val("in_care_facility", p.InCareFacility)}},
	}}
	x.used = []rules.Value{val("monthly_allowance", p.MonthlyAllowance), val("allowance_coefficient", p.AllowanceCoefficient), val("social_assistance_base", h.base),
		val("other_income", p.OtherIncome), val("poverty_line", line), val("topup_step", h.step)}
	return x, nil
}

func val(name string, v any) rules.Value { return rules.Value{Name: name, Value: v} }

// benchEngine decides records read once, as a batch from a file does.
func benchEngine(b *testing.B, ps []plainPerson) {
	e, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	day, err := e.On(benchDate)
	if err != nil {
		b.Fatal(err)
	}
	recs := make([]Record, len(ps))
	for i, p := range ps {
		recs[i] = p.person().RecordFor(day.Schema(), i+2)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := day.DecideRecord(recs[i%len(recs)]); err != nil {
			b.Fatal(err)
		}
	}
}

func benchHand(b *testing.B, ps []plainPerson) {
	h := newHandRules()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := h.decide(ps[i%len(ps)], benchDate); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecide: one decision with its top-up, from a Person record to
// the answer, through the engine and by hand. The handwritten lines report
// engine-x: the engine's time per decision divided by the hand-written one,
// both measured in this run. "handwritten" answers eligible, failed rules
// and top-up only; "handwritten-explained" also keeps, as a Decision does,
// the values each rule and the top-up read.
func BenchmarkDecide(b *testing.B) {
	ps := benchPersons(1000)
	var engineNs float64
	b.Run("engine", func(b *testing.B) {
		benchEngine(b, ps)
		engineNs = perOp(b)
	})
	b.Run("handwritten", func(b *testing.B) {
		benchHand(b, ps)
		b.ReportMetric(engineNs/perOp(b), "engine-x")
	})
	b.Run("handwritten-explained", func(b *testing.B) {
		h := newHandRules()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := h.decideExplained(ps[i%len(ps)], benchDate); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(engineNs/perOp(b), "engine-x")
	})
}

// perOp is the time per iteration so far.
func perOp(b *testing.B) float64 { return float64(b.Elapsed().Nanoseconds()) / float64(b.N) }

// BenchmarkEval isolates the rules: the engine evaluating a prepared
// environment, against the conditions and top-up by hand on the same values.
func BenchmarkEval(b *testing.B) {
	e, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	ev, err := e.lib.At(benchDate)
	if err != nil {
		b.Fatal(err)
	}
	env := rules.Env{"age": 70, "zone": "rural", "commune_province": "42", "commune_code": "18112", "district_code": "436",
		"resident": true, "household_poor": true, "household_category": "btxh", "disability": "none", "serious_illness": false,
		"in_care_facility": false, "allowance_coefficient": decimal.RequireFromString("1.5"), "other_income": decimal.NewFromInt(100000)}
	var engineNs float64
	b.Run("engine", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := ev.Eval(Model, env); err != nil {
				b.Fatal(err)
			}
		}
		engineNs = perOp(b)
	})
	b.Run("handwritten", func(b *testing.B) {
		h := newHandRules()
		p := benchPersons(1)[0]
		p.AllowanceCoefficient = decimal.NewNullDecimal(decimal.RequireFromString("1.5"))
		a, province := 70, "42"
		coef, other := p.AllowanceCoefficient.Decimal, decimal.NewFromInt(100000)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			ok := p.HouseholdPoor && p.HouseholdCategory == "btxh" && p.Resident && province == "42" &&
				(a < h.childBelow || a >= h.elderlyFrom || p.Disability == "severe" || p.Disability == "especially_severe" || p.SeriousIllness) && !p.InCareFacility
			gap := h.lineRural.Sub(coef.Mul(h.base).Add(other))
			if gap.Sign() < 0 {
				gap = decimal.Zero
			}
			q, r := gap.QuoRem(h.step, 0)
			if r.Sign() > 0 {
				q = q.Add(decimal.NewFromInt(1))
			}
			sink = q.Mul(h.step)
			sinkB = ok
		}
		b.ReportMetric(engineNs/perOp(b), "engine-x")
	})
}

var (
	sink  decimal.Decimal
	sinkB bool
)

// BenchmarkDecideAll decides a province-sized batch (18,300 persons, the
// Hà Tĩnh figure) on all cores.
func BenchmarkDecideAll(b *testing.B) {
	e, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	ps := benchPersons(18300)
	recs := make([]Record, len(ps))
	for i, p := range ps {
		recs[i] = p.person().Record(i + 2)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		outs, err := e.DecideAll(context.Background(), recs, benchDate)
		if err != nil || len(outs) != len(recs) {
			b.Fatal(err)
		}
	}
}

// plainPerson is the person record as hand-written Go holds it: plain
// fields, the defaults already applied.
type plainPerson struct {
	ID, HouseholdID, FullName              string
	BirthDate                              time.Time
	CommuneCode, Zone                      string
	Resident, HouseholdPoor                bool
	HouseholdCategory, Disability          string
	SeriousIllness, InCareFacility         bool
	AllowanceCoefficient, MonthlyAllowance decimal.NullDecimal
	OtherIncome                            decimal.Decimal
}

// person is the same person as the library's typed convenience.
func (p plainPerson) person() Person {
	return Person{ID: p.ID, HouseholdID: p.HouseholdID, FullName: p.FullName, BirthDate: p.BirthDate, CommuneCode: p.CommuneCode,
		Zone: p.Zone, Resident: Bool(p.Resident), HouseholdPoor: Bool(p.HouseholdPoor), HouseholdCategory: p.HouseholdCategory,
		Disability: p.Disability, SeriousIllness: Bool(p.SeriousIllness), InCareFacility: Bool(p.InCareFacility),
		AllowanceCoefficient: p.AllowanceCoefficient, MonthlyAllowance: p.MonthlyAllowance, OtherIncome: decimal.NewNullDecimal(p.OtherIncome)}
}

// handAge is the number of whole years completed on date.
func handAge(birth, date time.Time) int {
	y := date.Year() - birth.Year()
	if date.Month() < birth.Month() || date.Month() == birth.Month() && date.Day() < birth.Day() {
		y--
	}
	return y
}
