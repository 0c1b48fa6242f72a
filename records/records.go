package records

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hotro-vn/hotro/internal/table"
	"github.com/hotro-vn/hotro/rules"
)

// Schema reads the records a rule set's model declares. It is immutable
// and safe for concurrent use.
type Schema struct {
	decl   *rules.Record
	table  *table.Schema
	key    int // the key field's index
	rank   map[string]int
	fields []string
	// caches keeps the value caches of finished reads for the next ones
	// (see valueCache), so that a value met in an earlier file or request
	// is not parsed again.
	caches chan *readerState
	// slabs keeps the slabs of values that records released (see
	// Record.Release), cleared, for the readers to come.
	slabs sync.Pool
}

// valueSlab is the Values of up to slabRecords records, allocated
// together. refs counts the records built on it and not yet released,
// plus one while a Reader is building on it: the slab goes back to its
// schema, cleared, once all are done.
type valueSlab struct {
	vals   []any
	refs   atomic.Int32
	schema *Schema
}

// slabRecords is how many records share one slab of values.
const slabRecords = 64

func (sl *valueSlab) release() {
	if n := sl.refs.Add(-1); n == 0 {
		clear(sl.vals) // an absent field is nil in a new record
		sl.schema.slabs.Put(sl)
	} else if n < 0 {
		panic("records: a record released twice")
	}
}

// New returns the reader of a declared record.
func New(decl *rules.Record) (*Schema, error) {
	if decl == nil {
		return nil, errors.New("the model declares no record")
	}
	s := &Schema{decl: decl, rank: map[string]int{"": -1}, key: -1, caches: make(chan *readerState, keptCaches)}
	var cols, required []string
	aliases := map[string]string{}
	for i, f := range decl.Fields {
		col := strings.ToLower(strings.TrimSpace(f.Column))
		cols = append(cols, col)
		s.fields = append(s.fields, f.Name)
		s.rank[f.Name] = i
		if f.Required {
			required = append(required, col)
		}
		for _, a := range f.Aliases {
			aliases[a] = col
		}
		if f.Name == decl.Key {
			s.key = i
		}
	}
	t, err := table.NewSchema(cols, required).WithAliases(aliases)
	if err != nil {
		return nil, err
	}
	s.table = t
	return s, nil
}

// Decl returns the declaration the schema reads.
func (s *Schema) Decl() *rules.Record { return s.decl }

// Record is one record as read: its position, its field values, and the
// error that makes it unusable (nil when fine).
type Record struct {
	// Line is the 1-based line of a CSV row (the header is line 1), or the
	// 1-based index of a JSON element, or 0 for a record built in a program.
	Line int
	// ID is the value of the record's key field, "" when absent.
	ID string
	// Values holds the fields' values in the order of the declaration: bool,
	// int, decimal.Decimal, string or time.Time; nil for an absent field
	// (its default applies when the record is decided) or one in error.
	Values []any
	Err    error // *FieldError, or errors.Join of several
	schema *Schema
	slab   *valueSlab // where Values lie, when a Reader built the record
}

// Release gives the memory of r's Values back to the schema that read r,
// for records read later: a stream that owns its records and is done with
// one calls it, so that a long file reuses a few slabs of values instead
// of allocating every record's. Values read out of r (strings, decimals,
// dates) stay valid; r.Values, in r and in every copy of r, must not be
// read again, and only one copy may be released. It does nothing to a
// record built in a program.
func (r *Record) Release() {
	if sl := r.slab; sl != nil {
		r.slab, r.Values = nil, nil
		sl.release()
	}
}

// Schema returns the schema the record was read with.
func (r *Record) Schema() *Schema { return r.schema }

// Get returns the value of a field by name, and whether the record gives it.
func (r *Record) Get(name string) (any, bool) {
	if r.schema == nil {
		return nil, false
	}
	i, ok := r.schema.rank[name]
	if !ok || i < 0 || r.Values[i] == nil {
		return nil, false
	}
	return r.Values[i], true
}

// Text returns a field's value as text: "" when absent; dates as YYYY-MM-DD.
func (r *Record) Text(name string) string {
	v, ok := r.Get(name)
	if !ok {
		return ""
	}
	if t, ok := v.(time.Time); ok {
		return t.Format(time.DateOnly)
	}
	return rules.FormatValue(v)
}

// FieldError says which field of which record is wrong and why.
//
// Field is empty when the problem is with the whole row. A record with
// several problems has Err = errors.Join of one *FieldError per problem, so
// errors.As finds the first one and Err.Error() lists every one, a line each.
type FieldError struct {
	Cell  string // the cell, as a spreadsheet names it ("Danh sách!D17"); "" for CSV and JSON
	Line  int    // as Record.Line; 0 = unknown
	JSON  bool   // Line is the index of a JSON element
	Field string // the field's column, e.g. "birth_date"
	Value string // the offending value as given (shortened if long), "" if absent
	Msg   string // what is wrong, in plain words
}

// Error formats e.g. `line 7: birth_date "2020-02-30": not a real date (want YYYY-MM-DD)`.
func (e *FieldError) Error() string {
	var b strings.Builder
	if e.Cell != "" {
		fmt.Fprintf(&b, "%s: ", e.Cell)
	} else if e.Line > 0 {
		if e.JSON {
			fmt.Fprintf(&b, "record %d: ", e.Line)
		} else {
			fmt.Fprintf(&b, "line %d: ", e.Line)
		}
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

// Reader reads records one at a time and keeps what spans records: the
// keys seen, to report duplicates, and the values already parsed.
type Reader struct {
	s *Schema
	*readerState
	slab  []any      // Record.Values of the records to come, allocated together
	owned *valueSlab // what slab is the rest of
}

// newSlab gives the reader a slab for the next records, giving back its
// hold on the last one.
func (rd *Reader) newSlab(nf int) {
	if rd.owned != nil {
		rd.owned.release()
	}
	sl, _ := rd.s.slabs.Get().(*valueSlab)
	if sl == nil {
		sl = &valueSlab{vals: make([]any, slabRecords*nf), schema: rd.s}
	}
	sl.refs.Store(1)
	rd.owned, rd.slab = sl, sl.vals
}

// readerState is what a reader builds up and a later read reuses.
type readerState struct {
	seen  *idSet       // the keys read, with the line of each one's first use
	cache []valueCache // per field
}

// valueCache keeps the values of one field already parsed, boxed, so that a
// value met again (a commune, an amount, a household's id on its members'
// rows) costs neither parsing nor an allocation. Values are never changed
// in place, so records may share them.
type valueCache struct {
	last    string // the previous row's text, and its value
	lastVal any
	m       map[cacheKey]any // short text -> value; not for free text
	days    []int32          // a date field's values YYYY-MM-DD by dayIndex: 1 + their place in dayVals, made on first use
	dayVals []any
}

// dayIndex places a date written YYYY-MM-DD with a year from 1900 to 2099
// in a valueCache's days, one slot per spelling (so 2023-02-30 has one,
// and is parsed, and refused, each time); ok = false for any other text.
// A national file's birth dates are tens of thousands of distinct values
// in no order: looked up in a map they cost several cache misses each, in
// this table (300 kB of small numbers, then the values one after the
// other) one.
func dayIndex(s string) (int, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	n := 0
	for _, i := range [8]int{0, 1, 2, 3, 5, 6, 8, 9} {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	y, m, d := n/10000, n/100%100, n%100
	if y < 1900 || y >= 2100 || m > 12 || d > 31 {
		return 0, false
	}
	return (y-1900)*daysPerYear + m*32 + d, true
}

// daysPerYear is the slots of a year in dayIndex: months 0–12 × days 0–31,
// so that any two digits of each fit.
const daysPerYear = 13 * 32

// cacheKey is a short text (up to 15 bytes: a date, an amount, a code, an
// enum's spelling) as a map key that costs no allocation to build.
type cacheKey [16]byte

// cacheMax bounds each field's map, at about 3 MB: a field of very many
// distinct values stops being remembered, not growing.
const cacheMax = 1 << 16

// keptCaches is how many value caches a schema keeps between reads (about
// one per read running at once); keptMax bounds the entries of a field's
// cache that is kept, so that what stays in memory is the values that
// recur (communes, enums, amounts, dates), at most a few MB; keptSeen the
// keys of the map of keys seen, which is kept emptied.
const (
	keptCaches = 4
	keptMax    = 1 << 12
	keptSeen   = 1 << 15
)

// NewReader returns a reader of records of s.
func (s *Schema) NewReader() *Reader {
	rd := &Reader{s: s}
	select {
	case rd.readerState = <-s.caches:
	default:
		rd.readerState = &readerState{seen: newIDSet(), cache: make([]valueCache, len(s.decl.Fields))}
		for i, f := range s.decl.Fields {
			if f.Type != rules.FieldText {
				rd.cache[i].m = map[cacheKey]any{}
			}
		}
	}
	return rd
}

// done gives the reader's value cache back to its schema for the next
// read, unless it grew large; the reader must not be used after.
func (rd *Reader) done() {
	if rd.owned != nil {
		rd.owned.release()
		rd.owned, rd.slab = nil, nil
	}
	st := rd.readerState
	rd.readerState = nil
	if st.seen.used > keptSeen {
		return
	}
	for i := range st.cache {
		if len(st.cache[i].m) > keptMax {
			return
		}
		st.cache[i].last, st.cache[i].lastVal = "", nil // they hold a row's text
	}
	st.seen.reset()
	select {
	case rd.s.caches <- st:
	default:
	}
}

// parse is f.Parse(text, false) through the field's cache.
func (rd *Reader) parse(i int, f *rules.Field, text string) (any, string) {
	c := &rd.cache[i]
	if c.lastVal != nil && c.last == text {
		return c.lastVal, ""
	}
	if f.Type == rules.FieldDate {
		if d, ok := dayIndex(text); ok {
			if c.days == nil {
				c.days = make([]int32, 200*daysPerYear)
			}
			if at := c.days[d]; at > 0 {
				v := c.dayVals[at-1]
				c.last, c.lastVal = text, v
				return v, ""
			}
			v, msg := f.Parse(text, false)
			if msg == "" {
				c.dayVals = append(c.dayVals, v)
				c.days[d] = int32(len(c.dayVals))
				c.last, c.lastVal = text, v
			}
			return v, msg
		}
	}
	if c.m != nil && len(text) < len(cacheKey{}) {
		var k cacheKey
		copy(k[:], text)
		k[len(k)-1] = byte(len(text))
		if v, ok := c.m[k]; ok {
			c.last, c.lastVal = text, v
			return v, ""
		}
		if f.Type == rules.FieldCommuneCode {
			text = strings.Clone(text) // kept as the value: it must not keep the row's line
		}
		v, msg := f.Parse(text, false)
		if msg == "" {
			if len(c.m) < cacheMax {
				c.m[k] = v
			}
			c.last, c.lastVal = text, v
		}
		return v, msg
	}
	v, msg := f.Parse(text, false)
	if msg == "" {
		c.last, c.lastVal = text, v
	}
	return v, msg
}

// ReadCSV reads a CSV file with a header row (columns by name or alias, in
// any order) and calls each for every row, in order: a bad row is a Record
// with Err, never dropped. The error return is for a file that cannot be
// read (no header, a column twice, required columns missing); warnings
// name unknown columns once each.
func (s *Schema) ReadCSV(r io.Reader, each func(Record)) ([]string, error) {
	return s.readRows(func(row func(table.Row)) ([]string, error) { return s.table.ReadCSV(r, row) }, each)
}

// ReadJSON reads a JSON array of record objects keyed like the CSV columns.
// An element that is not an object, and an object that gives a key twice,
// are errors of that record.
func (s *Schema) ReadJSON(r io.Reader, each func(Record)) ([]string, error) {
	return s.readRows(func(row func(table.Row)) ([]string, error) { return s.table.ReadJSON(r, row) }, each)
}

// DecodeJSON reads the next value of d, a JSON array of record objects, as
// ReadJSON does, in the same pass as the document around it (a request of
// the HTTP service). each gets every record with its element as written.
// Elements past the first max (max < 0: no limit) are checked and counted,
// not read; n is the number of elements. A value that is not an array is an
// error, with nothing read.
func (s *Schema) DecodeJSON(d *table.Decoder, max int, each func(rec Record, raw string)) (n int, warnings []string, err error) {
	rd := s.NewReader()
	defer rd.done()
	return s.table.DecodeArray(d, max, func(row table.Row) { each(rd.row(row), row.Raw) })
}

// ReadFile reads a .csv or .json file.
func (s *Schema) ReadFile(path string, each func(Record)) ([]string, error) {
	return s.readRows(func(row func(table.Row)) ([]string, error) { return s.table.ReadFile(path, row) }, each)
}

// ReadSource reads the rows of a source already split into cells, such as
// a workbook's sheet (see ReadSheet); errors name the cell.
func (s *Schema) ReadSource(src table.Source, each func(Record)) ([]string, error) {
	rd := s.NewReader()
	defer rd.done()
	return s.table.ReadSource(src, func(row table.Row) { each(rd.row(row)) })
}

// IsHeader reports whether a row of cells names the record's required
// columns (by column or alias): the header of an office's list, found
// under its title block.
func (s *Schema) IsHeader(cells []string) bool {
	seen := map[int]bool{}
	for _, c := range cells {
		if i := s.columnIndex(c); i >= 0 {
			seen[i] = true
		}
	}
	for i, f := range s.decl.Fields {
		if f.Required && !seen[i] {
			return false
		}
	}
	return len(seen) > 0
}

// Cells builds a record from text values by column (a test case's input,
// a form): the same checks as a file's rows.
func (rd *Reader) Cells(line int, cells map[string]string) Record {
	vals := make([]table.Value, len(rd.s.decl.Fields))
	var probs []table.Problem
	for k, v := range cells {
		i := rd.s.columnIndex(k)
		if i < 0 {
			probs = append(probs, table.Problem{Field: k, Msg: "not a field of the record"})
			continue
		}
		vals[i] = table.Value{Text: strings.TrimSpace(v)}
	}
	return rd.row(table.Row{Line: line, Values: vals, Problems: probs})
}

func (s *Schema) columnIndex(col string) int {
	col = strings.ToLower(strings.TrimSpace(col))
	for i, f := range s.decl.Fields {
		if strings.ToLower(f.Column) == col || slices.ContainsFunc(f.Aliases, func(a string) bool { return strings.ToLower(a) == col }) {
			return i
		}
	}
	return -1
}

// row turns one row as read into a Record, collecting every problem in
// the order of the fields. Nothing is allocated for errors unless there
// is one.
func (rd *Reader) row(row table.Row) Record { return rd.record(row, -1) }

// record is row with the duplicate-key check already made when first >= 0
// (first > 0: the line of the key's first use), as a reader running ahead
// does (see readRows).
func (rd *Reader) record(row table.Row, first int) Record {
	s := rd.s
	nf := len(s.decl.Fields)
	if len(rd.slab) < nf || rd.owned == nil {
		rd.newSlab(nf)
	}
	rec := Record{Line: row.Line, Values: rd.slab[:nf:nf], schema: s, slab: rd.owned}
	rd.owned.refs.Add(1)
	rd.slab = rd.slab[nf:]
	var errs []*FieldError
	for _, p := range row.Problems {
		i := -1
		if p.Field != "" {
			i = s.columnIndex(p.Field)
		}
		if i < 0 && p.Field != "" {
			errs = append(errs, &FieldError{Line: row.Line, JSON: row.Format == table.JSON, Field: p.Field, Msg: p.Msg})
			continue
		}
		errs = s.fail(errs, &row, i, "", p.Msg)
	}
	if !row.Whole() {
		for i := range s.decl.Fields {
			f := s.decl.Fields[i]
			v := row.Values[i]
			if !v.Present() {
				if f.Required {
					errs = s.fail(errs, &row, i, "", f.Missing())
				}
				continue
			}
			if v.Kind == table.Object || v.Kind == table.Array {
				errs = s.fail(errs, &row, i, "", "want a single value, not an object or array")
				continue
			}
			var val any
			var msg string
			if v.Kind == table.Bool {
				val, msg = f.Parse(v.Text, true)
			} else {
				val, msg = rd.parse(i, f, v.Text)
			}
			if msg != "" {
				errs = s.fail(errs, &row, i, v.Text, msg)
				continue
			}
			rec.Values[i] = val
		}
	}
	if s.key >= 0 {
		if id, ok := rec.Values[s.key].(string); ok {
			rec.ID = id
		} else if v := row.Values; v != nil && v[s.key].Present() {
			rec.ID = v[s.key].Text
		}
		if first < 0 && rec.ID != "" && rd.seen != nil && row.Line > 0 {
			first, _ = rd.seen.add(rec.ID, row.Line)
		}
		if first > 0 {
			errs = s.fail(errs, &row, s.key, rec.ID, "duplicate: first used on "+where(row.Format == table.JSON)+" "+strconv.Itoa(first))
		}
	}
	if len(errs) > 1 {
		slices.SortStableFunc(errs, func(a, b *FieldError) int { return s.rankOf(a.Field) - s.rankOf(b.Field) })
	}
	rec.Err = join(errs)
	return rec
}

// fail adds the error of field i (-1 = the whole row) of row.
func (s *Schema) fail(errs []*FieldError, row *table.Row, i int, value, msg string) []*FieldError {
	col := ""
	if i >= 0 {
		col = s.decl.Fields[i].Column
	}
	fe := &FieldError{Line: row.Line, JSON: row.Format == table.JSON, Field: col, Value: clip(value), Msg: msg}
	if row.Where != nil {
		fe.Cell = row.Where(i)
	}
	return append(errs, fe)
}

func where(json bool) string {
	if json {
		return "record"
	}
	return "line"
}

func (s *Schema) rankOf(col string) int {
	if col == "" {
		return -1
	}
	if i := s.columnIndex(col); i >= 0 {
		return i
	}
	return len(s.decl.Fields)
}

// join returns nil, the single *FieldError, or errors.Join of all.
func join(errs []*FieldError) error {
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

// clip shortens a value quoted in an error message.
func clip(s string) string {
	const max = 40
	n := 0
	for i := range s {
		if n == max {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// Build makes a record from values by field name or column, as a program holds them
// (a typed convenience such as eligibility.Person): bool, int,
// decimal.Decimal, string or time.Time, nil or left out for absent. Values
// of the wrong type or for no field are errors of the record.
func (s *Schema) Build(line int, values map[string]any) Record {
	rec := Record{Line: line, Values: make([]any, len(s.decl.Fields)), schema: s}
	var errs []*FieldError
	for name, v := range values {
		i, ok := s.rank[name]
		if !ok {
			i = s.columnIndex(name)
		}
		if i < 0 {
			errs = append(errs, &FieldError{Line: line, Field: name, Msg: "not a field of the record"})
			continue
		}
		if v == nil {
			continue
		}
		f := s.decl.Fields[i]
		if msg := f.Check(v); msg != "" {
			errs = append(errs, &FieldError{Line: line, Field: f.Column, Value: clip(rules.FormatValue(v)), Msg: msg})
			continue
		}
		rec.Values[i] = v
	}
	for i, f := range s.decl.Fields {
		if f.Required && rec.Values[i] == nil && !slices.ContainsFunc(errs, func(e *FieldError) bool { return e.Field == f.Column }) {
			errs = append(errs, &FieldError{Line: line, Field: f.Column, Msg: f.Missing()})
		}
	}
	if s.key >= 0 {
		rec.ID, _ = rec.Values[s.key].(string)
	}
	slices.SortStableFunc(errs, func(a, b *FieldError) int { return s.rankOf(a.Field) - s.rankOf(b.Field) })
	rec.Err = join(errs)
	return rec
}
