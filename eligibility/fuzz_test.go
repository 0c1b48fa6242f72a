package eligibility

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	guarded "github.com/hotro-vn/hotro/internal/guard"
	"github.com/hotro-vn/hotro/rulesets"
	"gopkg.in/yaml.v3"
)

// The record readers' promise, which these targets hold them to: whatever
// the input, no panic and no hang, and either records or a file-level
// error that says where the file is wrong. Each record that cannot be used
// carries one *FieldError per problem, each with the record's position
// (Record.Line: the CSV line, or the 1-based index in the JSON array) and,
// when the problem is with one field, that field's name. A record without
// error is one that the schema builds again without error (validate), and deciding it does not panic.
// docs/fuzzing.md records how long each target ran and what it found.

// fuzzDeadline bounds one input.
const fuzzDeadline = 1 * time.Second // with guard.MaxAlloc, the cost oracle of docs/fuzzing.md

// guard runs f under the deadline: a panic or a hang fails the test.
func guard(t *testing.T, what string, f func()) { guarded.Run(t, what, fuzzDeadline, f) }

// caseInputs returns the inputs of every person case of the shipped rule
// sets: records written by policy staff, the best seeds there are.
func caseInputs(tb testing.TB) []map[string]string {
	tb.Helper()
	var out []map[string]string
	err := fs.WalkDir(rulesets.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(p) != "cases.yaml" {
			return err
		}
		data, err := fs.ReadFile(rulesets.FS, p)
		if err != nil {
			return err
		}
		var doc struct {
			Model string
			Cases []struct{ Input map[string]string }
		}
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return err
		}
		if doc.Model == "person" {
			for _, c := range doc.Cases {
				out = append(out, c.Input)
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if len(out) == 0 {
		tb.Fatal("no person cases in the shipped rule sets")
	}
	return out
}

var (
	engineOnce sync.Once
	engine     *Engine
	engineErr  error
)

// decideAll decides every record without error on a few dates, under the
// shipped rules. Only a panic or a hang is wrong: a decision may be an
// error (an unknown commune).
func decideAll(t *testing.T, recs []Record) {
	engineOnce.Do(func() { engine, engineErr = Default() })
	if engineErr != nil {
		t.Fatal(engineErr)
	}
	guard(t, "Decide", func() {
		for _, r := range recs {
			if r.Err != nil {
				continue
			}
			for _, d := range []time.Time{time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC)} {
				if day, err := engine.On(d); err == nil {
					_, _ = day.DecideRecord(r)
				}
			}
		}
	})
}

// checkRecord asserts the contract of one record read from a file.
func checkRecord(t *testing.T, r Record) {
	t.Helper()
	if r.Err == nil {
		if err := validate(r); err != nil {
			t.Fatalf("record %d: no Err, but Validate says %v", r.Line, err)
		}
		return
	}
	all := []error{r.Err}
	if j, ok := r.Err.(interface{ Unwrap() []error }); ok {
		all = j.Unwrap()
	}
	for _, err := range all {
		fe, ok := err.(*FieldError)
		switch {
		case !ok:
			t.Fatalf("record %d: problem %v is a %T, not a *FieldError", r.Line, err, err)
		case fe.Line != r.Line:
			t.Fatalf("record %d: problem %q is placed at %d", r.Line, fe, fe.Line)
		case fe.Field != "" && !isField(fe.Field):
			t.Fatalf("record %d: problem %q names field %q, which records do not have", r.Line, fe, fe.Field)
		case fe.Msg == "":
			t.Fatalf("record %d: problem with field %q has no message", r.Line, fe.Field)
		case utf8.RuneCountInString(fe.Value) > 41:
			t.Fatalf("record %d: value %q of field %s is not shortened", r.Line, fe.Value, fe.Field)
		}
	}
}

// topArray returns the elements of data when it is valid JSON whose top
// level is an array.
func topArray(data []byte) ([]json.RawMessage, bool) {
	var elems []json.RawMessage
	if !bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("[")) || json.Unmarshal(data, &elems) != nil {
		return nil, false
	}
	return elems, true
}

// The file-level errors of ReadJSON, and where each places the problem:
// the whole file (empty, not an array, not JSON from its first value),
// the end (array not closed), after the array, or record N.
var (
	jsonFileErrors = []*regexp.Regexp{
		regexp.MustCompile(`^empty file: `),
		regexp.MustCompile(`^the top level must be a JSON array of records$`),
		regexp.MustCompile(`^not valid JSON: array not closed: `),
		regexp.MustCompile(`^not valid JSON: unexpected data after the array$`),
		regexp.MustCompile(`^not valid JSON: `), // the first value: only before the array opens
	}
	jsonRecordError = regexp.MustCompile(`^record (\d+): not valid JSON: `)
)

// checkJSONFileError asserts that err is one of ReadJSON's file-level
// errors and that an error inside the array names its record.
func checkJSONFileError(t *testing.T, err error, data []byte) {
	t.Helper()
	msg := err.Error()
	opened := bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("["))
	if m := jsonRecordError.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		if !opened || n < 1 || n > len(data) {
			t.Fatalf("%q: record %d cannot be where the input is wrong", msg, n)
		}
		return
	}
	for i, re := range jsonFileErrors {
		if re.MatchString(msg) {
			if i == len(jsonFileErrors)-1 && opened {
				t.Fatalf("%q: an error inside the array must name its record", msg)
			}
			return
		}
	}
	t.Fatalf("unexpected kind of error: %q", msg)
}

// FuzzReadJSON checks ReadJSON against encoding/json: a valid JSON array is
// read, one record per element in order; anything else is refused with one
// of the errors above, never read.
func FuzzReadJSON(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "records", "people.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	inputs := caseInputs(f)
	all, err := json.Marshal(inputs)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(all)
	for _, in := range inputs[:5] {
		one, _ := json.Marshal([]any{in})
		f.Add(one)
	}
	for _, s := range []string{"", " ", "[]", "null", "{}", `"x"`, "[1, \"x\", null, true, [], {}]", "[{}] []", "[{}",
		"\uFEFF[]", `[{"person_id": {"a": [1, 2]}, "Person_ID": "x", "PERSON_ID ": 1}]`, `[{"other_income": 1e400}]`,
		`[{"monthly_allowance": -0.0, "allowance_coefficient": 1E-7, "birth_date": "0000-00-00"}]`,
		strings.Repeat("[", 200) + strings.Repeat("]", 200)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var recs []Record
		var err error
		guard(t, "ReadJSON", func() { recs, _, err = ReadJSON(bytes.NewReader(data)) })
		elems, isArray := topArray(data)
		if err != nil {
			if isArray {
				t.Fatalf("a valid JSON array is refused: %v", err)
			}
			if recs != nil {
				t.Fatalf("records returned with the file-level error %v", err)
			}
			checkJSONFileError(t, err, data)
			return
		}
		if !isArray {
			t.Fatalf("input that is not a valid JSON array is read as %d records", len(recs))
		}
		if len(recs) != len(elems) {
			t.Fatalf("%d elements in, %d records out", len(elems), len(recs))
		}
		for i, r := range recs {
			if r.Line != i+1 {
				t.Fatalf("record %d has Line %d", i+1, r.Line)
			}
			checkRecord(t, r)
		}
		decideAll(t, recs)
	})
}

// The file-level errors of ReadCSV; each names the place: the header row
// (line 1, or the line the csv package gives) or the columns concerned.
var csvFileErrors = []*regexp.Regexp{
	regexp.MustCompile(`^empty file: no header row$`),
	regexp.MustCompile(`^cannot read the header row: (record on line|parse error on line) \d+`),
	regexp.MustCompile(`^column ".*" appears twice \(columns \d+ and \d+\)$`),
	regexp.MustCompile(`^missing required column\(s\): [a-z_]+(, [a-z_]+)*$`),
}

// FuzzReadCSVPositions adds to FuzzReadCSV (records_test.go) the checks of
// the file-level errors and of every problem of a record, not only the
// first, and decides the records read; it is seeded with the shipped
// person cases as well.
func FuzzReadCSVPositions(f *testing.F) {
	for _, name := range []string{"good.csv", "bad.csv"} {
		data, err := os.ReadFile(filepath.Join("testdata", "records", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add(casesCSV(f, caseInputs(f)))
	for _, s := range []string{"", "\n", "person_id\n", "\uFEFF" + strings.Join(fieldOrder, ",") + "\r\n,,\r\n",
		"person_id,person_id\n", "\"a\nb\",c\n", "a,\"b\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var recs []Record
		var err error
		guard(t, "ReadCSV", func() { recs, _, err = ReadCSV(bytes.NewReader(data)) })
		if err != nil {
			if recs != nil {
				t.Fatalf("records returned with the file-level error %v", err)
			}
			for _, re := range csvFileErrors {
				if re.MatchString(err.Error()) {
					return
				}
			}
			t.Fatalf("unexpected kind of error: %q", err)
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, r := range recs {
			if r.Line < 2 || r.Line > lines {
				t.Fatalf("record at line %d, outside the data lines 2–%d", r.Line, lines)
			}
			checkRecord(t, r)
		}
		decideAll(t, recs)
	})
}

// casesCSV writes case inputs as a CSV file with every column.
func casesCSV(tb testing.TB, inputs []map[string]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(fieldOrder)
	for _, in := range inputs {
		row := make([]string, len(fieldOrder))
		for i, f := range fieldOrder {
			row[i] = in[f]
		}
		_ = w.Write(row)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// FuzzRecordFormats writes one record, given as text for each field, both
// as CSV and as JSON (every value a string), and checks that the two
// readers agree: the same person and the same problems.
func FuzzRecordFormats(f *testing.F) {
	for _, in := range caseInputs(f) {
		v := func(i int) string { return in[fieldOrder[i]] }
		f.Add(v(0), v(1), v(2), v(3), v(4), v(5), v(6), v(7), v(8), v(9), v(10), v(11), v(12), v(13), v(14))
	}
	f.Add("p", "h", "", "2020-02-30", "1807", "Urban", "Có", "KHÔNG", "BTXH", "Severe", "1", "0", "1,5", "650.000", " -1 ")
	f.Fuzz(func(t *testing.T, id, household, name, birth, commune, zone, resident, poor, category, disability,
		illness, care, coefficient, allowance, income string) {
		values := []string{id, household, name, birth, commune, zone, resident, poor, category, disability,
			illness, care, coefficient, allowance, income}
		blank := true
		for _, v := range values {
			// CSV turns \r\n into \n inside a quoted cell, and JSON cannot
			// carry invalid UTF-8: neither is a disagreement of the readers.
			if strings.Contains(v, "\r") || !utf8.ValidString(v) {
				t.Skip()
			}
			blank = blank && strings.TrimSpace(v) == ""
		}
		if blank {
			t.Skip("a blank CSV row is skipped, a JSON record of empty strings is not")
		}
		obj := map[string]string{}
		for i, field := range fieldOrder[:len(values)] { // the fields after these are optional text
			obj[field] = values[i]
		}
		inJSON, err := json.Marshal([]any{obj})
		if err != nil {
			t.Fatal(err)
		}
		inCSV := casesCSV(t, []map[string]string{obj})
		var fromCSV, fromJSON []Record
		var errCSV, errJSON error
		guard(t, "ReadCSV", func() { fromCSV, _, errCSV = ReadCSV(bytes.NewReader(inCSV)) })
		guard(t, "ReadJSON", func() { fromJSON, _, errJSON = ReadJSON(bytes.NewReader(inJSON)) })
		if errCSV != nil || errJSON != nil {
			t.Fatalf("file-level errors: CSV %v, JSON %v", errCSV, errJSON)
		}
		if len(fromCSV) != 1 || len(fromJSON) != 1 {
			t.Fatalf("%d records from CSV, %d from JSON", len(fromCSV), len(fromJSON))
		}
		c, j := fromCSV[0], fromJSON[0]
		if pc, pj := fmt.Sprintf("%s %v", c.ID, c.Values), fmt.Sprintf("%s %v", j.ID, j.Values); pc != pj {
			t.Fatalf("the readers disagree on the person:\nCSV  %s\nJSON %s", pc, pj)
		}
		if pc, pj := problems(c.Err), problems(j.Err); pc != pj {
			t.Fatalf("the readers disagree on the problems:\nCSV  %s\nJSON %s", pc, pj)
		}
	})
}

// problems lists a record's problems without their position, which is a
// line in CSV and an index in JSON.
func problems(err error) string {
	if err == nil {
		return ""
	}
	all := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		all = j.Unwrap()
	}
	var out []string
	for _, e := range all {
		var fe *FieldError
		if errors.As(e, &fe) {
			out = append(out, fmt.Sprintf("%s %q: %s", fe.Field, fe.Value, fe.Msg))
		} else {
			out = append(out, e.Error())
		}
	}
	return strings.Join(out, "; ")
}
