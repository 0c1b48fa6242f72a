package eligibility

import (
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Person is one household member as POLICY.md §10 describes the record.
type Person struct {
	// ID is person_id, unique within the input file; HouseholdID is
	// household_id; FullName is full_name (optional, informational).
	ID, HouseholdID, FullName string
	// BirthDate is birth_date.
	BirthDate time.Time // a date (UTC midnight)
	// CommuneCode is commune_code: the commune of permanent residence.
	CommuneCode string // 5-digit GSO code, old or new
	// Zone is zone; empty means "take it from the commune type".
	Zone string // "rural", "urban", or "" = from the commune type
	// Resident is resident: a permanent resident (thường trú). Default true.
	Resident bool
	// HouseholdPoor is household_poor: on the poor-household list for the year.
	HouseholdPoor bool
	// HouseholdCategory is household_category: "btxh" = hộ nghèo thuộc
	// chính sách bảo trợ xã hội.
	HouseholdCategory string // "btxh" or "other"
	// Disability is disability; the readers default it to "none".
	Disability string // "none", "mild", "severe", "especially_severe"
	// SeriousIllness is serious_illness. Default false.
	SeriousIllness bool
	// InCareFacility is in_care_facility (nuôi dưỡng tập trung). Default false.
	InCareFacility bool
	// AllowanceCoefficient is allowance_coefficient (hệ số); the allowance is
	// coefficient × base level.
	AllowanceCoefficient decimal.NullDecimal // Valid=false when absent
	// MonthlyAllowance is monthly_allowance.
	MonthlyAllowance decimal.NullDecimal // whole đồng; wins over the coefficient
	// OtherIncome is other_income: the person's other monthly income. Default 0.
	OtherIncome decimal.Decimal // whole đồng, >= 0
}

// Column / key names of the record (POLICY.md §10).
const (
	fPersonID             = "person_id"
	fHouseholdID          = "household_id"
	fFullName             = "full_name"
	fBirthDate            = "birth_date"
	fCommuneCode          = "commune_code"
	fZone                 = "zone"
	fResident             = "resident"
	fHouseholdPoor        = "household_poor"
	fHouseholdCategory    = "household_category"
	fDisability           = "disability"
	fSeriousIllness       = "serious_illness"
	fInCareFacility       = "in_care_facility"
	fAllowanceCoefficient = "allowance_coefficient"
	fMonthlyAllowance     = "monthly_allowance"
	fOtherIncome          = "other_income"
)

// fieldOrder is the column order of POLICY.md §10; errors are reported in it.
var fieldOrder = []string{
	fPersonID, fHouseholdID, fFullName, fBirthDate, fCommuneCode, fZone,
	fResident, fHouseholdPoor, fHouseholdCategory, fDisability,
	fSeriousIllness, fInCareFacility, fAllowanceCoefficient,
	fMonthlyAllowance, fOtherIncome,
}

// requiredFields must be present in every record (and as CSV columns).
var requiredFields = []string{
	fPersonID, fHouseholdID, fBirthDate, fCommuneCode, fHouseholdPoor, fHouseholdCategory,
}

// fieldRank gives a field's position in fieldOrder; a row-level error ("") ranks first.
var fieldRank = func() map[string]int {
	m := map[string]int{"": -1}
	for i, f := range fieldOrder {
		m[f] = i
	}
	return m
}()

const (
	msgWantZone       = "want rural or urban (or leave it empty to use the commune type)"
	msgWantCategory   = "want btxh or other"
	msgWantDisability = "want none, mild, severe or especially_severe"
	msgNotWhole       = "not whole đồng (write digits only, e.g. 650000, without decimals or thousands separators)"
	msgNegative       = "negative (must be 0 or more)"
)

// Validate checks the field values that do not need the commune list or the rules (required ids, enum values, non-negative whole-đồng money, coefficient >= 0). It returns a *FieldError or nil.
//
// Validate reports the first problem in column order; the readers report
// all of them. An empty Disability is a problem (the readers fill "none").
func (p Person) Validate() error {
	if probs := p.problems(nil); len(probs) > 0 {
		return probs[0]
	}
	return nil
}

// problems lists, in column order, every problem Validate knows about,
// leaving out the fields in skip (those already reported by a reader).
// The returned errors have Line 0.
func (p Person) problems(skip map[string]bool) []*FieldError {
	var out []*FieldError
	add := func(field, value, msg string) {
		if !skip[field] {
			out = append(out, &FieldError{Field: field, Value: clip(value), Msg: msg})
		}
	}
	if p.ID == "" {
		add(fPersonID, "", "missing")
	}
	if p.HouseholdID == "" {
		add(fHouseholdID, "", "missing")
	}
	if p.BirthDate.IsZero() {
		add(fBirthDate, "", "missing (want YYYY-MM-DD)")
	}
	if msg := communeCodeProblem(p.CommuneCode); msg != "" {
		add(fCommuneCode, p.CommuneCode, msg)
	}
	if p.Zone != "" && p.Zone != "rural" && p.Zone != "urban" {
		add(fZone, p.Zone, msgWantZone)
	}
	switch p.HouseholdCategory {
	case "btxh", "other":
	case "":
		add(fHouseholdCategory, "", "missing ("+msgWantCategory+")")
	default:
		add(fHouseholdCategory, p.HouseholdCategory, msgWantCategory)
	}
	switch p.Disability {
	case "none", "mild", "severe", "especially_severe":
	case "":
		add(fDisability, "", "missing ("+msgWantDisability+")")
	default:
		add(fDisability, p.Disability, msgWantDisability)
	}
	if c := p.AllowanceCoefficient; c.Valid && c.Decimal.IsNegative() {
		add(fAllowanceCoefficient, c.Decimal.String(), msgNegative)
	}
	if m := p.MonthlyAllowance; m.Valid {
		if msg := moneyProblem(m.Decimal); msg != "" {
			add(fMonthlyAllowance, m.Decimal.String(), msg)
		}
	}
	if msg := moneyProblem(p.OtherIncome); msg != "" {
		add(fOtherIncome, p.OtherIncome.String(), msg)
	}
	return out
}

// moneyProblem says what is wrong with an amount of money, or "".
func moneyProblem(d decimal.Decimal) string {
	switch {
	case d.IsNegative():
		return msgNegative
	case !d.IsInteger():
		return msgNotWhole
	}
	return ""
}

// communeCodeProblem says what is wrong with a commune code, or "".
func communeCodeProblem(s string) string {
	if s == "" {
		return "missing (want the 5-digit GSO commune code)"
	}
	if allDigits(s) {
		if len(s) == 5 {
			return ""
		}
		if len(s) < 5 {
			return "not a 5-digit GSO commune code (a leading zero lost in a spreadsheet?)"
		}
	}
	return "not a 5-digit GSO commune code"
}

// allDigits reports whether s is non-empty and only ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// clip shortens a value quoted in an error message.
func clip(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// parseBool reads a boolean cell: true/false, 1/0, có/không
// (case-insensitive, also in decomposed Unicode form).
func parseBool(s string) (v, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "có", "co\u0301":
		return true, true
	case "false", "0", "không", "kho\u0302ng":
		return false, true
	}
	return false, false
}
