package impact

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// The CSV reports of a Report.
const (
	ReportPersons   = "persons"   // one row per input record, in input order
	ReportMonths    = "months"    // one row per month
	ReportYears     = "years"     // one row per calendar year
	ReportCommunes  = "communes"  // one row per commune
	ReportDistricts = "districts" // one row per district
	ReportProvinces = "provinces" // one row per province
	ReportRules     = "rules"     // one row per rule whose outcome changed
)

// Reports lists the CSV reports of a Report.
var Reports = []string{ReportPersons, ReportMonths, ReportYears, ReportCommunes, ReportDistricts, ReportProvinces, ReportRules}

// The CSV reports of a Quotas.
const (
	ReportUnits = "units" // one row per sponsoring unit
	ReportAreas = "areas" // one row per commune, district and province of the plans
)

// QuotaReports lists the CSV reports of a Quotas.
var QuotaReports = []string{ReportUnits, ReportAreas}

func amount(d decimal.Decimal) string { return d.StringFixed(0) }

// grouped writes whole đồng with a comma every three digits, signed when
// signed is true.
func grouped(d decimal.Decimal, signed bool) string {
	s := d.Abs().StringFixed(0)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	switch {
	case d.Sign() < 0:
		return "-" + b.String()
	case signed && d.Sign() > 0:
		return "+" + b.String()
	}
	return b.String()
}

func signedInt(n int) string {
	if n > 0 {
		return "+" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", "; ") }

// eligibilityChange is the persons report's word for a person's change.
func eligibilityChange(p *Person) string {
	var w []string
	if p.Gained > 0 {
		w = append(w, "gained")
	}
	if p.Lost > 0 {
		w = append(w, "lost")
	}
	return strings.Join(w, ";")
}

func (r *Report) oneDate() bool { return !r.Date.IsZero() }

// WriteCSV writes one of Reports.
func (r *Report) WriteCSV(w io.Writer, report string) error {
	cw := csv.NewWriter(w)
	total := func(t Total) []string { return []string{amount(t.Base), amount(t.New), amount(t.Delta)} }
	count := func(c Count) []string { return []string{strconv.Itoa(c.Base), strconv.Itoa(c.New)} }
	switch report {
	case ReportPersons:
		pw := r.PersonsCSV(cw)
		for i := range r.Persons {
			pw.Write(&r.Persons[i])
		}
	case ReportMonths:
		cw.Write([]string{"month", "base", "new", "delta", "base_eligible", "new_eligible", "base_beneficiaries", "new_beneficiaries", "gained", "lost"})
		for _, m := range r.Monthly() {
			row := append([]string{m.Month.String()}, total(m.Total)...)
			row = append(append(row, count(m.Eligible)...), count(m.Beneficiaries)...)
			cw.Write(append(row, strconv.Itoa(m.Gained), strconv.Itoa(m.Lost)))
		}
	case ReportYears:
		cw.Write([]string{"year", "months", "annualised", "base", "new", "delta"})
		for _, y := range r.Yearly() {
			cw.Write(append([]string{strconv.Itoa(y.Year), strconv.Itoa(y.Months), strconv.FormatBool(y.Annualised)}, total(y.Total)...))
		}
	case ReportCommunes, ReportDistricts, ReportProvinces:
		level := map[string]string{ReportCommunes: LevelCommune, ReportDistricts: LevelDistrict, ReportProvinces: LevelProvince}[report]
		head := []string{"level", "code", "name", "base", "new", "delta", "base_eligible", "new_eligible", "base_beneficiaries", "new_beneficiaries", "gained", "lost"}
		years := r.Yearly()
		for _, y := range years {
			head = append(head, fmt.Sprintf("base_%d", y.Year), fmt.Sprintf("new_%d", y.Year), fmt.Sprintf("delta_%d", y.Year))
		}
		cw.Write(head)
		for _, a := range r.Areas(level) {
			row := append([]string{a.Level, a.Code, a.Name}, total(a.Total)...)
			row = append(append(row, count(a.Eligible)...), count(a.Beneficiaries)...)
			row = append(row, strconv.Itoa(a.Gained), strconv.Itoa(a.Lost))
			for _, y := range years {
				t := zero()
				for _, ay := range a.Years {
					if ay.Year == y.Year {
						t = ay.Total
					}
				}
				row = append(row, total(t)...)
			}
			cw.Write(row)
		}
	case ReportRules:
		cw.Write([]string{"rule", "gained", "lost", "changed"})
		for _, rc := range r.byRule {
			cw.Write([]string{rc.Rule, strconv.Itoa(rc.Gained), strconv.Itoa(rc.Lost), strconv.Itoa(rc.Changed)})
		}
	default:
		return fmt.Errorf("no report %q: want one of %s", report, strings.Join(Reports, ", "))
	}
	cw.Flush()
	return cw.Error()
}

// PersonsWriter writes the persons report (ReportPersons) a row at a time,
// as a streamed comparison emits its persons.
type PersonsWriter struct {
	cw      *csv.Writer
	oneDate bool
	months  int
}

// PersonsCSV starts the persons report on cw: it writes the header, which
// depends on whether r compares a date or months. Call it with the report
// a streamed comparison passes to its emit (its dates are set), then Write
// each person it emits; flush cw at the end.
func (r *Report) PersonsCSV(cw *csv.Writer) *PersonsWriter {
	pw := &PersonsWriter{cw: cw, oneDate: r.oneDate(), months: len(r.months)}
	head := []string{"person_id", "commune_code", "district_code", "zone", "eligibility_change", "rules_changed"}
	if pw.oneDate {
		head = append(head, "base_eligible", "new_eligible", "base_topup", "new_topup", "delta", "base_failed_rules", "new_failed_rules", "error")
	} else {
		head = append(head, "base_eligible_months", "new_eligible_months", "base_total", "new_total", "delta", "base_failed_rules", "new_failed_rules", "months_in_error", "error")
	}
	cw.Write(head)
	return pw
}

// Write writes p's row; a write error is kept by the csv.Writer.
func (pw *PersonsWriter) Write(p *Person) {
	row := []string{p.ID, p.CommuneCode, p.Commune.DistrictCode, p.Zone, eligibilityChange(p), strings.Join(p.Rules, ";")}
	decided := p.Undecided < pw.months
	switch {
	case pw.oneDate && decided:
		row = append(row, strconv.FormatBool(p.Base.Eligible), strconv.FormatBool(p.New.Eligible))
	case pw.oneDate:
		row = append(row, "", "")
	default:
		row = append(row, strconv.Itoa(p.Base.EligibleMonths), strconv.Itoa(p.New.EligibleMonths))
	}
	if decided {
		row = append(row, amount(p.Base.Topup), amount(p.New.Topup), amount(p.Delta))
	} else {
		row = append(row, "", "", "")
	}
	row = append(row, strings.Join(p.Base.Failed, ";"), strings.Join(p.New.Failed, ";"))
	if !pw.oneDate {
		row = append(row, strconv.Itoa(p.Undecided))
	}
	errText := ""
	if p.Err != nil {
		errText = oneLine(p.Err.Error())
	}
	pw.cw.Write(append(row, errText))
}

// personJSON is a Person with its error as text.
type personJSON struct {
	Person
	DistrictCode string `json:"district_code,omitempty"`
	Error        string `json:"error,omitempty"`
}

// MarshalJSON writes the whole comparison: rule sets, summary, totals per
// month, year, area and rule, and every person.
func (r *Report) MarshalJSON() ([]byte, error) {
	persons := make([]personJSON, len(r.Persons))
	for i, p := range r.Persons {
		persons[i] = personJSON{Person: p, DistrictCode: p.Commune.DistrictCode}
		if p.Err != nil {
			persons[i].Error = p.Err.Error()
		}
	}
	var date string
	if r.oneDate() {
		date = r.Date.Format(time.DateOnly)
	}
	return json.Marshal(struct {
		Date      string       `json:"date,omitempty"`
		From      string       `json:"from"`
		To        string       `json:"to"`
		Base      []RuleSet    `json:"base"`
		New       []RuleSet    `json:"new"`
		Summary   Summary      `json:"summary"`
		Months    []MonthTotal `json:"months"`
		Years     []YearTotal  `json:"years"`
		Communes  []AreaTotal  `json:"communes"`
		Districts []AreaTotal  `json:"districts"`
		Provinces []AreaTotal  `json:"provinces"`
		Rules     []RuleChange `json:"rules"`
		Persons   []personJSON `json:"persons"`
	}{date, r.From.String(), r.To.String(), r.Base, r.New, r.Summary(), r.Monthly(), r.Yearly(),
		r.Areas(LevelCommune), r.Areas(LevelDistrict), r.Areas(LevelProvince), r.ByRule(), persons})
}

// MarshalJSON writes the plan comparison: summary, units and areas (not the
// two plans whole).
func (q *Quotas) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Date    string       `json:"date"`
		Base    RuleSet      `json:"base"`
		New     RuleSet      `json:"new"`
		Summary QuotaSummary `json:"summary"`
		Units   []UnitChange `json:"units"`
		Areas   []AreaChange `json:"areas"`
	}{q.Date.Format(time.DateOnly), RuleSet{q.Base.RuleSet, q.Base.RuleSetHash, q.Base.Draft},
		RuleSet{q.New.RuleSet, q.New.RuleSetHash, q.New.Draft}, q.Summary(), q.Units, q.Areas})
}

// WriteCSV writes one of QuotaReports.
func (q *Quotas) WriteCSV(w io.Writer, report string) error {
	cw := csv.NewWriter(w)
	count := func(c Count) []string {
		return []string{strconv.Itoa(c.Base), strconv.Itoa(c.New), strconv.Itoa(c.Delta)}
	}
	switch report {
	case ReportUnits:
		cw.Write([]string{"unit_id", "name", "level", "kind", "base_rule", "new_rule", "base_obligation", "new_obligation", "obligation_delta",
			"base_counted", "new_counted", "counted_delta", "base_met", "new_met", "changed", "error"})
		for _, u := range q.Units {
			row := append([]string{u.ID, u.Name, u.Level, u.Kind, u.BaseRule, u.NewRule}, count(u.Obligation)...)
			row = append(row, count(u.Counted)...)
			cw.Write(append(row, strconv.FormatBool(u.BaseMet), strconv.FormatBool(u.NewMet), strconv.FormatBool(u.Changed()), oneLine(u.Error)))
		}
	case ReportAreas:
		cw.Write([]string{"level", "code", "name", "base_beneficiaries", "new_beneficiaries", "beneficiaries_delta",
			"base_required", "new_required", "required_delta", "base_sponsored_local", "new_sponsored_local", "sponsored_local_delta",
			"base_province_list", "new_province_list", "province_list_delta", "base_uncovered", "new_uncovered", "uncovered_delta",
			"base_failed_rules", "new_failed_rules"})
		for _, a := range q.Areas {
			row := []string{a.Level, a.Code, a.Name}
			for _, c := range []Count{a.Beneficiaries, a.Required, a.SponsoredLocal, a.ProvinceList, a.Uncovered} {
				row = append(row, count(c)...)
			}
			cw.Write(append(row, strings.Join(a.BaseFailed, ";"), strings.Join(a.NewFailed, ";")))
		}
	default:
		return fmt.Errorf("no report %q: want one of %s", report, strings.Join(QuotaReports, ", "))
	}
	cw.Flush()
	return cw.Error()
}

// maxErrorsShown bounds the records in error a summary lists; the persons
// report has them all.
const maxErrorsShown = 20

// WriteText writes a summary for people: the rule sets, the persons who
// gain or lose eligibility and through which rules, and the totals per
// month, year, district and province, and the first records in error.
func (r *Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	if r.oneDate() {
		ew.printf("Impact of a rule change on %s\n", r.Date.Format(time.DateOnly))
	} else {
		ew.printf("Impact of a rule change, %s to %s\n", r.From, r.To)
	}
	for _, side := range []struct {
		name string
		sets []RuleSet
	}{{"base", r.Base}, {"new ", r.New}} {
		for _, s := range side.sets {
			draft := ""
			if s.Draft {
				draft = " (draft, not enacted)"
			}
			ew.printf("  %s  %s @ %s%s\n", side.name, s.ID, s.Hash[:min(12, len(s.Hash))], draft)
		}
	}
	s := r.Summary()
	ew.printf("\n%d records: %d decided under both rule sets, %d in error\n", s.Records, s.Records-s.Errors, s.Errors)
	ew.printf("eligible:       %d → %d (%s); %d gain eligibility, %d lose it\n", s.Eligible.Base, s.Eligible.New, signedInt(s.Eligible.Delta), s.Gained, s.Lost)
	ew.printf("beneficiaries:  %d → %d (%s) with a top-up above 0\n", s.Beneficiaries.Base, s.Beneficiaries.New, signedInt(s.Beneficiaries.Delta))
	ew.printf("top-up:         up for %d, down for %d, unchanged for %d\n", s.More, s.Less, s.Same)
	if rc := r.ByRule(); len(rc) > 0 {
		ew.printf("\nRules that changed outcome (persons):\n")
		rows := [][]string{{"rule", "gained", "lost", "changed"}}
		for _, c := range rc {
			rows = append(rows, []string{c.Rule, strconv.Itoa(c.Gained), strconv.Itoa(c.Lost), strconv.Itoa(c.Changed)})
		}
		table(ew, "l", rows)
	}
	money := func(title string, align string, rows [][]string) {
		ew.printf("\n%s, đ:\n", title)
		table(ew, align, rows)
	}
	head := []string{"", "base", "new", "delta"}
	row := func(label string, t Total) []string {
		return []string{label, grouped(t.Base, false), grouped(t.New, false), grouped(t.Delta, true)}
	}
	if r.oneDate() {
		m := r.Monthly()[0]
		money("Per month", "l", [][]string{head, row(m.Month.String(), m.Total)})
		y := r.Yearly()[0]
		money("Per year (12 × the month)", "l", [][]string{head, row(strconv.Itoa(y.Year), y.Total)})
	} else {
		rows := [][]string{head}
		for _, m := range r.Monthly() {
			rows = append(rows, row(m.Month.String(), m.Total))
		}
		money("Per month", "l", rows)
		rows = [][]string{head}
		for _, y := range r.Yearly() {
			label := strconv.Itoa(y.Year)
			if y.Months < 12 {
				label += fmt.Sprintf(" (%d months)", y.Months)
			}
			rows = append(rows, row(label, y.Total))
		}
		rows = append(rows, row("all", r.Totals()))
		money("Per year", "l", rows)
	}
	for _, level := range []string{LevelDistrict, LevelProvince} {
		areas := r.Areas(level)
		if len(areas) == 0 {
			continue
		}
		counted := "beneficiaries"
		if !r.oneDate() {
			counted = "beneficiary-months"
		}
		rows := [][]string{{"", "", "base", "new", "delta", counted}}
		for _, a := range areas {
			rows = append(rows, []string{a.Code, a.Name, grouped(a.Base, false), grouped(a.New, false), grouped(a.Delta, true),
				fmt.Sprintf("%d → %d", a.Beneficiaries.Base, a.Beneficiaries.New)})
		}
		title := "Per district"
		if level == LevelProvince {
			title = "Per province"
		}
		if !r.oneDate() {
			title += ", whole range"
		}
		money(title, "ll", rows)
	}
	if errs := r.firstErrs; len(errs) > 0 {
		ew.printf("\nRecords in error (left out of the totals for the months in error):\n")
		for _, p := range errs {
			id := p.ID
			if id == "" {
				id = "(no person_id)"
			}
			ew.printf("  %s: %s\n", id, oneLine(p.Err.Error()))
		}
		if n := s.Errors - len(errs); n > 0 {
			ew.printf("  and %d more: the persons report lists every one\n", n)
		}
	}
	return ew.err
}

// WriteText writes a summary of the plan comparison for people.
func (q *Quotas) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	s := q.Summary()
	ew.printf("\nSponsorship plan on %s (%d units, %d in error):\n", q.Date.Format(time.DateOnly), len(q.Units), s.UnitErrors)
	rows := [][]string{{"", "base", "new", "delta"}}
	for _, c := range []struct {
		name string
		c    Count
	}{{"beneficiaries", s.Beneficiaries}, {"obligations (subjects owed)", s.Obligations}, {"quotas unmet", s.Unmet},
		{"province remainder", s.Remainder}, {"uncovered", s.Uncovered}} {
		rows = append(rows, []string{c.name, strconv.Itoa(c.c.Base), strconv.Itoa(c.c.New), signedInt(c.c.Delta)})
	}
	rows = append(rows, []string{"sponsors pay each month, đ", grouped(s.Monthly.Base, false), grouped(s.Monthly.New, false), grouped(s.Monthly.Delta, true)})
	table(ew, "l", rows)
	changed := q.Changed()
	ew.printf("units whose obligation, count or outcome moves: %d\n", len(changed))
	var areas []AreaChange
	for _, a := range q.Areas {
		if a.Level != LevelCommune && a.Changed() {
			areas = append(areas, a)
		}
	}
	if len(areas) > 0 {
		ew.printf("\nAreas above the commune that move:\n")
		rows := [][]string{{"level", "code", "name", "beneficiaries", "required", "local", "province list", "uncovered", "failed (base → new)"}}
		arrow := func(c Count) string { return fmt.Sprintf("%d → %d", c.Base, c.New) }
		for _, a := range areas {
			failed := ""
			if len(a.BaseFailed)+len(a.NewFailed) > 0 {
				failed = strings.Join(a.BaseFailed, ";") + " → " + strings.Join(a.NewFailed, ";")
			}
			rows = append(rows, []string{a.Level, a.Code, a.Name, arrow(a.Beneficiaries), arrow(a.Required),
				arrow(a.SponsoredLocal), arrow(a.ProvinceList), arrow(a.Uncovered), failed})
		}
		table(ew, "lllrrrrrl", rows)
	}
	return ew.err
}

// table writes rows indented by two spaces, columns two spaces apart, the
// columns marked 'l' in align aligned left (labels), the others right.
func table(w io.Writer, align string, rows [][]string) {
	var width []int
	for _, row := range rows {
		for i, c := range row {
			if i == len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, c := range row {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			b.WriteString(" ")
			if i < len(align) && align[i] == 'l' {
				b.WriteString(" " + c + pad)
			} else {
				b.WriteString(" " + pad + c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// errWriter keeps the first write error, so a report is written without
// checking every line.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }
