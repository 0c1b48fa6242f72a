package eligibility

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hotro-vn/hotro/internal/table"
	"github.com/shopspring/decimal"
)

// Record is one input row: its position, the person read from it, and the error that makes it unusable (nil when fine).
type Record struct {
	Line   int    // 1-based line of the row in a CSV file (header = line 1); for JSON the 1-based index in the array
	Person Person // as much as could be read, ID set whenever the row has one
	Err    error  // *FieldError when the row is invalid
}

// FieldError says which field of which record is wrong and why, in plain words.
//
// Field is empty when the problem is with the whole row (wrong number of
// cells, unparseable row, JSON element that is not an object). A record with
// several problems has Err = errors.Join of one *FieldError per problem, so
// errors.As finds the first one and Err.Error() lists every one, a line each.
type FieldError struct {
	Line  int    // as Record.Line; 0 = unknown (from Person.Validate)
	Field string // column / key name, e.g. "birth_date"
	Value string // the offending value as given (shortened if long), "" if absent
	Msg   string // what is wrong, in plain words
}

// Error formats e.g. `line 7: birth_date "2020-02-30": not a real date (want YYYY-MM-DD)`.
func (e *FieldError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		if e.Value != "" {
			fmt.Fprintf(&b, " %q", e.Value)
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// persons is the schema of a person record, POLICY.md §10.
var persons = table.NewSchema(fieldOrder, requiredFields)

// ReadFile reads a .csv or .json file (extension case-insensitive) with
// ReadCSV or ReadJSON. A file-level error is prefixed with the path.
func ReadFile(path string) ([]Record, []string, error) {
	return readRecords(func(each func(table.Row)) ([]string, error) { return persons.ReadFile(path, each) })
}

// ReadCSV reads every row; a bad row becomes a Record with Err set, never dropped. The error return is only for an unreadable file (I/O error, no header, missing required COLUMN — then name all missing required columns in one error). Warnings: unknown columns (once each), and anything else a user should see.
//
// Column names are matched trimmed and case-insensitively. A UTF-8 BOM,
// CRLF line ends and spaces around cells are tolerated. Rows whose cells are
// all blank are skipped (a warning is given for those before the last data
// row). A column named twice is a file-level error.
func ReadCSV(r io.Reader) (recs []Record, warnings []string, err error) {
	return readRecords(func(each func(table.Row)) ([]string, error) { return persons.ReadCSV(r, each) })
}

// ReadJSON reads a JSON array of record objects with the keys of the CSV
// columns. The top level must be an array; an element that is not an object
// is a per-record error. Numbers are never converted through float64. An
// unknown key gives one warning per key. Invalid JSON is a file-level error.
func ReadJSON(r io.Reader) (recs []Record, warnings []string, err error) {
	return readRecords(func(each func(table.Row)) ([]string, error) { return persons.ReadJSON(r, each) })
}

// readRecords turns the rows read by read into Records, one per row.
func readRecords(read func(each func(table.Row)) ([]string, error)) ([]Record, []string, error) {
	var recs []Record
	seen := map[string]int{} // person_id -> line of first use
	warnings, err := read(func(row table.Row) {
		pre := make([]*FieldError, len(row.Problems))
		for i, p := range row.Problems {
			pre[i] = &FieldError{Line: row.Line, Field: p.Field, Msg: p.Msg}
		}
		if row.Whole() {
			recs = append(recs, Record{Line: row.Line, Err: pre[0]})
			return
		}
		vals := map[string]rawVal{}
		for i, v := range row.Values {
			if v.Present() {
				vals[fieldOrder[i]] = rawVal{s: v.Text, kind: v.Kind}
			}
		}
		recs = append(recs, buildRecord(row.Line, vals, pre, seen))
	})
	if err != nil {
		return nil, warnings, err
	}
	return recs, warnings, nil
}

// isField reports whether name is a column of POLICY.md §10 (the tests
// check the fields that errors name with it).
func isField(name string) bool {
	_, ok := fieldRank[name]
	return ok && name != ""
}

// isBlankRow reports whether ReadCSV skips the row: every cell blank (the
// tests count the rows ReadCSV must keep with it).
func isBlankRow(row []string) bool { return table.IsBlank(row) }

// rawVal is one present, non-empty value of a record: a table.Value, or an
// input of a rule-set case (CaseRunner), which is text.
type rawVal struct {
	s    string // trimmed text, or the JSON number / boolean literal, or the JSON of an object or array
	kind table.Kind
}

var (
	datePattern  = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	wholePattern = regexp.MustCompile(`^[+-]?\d+$`)
	coefPattern  = regexp.MustCompile(`^[+-]?(\d+(\.\d*)?|\.\d+)$`)
)

// buildRecord reads a Person from the present values of one record and
// collects every problem: pre (row-level), parse errors, Validate's checks
// and a duplicate person_id, sorted in column order.
func buildRecord(line int, vals map[string]rawVal, pre []*FieldError, seen map[string]int) Record {
	p := Person{Resident: true, Disability: "none", OtherIncome: decimal.Zero}
	errs := pre
	bad := map[string]bool{}
	fail := func(field, value, msg string) {
		bad[field] = true
		errs = append(errs, &FieldError{Line: line, Field: field, Value: clip(value), Msg: msg})
	}
	// get returns a present scalar value; objects and arrays are reported.
	get := func(field string) (rawVal, bool) {
		v, ok := vals[field]
		if ok && (v.kind == table.Object || v.kind == table.Array) {
			fail(field, "", "want a single value, not an object or array")
			return rawVal{}, false
		}
		return v, ok
	}
	text := func(field string) string {
		v, ok := get(field)
		if ok && v.kind == table.Bool {
			fail(field, v.s, "want text, not true/false")
			return ""
		}
		return v.s
	}
	boolean := func(field string, dst *bool, required bool) {
		v, ok := get(field)
		if !ok {
			if required && !bad[field] {
				fail(field, "", "missing (want true or false)")
			}
			return
		}
		b, good := v.s == "true", v.kind == table.Bool
		if !good {
			b, good = parseBool(v.s)
		}
		if !good {
			fail(field, v.s, "not a yes/no value (want true/false, 1/0 or có/không)")
			return
		}
		*dst = b
	}
	number := func(field string, pattern *regexp.Regexp, patternMsg string) (decimal.Decimal, bool) {
		v, ok := get(field)
		if !ok {
			return decimal.Decimal{}, false
		}
		switch {
		case v.kind == table.Bool:
			fail(field, v.s, "not a number")
			return decimal.Decimal{}, false
		case v.kind == table.Number && strings.ContainsAny(v.s, "eE"):
			fail(field, v.s, "write the number in full, without an exponent")
			return decimal.Decimal{}, false
		case v.kind == table.Text && !pattern.MatchString(v.s):
			msg := "not a number"
			if strings.IndexFunc(v.s, func(r rune) bool { return r < '0' || r > '9' }) >= 0 &&
				strings.Trim(v.s, "+-0123456789.,") == "" {
				msg = patternMsg
			}
			fail(field, v.s, msg)
			return decimal.Decimal{}, false
		}
		d, err := decimal.NewFromString(v.s)
		if err != nil {
			fail(field, v.s, "not a number")
			return decimal.Decimal{}, false
		}
		return d, true
	}
	money := func(field string) (decimal.Decimal, bool) {
		d, ok := number(field, wholePattern, msgNotWhole)
		if ok && d.IsInteger() {
			d = d.Truncate(0) // 650000.0 from JSON -> 650000
		}
		return d, ok
	}

	p.ID = text(fPersonID)
	p.HouseholdID = text(fHouseholdID)
	p.FullName = text(fFullName)
	if s := text(fBirthDate); s != "" {
		switch t, err := time.Parse(time.DateOnly, s); {
		case !datePattern.MatchString(s):
			fail(fBirthDate, s, "not a date (want YYYY-MM-DD)")
		case err != nil:
			fail(fBirthDate, s, "not a real date (want YYYY-MM-DD)")
		default:
			p.BirthDate = t
		}
	}
	p.CommuneCode = text(fCommuneCode)
	p.Zone = strings.ToLower(text(fZone))
	boolean(fResident, &p.Resident, false)
	boolean(fHouseholdPoor, &p.HouseholdPoor, true)
	p.HouseholdCategory = strings.ToLower(text(fHouseholdCategory))
	if s := strings.ToLower(text(fDisability)); s != "" {
		p.Disability = s
	} else if bad[fDisability] {
		p.Disability = ""
	}
	boolean(fSeriousIllness, &p.SeriousIllness, false)
	boolean(fInCareFacility, &p.InCareFacility, false)
	if d, ok := number(fAllowanceCoefficient, coefPattern, "not a number (use a dot for decimals, e.g. 1.5)"); ok {
		p.AllowanceCoefficient = decimal.NewNullDecimal(d)
	}
	if d, ok := money(fMonthlyAllowance); ok {
		p.MonthlyAllowance = decimal.NewNullDecimal(d)
	}
	if d, ok := money(fOtherIncome); ok {
		p.OtherIncome = d
	}

	for _, fe := range p.problems(bad) {
		fe.Line = line
		errs = append(errs, fe)
	}
	if p.ID != "" {
		if first, dup := seen[p.ID]; dup {
			errs = append(errs, &FieldError{Line: line, Field: fPersonID, Value: clip(p.ID),
				Msg: "duplicate: first used on line " + strconv.Itoa(first)})
		} else {
			seen[p.ID] = line
		}
	}
	slices.SortStableFunc(errs, func(a, b *FieldError) int { return fieldRank[a.Field] - fieldRank[b.Field] })
	return Record{Line: line, Person: p, Err: joinErrors(errs)}
}

// joinErrors returns nil, the single *FieldError, or errors.Join of all.
func joinErrors(errs []*FieldError) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	all := make([]error, len(errs))
	for i, e := range errs {
		all[i] = e
	}
	return errors.Join(all...)
}
