package eligibility

import (
	"sync"
	"time"

	"github.com/hotro-vn/hotro/records"
	"github.com/hotro-vn/hotro/rules"
	"github.com/hotro-vn/hotro/rulesets"
	"github.com/shopspring/decimal"
)

// Person is a typed convenience for the person record of the Hà Tĩnh rule
// sets (docs/policy.md), for Go programs that hold persons as structs. A
// rule set declares its record; a Person is turned into one by the names
// of its columns. Nil and empty fields are absent: they take the declared
// default, or are an error when the record requires them — no zero value
// is taken for an answer.
type Person struct {
	ID, HouseholdID, FullName string // person_id, household_id, full_name
	BirthDate                 time.Time
	CommuneCode               string // 5-digit GSO code, old or new
	Zone                      string // "rural", "urban", or "" = from the commune type
	Resident                  *bool  // nil = the declared default (true)
	HouseholdPoor             *bool  // required
	HouseholdCategory         string // "btxh" or "other"; required
	Disability                string // "" = the declared default (none)
	SeriousIllness            *bool  // nil = false
	InCareFacility            *bool  // nil = false
	AllowanceCoefficient      decimal.NullDecimal
	MonthlyAllowance          decimal.NullDecimal // whole đồng; wins over the coefficient
	OtherIncome               decimal.NullDecimal // whole đồng; absent = 0
}

// Bool returns a pointer to b, for the yes/no fields of a Person.
func Bool(b bool) *bool { return &b }

// columns returns the person's given values by column name.
func (p Person) columns() map[string]any {
	m := map[string]any{}
	text := func(col, v string) {
		if v != "" {
			m[col] = v
		}
	}
	flag := func(col string, v *bool) {
		if v != nil {
			m[col] = *v
		}
	}
	num := func(col string, v decimal.NullDecimal) {
		if v.Valid {
			m[col] = v.Decimal
		}
	}
	text("person_id", p.ID)
	text("household_id", p.HouseholdID)
	text("full_name", p.FullName)
	if !p.BirthDate.IsZero() {
		m["birth_date"] = p.BirthDate
	}
	text("commune_code", p.CommuneCode)
	text("zone", p.Zone)
	flag("resident", p.Resident)
	flag("household_poor", p.HouseholdPoor)
	text("household_category", p.HouseholdCategory)
	text("disability", p.Disability)
	flag("serious_illness", p.SeriousIllness)
	flag("in_care_facility", p.InCareFacility)
	num("allowance_coefficient", p.AllowanceCoefficient)
	num("monthly_allowance", p.MonthlyAllowance)
	num("other_income", p.OtherIncome)
	return m
}

// RecordFor builds the record of a schema from the person; line is the
// position reported in its errors (0 for none).
func (p Person) RecordFor(s *records.Schema, line int) Record { return s.Build(line, p.columns()) }

// Record builds the person's record under the embedded 2020–2025 rule set's
// declaration, for a batch of Persons (DecideAll reads it by field name
// under any rule set).
func (p Person) Record(line int) Record { return p.RecordFor(defaultSchema(), line) }

var defaultSchema = sync.OnceValue(func() *records.Schema {
	lib, err := rules.LoadPolicy(rulesets.FS, ".", rulesets.DefaultPolicy)
	if err != nil {
		panic("eligibility: the embedded rules do not load: " + err.Error())
	}
	s, err := records.New(lib.Sets()[0].Model(Model).Record)
	if err != nil {
		panic("eligibility: the embedded person record: " + err.Error())
	}
	return s
})
