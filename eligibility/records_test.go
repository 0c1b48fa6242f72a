package eligibility

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hotro-vn/hotro/internal/table"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testHeader = "person_id,household_id,full_name,birth_date,commune_code,zone,resident,household_poor,household_category,disability,serious_illness,in_care_facility,allowance_coefficient,monthly_allowance,other_income"

// The messages of the Hà Tĩnh record's declaration that several tests expect.
const (
	msgWantZone       = "want rural or urban (or leave it empty to use the commune type)"
	msgWantDisability = "want none, mild, severe or especially_severe"
	msgNotWhole       = "not whole đồng (write digits only, e.g. 650000, without decimals or thousands separators)"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// fieldOrder is the column order of the embedded record's declaration.
var fieldOrder = func() []string {
	var cols []string
	for _, f := range defaultSchema().Decl().Fields {
		cols = append(cols, f.Column)
	}
	return cols
}()

// isField reports whether name is a column of the person record.
func isField(name string) bool { return name != "" && slices.Contains(fieldOrder, name) }

// isBlankRow reports whether ReadCSV skips the row: every cell blank.
func isBlankRow(row []string) bool { return table.IsBlank(row) }

// collect reads records the way the removed eligibility.ReadCSV did: all
// of them, or none with the file-level error.
func collect(read func(each func(Record)) ([]string, error)) ([]Record, []string, error) {
	var recs []Record
	warnings, err := read(func(r Record) { recs = append(recs, r) })
	if err != nil {
		return nil, warnings, err
	}
	return recs, warnings, nil
}

// ReadCSV, ReadJSON and ReadFile read person records with the embedded
// record's declaration.
func ReadCSV(r io.Reader) ([]Record, []string, error) {
	return collect(func(each func(Record)) ([]string, error) { return defaultSchema().ReadCSV(r, each) })
}

func ReadJSON(r io.Reader) ([]Record, []string, error) {
	return collect(func(each func(Record)) ([]string, error) { return defaultSchema().ReadJSON(r, each) })
}

func ReadFile(path string) ([]Record, []string, error) {
	return collect(func(each func(Record)) ([]string, error) { return defaultSchema().ReadFile(path, each) })
}

// plain returns the person a record holds, with the declared defaults
// applied to absent fields, as the decision sees it.
func plain(t testing.TB, r Record) plainPerson {
	t.Helper()
	get := func(name string) any {
		f, _ := r.Schema().Decl().Field(name)
		require.NotNil(t, f, "field %s", name)
		if v, ok := r.Get(name); ok {
			return v
		}
		return f.Default
	}
	str := func(name string) string { s, _ := get(name).(string); return s }
	flag := func(name string) bool { b, _ := get(name).(bool); return b }
	num := func(name string) decimal.NullDecimal {
		d, ok := get(name).(decimal.Decimal)
		return decimal.NullDecimal{Decimal: d, Valid: ok}
	}
	birth, _ := get("birth_date").(time.Time)
	return plainPerson{ID: str("person_id"), HouseholdID: str("household_id"), FullName: str("full_name"), BirthDate: birth,
		CommuneCode: str("commune_code"), Zone: str("declared_zone"), Resident: flag("resident"), HouseholdPoor: flag("household_poor"),
		HouseholdCategory: str("household_category"), Disability: str("disability"), SeriousIllness: flag("serious_illness"),
		InCareFacility: flag("in_care_facility"), AllowanceCoefficient: num("allowance_coefficient"),
		MonthlyAllowance: num("monthly_allowance"), OtherIncome: num("other_income").Decimal}
}

// validate checks what Person.Validate used to: the record's values, built
// again from a program, are all of their fields' types and every required
// field is given.
func validate(r Record) error {
	vals := map[string]any{}
	for i, f := range r.Schema().Decl().Fields {
		if r.Values[i] != nil {
			vals[f.Name] = r.Values[i]
		}
	}
	return r.Schema().Build(r.Line, vals).Err
}

// assertDec checks an exact decimal: same value and same textual form.
func assertDec(t *testing.T, want string, got decimal.Decimal, msgAndArgs ...any) {
	t.Helper()
	assert.True(t, decimal.RequireFromString(want).Equal(got), "want %s, got %s %v", want, got, msgAndArgs)
	assert.Equal(t, want, got.String(), msgAndArgs...)
}

// fieldErrors lists the *FieldError values inside err (one, or joined).
func fieldErrors(t *testing.T, err error) []*FieldError {
	t.Helper()
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*FieldError
		for _, e := range j.Unwrap() {
			fe, ok := e.(*FieldError)
			require.True(t, ok, "joined error %T is not a *FieldError", e)
			out = append(out, fe)
		}
		return out
	}
	fe, ok := err.(*FieldError)
	require.True(t, ok, "error %T is not a *FieldError", err)
	return []*FieldError{fe}
}

func TestReadCSVGood(t *testing.T) {
	recs, warns, err := ReadFile(filepath.Join("testdata", "records", "good.csv"))
	require.NoError(t, err)
	require.Len(t, recs, 4)
	assert.Equal(t, []string{`unknown column "ghi_chu" ignored`}, warns)
	for i, r := range recs {
		assert.NoError(t, r.Err, "record %d", i)
		assert.Equal(t, i+2, r.Line)
		assert.NoError(t, validate(r))
	}

	p := plain(t, recs[0])
	assert.Equal(t, "P001", p.ID)
	assert.Equal(t, "H01", p.HouseholdID)
	assert.Equal(t, "Nguyễn Văn An", p.FullName)
	assert.Equal(t, date(1948, 3, 15), p.BirthDate)
	assert.Equal(t, time.UTC, p.BirthDate.Location())
	assert.Equal(t, "18073", p.CommuneCode)
	assert.Equal(t, "rural", p.Zone)
	assert.True(t, p.Resident)
	assert.True(t, p.HouseholdPoor)
	assert.Equal(t, "btxh", p.HouseholdCategory)
	assert.Equal(t, "severe", p.Disability)
	require.True(t, p.AllowanceCoefficient.Valid)
	assertDec(t, "1.5", p.AllowanceCoefficient.Decimal)
	assert.False(t, p.MonthlyAllowance.Valid)
	assertDec(t, "0", p.OtherIncome)

	p = plain(t, recs[1]) // defaults and "có"
	assert.Equal(t, "", p.Zone)
	assert.True(t, p.Resident, "resident defaults to true")
	_, given := recs[1].Get("resident")
	assert.False(t, given, "the default applies when decided, the record holds no value")
	assert.True(t, p.HouseholdPoor)
	assert.False(t, p.SeriousIllness)
	assert.False(t, p.InCareFacility)
	assert.False(t, p.AllowanceCoefficient.Valid)
	require.True(t, p.MonthlyAllowance.Valid)
	assert.Equal(t, decimal.NewFromInt(650000), p.MonthlyAllowance.Decimal)
	assertDec(t, "650000", p.MonthlyAllowance.Decimal)
	assertDec(t, "0", p.OtherIncome, "other_income defaults to 0")

	p = plain(t, recs[2]) // 0/1 and không
	assert.False(t, p.HouseholdPoor)
	assert.False(t, p.Resident)
	assert.True(t, p.SeriousIllness)
	assert.Equal(t, "urban", p.Zone)
	assertDec(t, "1200000", p.OtherIncome)

	p = plain(t, recs[3]) // spaces around every cell, upper-case booleans
	assert.Equal(t, "P004", p.ID)
	assert.Equal(t, "Lê Thị Dung", p.FullName)
	assert.Equal(t, date(2001, 1, 31), p.BirthDate)
	assert.Equal(t, "other", p.HouseholdCategory)
	assert.Equal(t, "especially_severe", p.Disability)
	assert.False(t, p.HouseholdPoor)
	assert.True(t, p.InCareFacility)
	assertDec(t, "2", p.AllowanceCoefficient.Decimal)
}

func TestReadCSVBad(t *testing.T) {
	recs, warns, err := ReadFile(filepath.Join("testdata", "records", "bad.csv"))
	require.NoError(t, err)
	assert.Empty(t, warns, "trailing blank lines are ignored silently")
	require.Len(t, recs, 25, "records in = records out")

	type problem struct{ field, value, msg string }
	tests := []struct {
		line int
		id   string
		want []problem // nil = valid
	}{
		{2, "B01", nil},
		{3, "", []problem{{"person_id", "", "missing"}}},
		{4, "B03", []problem{{"household_id", "", "missing"}}},
		{5, "B04", []problem{{"birth_date", "", "missing (want YYYY-MM-DD)"}}},
		{6, "B05", nil}, // 15/03/1950: the Vietnamese day/month/year is now read (issue 7)
		{7, "B06", []problem{{"birth_date", "2021-02-29", "not a real date (want YYYY-MM-DD)"}}},
		{8, "B07", []problem{{"birth_date", "2020-13-01", "not a real date (want YYYY-MM-DD)"}}},
		{9, "B08", []problem{{"commune_code", "", "missing (want the 5-digit GSO commune code)"}}},
		{10, "B09", []problem{{"commune_code", "1807", "not a 5-digit GSO commune code (a leading zero lost in a spreadsheet?)"}}},
		{11, "B10", []problem{{"commune_code", "18O73", "not a 5-digit GSO commune code"}}},
		{12, "B11", []problem{{"zone", "town", msgWantZone}}},
		{13, "B12", []problem{{"resident", "yes", "not a yes/no value (want true/false, 1/0 or có/không)"}}},
		{14, "B13", []problem{{"household_poor", "", "missing (want true or false)"}}},
		{15, "B14", []problem{{"household_category", "poor", "want btxh or other"}}},
		{16, "B15", []problem{{"disability", "moderate", "want none, mild, severe or especially_severe"}}},
		{17, "B16", []problem{{"other_income", "-100", "negative (must be 0 or more)"}}},
		{18, "B17", []problem{{"other_income", "100.5", msgNotWhole}}},
		{19, "B18", nil}, // 650.000: dots grouping thousands, as Vietnamese write amounts, are now read (issue 7)
		{20, "B19", []problem{{"monthly_allowance", "abc", "not a number"}}},
		{21, "B20", []problem{{"allowance_coefficient", "-1", "negative (must be 0 or more)"}}},
		{22, "B21", nil}, // 1,5: the Vietnamese decimal comma is now read (issue 7)
		{23, "B01", []problem{{"person_id", "B01", "duplicate: first used on line 2"}}},
		{24, "B23", []problem{
			{"", "", "row has 5 cells but the header has 15"},
			{"household_poor", "", "missing (want true or false)"},
			{"household_category", "", "missing (want btxh or other)"},
		}},
		{25, "B24", []problem{
			{"birth_date", "1950-02-30", "not a real date (want YYYY-MM-DD)"},
			{"zone", "town", msgWantZone},
			{"disability", "blind", msgWantDisability},
		}},
		{26, "B25", nil},
	}
	require.Len(t, tests, len(recs))
	for i, tt := range tests {
		r := recs[i]
		assert.Equal(t, tt.line, r.Line)
		assert.Equal(t, tt.id, r.ID, "line %d", tt.line)
		if tt.want == nil {
			assert.NoError(t, r.Err, "line %d", tt.line)
			continue
		}
		require.Error(t, r.Err, "line %d", tt.line)
		var first *FieldError
		require.True(t, errors.As(r.Err, &first), "line %d", tt.line)
		assert.Equal(t, tt.want[0].field, first.Field, "line %d", tt.line)
		var got []problem
		for _, fe := range fieldErrors(t, r.Err) {
			assert.Equal(t, tt.line, fe.Line)
			got = append(got, problem{fe.Field, fe.Value, fe.Msg})
			assert.Contains(t, r.Err.Error(), fe.Error(), "the message lists every problem")
		}
		assert.Equal(t, tt.want, got, "line %d", tt.line)
	}

	// Rendered messages.
	assert.Equal(t, `line 7: birth_date "2021-02-29": not a real date (want YYYY-MM-DD)`, recs[5].Err.Error())
	assert.Equal(t, `line 3: person_id: missing`, recs[1].Err.Error())
	assert.Equal(t, `line 23: person_id "B01": duplicate: first used on line 2`, recs[21].Err.Error())
	assert.Equal(t, "line 24: row has 5 cells but the header has 15\n"+
		"line 24: household_poor: missing (want true or false)\n"+
		"line 24: household_category: missing (want btxh or other)", recs[22].Err.Error())

	assert.Equal(t, date(1950, 3, 15), plain(t, recs[4]).BirthDate, "line 6: day/month/year")
	assertDec(t, "650000", plain(t, recs[17]).MonthlyAllowance.Decimal, "line 19: 650.000")
	assertDec(t, "1.5", plain(t, recs[20]).AllowanceCoefficient.Decimal, "line 22: 1,5")

	// A bad row keeps whatever could be read.
	assert.Equal(t, "H09", plain(t, recs[21]).HouseholdID)
	assert.Equal(t, "18073", plain(t, recs[22]).CommuneCode)

	good := plain(t, recs[24])
	assert.Equal(t, "Good Two", good.FullName)
	assert.True(t, good.Resident)
	assert.False(t, good.HouseholdPoor)
	assert.True(t, good.InCareFacility)
	assertDec(t, "1.25", good.AllowanceCoefficient.Decimal)
	assertDec(t, "480000", good.MonthlyAllowance.Decimal)
	assertDec(t, "300000", good.OtherIncome)
}

func TestReadCSVBOMAndCRLF(t *testing.T) {
	body := testHeader + ",ghi_chu\r\n" +
		"P1,H1,An,1950-01-01,18073,,,true,btxh,,,,1.5,650000,,x\r\n" +
		"P2,H1,Bình,1951-02-03,18073,,,false,other,,,,,,,y\r\n" +
		"\r\n"
	for name, input := range map[string]string{
		"plain":    body,
		"BOM":      "\uFEFF" + body,
		"BOM+LF":   "\uFEFF" + strings.ReplaceAll(body, "\r\n", "\n"),
		"quoted":   "\uFEFF\"person_id\"" + strings.TrimPrefix(body, "person_id"),
		"no final": strings.TrimSuffix(body, "\r\n\r\n"),
	} {
		t.Run(name, func(t *testing.T) {
			recs, warns, err := ReadCSV(strings.NewReader(input))
			require.NoError(t, err)
			assert.Equal(t, []string{`unknown column "ghi_chu" ignored`}, warns)
			require.Len(t, recs, 2)
			for _, r := range recs {
				require.NoError(t, r.Err)
			}
			assert.Equal(t, "P1", recs[0].ID)
			assert.Equal(t, 3, recs[1].Line)
			assertDec(t, "650000", plain(t, recs[0]).MonthlyAllowance.Decimal)
			assertDec(t, "1.5", plain(t, recs[0]).AllowanceCoefficient.Decimal)
		})
	}
}

func TestReadCSVFileErrors(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"empty", "", "empty file: no header row"},
		{"blank lines only", "\n\n", "empty file: no header row"},
		{"missing columns", "person_id,full_name,zone\nP1,A,rural\n",
			"missing required column(s): household_id, birth_date, commune_code, household_poor, household_category"},
		{"no header, data only", "P1,H1,,1950-01-01,18073,,,true,btxh\n", "missing required column(s): person_id"},
		{"column twice", testHeader + ",Person_ID\n", `column "person_id" appears twice (columns 1 and 16)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, _, err := ReadCSV(strings.NewReader(tt.input))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Nil(t, recs)
		})
	}
}

func TestReadCSVRowsKept(t *testing.T) {
	input := testHeader + ",,Extra\n" +
		"P1,H1,,1950-01-01,18073,,,true,btxh,,,,,,,,\n" +
		",,,,,,,,,,,,,,,,\n" + // blank row in the middle: warning, not a record
		"P2,H1,\"unterminated \"quote,1950-01-01,18073,,,true,btxh,,,,,,,,\n" +
		"P3,H1,,1950-01-01,18073,,,true,btxh,,,,,,,,\n" +
		"  ,  ,\n"
	recs, warns, err := ReadCSV(strings.NewReader(input))
	require.NoError(t, err)
	assert.Equal(t, []string{"column 16 has no name; ignored", `unknown column "Extra" ignored`, "line 3: blank row ignored"}, warns)
	require.Len(t, recs, 3)
	assert.Equal(t, []int{2, 4, 5}, []int{recs[0].Line, recs[1].Line, recs[2].Line})
	assert.NoError(t, recs[0].Err)
	assert.NoError(t, recs[2].Err)
	var fe *FieldError
	require.True(t, errors.As(recs[1].Err, &fe))
	assert.Equal(t, "", fe.Field)
	assert.Contains(t, fe.Error(), "line 4: cannot read this row: ")
}

func TestReadJSON(t *testing.T) {
	recs, warns, err := ReadFile(filepath.Join("testdata", "records", "people.json"))
	require.NoError(t, err)
	require.Len(t, recs, 5, "records in = records out")
	assert.Equal(t, []string{
		`unknown key "ghi_chu" ignored (first in record 1)`,
		`unknown key "nguon" ignored (first in record 2)`,
	}, warns, "each unknown key is reported once")
	for i, r := range recs {
		assert.Equal(t, i+1, r.Line)
	}

	p := plain(t, recs[0])
	require.NoError(t, recs[0].Err)
	assert.Equal(t, date(1950, 5, 5), p.BirthDate)
	assertDec(t, "1.1", p.AllowanceCoefficient.Decimal, "no float64 on the way")
	assertDec(t, "12345678901234567", p.OtherIncome, "no float64 on the way")

	p = plain(t, recs[1])
	require.NoError(t, recs[1].Err)
	assert.Equal(t, "1002", p.ID, "a numeric id is read as text")
	assert.True(t, p.HouseholdPoor, "number 1")
	assert.True(t, p.Resident, `"có"`)
	assert.False(t, p.SeriousIllness, "number 0")
	assert.Equal(t, "", p.Zone, "null = absent")
	assert.Equal(t, decimal.NewFromInt(650000), p.MonthlyAllowance.Decimal)

	assert.Equal(t, "record 3: element is a string, want an object with the record's fields", recs[2].Err.Error())

	type problem struct{ field, value, msg string }
	var got []problem
	for _, fe := range fieldErrors(t, recs[3].Err) {
		got = append(got, problem{fe.Field, fe.Value, fe.Msg})
	}
	assert.Equal(t, []problem{
		{"birth_date", "2021-02-29", "not a real date (want YYYY-MM-DD)"},
		{"household_poor", "maybe", "not a yes/no value (want true/false, 1/0 or có/không)"},
		{"disability", "", "want a single value, not an object or array"},
		{"monthly_allowance", "6.5e5", "write the number in full, without an exponent"},
		{"other_income", "100.5", msgNotWhole},
	}, got)
	assert.Equal(t, "18073", plain(t, recs[3]).CommuneCode, "a numeric commune code is read as text")

	got = nil
	for _, fe := range fieldErrors(t, recs[4].Err) {
		got = append(got, problem{fe.Field, fe.Value, fe.Msg})
	}
	assert.Equal(t, []problem{
		{"person_id", "J001", "duplicate: first used on record 1"},
		{"full_name", "true", "want text, not true/false"},
		{"allowance_coefficient", "-0.5", "negative (must be 0 or more)"},
	}, got)
}

func TestReadJSONExactNumbers(t *testing.T) {
	in := `[{"person_id":"a","household_id":"h","birth_date":"2000-01-01","commune_code":"18073",
	 "household_poor":false,"household_category":"other",
	 "allowance_coefficient":0.1000000000000000055511151231257827,
	 "monthly_allowance":650000.0,"other_income":"99999999999999999999"}]`
	recs, warns, err := ReadJSON(strings.NewReader(in))
	require.NoError(t, err)
	assert.Empty(t, warns)
	require.Len(t, recs, 1)
	require.NoError(t, recs[0].Err)
	p := plain(t, recs[0])
	assertDec(t, "0.1000000000000000055511151231257827", p.AllowanceCoefficient.Decimal)
	assert.Equal(t, decimal.NewFromInt(650000), p.MonthlyAllowance.Decimal)
	assertDec(t, "99999999999999999999", p.OtherIncome)
}

func TestReadJSONFileErrors(t *testing.T) {
	tests := []struct{ name, input, want string }{
		{"empty", "", "empty file"},
		{"object", `{"person_id":"a"}`, "top level must be a JSON array"},
		{"broken", `[{"person_id":"a"`, "not valid JSON"},
		{"not closed", `[{"person_id":"a"}`, "not valid JSON"},
		{"trailing", `[] []`, "unexpected data after the array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, _, err := ReadJSON(strings.NewReader(tt.input))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Nil(t, recs)
		})
	}
	recs, warns, err := ReadJSON(strings.NewReader(" [ ] "))
	require.NoError(t, err)
	assert.Empty(t, recs)
	assert.Equal(t, []string{"no records in the file"}, warns)
}

func TestReadFileExtension(t *testing.T) {
	_, _, err := ReadFile("people.xlsx")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unsupported file type ".xlsx"`)

	dir := t.TempDir()
	path := filepath.Join(dir, "X.JSON")
	require.NoError(t, os.WriteFile(path, []byte(`[{}]`), 0o600))
	recs, _, err := ReadFile(path)
	require.NoError(t, err)
	require.Len(t, recs, 1)
	assert.Error(t, recs[0].Err)

	_, _, err = ReadFile(filepath.Join(dir, "missing.csv"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// TestPersonRecord: a Person is checked as its record, with the field
// the error names; nothing is taken from a zero value.
func TestPersonRecord(t *testing.T) {
	ok := Person{ID: "P1", HouseholdID: "H1", BirthDate: date(1950, 1, 1), CommuneCode: "18073",
		Resident: Bool(true), HouseholdPoor: Bool(false), HouseholdCategory: "btxh", Disability: "none", OtherIncome: decimal.NewNullDecimal(decimal.Zero)}
	require.NoError(t, ok.Record(0).Err)

	tests := []struct {
		name   string
		change func(*Person)
		field  string
	}{
		{"no id", func(p *Person) { p.ID = "" }, "person_id"},
		{"no household", func(p *Person) { p.HouseholdID = "" }, "household_id"},
		{"no birth date", func(p *Person) { p.BirthDate = time.Time{} }, "birth_date"},
		{"commune", func(p *Person) { p.CommuneCode = "180733" }, "commune_code"},
		{"zone", func(p *Person) { p.Zone = "Rural" }, "zone"},
		{"category", func(p *Person) { p.HouseholdCategory = "" }, "household_category"},
		{"disability", func(p *Person) { p.Disability = "blind" }, "disability"},
		{"household poor", func(p *Person) { p.HouseholdPoor = nil }, "household_poor"},
		{"coefficient", func(p *Person) { p.AllowanceCoefficient = decimal.NewNullDecimal(decimal.RequireFromString("-0.1")) }, "allowance_coefficient"},
		{"allowance fraction", func(p *Person) { p.MonthlyAllowance = decimal.NewNullDecimal(decimal.RequireFromString("0.5")) }, "monthly_allowance"},
		{"income negative", func(p *Person) { p.OtherIncome = decimal.NewNullDecimal(decimal.NewFromInt(-1)) }, "other_income"},
		{"first of two", func(p *Person) { p.Zone = "x"; p.ID = "" }, "person_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ok
			tt.change(&p)
			err := p.Record(0).Err
			var fe *FieldError
			require.True(t, errors.As(err, &fe), "got %v", err)
			assert.Equal(t, tt.field, fe.Field)
			assert.Equal(t, 0, fe.Line)
			assert.False(t, strings.HasPrefix(fe.Error(), "line"))
		})
	}
	// Zero coefficient, zero allowance and urban zone are fine; an empty
	// disability, resident, illness, care and income take their declared
	// defaults (none, true, false, false, 0) where Validate refused "".
	p := ok
	p.Zone = "urban"
	p.AllowanceCoefficient = decimal.NewNullDecimal(decimal.Zero)
	p.MonthlyAllowance = decimal.NewNullDecimal(decimal.Zero)
	assert.NoError(t, p.Record(0).Err)
	p = Person{ID: "P1", HouseholdID: "H1", BirthDate: date(1950, 1, 1), CommuneCode: "18073", HouseholdPoor: Bool(true), HouseholdCategory: "btxh"}
	rec := p.Record(0)
	require.NoError(t, rec.Err)
	got := plain(t, rec)
	assert.Equal(t, "none", got.Disability)
	assert.True(t, got.Resident)
	assert.False(t, got.SeriousIllness)
	assert.False(t, got.InCareFacility)
	assertDec(t, "0", got.OtherIncome)
}

// csvDataRows counts the data rows encoding/csv sees the way ReadCSV must
// keep them: every row after the header, an unparseable one counting once,
// all-blank ones skipped.
func csvDataRows(data []byte) (n int) {
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
	cr.FieldsPerRecord = -1
	for i := 0; ; i++ {
		row, err := cr.Read()
		if err == io.EOF {
			return n
		}
		if err == nil && isBlankRow(row) || i == 0 {
			continue
		}
		n++
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, name := range []string{"good.csv", "bad.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata", "records", name))
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte("\uFEFF" + testHeader + "\r\nP1,H1,,1950-01-01,18073,,,true,btxh,,,,1.5,650000,0\r\n"))
	f.Add([]byte(testHeader + "\nP1,H1,\"a\nb\",1950-01-01,18073\n\"x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var recs []Record
		var err error
		guard(t, "ReadCSV", func() { recs, _, err = ReadCSV(bytes.NewReader(data)) }) // the cost oracle (fuzz_test.go)
		if err != nil {
			return
		}
		want := csvDataRows(data)
		if len(recs) != want {
			t.Fatalf("records in = %d, records out = %d", want, len(recs))
		}
		last := 1
		for _, r := range recs {
			if r.Line <= last {
				t.Fatalf("line %d after line %d", r.Line, last)
			}
			last = r.Line
			if r.Err == nil {
				if err := validate(r); err != nil {
					t.Fatalf("line %d: no Err but Validate says %v", r.Line, err)
				}
				continue
			}
			var fe *FieldError
			if !errors.As(r.Err, &fe) || fe.Line != r.Line {
				t.Fatalf("line %d: Err %v is not a *FieldError of that line", r.Line, r.Err)
			}
		}
	})
}
