package eligibility_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/hotro-vn/hotro/rules/rulestest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/rules"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func engine(t testing.TB) *eligibility.Engine {
	t.Helper()
	e, err := eligibility.Default()
	require.NoError(t, err)
	return e
}

// elder is an eligible rural person: 70 in 2020, Xã Thạch Bình (18112).
func elder() eligibility.Person {
	return eligibility.Person{ID: "p1", HouseholdID: "h1", BirthDate: date("1950-03-15"), CommuneCode: "18112",
		Resident: eligibility.Bool(true), HouseholdPoor: eligibility.Bool(true), HouseholdCategory: "btxh", Disability: "none",
		OtherIncome: decimal.NewNullDecimal(decimal.Zero)}
}

func money(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// TestDefaultRuleCases runs the YAML cases shipped beside the default rules.
func TestDefaultRuleCases(t *testing.T) {
	e := engine(t)
	rulestest.Run(t, e.Library(), e.Runners())
}

func TestDecideReasons(t *testing.T) {
	e := engine(t)
	p := elder()
	p.MonthlyAllowance = decimal.NewNullDecimal(money("270000"))
	d, err := e.Decide(p, date("2020-06-01"))
	require.NoError(t, err)
	assert.True(t, d.Eligible)
	assert.True(t, d.MonthlyTopup.Equal(money("430000")), d.MonthlyTopup.String())
	zone, _ := d.Value("zone")
	assert.Equal(t, "rural", zone)
	assert.Equal(t, "Xã Thạch Bình", d.Commune.Name)
	assert.Equal(t, "hatinh-nq179-2020-2025", d.RuleSet)
	assert.Len(t, d.RuleSetHash, 64)
	assert.False(t, d.Draft)
	ids := []string{}
	for _, r := range d.Reasons() {
		ids = append(ids, r.Rule)
		assert.True(t, r.Pass, r.Rule)
		assert.NotEmpty(t, r.Cites, r.Rule)
		assert.NotEmpty(t, r.Message.VI, r.Rule)
	}
	assert.Equal(t, []string{"poor_household", "social_protection_household", "resident", "no_labour_capacity_group", "not_in_care_facility"}, ids)
	age, _ := d.Value("age")
	assert.Equal(t, 70, age)
	line, _ := d.Value("poverty_line")
	assert.True(t, line.(decimal.Decimal).Equal(money("700000")))

	// Eligible with a top-up of zero is not ineligible.
	p.OtherIncome = decimal.NewNullDecimal(money("500000"))
	d, err = e.Decide(p, date("2020-06-01"))
	require.NoError(t, err)
	assert.True(t, d.Eligible)
	assert.True(t, d.MonthlyTopup.IsZero())
	assert.Empty(t, d.Failed())
	assert.Contains(t, eligibility.Explain(d, "vi"), "[đạt] Hộ có tên trong danh sách hộ nghèo")
}

// TestSchedule: a schedule from 2021-05 to 2022-02 has three amounts, each
// month with its own parameters (coefficient 1.0, rural):
// 2021-05..06: 700,000 − 270,000 = 430,000; 2021-07..12: 700,000 − 360,000 = 340,000;
// 2022-01..02: 1,500,000 − 360,000 = 1,140,000. Total 2×430,000 + 6×340,000 + 2×1,140,000 = 5,180,000.
func TestSchedule(t *testing.T) {
	e := engine(t)
	p := elder()
	p.AllowanceCoefficient = decimal.NewNullDecimal(money("1.0"))
	s, err := e.Schedule(p, eligibility.Month{Year: 2021, Month: 5}, eligibility.Month{Year: 2022, Month: 2})
	require.NoError(t, err)
	var got []string
	for _, m := range s.Months {
		base, _ := m.Value("social_assistance_base")
		got = append(got, fmt.Sprintf("%s %s base %s", m.Month, m.MonthlyTopup, base))
	}
	assert.Equal(t, []string{
		"2021-05 430000 base 270000", "2021-06 430000 base 270000",
		"2021-07 340000 base 360000", "2021-08 340000 base 360000", "2021-09 340000 base 360000",
		"2021-10 340000 base 360000", "2021-11 340000 base 360000", "2021-12 340000 base 360000",
		"2022-01 1140000 base 360000", "2022-02 1140000 base 360000",
	}, got)
	assert.Equal(t, "5180000", s.Total.String())
}

// TestScheduleAcrossPhases: 2026-11..2027-02 under the draft, base 500,000:
// 2 × (1,500,000 − 500,000) + 2 × (2,200,000 − 500,000) = 5,400,000; the
// old commune code 18112 is read after the reform as its new commune.
func TestScheduleAcrossPhases(t *testing.T) {
	e := engine(t)
	p := elder()
	p.AllowanceCoefficient = decimal.NewNullDecimal(money("1"))
	s, err := e.Schedule(p, eligibility.Month{Year: 2025, Month: 12}, eligibility.Month{Year: 2027, Month: 1})
	require.NoError(t, err)
	require.Len(t, s.Months, 14)
	assert.Equal(t, "hatinh-nq179-2020-2025", s.Months[0].RuleSet)
	assert.Equal(t, "hatinh-draft-2026-2030", s.Months[1].RuleSet)
	assert.True(t, s.Months[1].Draft)
	assert.Equal(t, "1000000", s.Months[12].MonthlyTopup.String()) // 2026-12
	assert.Equal(t, "1700000", s.Months[13].MonthlyTopup.String()) // 2027-01
	assert.Equal(t, "14700000", s.Total.String())                  // 13 × 1,000,000 (2025-12..2026-12) + 1,700,000

	_, err = e.Schedule(p, eligibility.Month{Year: 2019, Month: 12}, eligibility.Month{Year: 2020, Month: 1})
	assert.ErrorIs(t, err, rules.ErrNoPhase)
	assert.ErrorContains(t, err, "month 2019-12")
}

// TestBadRecords: each bad record gets its own error row; the others are
// evaluated; rows out = rows in.
func TestBadRecords(t *testing.T) {
	e := engine(t)
	recs, _, err := e.ReadFile("../examples/persons-with-errors.csv", date("2024-07-01"))
	require.NoError(t, err)
	outs, err := e.DecideAll(context.Background(), recs, date("2024-07-01"))
	require.NoError(t, err)
	require.Len(t, outs, 8)
	var buf strings.Builder
	require.NoError(t, eligibility.WriteCSV(&buf, outs, false))
	assert.Equal(t, `person_id,eligible,monthly_topup,failed_rules,error
HT-0101,true,1000000,,
,,,,line 3: person_id: missing
HT-0103,,,,"line 4: birth_date ""1947-02-30"": not a real date (want YYYY-MM-DD)"
HT-0104,,,,"line 5: other_income ""-100000"": negative (must be 0 or more)"
HT-0105,,,,"line 6: commune_code ""99999"": no commune has code ""99999"""
HT-0106,,,,"line 7: zone ""mountain"": want rural or urban (or leave it empty to use the commune type)"
HT-0101,,,,"line 8: person_id ""HT-0101"": duplicate: first used on line 2"
HT-0108,true,1500000,,
`, buf.String())
}

// TestExampleFile checks the main job's output on examples/persons.csv,
// each amount worked by hand for 2024-07-01 (base 500,000; rural line
// 1,500,000; urban 2,000,000).
func TestExampleFile(t *testing.T) {
	e := engine(t)
	recs, _, err := e.ReadFile("../examples/persons.csv", date("2024-07-01"))
	require.NoError(t, err)
	outs, err := e.DecideAll(context.Background(), recs, date("2024-07-01"))
	require.NoError(t, err)
	want := map[string]string{
		"HT-0001": "1230000", // rural, allowance 270,000
		"HT-0002": "500000",  // rural, 2.0 × 500,000
		"HT-0003": "750000",  // urban, 2.5 × 500,000 = 1,250,000
		"HT-0004": "1100000", // urban, 1.5 × 500,000 + 150,000 = 900,000
		"HT-0005": "1500000", // Thị trấn (urban), 1.0 × 500,000
		"HT-0006": "",        // 39, mild disability: no_labour_capacity_group
		"HT-0007": "",        // household not btxh
		"HT-0008": "",        // not a poor household
		"HT-0009": "",        // in a care facility
		"HT-0010": "0",       // eligible; 500,000 + 1,200,000 ≥ 1,500,000
		"HT-0011": "1000000", // urban child, 2.0 × 500,000
		"HT-0012": "",        // Hà Nội: not resident of the province
	}
	require.Len(t, outs, len(want))
	for _, o := range outs {
		require.NoError(t, o.Err)
		w := want[o.Decision.PersonID]
		assert.Equal(t, w != "", o.Decision.Eligible, o.Decision.PersonID)
		if w != "" {
			assert.Equal(t, w, o.Decision.MonthlyTopup.String(), o.Decision.PersonID)
		}
	}
	issues := eligibility.Inconsistent(outs)
	require.Len(t, issues, 1)
	assert.Equal(t, "HH-004", issues[0].HouseholdID)
	assert.Equal(t, []string{"HT-0006"}, issues[0].PersonIDs)
}

// TestDecideAllOrder: a batch large enough to run on every core gives the
// same decisions, in input order, as deciding one by one.
func TestDecideAllOrder(t *testing.T) {
	e := engine(t)
	recs := make([]eligibility.Record, 3000)
	persons := make([]eligibility.Person, len(recs))
	for i := range recs {
		p := elder()
		p.ID = fmt.Sprintf("p%04d", i)
		p.OtherIncome = decimal.NewNullDecimal(decimal.NewFromInt(int64(i * 1000)))
		if i%7 == 0 {
			p.HouseholdPoor = eligibility.Bool(false)
		}
		persons[i] = p
		recs[i] = p.Record(i + 2)
		if i%11 == 0 {
			recs[i].Err = errors.New("bad")
		}
	}
	outs, err := e.DecideAll(context.Background(), recs, date("2022-03-01"))
	require.NoError(t, err)
	require.Len(t, outs, len(recs))
	for i, o := range outs {
		if i%11 == 0 {
			require.Error(t, o.Err)
			continue
		}
		one, err := e.Decide(persons[i], date("2022-03-01"))
		require.NoError(t, err)
		require.Equal(t, one.PersonID, o.Decision.PersonID)
		require.Equal(t, one.Eligible, o.Decision.Eligible)
		require.True(t, one.MonthlyTopup.Equal(o.Decision.MonthlyTopup))
	}
	// 1,500,000 − 1000·i, rounded up to 1,000: person 5 gets 1,495,000.
	assert.Equal(t, "1495000", outs[5].Decision.MonthlyTopup.String())
}

// TestNewChecksInputs: the inputs of a model that declares its record are
// the record's fields and derived values; an `inputs:` section beside the
// record is rejected at load, at the input's position, and so is a person
// model that declares no record. (Before issue 7 the engine checked the
// inputs against the 14 it supplied in Go.)
func TestNewChecksInputs(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS("../rulesets/hatinh-2020-2025")))
	p := filepath.Join(dir, "eligibility.yaml")
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	src := strings.Replace(string(b), "\nrecord:\n", "\ninputs:\n  ethnicity: {type: text}\n\nrecord:\n", 1)
	require.NoError(t, os.WriteFile(p, []byte(src), 0o644))
	_, err = eligibility.LoadDir(dir)
	var list rules.Errors
	require.ErrorAs(t, err, &list)
	require.NotEmpty(t, list)
	// The first problem is the input, on the inserted line after "inputs:";
	// the loader then reports every name the model's rules read as unknown.
	assert.Equal(t, 8, list[0].Line)
	assert.Contains(t, list[0].Message, "model person declares a record: its inputs are the record's fields and its `derived:` values, not `inputs:`")
}
