package records_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hotro-vn/hotro/records"
	"github.com/hotro-vn/hotro/rules"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// childRecord is a made-up record of another policy, to test the reader
// against a declaration that is not the Hà Tĩnh person's: every field type,
// aliases, enum spellings, defaults, a minimum.
const childRecord = `model: child
record:
  key: child_id
  group: family
  fields:
    child_id: {type: text, required: true, aliases: [Mã trẻ]}
    family: {type: text, required: true}
    born: {type: date, required: true, aliases: [Ngày sinh]}
    region:
      type: enum
      required: true
      values:
        north: [Bắc, Miền Bắc]
        south: [Nam]
      aliases: [Vùng]
    siblings: {type: int, min: 0, default: 0, aliases: [Số anh chị em]}
    share: {type: decimal, min: 0}
    income: {type: money, default: 0, aliases: [Thu nhập]}
    disabled: {type: bool, default: false}
    commune: {type: commune_code}
    since: {type: month}
    note: {type: text, column: ghi_chu}
derived:
  age:
    type: int
    expr: age_on(born, date)
rules:
  - id: young
    when: age < 6
    cites: Art. 1
formulas:
  amount: {type: money, expr: "income * 0 + 100000"}
`

// childSchema loads the made-up rule set and returns its record's reader.
func childSchema(t *testing.T) *records.Schema {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ruleset.yaml"), []byte(`id: example-child
title: Example child benefit
jurisdiction: {code: "01", name: Example province}
in_force: {from: 2024-01-01, to: 2026-12-31}
sources:
  - {id: decree, citation: Example decree 1/2024, date: 2023-12-01}
`), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "child.yaml"), []byte(childRecord), 0o644))
	lib, err := rules.LoadDir(dir)
	require.NoError(t, err)
	s, err := records.New(lib.Sets()[0].Model("child").Record)
	require.NoError(t, err)
	return s
}

func readCSV(t *testing.T, s *records.Schema, in string) ([]records.Record, []string) {
	t.Helper()
	var recs []records.Record
	warnings, err := s.ReadCSV(strings.NewReader(in), func(r records.Record) { recs = append(recs, r) })
	require.NoError(t, err)
	return recs, warnings
}

func readJSON(t *testing.T, s *records.Schema, in string) ([]records.Record, []string) {
	t.Helper()
	var recs []records.Record
	warnings, err := s.ReadJSON(strings.NewReader(in), func(r records.Record) { recs = append(recs, r) })
	require.NoError(t, err)
	return recs, warnings
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestNewNoDeclaration(t *testing.T) {
	_, err := records.New(nil)
	assert.EqualError(t, err, "the model declares no record")
}

// TestReadCSVTypes: each type read from its text, the columns by name or
// alias in any order; an absent optional field is absent (its default
// applies when decided), not its zero value.
func TestReadCSVTypes(t *testing.T) {
	s := childSchema(t)
	recs, warnings := readCSV(t, s, "Vùng,Mã trẻ,family,Ngày sinh,Số anh chị em,share,Thu nhập,disabled,commune,since,GHI_CHU,extra\n"+
		"Miền Bắc,C1,F1,03/04/2021,2,\"1,5\",1.500.000,Có,18073,2024-05,hello,x\n"+
		"south,C2,F1,2022-12-31,,0.25,250000,false,,05/2024,,\n")
	assert.Equal(t, []string{`unknown column "extra" ignored`}, warnings)
	require.Len(t, recs, 2)
	r := recs[0]
	require.NoError(t, r.Err)
	assert.Equal(t, 2, r.Line)
	assert.Equal(t, "C1", r.ID)
	assert.Same(t, s, r.Schema())
	get := func(r records.Record, name string) any {
		v, ok := r.Get(name)
		require.True(t, ok, name)
		return v
	}
	assert.Equal(t, "north", get(r, "region"), "Miền Bắc spells north")
	assert.Equal(t, day(2021, 4, 3), get(r, "born"), "day/month/year")
	assert.Equal(t, 2, get(r, "siblings"))
	assert.Equal(t, "1.5", get(r, "share").(decimal.Decimal).String(), "decimal comma")
	assert.Equal(t, "1500000", get(r, "income").(decimal.Decimal).String(), "dots grouping thousands")
	assert.Equal(t, true, get(r, "disabled"))
	assert.Equal(t, "18073", get(r, "commune"))
	assert.Equal(t, day(2024, 5, 1), get(r, "since"), "a month is its first day")
	assert.Equal(t, "hello", get(r, "note"), "column ghi_chu, matched ignoring case")
	assert.Equal(t, "2021-04-03", r.Text("born"))
	assert.Equal(t, "north", r.Text("region"))

	r = recs[1]
	require.NoError(t, r.Err)
	assert.Equal(t, "south", get(r, "region"))
	assert.Equal(t, day(2024, 5, 1), get(r, "since"), "MM/YYYY")
	_, ok := r.Get("siblings")
	assert.False(t, ok, "absent: the default 0 applies when decided")
	_, ok = r.Get("commune")
	assert.False(t, ok)
	assert.Equal(t, "", r.Text("note"))
	_, ok = r.Get("no_such_field")
	assert.False(t, ok)
	assert.Equal(t, "", r.Text("no_such_field"))
}

// TestReadCSVErrors: each problem is a *FieldError naming the column, in
// the order of the declaration; every row is kept.
func TestReadCSVErrors(t *testing.T) {
	s := childSchema(t)
	recs, _ := readCSV(t, s, "child_id,family,born,region,siblings,share,income,disabled,commune,since\n"+
		"E1,F,1950.03.15,west,-1,\"1,5,0\",650.5,maybe,1807,2024\n"+
		"E2,F,2021-01-01,north,1.5,,,,,\n"+
		"E1,,,,,,,,,\n")
	require.Len(t, recs, 3, "rows in = rows out")
	type problem struct{ field, value, msg string }
	list := func(err error) []problem {
		var out []problem
		all := []error{err}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			all = j.Unwrap()
		}
		for _, e := range all {
			var fe *records.FieldError
			require.True(t, errors.As(e, &fe), "%T", e)
			out = append(out, problem{fe.Field, fe.Value, fe.Msg})
		}
		return out
	}
	assert.Equal(t, []problem{
		{"born", "1950.03.15", "not a date (want YYYY-MM-DD)"},
		{"region", "west", "want north or south"},
		{"siblings", "-1", "negative (must be 0 or more)"},
		{"share", "1,5,0", "not a number (use a dot for decimals, e.g. 1.5)"},
		{"income", "650.5", "not whole đồng (write digits only, e.g. 650000, without decimals or thousands separators)"},
		{"disabled", "maybe", "not a yes/no value (want true/false, 1/0 or có/không)"},
		{"commune", "1807", "not a 5-digit GSO commune code (a leading zero lost in a spreadsheet?)"},
		{"since", "2024", "not a month (want YYYY-MM)"},
	}, list(recs[0].Err))
	assert.Equal(t, []problem{{"siblings", "1.5", "not a whole number"}}, list(recs[1].Err))
	assert.Equal(t, []problem{
		{"child_id", "E1", "duplicate: first used on line 2"},
		{"family", "", "missing"},
		{"born", "", "missing (want YYYY-MM-DD)"},
		{"region", "", "missing (want north or south)"},
	}, list(recs[2].Err))
	assert.Equal(t, `line 3: siblings "1.5": not a whole number`, recs[1].Err.Error())
	assert.Equal(t, "E1", recs[2].ID, "a record in error keeps its id")
}

// TestReadJSON: JSON records name their element ("record N"), and a key
// given twice is an error of that record, not "last one wins".
func TestReadJSON(t *testing.T) {
	s := childSchema(t)
	recs, warnings := readJSON(t, s, `[
  {"child_id": "J1", "family": "F", "born": "2021-01-01", "region": "Nam", "siblings": 3, "share": 0.1000000000000000055511151231257827, "disabled": true},
  {"child_id": "J2", "family": "F", "born": "2021-01-01", "region": "north", "region": "south"},
  {"child_id": "J3", "family": "F", "born": "2021-01-01", "Region": "north", "region": "south"},
  7,
  {"child_id": "J1", "family": "F", "born": "2021-01-01", "region": "north", "siblings": true, "other": 1}
]`)
	assert.Equal(t, []string{`unknown key "other" ignored (first in record 5)`}, warnings)
	require.Len(t, recs, 5, "records in = records out")
	require.NoError(t, recs[0].Err)
	v, _ := recs[0].Get("share")
	assert.Equal(t, "0.1000000000000000055511151231257827", v.(decimal.Decimal).String(), "no float64 on the way")
	v, _ = recs[0].Get("region")
	assert.Equal(t, "south", v)
	assert.EqualError(t, recs[1].Err, `record 2: region: key "region" given twice in the object`)
	assert.Equal(t, "J2", recs[1].ID)
	assert.EqualError(t, recs[2].Err, `record 3: region: given twice (as "Region" and "region")`)
	assert.EqualError(t, recs[3].Err, `record 4: element is a number, want an object with the record's fields`)
	assert.EqualError(t, recs[4].Err, "record 5: child_id \"J1\": duplicate: first used on record 1\nrecord 5: siblings \"true\": not a number")
	var fe *records.FieldError
	require.ErrorAs(t, recs[4].Err, &fe)
	assert.True(t, fe.JSON)
	assert.Equal(t, 5, fe.Line)
}

// TestReaderCells: a record built from text by column, as a case input or a
// form gives it: the same checks as a file's rows; a reader remembers the
// keys it has seen.
func TestReaderCells(t *testing.T) {
	s := childSchema(t)
	rd := s.NewReader()
	r := rd.Cells(2, map[string]string{"Mã trẻ": "K1", "family": " F ", "born": "2020-02-29", "Vùng": "Bắc", "bogus": "1"})
	assert.EqualError(t, r.Err, "line 2: bogus: not a field of the record")
	v, _ := r.Get("family")
	assert.Equal(t, "F", v, "trimmed")
	r = rd.Cells(7, map[string]string{"child_id": "K1", "family": "F", "born": "2020-02-29", "region": "north"})
	assert.EqualError(t, r.Err, `line 7: child_id "K1": duplicate: first used on line 2`)
	r = s.NewReader().Cells(0, map[string]string{"child_id": "K1", "family": "F", "born": "2020-02-29", "region": "north"})
	assert.NoError(t, r.Err, "a new reader has seen no key")
}

// TestBuild: a record from values a program holds, by field name or
// column; values of the wrong type, for no field, or missing are errors.
func TestBuild(t *testing.T) {
	s := childSchema(t)
	r := s.Build(3, map[string]any{"child_id": "B1", "family": "F", "born": day(2021, 1, 1), "region": "north",
		"siblings": 2, "share": decimal.RequireFromString("0.5"), "ghi_chu": "by column", "disabled": nil})
	require.NoError(t, r.Err)
	assert.Equal(t, "B1", r.ID)
	assert.Equal(t, 3, r.Line)
	assert.Equal(t, "by column", r.Text("note"))
	_, ok := r.Get("disabled")
	assert.False(t, ok, "nil is absent")

	r = s.Build(0, map[string]any{"child_id": "B2", "born": "2021-01-01", "region": "Bắc", "siblings": -1,
		"income": decimal.RequireFromString("0.5"), "share": 1, "disabled": "yes", "bogus": 1})
	type problem struct{ field, msg string }
	var got []problem
	for _, e := range r.Err.(interface{ Unwrap() []error }).Unwrap() {
		fe := e.(*records.FieldError)
		got = append(got, problem{fe.Field, fe.Msg})
	}
	assert.Equal(t, []problem{
		{"family", "missing"},
		{"born", "want a date (time.Time), got string"},
		{"region", "want north or south"},
		{"siblings", "negative (must be 0 or more)"},
		{"share", "want a decimal.Decimal, got int"},
		{"income", "not whole đồng (write digits only, e.g. 650000, without decimals or thousands separators)"},
		{"disabled", "want true or false, got string"},
		{"bogus", "not a field of the record"},
	}, got)
	assert.False(t, strings.HasPrefix(r.Err.Error(), "line"), "line 0 is no position")
}

// TestReadFile reads by extension and prefixes file-level errors with the path.
func TestReadFile(t *testing.T) {
	s := childSchema(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "kids.JSON")
	require.NoError(t, os.WriteFile(path, []byte(`[{"child_id": "F1", "family": "F", "born": "2021-01-01", "region": "north"}, {}]`), 0o644))
	var recs []records.Record
	_, err := s.ReadFile(path, func(r records.Record) { recs = append(recs, r) })
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assert.NoError(t, recs[0].Err)
	assert.Error(t, recs[1].Err)

	_, err = s.ReadFile(filepath.Join(dir, "kids.txt"), func(records.Record) {})
	assert.ErrorContains(t, err, `unsupported file type ".txt"`)
	_, err = s.ReadFile(filepath.Join(dir, "missing.csv"), func(records.Record) {})
	assert.ErrorIs(t, err, os.ErrNotExist)
	_, err = s.ReadCSV(strings.NewReader("child_id,family\nX,F\n"), func(records.Record) { t.Fatal("no row is read") })
	assert.ErrorContains(t, err, "missing required column(s): born, region")
}

// A read reuses what an earlier read of the schema built (its value
// caches, its map of keys seen) without carrying anything over: the same
// key in two files is no duplicate, and the values read are the same.
func TestReadsShareNothingVisible(t *testing.T) {
	s := childSchema(t)
	in := `[{"child_id": "C1", "family": "F", "born": "2020-03-04", "region": "Bắc", "income": "1500000", "commune": "18112"},
		{"child_id": "C2", "family": "F", "born": "2020-03-04", "region": "nam", "income": "1500000"},
		{"child_id": "C1", "family": "G", "born": "2021-01-01", "region": "Nam"}]`
	read := func() []records.Record {
		var out []records.Record
		_, err := s.ReadJSON(strings.NewReader(in), func(r records.Record) { out = append(out, r) })
		require.NoError(t, err)
		return out
	}
	first, second := read(), read()
	require.Len(t, second, 3)
	for i := range first {
		assert.Equal(t, first[i].Values, second[i].Values, "record %d", i+1)
		assert.Equal(t, first[i].ID, second[i].ID)
	}
	for _, recs := range [][]records.Record{first, second} {
		assert.NoError(t, recs[0].Err, "C1 is new in each read")
		assert.NoError(t, recs[1].Err)
		assert.EqualError(t, recs[2].Err, `record 3: child_id "C1": duplicate: first used on record 1`)
	}
	assert.Equal(t, "south", second[1].Values[3])
	assert.Equal(t, "18112", second[0].Values[8])
}
