package eligibility_test

// Tests of the "Done when" items of issue 7: the rule set declares its
// record, so that a new criterion with a new column is a YAML edit.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hotro-vn/hotro/eligibility"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// editFile replaces old by new, once, in a file; old must be there.
func editFile(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(b), old, path)
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644))
}

// readCSV reads person records with the declaration in force on day.
func readCSV(t *testing.T, e *eligibility.Engine, day, csv string) []eligibility.Record {
	t.Helper()
	schema, err := e.Schema(date(day))
	require.NoError(t, err)
	var recs []eligibility.Record
	warnings, err := schema.ReadCSV(strings.NewReader(csv), func(r eligibility.Record) { recs = append(recs, r) })
	require.NoError(t, err)
	assert.Empty(t, warnings)
	return recs
}

// TestNewCriterionByYAML adds a criterion that reads a new column with rule
// files only: a field working_capacity_loss_pct (Tỷ lệ suy giảm khả năng lao
// động) and a parameter capacity_loss_from: 81 read by
// no_labour_capacity_group. On 2024-07-01 (base 500,000; rural line
// 1,500,000) a 40-year-old of Xã Thạch Bình (rural) with coefficient 1.0 and
// no other income: with 85% loss, eligible, 1,500,000 − 500,000 =
// 1,000,000; with 50%, fails no_labour_capacity_group and nothing else.
func TestNewCriterionByYAML(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS("../rulesets/hatinh-2020-2025")))
	elig := filepath.Join(dir, "eligibility.yaml")
	editFile(t, elig, "\n  checks:\n", `
    working_capacity_loss_pct:
      type: int
      min: 0
      default: 0
      aliases: [Tỷ lệ suy giảm khả năng lao động]
      description: {vi: Tỷ lệ suy giảm khả năng lao động (%), en: Loss of working capacity (%)}
  checks:
`)
	editFile(t, elig, `|| disability in ["severe", "especially_severe"] || serious_illness`,
		`|| disability in ["severe", "especially_severe"] || serious_illness
      || working_capacity_loss_pct >= capacity_loss_from`)
	editFile(t, filepath.Join(dir, "parameters.yaml"), "\n  topup_step:\n", `
  capacity_loss_from:
    type: int
    unit: "%"
    description: {vi: Suy giảm khả năng lao động từ tỷ lệ này, en: Loss of working capacity from this rate}
    value: 81
    source: test
  topup_step:
`)
	e, err := eligibility.LoadDir(dir)
	require.NoError(t, err)

	recs := readCSV(t, e, "2024-07-01", "person_id,household_id,birth_date,commune_code,household_poor,household_category,allowance_coefficient,Tỷ lệ suy giảm khả năng lao động\n"+
		"W1,H1,1984-01-01,18112,true,btxh,1.0,85\n"+
		"W2,H2,1984-01-01,18112,true,btxh,1.0,50\n"+
		"W3,H3,1984-01-01,18112,true,btxh,1.0,\n"+
		"W4,H4,1984-01-01,18112,true,btxh,1.0,-1\n")
	require.Len(t, recs, 4)
	v, ok := recs[0].Get("working_capacity_loss_pct")
	require.True(t, ok)
	assert.Equal(t, 85, v)
	assert.EqualError(t, recs[3].Err, `line 5: working_capacity_loss_pct "-1": negative (must be 0 or more)`)

	outs, err := e.DecideAll(context.Background(), recs, date("2024-07-01"))
	require.NoError(t, err)
	require.Len(t, outs, 4)
	for _, o := range outs[:3] {
		require.NoError(t, o.Err, o.Record.ID)
	}
	d := outs[0].Decision
	assert.True(t, d.Eligible)
	assert.Equal(t, "1000000", d.MonthlyTopup.String())
	age, _ := d.Value("age")
	assert.Equal(t, 40, age)
	for _, o := range outs[1:3] { // 50%, and the default 0
		assert.False(t, o.Decision.Eligible, o.Record.ID)
		assert.Equal(t, []string{"no_labour_capacity_group"}, o.Decision.Failed(), o.Record.ID)
		assert.True(t, o.Decision.MonthlyTopup.IsZero())
	}
	assert.Error(t, outs[3].Err)

	// The shipped rules do not know the column: a warning, and the same
	// person fails the group.
	std := engine(t)
	schema, err := std.Schema(date("2024-07-01"))
	require.NoError(t, err)
	var plain []eligibility.Record
	warnings, err := schema.ReadCSV(strings.NewReader("person_id,household_id,birth_date,commune_code,household_poor,household_category,allowance_coefficient,working_capacity_loss_pct\n"+
		"W1,H1,1984-01-01,18112,true,btxh,1.0,85\n"), func(r eligibility.Record) { plain = append(plain, r) })
	require.NoError(t, err)
	assert.Equal(t, []string{`unknown column "working_capacity_loss_pct" ignored`}, warnings)
	outs, err = std.DecideAll(context.Background(), plain, date("2024-07-01"))
	require.NoError(t, err)
	assert.Equal(t, []string{"no_labour_capacity_group"}, outs[0].Decision.Failed())
}

// TestJSONDuplicateKey: a JSON record that gives a key twice is an error of
// that record (not "last one wins"); the other records are read and
// decided, and records in = records out.
func TestJSONDuplicateKey(t *testing.T) {
	e := engine(t)
	schema, err := e.Schema(date("2024-07-01"))
	require.NoError(t, err)
	in := `[
 {"person_id": "J1", "household_id": "H1", "birth_date": "1950-03-15", "commune_code": "18112", "household_poor": true, "household_category": "btxh"},
 {"person_id": "J2", "household_id": "H2", "birth_date": "1950-03-15", "commune_code": "18112", "household_poor": true, "household_poor": false, "household_category": "btxh"},
 {"person_id": "J3", "household_id": "H3", "birth_date": "1950-03-15", "commune_code": "18112", "household_poor": true, "household_category": "btxh", "Household_Category": "other"},
 {"person_id": "J4", "household_id": "H4", "birth_date": "1950-03-15", "commune_code": "18112", "household_poor": true, "household_category": "btxh"}
]`
	var recs []eligibility.Record
	warnings, err := schema.ReadJSON(strings.NewReader(in), func(r eligibility.Record) { recs = append(recs, r) })
	require.NoError(t, err)
	assert.Empty(t, warnings)
	require.Len(t, recs, 4, "records in = records out")
	assert.NoError(t, recs[0].Err)
	assert.NoError(t, recs[3].Err)
	assert.EqualError(t, recs[1].Err, `record 2: household_poor: key "household_poor" given twice in the object`)
	assert.EqualError(t, recs[2].Err, `record 3: household_category: given twice (as "Household_Category" and "household_category")`)
	var fe *eligibility.FieldError
	require.ErrorAs(t, recs[1].Err, &fe)
	assert.Equal(t, "household_poor", fe.Field)
	assert.True(t, fe.JSON)
	assert.Equal(t, "J2", recs[1].ID)

	outs, err := e.DecideAll(context.Background(), recs, date("2024-07-01"))
	require.NoError(t, err)
	require.Len(t, outs, 4)
	// 1,500,000 with no allowance and no income.
	assert.Equal(t, "1500000", outs[0].Decision.MonthlyTopup.String())
	assert.Equal(t, "1500000", outs[3].Decision.MonthlyTopup.String())
	assert.ErrorContains(t, outs[1].Err, "given twice")
	assert.ErrorContains(t, outs[2].Err, "given twice")
}

// TestScheduleMonthInError: a person born on 2020-01-09 scheduled from
// 2020-01 to 2020-03: 2020-01 (decided on its first day) is before the
// birth, an error of that month only; 2020-02 and 2020-03 are answered.
// Aged 0, a child; rural line 700,000, allowance 1.0 × 270,000: top-up
// 430,000 a month, 860,000 in all.
func TestScheduleMonthInError(t *testing.T) {
	e := engine(t)
	p := elder()
	p.BirthDate = date("2020-01-09")
	p.AllowanceCoefficient = decimal.NewNullDecimal(money("1.0"))
	check := func(t *testing.T, s *eligibility.Schedule) {
		t.Helper()
		require.Len(t, s.Months, 3)
		assert.Equal(t, 1, s.Errors)
		jan := s.Months[0]
		assert.Equal(t, "2020-01", jan.Month.String())
		require.Error(t, jan.Err)
		assert.Nil(t, jan.Decision)
		assert.Contains(t, jan.Err.Error(), `birth_date "2020-01-09"`)
		assert.Contains(t, jan.Err.Error(), "after the evaluation date")
		for _, m := range s.Months[1:] {
			require.NoError(t, m.Err, m.Month.String())
			assert.True(t, m.Eligible, m.Month.String())
			assert.Equal(t, "430000", m.MonthlyTopup.String(), m.Month.String())
		}
		assert.Equal(t, "2020-02", s.Months[1].Month.String())
		assert.Equal(t, "860000", s.Total.String())
	}
	from, to := eligibility.Month{Year: 2020, Month: 1}, eligibility.Month{Year: 2020, Month: 3}
	s, err := e.Schedule(p, from, to)
	require.NoError(t, err)
	check(t, s)

	outs, err := e.ScheduleAll(context.Background(), []eligibility.Record{p.Record(2)}, from, to)
	require.NoError(t, err)
	require.Len(t, outs, 1)
	require.NoError(t, outs[0].Err)
	check(t, outs[0].Schedule)

	var b strings.Builder
	require.NoError(t, eligibility.WriteScheduleCSV(&b, outs, nil))
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	require.Len(t, lines, 5, b.String())
	assert.True(t, strings.HasPrefix(lines[1], "p1,2020-01,,,,"), lines[1])
	assert.Contains(t, lines[1], "after the evaluation date")
	assert.Equal(t, "p1,2020-02,true,430000,hatinh-nq179-2020-2025,", lines[2])
	assert.Equal(t, "p1,2020-03,true,430000,hatinh-nq179-2020-2025,", lines[3])
	assert.Equal(t, "p1,total,,860000,,", lines[4])
}

// TestPersonNoZeroValueTrap: a Person left without HouseholdPoor is an
// error, not "not poor"; one left without Resident takes the declared
// default, resident.
func TestPersonNoZeroValueTrap(t *testing.T) {
	e := engine(t)
	p := elder()
	p.HouseholdPoor = nil
	_, err := e.Decide(p, date("2020-06-01"))
	require.Error(t, err)
	assert.EqualError(t, err, "household_poor: missing (want true or false)")
	var fe *eligibility.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "household_poor", fe.Field)
	assert.Equal(t, "household_poor: missing (want true or false)", p.Record(0).Err.Error())

	p = elder()
	p.Resident = nil
	p.MonthlyAllowance = decimal.NewNullDecimal(money("270000"))
	d, err := e.Decide(p, date("2020-06-01"))
	require.NoError(t, err)
	pass, ok := d.Passed("resident")
	assert.True(t, ok)
	assert.True(t, pass, "resident by default")
	assert.True(t, d.Eligible)
	assert.Equal(t, "430000", d.MonthlyTopup.String()) // 700,000 − 270,000

	p.Resident = eligibility.Bool(false)
	d, err = e.Decide(p, date("2020-06-01"))
	require.NoError(t, err)
	assert.Equal(t, []string{"resident"}, d.Failed())
}

// TestVietnameseHeaders: a list with the Vietnamese headers and spellings
// (day/month/year, Có/Không, BTXH, Nặng, Nông thôn, 1.500.000, 1,5) gives the
// same decisions as the same list written in English. On 2024-07-01 (base
// 500,000; rural line 1,500,000):
//
//	V1 70, rural, 1.5 × 500,000 = 750,000: top-up 750,000
//	V2 40, severe disability, allowance 1,500,000: eligible, top-up 0
//	V3 household "other", mild disability, 33: fails two rules
//	V4 9, not resident: fails resident
//	V5 income 200,000, urban zone declared, 70: 2,000,000 − 200,000 = 1,800,000
func TestVietnameseHeaders(t *testing.T) {
	e := engine(t)
	vi := "Mã đối tượng,Mã hộ,Họ và tên,Ngày sinh,Mã xã,Khu vực,Thường trú,Hộ nghèo,Loại hộ,Mức độ khuyết tật,Bệnh hiểm nghèo,Nuôi dưỡng tập trung,Hệ số,Trợ cấp hằng tháng,Thu nhập khác\n" +
		"V1,H1,Nguyễn Văn An,15/03/1950,18112,Nông thôn,Có,Có,BTXH,Không,Không,Không,\"1,5\",,\n" +
		"V2,H1,Trần Thị Bình,01/02/1984,18112,,có,CÓ,btxh,Nặng,không,Không,,1.500.000,\n" +
		"V3,H2,Lê Văn Cường,20/11/1990,18112,,Có,Có,Khác,Nhẹ,Không,Không,,500.000,200.000\n" +
		"V4,H3,Phạm Thị Dung,05/06/2015,18112,,Không,Có,BTXH,Đặc biệt nặng,Có,Không,2,,\n" +
		"V5,H4,Hoàng Văn Em,1/1/1954,18112,Thành thị,Có,Có,BTXH,Không,Không,Không,,,200.000\n"
	en := testHeader + "\n" +
		"V1,H1,Nguyễn Văn An,1950-03-15,18112,rural,true,true,btxh,none,false,false,1.5,,\n" +
		"V2,H1,Trần Thị Bình,1984-02-01,18112,,true,true,btxh,severe,false,false,,1500000,\n" +
		"V3,H2,Lê Văn Cường,1990-11-20,18112,,true,true,other,mild,false,false,,500000,200000\n" +
		"V4,H3,Phạm Thị Dung,2015-06-05,18112,,false,true,btxh,especially_severe,true,false,2,,\n" +
		"V5,H4,Hoàng Văn Em,1954-01-01,18112,urban,true,true,btxh,none,false,false,,,200000\n"
	decide := func(csv string) ([]eligibility.Record, string) {
		recs := readCSV(t, e, "2024-07-01", csv)
		require.Len(t, recs, 5)
		for _, r := range recs {
			require.NoError(t, r.Err, r.ID)
		}
		outs, err := e.DecideAll(context.Background(), recs, date("2024-07-01"))
		require.NoError(t, err)
		var b strings.Builder
		require.NoError(t, eligibility.WriteCSV(&b, outs, true))
		return recs, b.String()
	}
	viRecs, viOut := decide(vi)
	enRecs, enOut := decide(en)
	assert.Equal(t, enOut, viOut)
	for i := range viRecs {
		assert.Equal(t, fmt.Sprint(enRecs[i].Values), fmt.Sprint(viRecs[i].Values), enRecs[i].ID)
	}
	var b strings.Builder
	recs := readCSV(t, e, "2024-07-01", vi)
	outs, err := e.DecideAll(context.Background(), recs, date("2024-07-01"))
	require.NoError(t, err)
	require.NoError(t, eligibility.WriteCSV(&b, outs, false))
	assert.Equal(t, `person_id,eligible,monthly_topup,failed_rules,error
V1,true,750000,,
V2,true,0,,
V3,false,0,social_protection_household;no_labour_capacity_group,
V4,false,0,resident,
V5,true,1800000,,
`, b.String())
}

const testHeader = "person_id,household_id,full_name,birth_date,commune_code,zone,resident,household_poor,household_category,disability,serious_illness,in_care_facility,allowance_coefficient,monthly_allowance,other_income"

// TestConcurrentDecisions: one engine decides the same records from several
// goroutines at once (Decide, Day.DecideRecord, DecideAll, Schedule) and
// gives every time what it gives alone. Run with -race.
func TestConcurrentDecisions(t *testing.T) {
	e := engine(t)
	var persons []eligibility.Person
	var recs []eligibility.Record
	for i := range 40 {
		p := elder()
		p.ID = fmt.Sprintf("c%02d", i)
		p.OtherIncome = decimal.NewNullDecimal(decimal.NewFromInt(int64(i * 25000)))
		if i%3 == 0 {
			p.CommuneCode = "18073" // urban
		}
		if i%5 == 0 {
			p.Disability = "severe"
			p.BirthDate = date("1985-05-05")
		}
		if i%7 == 0 {
			p.HouseholdCategory = "other"
		}
		persons = append(persons, p)
		recs = append(recs, p.Record(i+2))
	}
	day := date("2024-07-01")
	render := func(outs []eligibility.Outcome) string {
		var b strings.Builder
		require.NoError(t, eligibility.WriteCSV(&b, outs, true))
		return b.String()
	}
	outs, err := e.DecideAll(context.Background(), recs, day)
	require.NoError(t, err)
	want := render(outs)
	from, to := eligibility.Month{Year: 2021, Month: 6}, eligibility.Month{Year: 2022, Month: 1}
	wantSched, err := e.Schedule(persons[1], from, to)
	require.NoError(t, err)
	on, err := e.On(day)
	require.NoError(t, err)

	var wg sync.WaitGroup
	const workers = 8
	got := make([]string, workers)
	for w := range workers {
		wg.Go(func() {
			switch w % 4 {
			case 0:
				outs, err := e.DecideAll(context.Background(), recs, day)
				if err == nil {
					got[w] = render(outs)
				}
			case 1:
				outs := make([]eligibility.Outcome, len(persons))
				for i, p := range persons {
					outs[i].Record = recs[i]
					outs[i].Decision, outs[i].Err = e.Decide(p, day)
				}
				got[w] = render(outs)
			case 2:
				outs := make([]eligibility.Outcome, len(recs))
				for i := len(recs) - 1; i >= 0; i-- {
					outs[i].Record = recs[i]
					outs[i].Decision, outs[i].Err = on.DecideRecord(recs[i])
				}
				got[w] = render(outs)
			case 3:
				s, err := e.Schedule(persons[1], from, to)
				if err == nil && s.Total.Equal(wantSched.Total) {
					got[w] = want
				}
			}
		})
	}
	wg.Wait()
	for w, g := range got {
		assert.Equal(t, want, g, "goroutine %d", w)
	}
}
