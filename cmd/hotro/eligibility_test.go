package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/hotro-vn/hotro/rulesets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hotro runs the CLI in-process and returns the exit status, stdout and stderr.
func hotro(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// copyRules copies the shipped 2020–2025 rule set into a temporary directory
// and applies edits: each is file, old text, new text.
func copyRules(t *testing.T, edits ...[3]string) string {
	t.Helper()
	dir := t.TempDir()
	sub, err := fs.Sub(rulesets.FS, "hatinh-2020-2025")
	require.NoError(t, err)
	require.NoError(t, os.CopyFS(dir, sub))
	for _, e := range edits {
		p := filepath.Join(dir, e[0])
		b, err := os.ReadFile(p)
		require.NoError(t, err)
		require.Contains(t, string(b), e[1])
		require.NoError(t, os.WriteFile(p, []byte(strings.Replace(string(b), e[1], e[2], 1)), 0o644))
	}
	return dir
}

func TestCheckDefault(t *testing.T) {
	code, out, errOut := hotro("check")
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "rule no_labour_capacity_group     interpretation")
	assert.Contains(t, out, "formula topup                     enacted        round_up(max(0, poverty_line - income), topup_step)\n")
	assert.Contains(t, out, "ok (32 warnings)\n")
	assert.Contains(t, errOut, "hatinh-2020-2025/eligibility.yaml:149:9: warning: rule resident is an interpretation, not enacted text")
}

// TestCheckBrokenCopy: a misspelt key, a type error, an unknown parameter and
// a parameter gap are all reported, each as file:line:col, and check exits 1.
func TestCheckBrokenCopy(t *testing.T) {
	dir := copyRules(t,
		[3]string{"eligibility.yaml", "    cites: Điều 2 Nghị quyết 179/2019/NQ-HĐND\n    message:", "    cities: Điều 2 Nghị quyết 179/2019/NQ-HĐND\n    message:"},
		[3]string{"eligibility.yaml", "when: household_poor\n", "when: household_poor + 1\n"},
		[3]string{"eligibility.yaml", "max(0, poverty_line - income)", "max(0, poverty_lines - income)"},
		[3]string{"parameters.yaml", "      - from: 2016-01-01\n        value: {rural: 700000", "      - from: 2020-02-01\n        value: {rural: 700000"},
	)
	code, _, errOut := hotro("check", dir)
	assert.Equal(t, 1, code)
	for _, want := range []string{
		"eligibility.yaml:137:5: unknown key \"cities\" in a rule (did you mean \"cites\"?)",
		"eligibility.yaml:136:26: rule poor_household: invalid operation: + (mismatched types bool and int)",
		"eligibility.yaml:190:27: formula topup: \"poverty_lines\" is not an input, parameter or formula of this model (did you mean \"poverty_line\"?)",
		"parameters.yaml:11:9: parameter poverty_line has no value from 2020-01-01 (the phase start) to 2020-01-31",
	} {
		assert.Contains(t, errOut, filepath.Join(dir, want), "missing: %s\n%s", want, errOut)
	}
	assert.True(t, strings.HasSuffix(errOut, "\n4 problems found\n"), errOut)
}

func TestTestCommand(t *testing.T) {
	code, out, _ := hotro("test", "--min-coverage", "100")
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "101 passed, 0 failed")
	assert.Contains(t, out, "coverage: rules 100% (30 of 30 pass and fail), parameter values 100% (39 of 39 reached)")

	// A rule no case makes fail brings the coverage under 100%.
	dir := copyRules(t, [3]string{"eligibility.yaml", "formulas:\n", `  - id: known_birth_date
    when: age >= 0
    cites: test
formulas:
`})
	code, out, _ = hotro("test", "--min-coverage", "100", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "rule hatinh-nq179-2020-2025/known_birth_date: pass yes, fail no — no case makes it fail")
	assert.Contains(t, out, "coverage below 100%")

	// A wrong expectation is printed with expected and actual values.
	dir = copyRules(t, [3]string{"cases.yaml", `monthly_topup: "630000", zone: "urban", poverty_line: "900000"`, `monthly_topup: "640000", zone: "urban", poverty_line: "900000"`})
	code, out, _ = hotro("test", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "monthly_topup: expected 640000, got 630000")
	assert.Contains(t, out, "71 passed, 1 failed") // the copy holds the person and quota cases of 2020–2025
}

// TestEvalRowsInRowsOut: every record gets a row, in order; the command
// exits 1 because some were in error.
func TestEvalRowsInRowsOut(t *testing.T) {
	code, out, errOut := hotro("eval", "--date", "2024-07-01", "../../examples/persons-with-errors.csv")
	assert.Equal(t, 1, code)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 9) // header + 8 records
	assert.Equal(t, []string{"person_id", "eligible", "monthly_topup", "failed_rules", "error"}, rows[0])
	assert.Equal(t, []string{"HT-0101", "true", "1000000", "", ""}, rows[1])
	assert.Equal(t, "line 6: commune_code \"99999\": no commune has code \"99999\"", rows[5][4])
	assert.Contains(t, errOut, "8 records in, 8 rows out: 2 eligible, 0 not eligible, 6 in error")

	code, out, _ = hotro("eval", "--date", "2024-07-01", "--explain", "../../examples/persons.csv")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "[không đạt] Thường trú trên địa bàn tỉnh Hà Tĩnh — resident")

	code, _, errOut = hotro("eval", "--date", "2019-01-01", "../../examples/persons.csv")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "no rule set in force on 2019-01-01; the phases available are hatinh-nq179-2020-2025 (2020-01-01 to 2025-12-31)")

	code, _, _ = hotro("eval", "../../examples/persons.csv")
	assert.Equal(t, 2, code)
}

// TestSchedule: months with their own parameters and a total per person.
func TestScheduleCommand(t *testing.T) {
	code, out, errOut := hotro("schedule", "--from", "2021-05", "--to", "2022-02", "../../examples/persons.csv")
	assert.Equal(t, 0, code, errOut)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	assert.Len(t, rows, 1+12*11) // header + 12 persons × (10 months + total)
	// HT-0005: Thị trấn Phố Châu (urban), coefficient 1.0: 900,000 − 270,000 = 630,000 in 2021-05,
	// 900,000 − 360,000 = 540,000 from 2021-07, 2,000,000 − 360,000 = 1,640,000 from 2022-01.
	var got []string
	for _, r := range rows {
		if r[0] == "HT-0005" {
			got = append(got, r[1]+" "+r[3]+" "+r[5]+" "+r[6])
		}
	}
	assert.Equal(t, []string{
		"2021-05 630000 900000 270000", "2021-06 630000 900000 270000",
		"2021-07 540000 900000 360000", "2021-08 540000 900000 360000", "2021-09 540000 900000 360000",
		"2021-10 540000 900000 360000", "2021-11 540000 900000 360000", "2021-12 540000 900000 360000",
		"2022-01 1640000 2000000 360000", "2022-02 1640000 2000000 360000",
		"total 7780000  ", // 2×630,000 + 6×540,000 + 2×1,640,000
	}, got)
}

// withStdin runs f with the package's standard input replaced by s.
func withStdin(t *testing.T, s string, f func()) {
	t.Helper()
	old := stdin
	stdin = strings.NewReader(s)
	defer func() { stdin = old }()
	f()
}

// TestEvalStdinJSON: `hotro eval --format json -` reads CSV from standard
// input; on 2024-07-01 a 74-year-old of a rural commune with an allowance
// of 500,000 gets 1,500,000 − 500,000 = 1,000,000; a bad row is an error
// object, rows in = rows out.
func TestEvalStdinJSON(t *testing.T) {
	var code int
	var out, errOut string
	withStdin(t, "person_id,household_id,birth_date,commune_code,household_poor,household_category,monthly_allowance\n"+
		"A1,H1,1950-03-15,18112,true,btxh,500000\n"+
		"A2,H2,1990-02-30,18112,true,btxh,500000\n", func() {
		code, out, errOut = hotro("eval", "--date", "2024-07-01", "--format", "json", "-")
	})
	require.Equal(t, 1, code, "a record in error: exit 1; %s", errOut)
	var got []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &got), out)
	require.Len(t, got, 2)
	assert.Equal(t, "A1", got[0]["person_id"])
	assert.Equal(t, true, got[0]["eligible"])
	assert.Equal(t, "1000000", got[0]["monthly_topup"])
	assert.Equal(t, "A2", got[1]["person_id"])
	assert.Nil(t, got[1]["eligible"])
	assert.Equal(t, `line 3: birth_date "1990-02-30": not a real date (want YYYY-MM-DD)`, got[1]["error"])
}

// TestScheduleStdinJSON: `hotro schedule --format json -` reads a JSON array
// from standard input. Born on 2020-01-09: 2020-01 is in error on its own,
// 2020-02 and 2020-03 are answered (a child, rural line 700,000, allowance
// 1.0 × 270,000: 430,000 each).
func TestScheduleStdinJSON(t *testing.T) {
	var code int
	var out, errOut string
	withStdin(t, `[{"person_id": "B1", "household_id": "H1", "birth_date": "2020-01-09", "commune_code": "18112",
	  "household_poor": true, "household_category": "btxh", "allowance_coefficient": 1}]`, func() {
		code, out, errOut = hotro("schedule", "--from", "2020-01", "--to", "2020-03", "--format", "json", "-")
	})
	require.Equal(t, 1, code, "a month in error: exit 1; %s", errOut)
	assert.Contains(t, errOut, "1 month in error")
	var got []struct {
		PersonID string `json:"person_id"`
		Months   []struct {
			Month        string `json:"month"`
			Eligible     *bool  `json:"eligible"`
			MonthlyTopup string `json:"monthly_topup"`
			Error        string `json:"error"`
		} `json:"months"`
		Total string `json:"total"`
		Error string `json:"error"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got), out)
	require.Len(t, got, 1)
	s := got[0]
	assert.Equal(t, "B1", s.PersonID)
	assert.Empty(t, s.Error)
	require.Len(t, s.Months, 3)
	assert.Equal(t, "2020-01", s.Months[0].Month)
	assert.Contains(t, s.Months[0].Error, "after the evaluation date")
	assert.Nil(t, s.Months[0].Eligible)
	for _, m := range s.Months[1:] {
		assert.Empty(t, m.Error, m.Month)
		assert.Equal(t, "430000", m.MonthlyTopup, m.Month)
	}
	assert.Equal(t, "860000", s.Total)
}

// A stream's collector: off until the heap reaches firstCollection (or a
// collection happens), then at 200%; restored at the end; left alone when
// GOGC or GOMEMLIMIT is set.
func TestStreamGC(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	limit := debug.SetMemoryLimit(-1) // -1 reads it
	restore := streamGC()
	require.Equal(t, int64(firstCollection), debug.SetMemoryLimit(-1))
	runtime.GC() // the first collection
	for deadline := time.Now().Add(10 * time.Second); debug.SetMemoryLimit(-1) != limit; {
		require.True(t, time.Now().Before(deadline), "the collector is not set for the rest of the stream")
		runtime.Gosched()
	}
	require.Equal(t, 200, debug.SetGCPercent(200), "200%% after the first collection")
	restore()
	require.Equal(t, 100, debug.SetGCPercent(100), "the percentage before")
	require.Equal(t, limit, debug.SetMemoryLimit(-1))

	restore = streamGC() // restored before any collection: nothing is left to come
	restore()
	runtime.GC()
	time.Sleep(10 * time.Millisecond)
	require.Equal(t, 100, debug.SetGCPercent(100))
	require.Equal(t, limit, debug.SetMemoryLimit(-1))

	t.Setenv("GOGC", "50")
	streamGC()()
	require.Equal(t, 100, debug.SetGCPercent(100), "GOGC set: left alone")
}
