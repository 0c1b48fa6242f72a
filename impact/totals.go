package impact

import (
	"slices"
	"strings"

	"github.com/hotro-vn/hotro/admin"
	"github.com/hotro-vn/hotro/eligibility"
)

// The levels of area a report totals by.
const (
	LevelCommune  = "commune"
	LevelDistrict = "district" // communes before the 2025 reform only: districts were abolished
	LevelProvince = "province"
)

// Levels lists the levels of Report.Areas, narrowest first.
var Levels = []string{LevelCommune, LevelDistrict, LevelProvince}

// MonthTotal is one month of a comparison. Its counts are persons decided
// under both rule sets that month.
type MonthTotal struct {
	Month eligibility.Month `json:"month"`
	Total
	Eligible      Count `json:"eligible"`
	Beneficiaries Count `json:"beneficiaries"` // eligible with a top-up above 0
	Gained        int   `json:"gained"`
	Lost          int   `json:"lost"`
}

// YearTotal is one calendar year of a comparison: the sum of its months
// that the comparison covers. For a comparison on one date (Report.On),
// Annualised is true and the year is that month's amounts twelve times,
// the cost of a year if nothing else changed.
type YearTotal struct {
	Year int `json:"year"`
	// Months is how many months the total covers.
	Months     int  `json:"months"`
	Annualised bool `json:"annualised,omitempty"`
	Total
}

// AreaTotal is one commune, district or province over the whole
// comparison. Its counts are person-months: on one date, persons.
type AreaTotal struct {
	Level string `json:"level"`
	Code  string `json:"code"`
	Name  string `json:"name"`
	Total
	Eligible      Count       `json:"eligible"`
	Beneficiaries Count       `json:"beneficiaries"`
	Gained        int         `json:"gained"`
	Lost          int         `json:"lost"`
	Years         []YearTotal `json:"years"`
}

// RuleChange counts, for one rule, the persons whose eligibility changed
// with it: Gained counts those who became eligible in a month the rule
// went from failing to passing, Lost the reverse, and Changed every person
// for whom the rule's outcome differs in some month, eligible or not.
type RuleChange struct {
	Rule    string `json:"rule"`
	Gained  int    `json:"gained"`
	Lost    int    `json:"lost"`
	Changed int    `json:"changed"`
}

// Summary counts a comparison's persons.
type Summary struct {
	Records int `json:"records"`
	// Errors counts records that either rule set could not decide in some
	// month; they are in Report.Errors.
	Errors int `json:"errors"`
	// Gained and Lost count persons who gain or lose eligibility in some
	// month (a person may do both over a range).
	Gained int `json:"gained"`
	Lost   int `json:"lost"`
	// More, Less and Same count persons whose top-up rises, falls or stays,
	// among those decided under both rule sets in some month.
	More int `json:"more"`
	Less int `json:"less"`
	Same int `json:"same"`
	// Eligible and Beneficiaries count persons eligible, and eligible with
	// a top-up above 0, in some month.
	Eligible      Count `json:"eligible"`
	Beneficiaries Count `json:"beneficiaries"`
	Total
}

// Totals returns the top-ups of every person-month decided under both rule
// sets: on a date, one month's cost; over months, their sum.
func (r *Report) Totals() Total {
	t := zero()
	for _, c := range r.cells {
		t = t.plus(c.total)
	}
	return t
}

// Monthly returns the totals of each month, in order; a month in which no
// record could be decided has zero totals.
func (r *Report) Monthly() []MonthTotal {
	out := make([]MonthTotal, len(r.months))
	for i, m := range r.months {
		out[i] = MonthTotal{Month: m, Total: zero()}
	}
	for _, c := range r.cells {
		m := &out[c.month]
		m.Total = m.Total.plus(c.total)
		m.Eligible = m.Eligible.plus(c.eligible)
		m.Beneficiaries = m.Beneficiaries.plus(c.beneficiaries)
		m.Gained += c.gained
		m.Lost += c.lost
	}
	return out
}

// Yearly returns the totals of each calendar year, in order.
func (r *Report) Yearly() []YearTotal {
	return r.years(r.cells)
}

func (r *Report) years(cells []cell) []YearTotal {
	var out []YearTotal
	for _, m := range r.months {
		if n := len(out); n == 0 || out[n-1].Year != m.Year {
			out = append(out, YearTotal{Year: m.Year, Total: zero()})
		}
		out[len(out)-1].Months++
	}
	for _, c := range cells {
		y := &out[slices.IndexFunc(out, func(y YearTotal) bool { return y.Year == r.months[c.month].Year })]
		y.Total = y.Total.plus(c.total)
	}
	if !r.Date.IsZero() {
		for i := range out {
			out[i].Total, out[i].Months, out[i].Annualised = out[i].Total.times(12), 12, true
		}
	}
	return out
}

// Areas returns the totals of every area of level (LevelCommune,
// LevelDistrict or LevelProvince) where some person-month was decided,
// ordered by code. Communes and provinces are as the rules resolved each
// month's commune; after the 2025 reform communes belong to no district,
// so their months count in no district.
func (r *Report) Areas(level string) []AreaTotal {
	type key struct {
		code     string
		reformed bool
	}
	byArea := map[key][]cell{}
	var keys []key
	for _, c := range r.cells {
		code, _, ok := areaOf(c.commune, level)
		if !ok {
			continue
		}
		k := key{code, level == LevelCommune && c.commune.Reformed}
		if _, seen := byArea[k]; !seen {
			keys = append(keys, k)
		}
		byArea[k] = append(byArea[k], c)
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := strings.Compare(a.code, b.code); c != 0 {
			return c
		}
		return b2i(a.reformed) - b2i(b.reformed)
	})
	out := make([]AreaTotal, len(keys))
	for i, k := range keys {
		cs := byArea[k]
		_, name, _ := areaOf(cs[0].commune, level)
		a := AreaTotal{Level: level, Code: k.code, Name: name, Total: zero(), Years: r.years(cs)}
		for _, c := range cs {
			a.Total = a.Total.plus(c.total)
			a.Eligible = a.Eligible.plus(c.eligible)
			a.Beneficiaries = a.Beneficiaries.plus(c.beneficiaries)
			a.Gained += c.gained
			a.Lost += c.lost
		}
		out[i] = a
	}
	return out
}

func areaOf(c admin.Commune, level string) (code, name string, ok bool) {
	switch level {
	case LevelCommune:
		return c.Code, c.Name, c.Code != ""
	case LevelDistrict:
		return c.DistrictCode, c.DistrictName, c.DistrictCode != ""
	case LevelProvince:
		return c.ProvinceCode, c.ProvinceName, c.ProvinceCode != ""
	}
	return "", "", false
}

// ByRule returns, for each rule whose outcome changed for someone, the
// persons who gained or lost eligibility with it, in rule-set order.
func (r *Report) ByRule() []RuleChange { return slices.Clone(r.byRule) }

// Gained returns the persons who gain eligibility in some month, in input
// order.
func (r *Report) Gained() []Person { return r.filter(func(p *Person) bool { return p.Gained > 0 }) }

// Lost returns the persons who lose eligibility in some month, in input
// order.
func (r *Report) Lost() []Person { return r.filter(func(p *Person) bool { return p.Lost > 0 }) }

// Errors returns the persons that either rule set could not decide in some
// month, in input order, each with its first error.
func (r *Report) Errors() []Person { return r.filter(func(p *Person) bool { return p.Err != nil }) }

// Changed returns the persons whose eligibility, top-up or rule outcomes
// differ, or who are in error, in input order.
func (r *Report) Changed() []Person {
	return r.filter(func(p *Person) bool {
		return p.Gained > 0 || p.Lost > 0 || !p.Delta.IsZero() || len(p.Rules) > 0 || p.Err != nil
	})
}

func (r *Report) filter(keep func(*Person) bool) []Person {
	var out []Person
	for i := range r.Persons {
		if keep(&r.Persons[i]) {
			out = append(out, r.Persons[i])
		}
	}
	return out
}

// Person returns the first person with id.
func (r *Report) Person(id string) (Person, bool) {
	for _, p := range r.Persons {
		if p.ID == id {
			return p, true
		}
	}
	return Person{}, false
}

// Summary counts the persons and totals the top-ups.
func (r *Report) Summary() Summary {
	s := r.sum
	s.Total = r.Totals()
	return s
}
