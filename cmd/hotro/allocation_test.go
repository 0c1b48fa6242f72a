package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runAlloc runs the command line and returns the exit status, stdout and stderr.
func runAlloc(args ...string) (int, string, string) {
	var out, errs bytes.Buffer
	code := run(args, &out, &errs)
	return code, out.String(), errs.String()
}

func allocFile(t *testing.T, dir, name string, lines ...string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644))
	return p
}

func allocCSV(t *testing.T, s string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(s)).ReadAll()
	require.NoError(t, err)
	return rows
}

// allocColumn returns the value of a column in a row, by the header's name.
func allocColumn(rows [][]string, row int, name string) string {
	for i, h := range rows[0] {
		if h == name {
			return rows[row][i]
		}
	}
	return "no column " + name
}

const allocPersonsHeader = "person_id,household_id,birth_date,commune_code,household_poor,household_category,monthly_allowance"

// allocSmall is three persons of Xã Thạch Bình (rural, 270,000 đ allowance, top-up
// 430,000 in 2020), one not eligible, one in error; and four units, one in error.
func allocSmall(t *testing.T) (units, persons string) {
	dir := t.TempDir()
	persons = allocFile(t, dir, "persons.csv", allocPersonsHeader,
		"p1,h1,1950-03-15,18112,true,btxh,270000",
		"p2,h1,1948-01-01,18112,true,btxh,270000",
		"p3,h1,1945-01-01,18112,true,btxh,270000",
		"p4,h2,1950-03-15,18112,false,btxh,270000",
		"p5,h3,1950-02-30,18112,true,btxh,270000")
	units = allocFile(t, dir, "units.csv", "unit_id,name,level,kind,place,staff,capacity_persons,monthly_amount",
		"xa,Xã Thạch Bình,commune,commune,18112,,1,",
		"phong,Phòng Tư pháp,district,agency,445,9,,",
		"cty,Công ty A,province,business,42,,,500000",
		"bad,Hội X,district,agency,445,,,")
	return units, persons
}

func TestAllocateCommand(t *testing.T) {
	units, persons := allocSmall(t)
	code, out, errs := runAlloc("allocate", "--date", "2020-06-01", "--units", units, "--persons", persons)
	assert.Equal(t, 1, code, errs) // records in error
	assert.Contains(t, errs, "4 units in, 4 out (1 in error); 5 persons in, 5 out (1 in error); 3 beneficiaries: 3 sponsored alone, 0 shared, 0 uncovered; by level commune 1, district 1, province 1")
	rows := allocCSV(t, out)
	require.Len(t, rows, 5)
	assert.Equal(t, "bad", rows[1][0])
	assert.Equal(t, "line 5: agency_staff: an agency needs its number of staff (CBCC-NLĐ)", allocColumn(rows, 1, "error"))
	assert.Equal(t, "cty", rows[2][0])
	assert.Equal(t, "430000", allocColumn(rows, 2, "monthly"))
	assert.Equal(t, "phong", rows[3][0])
	assert.Equal(t, "district_unit_small", allocColumn(rows, 3, "rule"))
	assert.Equal(t, "true", allocColumn(rows, 3, "met"))
	assert.Equal(t, "xa", rows[4][0])
	assert.Equal(t, "commune_min", allocColumn(rows, 4, "rule"))
	assert.Equal(t, "false", allocColumn(rows, 4, "met")) // capacity 1 < min(2, 3)
	assert.Equal(t, "the unit states a capacity of 1 person, below its obligation of 2", allocColumn(rows, 4, "reason"))

	code, out, _ = runAlloc("allocate", "--date", "2020-06-01", "--units", units, "--persons", persons, "--report", "sponsorships")
	assert.Equal(t, 1, code)
	rows = allocCSV(t, out)
	require.Len(t, rows, 6) // every person record
	assert.Equal(t, []string{"p4", "18112", "", "", "", "", "", "not eligible (failed: poor_household)", ""}, rows[4])
	assert.Contains(t, rows[5][8], `birth_date "1950-02-30"`)

	dir := t.TempDir()
	code, _, _ = runAlloc("allocate", "--date", "2020-06-01", "--units", units, "--persons", persons, "--out", dir)
	assert.Equal(t, 1, code)
	for _, r := range []string{"units", "areas", "province", "sponsorships"} {
		assert.FileExists(t, filepath.Join(dir, r+".csv"))
	}
	code, out, _ = runAlloc("allocate", "--date", "2020-06-01", "--units", units, "--persons", persons, "--format", "json")
	assert.Equal(t, 1, code)
	var plan struct {
		RuleSet string   `json:"rule_set"`
		Levels  []string `json:"levels"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &plan))
	assert.Equal(t, "hatinh-nq179-2020-2025", plan.RuleSet)
	assert.Equal(t, []string{"commune", "district", "province"}, plan.Levels)

	code, _, errs = runAlloc("allocate", "--units", units, "--persons", persons)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "usage: hotro allocate")
}

func TestQuotaCommand(t *testing.T) {
	units, persons := allocSmall(t)
	code, out, errs := runAlloc("quota", "--date", "2020-06-01", "--units", units, "--persons", persons)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "obligations 3 persons")
	rows := allocCSV(t, out)
	require.Len(t, rows, 5)
	assert.Equal(t, "2", allocColumn(rows, 4, "obligation"))
	assert.Equal(t, "3", allocColumn(rows, 4, "target"))
	assert.Equal(t, "phong", allocColumn(rows, 3, "group"))

	code, out, _ = runAlloc("quota", "--date", "2020-06-01", "--units", units, "--persons", persons, "--report", "areas")
	assert.Equal(t, 1, code)
	rows = allocCSV(t, out)
	assert.Equal(t, "district", allocColumn(rows, 2, "level"))
	assert.Equal(t, "3", allocColumn(rows, 2, "beneficiaries"))
	assert.Equal(t, "3", allocColumn(rows, 2, "local_share_required")) // ceil(0.70 × 3)
}

func TestMonitorCommand(t *testing.T) {
	dir := t.TempDir()
	persons := allocFile(t, dir, "persons.csv", allocPersonsHeader, "p1,h1,1950-03-15,18112,true,btxh,270000")
	commits := allocFile(t, dir, "commitments.csv", "commitment_id,sponsor_id,beneficiary_ids,monthly_amount,first_month,duration,method",
		"c1,u1,p1,450000,2020-01,phase,cash",
		"c2,u1,p1,,2020-01,12,cash")
	code, out, errs := runAlloc("monitor", "--from", "2021-12", "--to", "2022-01", "--commitments", commits, "--persons", persons)
	assert.Equal(t, 1, code, errs) // c2 has no amount
	assert.Contains(t, errs, "2 commitments in, 2 out (1 in error, 0 flagged); 2021-12 to 2022-01: 2 person-months, 1 short (1 persons), shortfall 780000 đ; 2 payments")
	assert.Equal(t, "month,person_id,eligible,due,pledged,shortfall,sponsors,focal_id,note\n"+
		"2021-12,p1,true,430000,450000,0,u1,u1,\n"+
		"2022-01,p1,true,1230000,450000,780000,u1,u1,\n", out)
	code, out, _ = runAlloc("monitor", "--from", "2021-12", "--to", "2022-01", "--commitments", commits, "--persons", persons, "--report", "commitments")
	assert.Equal(t, 1, code)
	rows := allocCSV(t, out)
	assert.Equal(t, "2025-12", allocColumn(rows, 1, "last_month"))
	assert.Equal(t, "phase", allocColumn(rows, 1, "duration"))
	assert.Equal(t, "12", allocColumn(rows, 2, "duration"))
	assert.Equal(t, "line 3: monthly_amount: missing: a commitment must state its monthly amount, or its support in kind (plan I.2)", allocColumn(rows, 2, "error"))
}

// TestAllocateHaTinhExample runs allocate on examples/hatinh and checks the summary
// the README quotes, and that a second run writes the same bytes.
func TestAllocateHaTinhExample(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole province")
	}
	args := []string{"allocate", "--date", "2020-06-01", "--units", "../../examples/hatinh/units.csv", "--persons", "../../examples/hatinh/persons.csv", "--report", "areas"}
	code, out, errs := runAlloc(args...)
	require.Equal(t, 0, code, errs)
	assert.Equal(t, "966 units in, 966 out (0 in error); 18300 persons in, 18300 out (0 in error); 17809 beneficiaries: 17477 sponsored alone, 274 shared, 58 uncovered; "+
		"by level commune 9080, district 5160, province 3511; 0 areas below the local share; 50 quotas unmet; monthly 5965190000 đ; no plan leaves fewer than 58 uncovered (gap 0)\n", errs)
	_, again, _ := runAlloc(args...)
	assert.Equal(t, out, again)
}
