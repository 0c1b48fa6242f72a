// Package table reads a file of records — a CSV file with a header row, or a
// JSON array of objects — into rows of raw field values, each with its
// position and the problems found while reading it. It is the part the
// record readers have in common: persons (package eligibility, docs/policy.md
// §10) and units and commitments (package allocation, docs/records.md). The
// callers turn the raw values into typed fields and add their own checks.
//
// The rules, for every kind of record:
//
//   - A CSV file may start with a UTF-8 BOM and use CRLF line ends. Column
//     names are matched trimmed and case-insensitively; so are JSON keys.
//   - An unknown column or key is reported once, as a warning, and otherwise
//     ignored; so is a column without a name.
//   - A column named twice, and a required column that is missing (all of
//     them named in one error), are file-level errors; so are an empty
//     file, a top level that is not a JSON array, and invalid JSON.
//   - A row that cannot be read is never dropped: a CSV row the csv package
//     cannot parse, a row with the wrong number of cells, a JSON element that
//     is not an object and an object giving one field twice each come out as
//     a Row with a Problem.
//   - A CSV row whose cells are all blank is skipped (with a warning when a
//     data row follows it); a file without rows gives a warning.
//   - Values are trimmed; an empty value (and JSON null) is absent. JSON
//     numbers are kept as written, never converted through float64, and a
//     Value says which kind of JSON value it came from.
package table

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Format is the format of a file of records.
type Format uint8

const (
	CSV  Format = iota + 1 // a header row, then one record a line
	JSON                   // an array of objects
)

// Kind is the kind of value a field was given.
type Kind uint8

const (
	Text   Kind = iota // a CSV cell or a JSON string
	Number             // a JSON number
	Bool               // a JSON true or false
	Object             // a JSON object
	Array              // a JSON array
)

// Value is one field's value.
type Value struct {
	// Text is the trimmed text of a cell or JSON string; for a JSON number
	// or boolean, the literal as written (e.g. "6.5e5", "true"); for a JSON
	// object or array, the JSON as written. "" = absent: an empty or blank
	// cell or string, JSON null, or a field not given at all.
	Text string
	Kind Kind
}

// Present reports whether the field was given a value.
func (v Value) Present() bool { return v.Text != "" }

// Issue is a kind of problem found while reading a row.
type Issue uint8

const (
	// Unreadable: the CSV row cannot be parsed (e.g. a stray quote). The
	// row has this problem only, and no values.
	Unreadable Issue = iota + 1
	// CellCount: the CSV row has more or fewer cells than the header. The
	// cells under known columns are read all the same.
	CellCount
	// NotObject: the JSON element is not an object. The row has this
	// problem only, and no values.
	NotObject
	// KeyTwice: two keys of the JSON object name the same field (they differ
	// in case or spaces). The first in sorted order is read.
	KeyTwice
)

// Problem is something wrong with one row as read.
type Problem struct {
	Issue Issue
	Field string // the field concerned (KeyTwice); "" for the whole row
	Msg   string // in plain words, e.g. "row has 5 cells but the header has 15"
}

// Row is one record as read.
type Row struct {
	Format Format
	// Line is the 1-based line of a CSV row (the header is line 1; a row
	// spanning lines counts from its first), or the 1-based index of a JSON
	// element in the array.
	Line int
	// Values holds one Value per field of the schema, in the order of
	// NewSchema's fields; nil when the row could not be read (Whole). The
	// reader reuses it for the next row: copy what is needed, do not keep it.
	Values   []Value
	Problems []Problem // in the order found; nil when none
	// Raw is, for JSON, the element as written.
	Raw string
	// Where, when set, names the cell of a field (by its position in the
	// schema) as a spreadsheet does: "Danh sách!D17".
	Where func(field int) string
}

// Whole reports whether the row has a problem that left nothing to read
// (Unreadable or NotObject).
func (r Row) Whole() bool {
	return len(r.Problems) > 0 && (r.Problems[0].Issue == Unreadable || r.Problems[0].Issue == NotObject)
}

// Schema names the fields of one kind of record.
type Schema struct {
	fields   []string
	index    map[string]int // field -> position in fields
	required []string
}

// NewSchema returns the schema of records with the given fields (lower-case
// names). required lists the columns a CSV file must have, in the order a
// missing-column error names them; each must be one of fields.
func NewSchema(fields, required []string) *Schema {
	s := &Schema{fields: slices.Clone(fields), index: make(map[string]int, len(fields)), required: slices.Clone(required)}
	for i, f := range fields {
		if f == "" || f != strings.ToLower(strings.TrimSpace(f)) {
			panic(fmt.Sprintf("table: field name %q is not trimmed lower-case", f))
		}
		if _, dup := s.index[f]; dup {
			panic(fmt.Sprintf("table: field %q given twice", f))
		}
		s.index[f] = i
	}
	for _, f := range required {
		if _, ok := s.index[f]; !ok {
			panic(fmt.Sprintf("table: required field %q is not a field", f))
		}
	}
	return s
}

// WithAliases returns the schema with other names accepted for fields
// (alias -> field), matched like field names: trimmed, ignoring case. An
// alias that is a field or another alias is an error.
func (s *Schema) WithAliases(aliases map[string]string) (*Schema, error) {
	c := &Schema{fields: s.fields, index: make(map[string]int, len(s.index)+len(aliases)), required: s.required}
	for k, v := range s.index {
		c.index[k] = v
	}
	for _, a := range slices.Sorted(maps.Keys(aliases)) {
		name := strings.ToLower(strings.TrimSpace(a))
		f, ok := s.index[aliases[a]]
		if !ok {
			return nil, fmt.Errorf("alias %q names no field %q", a, aliases[a])
		}
		if prev, dup := c.index[name]; dup && prev != f {
			return nil, fmt.Errorf("alias %q names both %s and %s", a, s.fields[prev], s.fields[f])
		}
		c.index[name] = f
	}
	return c, nil
}

// ReadFile reads a .csv or .json file (extension case-insensitive) with
// ReadCSV or ReadJSON. A file-level error is prefixed with the path.
func (s *Schema) ReadFile(path string, each func(Row)) (warnings []string, err error) {
	var read func(io.Reader, func(Row)) ([]string, error)
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".csv":
		read = s.ReadCSV
	case ".json":
		read = s.ReadJSON
	default:
		return nil, fmt.Errorf("%s: unsupported file type %q (want .csv or .json)", path, ext)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	warnings, err = read(f, each)
	if err != nil {
		return warnings, fmt.Errorf("%s: %w", path, err)
	}
	return warnings, nil
}

// ReadCSV reads a CSV file with a header row and calls each for every row,
// in order. The error return is for a file that cannot be read: no header, a
// column named twice, required columns missing, an I/O error. Rows given to
// each before a file-level error are to be discarded. The warnings are
// returned with a file-level error too.
func (s *Schema) ReadCSV(r io.Reader, each func(Row)) (warnings []string, err error) {
	br := bufio.NewReader(r)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\uFEFF")) {
		_, _ = br.Discard(3)
	}
	cr := newCSVReader(br)
	header, err := cr.Read()
	header = slices.Clone(header) // the reader reuses its slice for the rows
	if err == io.EOF {
		return nil, errors.New("empty file: no header row")
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the header row: %w", err)
	}
	cols, warnings, err := s.columns(header, true)
	if err != nil {
		return warnings, err
	}

	rows := 0
	values := make([]Value, len(s.fields)) // Row.Values of every row
	var blank []int                        // blank rows not yet followed by a data row
	flushBlank := func() {
		for _, l := range blank {
			warnings = append(warnings, fmt.Sprintf("line %d: blank row ignored", l))
		}
		blank = blank[:0]
	}
	for {
		cells, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			if line, msg, ok := parseError(err); ok {
				flushBlank()
				rows++
				each(Row{Format: CSV, Line: line, Problems: []Problem{{Issue: Unreadable, Msg: msg}}})
				continue
			}
			return warnings, err
		}
		line := cr.FieldPos()
		if IsBlank(cells) {
			blank = append(blank, line)
			continue
		}
		flushBlank()
		clear(values)
		row := Row{Format: CSV, Line: line, Values: values}
		if len(cells) != len(header) {
			row.Problems = []Problem{{Issue: CellCount,
				Msg: fmt.Sprintf("row has %d cells but the header has %d", len(cells), len(header))}}
		}
		for i, cell := range cells {
			if i < len(cols) && cols[i] >= 0 {
				row.Values[cols[i]] = Value{Text: strings.TrimSpace(cell)}
			}
		}
		rows++
		each(row)
	}
	if rows == 0 {
		warnings = append(warnings, "no records in the file")
	}
	return warnings, nil
}

// parseError is the line and message of a row the csv package cannot
// parse; ok = false for any other error.
func parseError(err error) (line int, msg string, ok bool) {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return 0, "", false
	}
	return pe.StartLine, "cannot read this row: " + pe.Err.Error(), true
}

// IsBlank reports whether every cell of a CSV row is empty or spaces: such a
// row is skipped, not read as a record.
func IsBlank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// ReadJSON reads a JSON array of objects and calls each for every element,
// in order. The top level must be an array; an element that is not an
// object is a Row with a NotObject problem. An unknown key gives one warning
// per key. Invalid JSON is a file-level error; rows given to each before it
// are to be discarded. The text is read once, by a Decoder.
func (s *Schema) ReadJSON(r io.Reader, each func(Row)) (warnings []string, err error) {
	d := NewDecoder(r)
	defer d.Release()
	c, ok := d.Peek()
	if !ok {
		if err := d.ReadError(); err != nil {
			return nil, fmt.Errorf("not valid JSON: %w", err)
		}
		return nil, errors.New("empty file: want a JSON array of records")
	}
	if c != '[' {
		if c != '{' {
			if err := d.Skip(); err != nil {
				return nil, fmt.Errorf("not valid JSON: %w", err)
			}
		}
		return nil, errNotArray
	}
	_, warnings, err = s.DecodeArray(d, -1, each)
	if err != nil {
		return warnings, err
	}
	if err := d.End(); err != nil {
		return warnings, errors.New("not valid JSON: unexpected data after the array")
	}
	return warnings, nil
}

// jsonScratch is what reading JSON reuses from one element to the next.
type jsonScratch struct {
	unknown map[string]bool // keys as written, warned of
	values  []Value         // Row.Values of every row
	given   []int           // field -> 1 + the index in members of its key, in this element
	spans   []span
	keyAt   []keyField // the keys of the last element, by place
	keys    []keyField // the keys met so far (a bounded number)
	members []member
	twice   []member
}

// keyField is a key and the field it names (-1: an unknown key, already
// warned of); set = false until a key is looked up.
type keyField struct {
	key   string
	field int
	set   bool
}

// member is one key and value of an object, in document order (at).
type member struct {
	key string
	val Value
	at  int
}

// jsonRow makes the row of the i-th (1-based) element of the array from
// its members in document order.
func (s *Schema) jsonRow(i int, ms []member, js *jsonScratch, warnings *[]string) Row {
	row := Row{Format: JSON, Line: i, Values: js.values}
	// The common case: every key names a field of its own, or is an
	// unknown key already warned of.
	clear(js.values)
	clear(js.given)
	fast := true
	for j, m := range ms {
		field, known := s.field(m.key)
		if !known {
			if !js.unknown[m.key] {
				fast = false
				break
			}
			continue
		}
		if js.given[field] > 0 {
			fast = false
			break
		}
		js.given[field] = j + 1
		row.Values[field] = m.val
	}
	if fast {
		return row
	}
	// Sorted by key, the first written first: a key written twice is read
	// from its first place; keys naming one field, from the first in order.
	slices.SortStableFunc(ms, func(a, b member) int { return strings.Compare(a.key, b.key) })
	twice := js.twice[:0]
	for j := 1; j < len(ms); j++ {
		if ms[j].key == ms[j-1].key && (j == 1 || ms[j-2].key != ms[j].key) {
			twice = append(twice, ms[j]) // the second place of a key written twice
		}
	}
	js.twice = twice
	if len(twice) > 1 {
		slices.SortFunc(twice, func(a, b member) int { return a.at - b.at })
	}
	clear(js.values)
	clear(js.given)
	for _, m := range twice {
		if field, known := s.field(m.key); known {
			row.Problems = append(row.Problems, Problem{Issue: KeyTwice, Field: s.fields[field],
				Msg: fmt.Sprintf("key %q given twice in the object", m.key)})
		}
	}
	for j, m := range ms {
		if j > 0 && ms[j-1].key == m.key {
			continue
		}
		field, known := s.field(m.key)
		if !known {
			if !js.unknown[m.key] {
				js.unknown[strings.Clone(m.key)] = true
				*warnings = append(*warnings, fmt.Sprintf("unknown key %q ignored (first in record %d)", m.key, i))
			}
			continue
		}
		if prev := js.given[field]; prev > 0 {
			row.Problems = append(row.Problems, Problem{Issue: KeyTwice, Field: s.fields[field],
				Msg: fmt.Sprintf("given twice (as %q and %q)", ms[prev-1].key, m.key)})
			continue
		}
		js.given[field] = j + 1
		row.Values[field] = m.val
	}
	return row
}

// field is the position of the field a key or column names (trimmed,
// ignoring case).
func (s *Schema) field(key string) (int, bool) {
	if f, ok := s.index[key]; ok {
		return f, true
	}
	f, ok := s.index[strings.ToLower(strings.TrimSpace(key))]
	return f, ok
}

// jsonKind names the kind of a JSON value for a message.
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

// Source is a file of rows already split into cells (a workbook's sheet,
// or a CSV file read by another reader): its header, then each row with
// its number and where each of its cells is.
type Source interface {
	Header() []string
	// Next returns the next row's cells, its 1-based number among the
	// records, and where its cell col is; io.EOF at the end.
	Next() (cells []string, index int, where func(col int) string, err error)
}

// ReadSource reads the rows of src as ReadCSV reads a file's: columns by
// name or alias, unknown ones warned of once, required ones checked.
func (s *Schema) ReadSource(src Source, each func(Row)) (warnings []string, err error) {
	header := src.Header()
	cols, warnings, err := s.columns(header, false) // a workbook's header may have empty cells beside it
	if err != nil {
		return warnings, err
	}
	colOf := make([]int, len(s.fields)) // field -> 0-based column
	for f := range colOf {
		colOf[f] = -1
	}
	for i, f := range cols {
		if f >= 0 {
			colOf[f] = i
		}
	}
	values := make([]Value, len(s.fields))
	rows := 0
	for {
		cells, index, at, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return warnings, err
		}
		clear(values)
		row := Row{Format: CSV, Line: index, Values: values}
		if at != nil {
			row.Where = func(field int) string {
				if field < 0 || colOf[field] < 0 {
					return at(0)
				}
				return at(colOf[field])
			}
		}
		if len(cells) > len(header) {
			row.Problems = []Problem{{Issue: CellCount, Msg: fmt.Sprintf("row has a value beyond the last column (%d cells, %d columns)", len(cells), len(header))}}
		}
		for i, cell := range cells {
			if i < len(cols) && cols[i] >= 0 {
				row.Values[cols[i]] = Value{Text: strings.TrimSpace(cell)}
			}
		}
		rows++
		each(row)
	}
	if rows == 0 {
		warnings = append(warnings, "no records in the file")
	}
	return warnings, nil
}

// columns maps a header's columns to the schema's fields (-1 for a column
// that is ignored): names and aliases matched trimmed and ignoring case,
// an unknown column warned of once, a column given twice and missing
// required columns errors. unnamed says whether a column with no name is
// warned of.
func (s *Schema) columns(header []string, unnamed bool) (cols []int, warnings []string, err error) {
	cols = make([]int, len(header)) // position in s.fields per column, -1 = ignored
	where := map[string]int{}       // field -> 1-based column
	unknown := map[string]bool{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		field, known := s.index[name]
		cols[i] = -1
		switch {
		case name == "":
			if unnamed {
				warnings = append(warnings, fmt.Sprintf("column %d has no name; ignored", i+1))
			}
		case !known:
			if !unknown[name] {
				unknown[name] = true
				warnings = append(warnings, fmt.Sprintf("unknown column %q ignored", strings.TrimSpace(h)))
			}
		case where[s.fields[field]] != 0:
			return nil, warnings, fmt.Errorf("column %q appears twice (columns %d and %d)", s.fields[field], where[s.fields[field]], i+1)
		default:
			where[s.fields[field]] = i + 1
			cols[i] = field
		}
	}
	var missing []string
	for _, f := range s.required {
		if where[f] == 0 {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return nil, warnings, fmt.Errorf("missing required column(s): %s", strings.Join(missing, ", "))
	}
	return cols, warnings, nil
}
