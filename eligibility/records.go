package eligibility

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

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

// ReadFile reads a .csv or .json file (extension case-insensitive) with
// ReadCSV or ReadJSON. A file-level error is prefixed with the path.
func ReadFile(path string) ([]Record, []string, error) {
	var read func(io.Reader) ([]Record, []string, error)
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv":
		read = ReadCSV
	case ".json":
		read = ReadJSON
	default:
		return nil, nil, fmt.Errorf("%s: unsupported file type %q (want .csv or .json)", path, ext)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	recs, warnings, err := read(f)
	if err != nil {
		return nil, warnings, fmt.Errorf("%s: %w", path, err)
	}
	return recs, warnings, nil
}

// ReadCSV reads every row; a bad row becomes a Record with Err set, never dropped. The error return is only for an unreadable file (I/O error, no header, missing required COLUMN — then name all missing required columns in one error). Warnings: unknown columns (once each), and anything else a user should see.
//
// Column names are matched trimmed and case-insensitively. A UTF-8 BOM,
// CRLF line ends and spaces around cells are tolerated. Rows whose cells are
// all blank are skipped (a warning is given for those before the last data
// row). A column named twice is a file-level error.
func ReadCSV(r io.Reader) (recs []Record, warnings []string, err error) {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\uFEFF")) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, nil, errors.New("empty file: no header row")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read the header row: %w", err)
	}
	cols := make([]string, len(header)) // field name per column, "" = ignored
	where := map[string]int{}           // field -> 1-based column
	unknown := map[string]bool{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		switch {
		case name == "":
			warnings = append(warnings, fmt.Sprintf("column %d has no name; ignored", i+1))
		case !isField(name):
			if !unknown[name] {
				unknown[name] = true
				warnings = append(warnings, fmt.Sprintf("unknown column %q ignored", strings.TrimSpace(h)))
			}
		case where[name] != 0:
			return nil, warnings, fmt.Errorf("column %q appears twice (columns %d and %d)", name, where[name], i+1)
		default:
			where[name] = i + 1
			cols[i] = name
		}
	}
	var missing []string
	for _, f := range requiredFields {
		if where[f] == 0 {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return nil, warnings, fmt.Errorf("missing required column(s): %s", strings.Join(missing, ", "))
	}

	seen := map[string]int{} // person_id -> line of first use
	var blank []int          // blank rows not yet followed by a data row
	flushBlank := func() {
		for _, l := range blank {
			warnings = append(warnings, fmt.Sprintf("line %d: blank row ignored", l))
		}
		blank = blank[:0]
	}
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			flushBlank()
			fe := &FieldError{Line: pe.StartLine, Msg: "cannot read this row: " + pe.Err.Error()}
			recs = append(recs, Record{Line: pe.StartLine, Err: fe})
			continue
		}
		if err != nil {
			return nil, warnings, err
		}
		line, _ := cr.FieldPos(0)
		if isBlankRow(row) {
			blank = append(blank, line)
			continue
		}
		flushBlank()
		var pre []*FieldError
		if len(row) != len(header) {
			pre = append(pre, &FieldError{Line: line,
				Msg: fmt.Sprintf("row has %d cells but the header has %d", len(row), len(header))})
		}
		vals := map[string]rawVal{}
		for i, cell := range row {
			if i < len(cols) && cols[i] != "" {
				if s := strings.TrimSpace(cell); s != "" {
					vals[cols[i]] = rawVal{s: s}
				}
			}
		}
		recs = append(recs, buildRecord(line, vals, pre, seen))
	}
	if len(recs) == 0 {
		warnings = append(warnings, "no records in the file")
	}
	return recs, warnings, nil
}

// ReadJSON reads a JSON array of record objects with the keys of the CSV
// columns. The top level must be an array; an element that is not an object
// is a per-record error. Numbers are never converted through float64. An
// unknown key gives one warning per key. Invalid JSON is a file-level error.
func ReadJSON(r io.Reader) (recs []Record, warnings []string, err error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	tok, err := dec.Token()
	if err == io.EOF {
		return nil, nil, errors.New("empty file: want a JSON array of records")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, nil, errors.New("the top level must be a JSON array of records")
	}
	seen := map[string]int{}
	unknown := map[string]bool{}
	for i := 1; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, warnings, fmt.Errorf("record %d: not valid JSON: %w", i, err)
		}
		recs = append(recs, jsonRecord(i, raw, seen, unknown, &warnings))
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim(']') {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, warnings, fmt.Errorf("not valid JSON: array not closed: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, warnings, errors.New("not valid JSON: unexpected data after the array")
	}
	if len(recs) == 0 {
		warnings = append(warnings, "no records in the file")
	}
	return recs, warnings, nil
}

// jsonRecord turns one array element into a Record.
func jsonRecord(i int, raw json.RawMessage, seen map[string]int, unknown map[string]bool, warnings *[]string) Record {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return Record{Line: i, Err: &FieldError{Line: i,
			Msg: "element is " + jsonKind(raw) + ", want an object with the record's fields"}}
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil { // cannot happen: Decode validated it
		return Record{Line: i, Err: &FieldError{Line: i, Msg: "cannot read this element: " + err.Error()}}
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	vals := map[string]rawVal{}
	given := map[string]string{} // field -> key as written
	var pre []*FieldError
	for _, k := range keys {
		name := strings.ToLower(strings.TrimSpace(k))
		if !isField(name) {
			if !unknown[k] {
				unknown[k] = true
				*warnings = append(*warnings, fmt.Sprintf("unknown key %q ignored (first in record %d)", k, i))
			}
			continue
		}
		if prev, dup := given[name]; dup {
			pre = append(pre, &FieldError{Line: i, Field: name,
				Msg: fmt.Sprintf("given twice (as %q and %q)", prev, k)})
			continue
		}
		given[name] = k
		if v, present := jsonValue(obj[k]); present {
			vals[name] = v
		}
	}
	return buildRecord(i, vals, pre, seen)
}

// jsonValue converts one JSON value to a rawVal; null and "" are absent.
func jsonValue(raw json.RawMessage) (rawVal, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return rawVal{}, false
	}
	switch raw[0] {
	case 'n':
		return rawVal{}, false
	case 't', 'f':
		return rawVal{kind: kindBool, b: raw[0] == 't', s: string(raw)}, true
	case '{', '[':
		return rawVal{kind: kindComposite}, true
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return rawVal{kind: kindComposite}, true
		}
		s = strings.TrimSpace(s)
		return rawVal{s: s}, s != ""
	}
	return rawVal{kind: kindNumber, s: string(raw)}, true // the literal, never float64
}

func jsonKind(raw []byte) string {
	if len(raw) == 0 {
		return "empty"
	}
	switch raw[0] {
	case '"':
		return "a string"
	case '[':
		return "an array"
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}

// isField reports whether name is a column of POLICY.md §10.
func isField(name string) bool {
	_, ok := fieldRank[name]
	return ok && name != ""
}

func isBlankRow(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

type valKind uint8

const (
	kindText valKind = iota
	kindNumber
	kindBool
	kindComposite // JSON object or array
)

// rawVal is one present, non-empty cell or JSON value.
type rawVal struct {
	s    string // trimmed text, or the JSON number / boolean literal
	kind valKind
	b    bool // for kindBool
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
		if ok && v.kind == kindComposite {
			fail(field, "", "want a single value, not an object or array")
			return v, false
		}
		return v, ok
	}
	text := func(field string) string {
		v, ok := get(field)
		if ok && v.kind == kindBool {
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
		b, good := v.b, v.kind == kindBool
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
		case v.kind == kindBool:
			fail(field, v.s, "not a number")
			return decimal.Decimal{}, false
		case v.kind == kindNumber && strings.ContainsAny(v.s, "eE"):
			fail(field, v.s, "write the number in full, without an exponent")
			return decimal.Decimal{}, false
		case v.kind == kindText && !pattern.MatchString(v.s):
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
