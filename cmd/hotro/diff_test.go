package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hotro-vn/hotro/rulesets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The worked case's persons and units, and its hand calculation, are in
// package impact (impact/impact_test.go).
const (
	diffPersons = "../../impact/testdata/persons.csv"
	diffUnits   = "../../impact/testdata/units.csv"
	diffBase    = "../../rulesets/hatinh-2020-2025"
)

func runDiff(args ...string) (int, string, string) {
	var out, errs bytes.Buffer
	code := run(append([]string{"diff"}, args...), &out, &errs)
	return code, out.String(), errs.String()
}

// diffLine2022 copies the shipped phase 2020–2025 and puts the 2022 poverty
// line in place of the 2016 one, as docs/impact.md tells a policy officer.
func diffLine2022(t *testing.T) string {
	t.Helper()
	return diffCopy(t, "parameters.yaml", "value: {rural: 700000, urban: 900000}", "value: {rural: 1500000, urban: 2000000}")
}

func diffCopy(t *testing.T, file, old, new string) string {
	t.Helper()
	dir := t.TempDir()
	sub, err := fs.Sub(rulesets.FS, "hatinh-2020-2025")
	require.NoError(t, err)
	require.NoError(t, os.CopyFS(dir, sub))
	p := filepath.Join(dir, file)
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	require.Equal(t, 1, strings.Count(string(b), old), "the shipped rule set changed: update the edit")
	require.NoError(t, os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644))
	return dir
}

// diffClean writes the worked case's persons without P10, the record in error.
func diffClean(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(diffPersons)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	p := filepath.Join(t.TempDir(), "persons.csv")
	require.NoError(t, os.WriteFile(p, []byte(strings.Join(lines[:len(lines)-1], "\n")+"\n"), 0o644))
	return p
}

func TestDiffSummary(t *testing.T) {
	newDir := diffLine2022(t)
	code, out, errs := runDiff("--base", diffBase, "--new", newDir, "--date", "2021-12-01", diffPersons)
	assert.Equal(t, 1, code, "P10 is in error: %s", errs)
	for _, want := range []string{
		"Impact of a rule change on 2021-12-01",
		"10 records: 9 decided under both rule sets, 1 in error",
		"beneficiaries:  5 → 6 (+1)",
		"  2021-12  967,000  6,347,000  +5,380,000",
		"  2021  11,604,000  76,164,000  +64,560,000",
		"  436  Thành phố Hà Tĩnh  770,000  4,550,000  +3,780,000          3 → 4",
		"  446  Huyện Cẩm Xuyên    197,000  1,797,000  +1,600,000          2 → 2",
		`  P10: line 11: commune_code "99999": no commune has code "99999"`,
	} {
		assert.Contains(t, out, want)
	}
	assert.Contains(t, errs, "10 records in, 10 rows out (1 in error); 0 gain eligibility, 0 lose it; beneficiaries 5 → 6; top-ups 967000 → 6347000 đ (+5380000)")

	// Without the record in error, and with the embedded rules as base.
	code, _, errs = runDiff("--new", newDir, "--date", "2021-12-01", diffClean(t))
	assert.Equal(t, 0, code, errs)
}

func TestDiffRange(t *testing.T) {
	code, out, _ := runDiff("--base", diffBase, "--new", diffLine2022(t), "--from", "2021-01", "--to", "2021-12", diffPersons)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "Impact of a rule change, 2021-01 to 2021-12")
	assert.Contains(t, out, "  2021-06  1,552,000  6,932,000  +5,380,000")
	assert.Contains(t, out, "  2021-07    967,000  6,347,000  +5,380,000")
	assert.Contains(t, out, "  2021  15,114,000  79,674,000  +64,560,000")
	assert.Contains(t, out, "  436  Thành phố Hà Tĩnh  11,130,000  56,490,000  +45,360,000")
}

func TestDiffPerPerson(t *testing.T) {
	code, out, _ := runDiff("--base", diffBase, "--new", diffLine2022(t), "--date", "2021-12-01", "--per-person", diffPersons)
	assert.Equal(t, 1, code)
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 11, "a header and a row per record")
	assert.Equal(t, []string{"person_id", "commune_code", "district_code", "zone", "eligibility_change", "rules_changed",
		"base_eligible", "new_eligible", "base_topup", "new_topup", "delta", "base_failed_rules", "new_failed_rules", "error"}, rows[0])
	assert.Equal(t, []string{"P04", "18073", "436", "urban", "", "", "true", "true", "0", "1080000", "1080000", "", "", ""}, rows[4])
	assert.Equal(t, "P10", rows[10][0])
	assert.Contains(t, rows[10][13], "99999")

	code, out, _ = runDiff("--base", diffBase, "--new", diffLine2022(t), "--date", "2021-12-01", "--format", "csv", "--report", "districts", diffPersons)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "district,436,Thành phố Hà Tĩnh,770000,4550000,3780000,")
}

func TestDiffJSONAndQuotas(t *testing.T) {
	code, out, errs := runDiff("--base", diffBase, "--new", diffLine2022(t), "--date", "2021-12-01", "--units", diffUnits, "--format", "json", diffPersons)
	assert.Equal(t, 1, code)
	var got struct {
		Report struct {
			Summary struct {
				Base, New, Delta string
				Errors           int
			}
			Persons []struct {
				PersonID string `json:"person_id"`
				Error    string
			}
		}
		Quotas struct {
			Summary struct {
				Obligations, Remainder struct{ Base, New, Delta int }
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, "5380000", got.Report.Summary.Delta)
	assert.Equal(t, 1, got.Report.Summary.Errors)
	assert.Len(t, got.Report.Persons, 10)
	assert.Equal(t, 1, got.Quotas.Summary.Obligations.Delta)
	assert.Equal(t, 2, got.Quotas.Summary.Remainder.New)
	assert.Contains(t, errs, "3 units in (0 in error); obligations 4 → 5; quotas unmet 0 → 1; province remainder 1 → 2")

	code, out, _ = runDiff("--base", diffBase, "--new", diffLine2022(t), "--date", "2021-12-01", "--units", diffUnits, diffPersons)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "Sponsorship plan on 2021-12-01 (3 units, 0 in error)")
	assert.Contains(t, out, "  province remainder                 1          2          +1")
}

func TestDiffOutDir(t *testing.T) {
	dir := t.TempDir()
	code, out, _ := runDiff("--base", diffBase, "--new", diffLine2022(t), "--from", "2021-11", "--to", "2022-01", "--units", diffUnits, "--format", "csv", "--out", dir, diffPersons)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	for _, f := range []string{"persons.csv", "months.csv", "years.csv", "communes.csv", "districts.csv", "provinces.csv", "rules.csv", "quota_units.csv", "quota_areas.csv", "summary.txt"} {
		assert.FileExists(t, filepath.Join(dir, f))
	}
	b, err := os.ReadFile(filepath.Join(dir, "months.csv"))
	require.NoError(t, err)
	// January 2022: the base has the 2022 line too, so the change costs nothing.
	assert.Contains(t, string(b), "2022-01,")
	assert.Contains(t, string(b), ",0,7,7,6,6,0,0\n")
}

func TestDiffUsageAndRuleErrors(t *testing.T) {
	newDir := diffLine2022(t)
	for name, args := range map[string][]string{
		"no --new":            {"--date", "2021-12-01", diffPersons},
		"no file":             {"--new", newDir, "--date", "2021-12-01"},
		"date and range":      {"--new", newDir, "--date", "2021-12-01", "--from", "2021-01", "--to", "2021-02", diffPersons},
		"half a range":        {"--new", newDir, "--from", "2021-01", diffPersons},
		"bad date":            {"--new", newDir, "--date", "2021-13-01", diffPersons},
		"bad format":          {"--new", newDir, "--date", "2021-12-01", "--format", "xml", diffPersons},
		"unknown report":      {"--new", newDir, "--date", "2021-12-01", "--format", "csv", "--report", "nope", diffPersons},
		"quotas without unit": {"--new", newDir, "--date", "2021-12-01", "--format", "csv", "--report", "units", diffPersons},
	} {
		code, _, errs := runDiff(args...)
		assert.Equal(t, 2, code, name)
		assert.Contains(t, errs, "usage: hotro diff", name)
	}

	broken := diffCopy(t, "eligibility.yaml", "when: household_poor", "when: household_pooor")
	code, out, errs := runDiff("--new", broken, "--date", "2021-12-01", diffPersons)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errs, "eligibility.yaml:")
	assert.Contains(t, errs, "household_pooor")

	code, _, errs = runDiff("--new", newDir, "--date", "2027-01-01", diffPersons)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "new rules: no rule set in force on 2027-01-01")
}

// TestDiffRecordsInError runs the example file with bad rows: every record
// comes out, the summary lists those in error, and the exit status is 1.
func TestDiffRecordsInError(t *testing.T) {
	code, out, errs := runDiff("--new", diffLine2022(t), "--date", "2021-12-01", "../../examples/persons-with-errors.csv")
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "8 records in, 8 rows out (6 in error)")
	assert.Contains(t, out, "  (no person_id): line 3: person_id: missing\n")
	assert.Contains(t, out, `  HT-0101: line 8: person_id "HT-0101": duplicate`)
}

// TestDiffStreamsAsItHolds compares the Hà Tĩnh file (18,300 records: more
// than one chunk) both ways: the summary and the persons report, which
// diff streams, against the same reports written from a comparison that
// holds every person (a directory of reports), and the per-person rows
// stay in input order.
func TestDiffStreamsAsItHolds(t *testing.T) {
	newDir := diffCopy(t, "parameters.yaml", "value: {rural: 1500000, urban: 2000000}", "value: {rural: 1600000, urban: 2000000}")
	args := []string{"--base", diffBase, "--new", newDir, "--from", "2024-06", "--to", "2024-07"}
	hatinh := "../../examples/hatinh/persons.csv"
	dir := t.TempDir()
	code, _, _ := runDiff(append(args, "--format", "csv", "--out", dir, hatinh)...)
	assert.Equal(t, 0, code, "no record in error in 2024")
	held := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		return string(b)
	}
	code, summary, errs := runDiff(append(args, hatinh)...)
	assert.Equal(t, 0, code)
	assert.Equal(t, held("summary.txt"), summary)
	assert.Contains(t, errs, "18300 records in, 18300 rows out (")
	code, persons, _ := runDiff(append(args, "--per-person", hatinh)...)
	assert.Equal(t, 0, code)
	assert.Equal(t, held("persons.csv"), persons)
	rows, err := csv.NewReader(strings.NewReader(persons)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 18301)
	assert.Equal(t, "P0000001", rows[1][0])
	assert.Equal(t, "P0018300", rows[18300][0])
	code, months, _ := runDiff(append(args, "--format", "csv", "--report", "months", hatinh)...)
	assert.Equal(t, 0, code)
	assert.Equal(t, held("months.csv"), months)
	// The rural line rises by 100,000 a month in both months: no top-up
	// falls, and a rural beneficiary's top-up (line − income, rounded up
	// to 1,000) rises by exactly 100,000, so each month costs a multiple of
	// 100,000 more, for at most the persons whose top-up rises.
	m := regexp.MustCompile(`top-up: +up for (\d+), down for 0,`).FindStringSubmatch(summary)
	require.NotNil(t, m, summary)
	up, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	assert.Greater(t, up, 0)
	mrows, err := csv.NewReader(strings.NewReader(months)).ReadAll()
	require.NoError(t, err)
	require.Len(t, mrows, 3)
	for _, row := range mrows[1:] {
		delta, err := strconv.Atoi(row[3])
		require.NoError(t, err)
		assert.Equal(t, 0, delta%100_000, "delta of %s", row[0])
		assert.True(t, delta > 0 && delta <= up*100_000, "delta of %s: %d for %d persons up", row[0], delta, up)
	}
}
