package impact_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/hotro-vn/hotro/impact"
	"github.com/hotro-vn/hotro/rules"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The worked case, by hand.
//
// testdata/persons.csv holds ten records. The base is the shipped phase
// 2020–2025; the new rule set is its copy with the 2016 poverty line
// (700,000 rural / 900,000 urban) replaced by the 2022 line (1,500,000 /
// 2,000,000). The social assistance base is 270,000 until 2021-06 and
// 360,000 from 2021-07 in both; top-ups round up to 1,000.
//
//	id   where (district)           zone   who                                income Jan–Jun / Jul–Dec 2021
//	P01  Xã Thạch Bình (436)        rural  71, hệ số 1.5                       405,000 / 540,000
//	P02  Xã Đỉnh Bàn (436)          rural  child, allowance 270,000            270,000 / 270,000
//	P03  Phường Nam Hà (436)        urban  86, hệ số 2.0                       540,000 / 720,000
//	P04  Phường Nam Hà (436)        urban  severe disability, 270,000 + 650,000 other   920,000
//	P05  Xã Cẩm Dương (446)         rural  serious illness, 1,600,000 other    1,600,000
//	P06  Xã Cẩm Dương (446)         rural  75, in a care facility              not eligible
//	P07  Xã Yên Hòa (446)           rural  70, hệ số 1.5 + 123,456 other       528,456 / 663,456
//	P08  Xã Yên Hòa (446)           rural  62, hệ số 1.5                       405,000 / 540,000
//	P09  Xã Cẩm Dương (446)         rural  17, no group                        not eligible
//	P10  commune 99999              —      an unknown commune                 in error under both
//
// Top-ups in December 2021 (line − income, rounded up to 1,000):
//
//	      base (700k / 900k)              new (1.5M / 2M)                   delta
//	P01   700,000 − 540,000 = 160,000     1,500,000 − 540,000 =   960,000    800,000
//	P02   700,000 − 270,000 = 430,000     1,500,000 − 270,000 = 1,230,000    800,000
//	P03   900,000 − 720,000 = 180,000     2,000,000 − 720,000 = 1,280,000  1,100,000
//	P04   900,000 − 920,000 < 0 → 0       2,000,000 − 920,000 = 1,080,000  1,080,000
//	P05   below 1,600,000 → 0             1,500,000 < 1,600,000 → 0                0
//	P06   not eligible → 0                not eligible → 0                         0
//	P07   36,544 → 37,000                 836,544 → 837,000                  800,000
//	P08   as P01: 160,000                 960,000                            800,000
//	P09   not eligible → 0                not eligible → 0                         0
//	sum   967,000                         6,347,000                        5,380,000
//
// District 436 (P01–P04): 770,000 → 4,550,000 (+3,780,000); district 446
// (P05–P09): 197,000 → 1,797,000 (+1,600,000). P04 stays eligible and goes
// from 0 to 1,080,000: one more beneficiary (5 → 6), nobody gains or loses
// eligibility (the poverty line is in no eligibility rule).
//
// January to June 2021 (base 270,000): P01 and P08 295,000 → 1,095,000; P02
// 430,000 → 1,230,000; P03 900,000 − 540,000 = 360,000 → 1,460,000; P04 0 →
// 1,080,000; P07 171,544 → 172,000 and 971,544 → 972,000. Each month:
// 1,552,000 → 6,932,000, the same delta 5,380,000 since every person's
// income is the same under both sets.
//
// The year 2021: base 6 × 1,552,000 + 6 × 967,000 = 15,114,000; new 6 ×
// 6,932,000 + 6 × 6,347,000 = 79,674,000; delta 12 × 5,380,000 =
// 64,560,000. District 436: base 6 × 1,085,000 + 6 × 770,000 = 11,130,000,
// new 6 × 4,865,000 + 6 × 4,550,000 = 56,490,000; district 446: base 6 ×
// 467,000 + 6 × 197,000 = 3,984,000, new 6 × 2,067,000 + 6 × 1,797,000 =
// 23,184,000.

var dec2021 = time.Date(2021, 12, 1, 0, 0, 0, 0, time.UTC)

// amounts writes a total as whole đồng, for comparisons that print well.
func amounts(t impact.Total) [3]string {
	return [3]string{t.Base.StringFixed(0), t.New.StringFixed(0), t.Delta.StringFixed(0)}
}

func ids(ps []impact.Person) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func TestWorkedCaseOnDate(t *testing.T) {
	base, neu := engines(t, line2022)
	recs := readPersons(t, "testdata/persons.csv")
	r, err := impact.Change{Base: base, New: neu}.On(recs, dec2021)
	require.NoError(t, err)

	assert.Equal(t, [3]string{"967000", "6347000", "5380000"}, amounts(r.Totals()))
	months := r.Monthly()
	require.Len(t, months, 1)
	assert.Equal(t, "2021-12", months[0].Month.String())
	assert.Equal(t, impact.Count{Base: 5, New: 6, Delta: 1}, months[0].Beneficiaries)
	years := r.Yearly()
	require.Len(t, years, 1)
	assert.Equal(t, impact.YearTotal{Year: 2021, Months: 12, Annualised: true, Total: years[0].Total}, years[0])
	assert.Equal(t, [3]string{"11604000", "76164000", "64560000"}, amounts(years[0].Total), "12 × the month")

	want := map[string][3]string{
		"P01": {"160000", "960000", "800000"},
		"P02": {"430000", "1230000", "800000"},
		"P03": {"180000", "1280000", "1100000"},
		"P04": {"0", "1080000", "1080000"},
		"P05": {"0", "0", "0"},
		"P06": {"0", "0", "0"},
		"P07": {"37000", "837000", "800000"},
		"P08": {"160000", "960000", "800000"},
		"P09": {"0", "0", "0"},
	}
	require.Len(t, r.Persons, 10)
	for i, p := range r.Persons[:9] {
		assert.Equal(t, recs[i].ID, p.ID, "input order")
		got := [3]string{p.Base.Topup.StringFixed(0), p.New.Topup.StringFixed(0), p.Delta.StringFixed(0)}
		assert.Equal(t, want[p.ID], got, p.ID)
		assert.NoError(t, p.Err, p.ID)
		assert.Empty(t, p.Rules, p.ID)
	}
	p04, _ := r.Person("P04")
	assert.True(t, p04.Base.Eligible && p04.New.Eligible, "eligible with 0, then with a top-up")
	p06, _ := r.Person("P06")
	assert.Equal(t, []string{"not_in_care_facility"}, p06.Base.Failed)

	assert.Empty(t, r.Gained())
	assert.Empty(t, r.Lost())
	assert.Empty(t, r.ByRule())
	assert.Equal(t, []string{"P10"}, ids(r.Errors()), "listed, not dropped")
	assert.ErrorContains(t, r.Persons[9].Err, `commune_code "99999"`)

	districts := r.Areas(impact.LevelDistrict)
	require.Len(t, districts, 2)
	assert.Equal(t, "436", districts[0].Code)
	assert.Equal(t, "Thành phố Hà Tĩnh", districts[0].Name)
	assert.Equal(t, [3]string{"770000", "4550000", "3780000"}, amounts(districts[0].Total))
	assert.Equal(t, impact.Count{Base: 3, New: 4, Delta: 1}, districts[0].Beneficiaries)
	assert.Equal(t, [3]string{"9240000", "54600000", "45360000"}, amounts(districts[0].Years[0].Total))
	assert.Equal(t, "446", districts[1].Code)
	assert.Equal(t, [3]string{"197000", "1797000", "1600000"}, amounts(districts[1].Total))

	provinces := r.Areas(impact.LevelProvince)
	require.Len(t, provinces, 1)
	assert.Equal(t, "42", provinces[0].Code)
	assert.Equal(t, amounts(r.Totals()), amounts(provinces[0].Total))

	communes := map[string][3]string{}
	var order []string
	for _, c := range r.Areas(impact.LevelCommune) {
		communes[c.Code] = amounts(c.Total)
		order = append(order, c.Code)
	}
	assert.Equal(t, []string{"18073", "18112", "18595", "18679", "18682"}, order)
	assert.Equal(t, [3]string{"180000", "2360000", "2180000"}, communes["18073"], "P03 + P04")
	assert.Equal(t, [3]string{"197000", "1797000", "1600000"}, communes["18679"], "P07 + P08")
	assert.Equal(t, [3]string{"0", "0", "0"}, communes["18682"], "P05, P06, P09")

	s := r.Summary()
	assert.Equal(t, 10, s.Records)
	assert.Equal(t, 1, s.Errors)
	assert.Equal(t, [3]int{6, 0, 3}, [3]int{s.More, s.Less, s.Same})
	assert.Equal(t, impact.Count{Base: 7, New: 7}, s.Eligible)
	assert.Equal(t, impact.Count{Base: 5, New: 6, Delta: 1}, s.Beneficiaries)
	assert.Equal(t, r.Base[0].ID, r.New[0].ID, "same rule set id")
	assert.NotEqual(t, r.Base[0].Hash, r.New[0].Hash, "different contents")
}

func TestWorkedCaseYear(t *testing.T) {
	base, neu := engines(t, line2022)
	recs := readPersons(t, "testdata/persons.csv")
	r, err := impact.Change{Base: base, New: neu}.Months(recs, eligibility.Month{Year: 2021, Month: 1}, eligibility.Month{Year: 2021, Month: 12})
	require.NoError(t, err)

	months := r.Monthly()
	require.Len(t, months, 12)
	for i, m := range months {
		want := [3]string{"1552000", "6932000", "5380000"}
		if i >= 6 {
			want = [3]string{"967000", "6347000", "5380000"}
		}
		assert.Equal(t, want, amounts(m.Total), m.Month.String())
	}
	years := r.Yearly()
	require.Len(t, years, 1)
	assert.Equal(t, 12, years[0].Months)
	assert.False(t, years[0].Annualised)
	assert.Equal(t, [3]string{"15114000", "79674000", "64560000"}, amounts(years[0].Total))
	assert.Equal(t, amounts(years[0].Total), amounts(r.Totals()))

	districts := r.Areas(impact.LevelDistrict)
	require.Len(t, districts, 2)
	assert.Equal(t, [3]string{"11130000", "56490000", "45360000"}, amounts(districts[0].Total))
	assert.Equal(t, [3]string{"3984000", "23184000", "19200000"}, amounts(districts[1].Total))
	assert.Equal(t, impact.Count{Base: 36, New: 48, Delta: 12}, districts[0].Beneficiaries, "person-months")

	// Per person, the year: 6 months at the January rate and 6 at the July one.
	want := map[string][3]string{
		"P01": {"2730000", "12330000", "9600000"},  // 6 × 295,000 + 6 × 160,000; 6 × 1,095,000 + 6 × 960,000
		"P02": {"5160000", "14760000", "9600000"},  // 12 × 430,000; 12 × 1,230,000
		"P03": {"3240000", "16440000", "13200000"}, // 6 × 360,000 + 6 × 180,000; 6 × 1,460,000 + 6 × 1,280,000
		"P04": {"0", "12960000", "12960000"},       // 12 × 1,080,000
		"P07": {"1254000", "10854000", "9600000"},  // 6 × 172,000 + 6 × 37,000; 6 × 972,000 + 6 × 837,000
		"P08": {"2730000", "12330000", "9600000"},  // as P01
		"P05": {"0", "0", "0"}, "P06": {"0", "0", "0"}, "P09": {"0", "0", "0"},
	}
	for id, w := range want {
		p, ok := r.Person(id)
		require.True(t, ok, id)
		assert.Equal(t, w, [3]string{p.Base.Topup.StringFixed(0), p.New.Topup.StringFixed(0), p.Delta.StringFixed(0)}, id)
	}
	p01, _ := r.Person("P01")
	assert.Equal(t, 12, p01.Base.EligibleMonths)
	p10, _ := r.Person("P10")
	assert.Equal(t, 12, p10.Undecided)
	assert.ErrorContains(t, p10.Err, "month 2021-01: ")
	assert.Equal(t, 1, r.Summary().Errors)
}

// TestGainedAndLost changes two eligibility parameters at once: children
// under 18 (was 16) and the elderly from 65 (was 60). On 2021-12-01, P08
// (62, hệ số 1.5) loses eligibility and her 160,000; P09 (17, no allowance,
// no other income) gains it with 700,000 − 0 = 700,000. Both through
// no_labour_capacity_group. Total 967,000 → 1,507,000 (+540,000), all in
// district 446.
func TestGainedAndLost(t *testing.T) {
	base, neu := engines(t, ages...)
	recs := readPersons(t, "testdata/persons.csv")
	r, err := impact.Change{Base: base, New: neu}.On(recs, dec2021)
	require.NoError(t, err)

	assert.Equal(t, []string{"P09"}, ids(r.Gained()))
	assert.Equal(t, []string{"P08"}, ids(r.Lost()))
	assert.Equal(t, []impact.RuleChange{{Rule: "no_labour_capacity_group", Gained: 1, Lost: 1, Changed: 2}}, r.ByRule())
	p08, _ := r.Person("P08")
	assert.Equal(t, []string{"no_labour_capacity_group"}, p08.Rules)
	assert.Equal(t, []string{"no_labour_capacity_group"}, p08.New.Failed)
	assert.Equal(t, "-160000", p08.Delta.String())
	p09, _ := r.Person("P09")
	assert.Equal(t, "700000", p09.Delta.String())
	assert.Equal(t, 1, p09.Gained)
	assert.Equal(t, [3]string{"967000", "1507000", "540000"}, amounts(r.Totals()))
	d := r.Areas(impact.LevelDistrict)
	assert.Equal(t, "0", d[0].Delta.String())
	assert.Equal(t, "540000", d[1].Delta.String())
	assert.Equal(t, 1, d[1].Gained)
	assert.Equal(t, 1, d[1].Lost)
	assert.Equal(t, []string{"P08", "P09", "P10"}, ids(r.Changed()))

	var buf bytes.Buffer
	require.NoError(t, r.WriteCSV(&buf, impact.ReportPersons))
	assert.Contains(t, buf.String(), "P08,18679,446,rural,lost,no_labour_capacity_group,true,false,160000,0,-160000,,no_labour_capacity_group,\n")
	assert.Contains(t, buf.String(), "P09,18682,446,rural,gained,no_labour_capacity_group,false,true,0,700000,700000,no_labour_capacity_group,,\n")
}

// TestQuotas plans testdata/units.csv for the worked case on 2021-12-01.
// Beneficiaries (top-up above 0): P01, P02, P03 (district 436), P07, P08
// (446); the new line adds P04 (Phường Nam Hà, 0 → 1,080,000).
//
//   - U01, the commune unit of Phường Nam Hà, states 1 person: it owes
//     min(2, n) with n = 1 then 2, so its obligation goes 1 → 2 and its
//     quota becomes unmet (it takes the largest top-up, P03, in both).
//   - U02, a district agency of 12 staff, owes 1 in both and takes the
//     largest top-up left in district 436: P02.
//   - U03, Xã Yên Hòa, owes min(2, 2) = 2 in both and takes P07 and P08.
//
// Obligations 1 + 1 + 2 = 4 → 2 + 1 + 2 = 5. Nobody sponsors at the
// province, so the province remainder is what the two lower levels left:
// 5 − 4 = 1 (P01) → 6 − 4 = 2 (P01, P04), all uncovered. District 436
// needs ceil(0.7 × 3) = 3 then ceil(0.7 × 4) = 3 and has 2: local_share
// fails in both. Sponsors pay P03 + P02 + P07 + P08 = 180,000 + 430,000
// + 37,000 + 160,000 = 807,000 → 1,280,000 + 1,230,000 + 837,000 + 960,000
// = 4,307,000 a month.
func TestQuotas(t *testing.T) {
	base, neu := engines(t, line2022)
	recs := readPersons(t, "testdata/persons.csv")
	v, err := allocation.VocabularyAt(base.Library(), dec2021)
	require.NoError(t, err)
	units, _, err := allocation.ReadUnitsFile("testdata/units.csv", v)
	require.NoError(t, err)
	q, err := impact.Change{Base: base, New: neu}.Quotas(dec2021, units, recs)
	require.NoError(t, err)

	s := q.Summary()
	assert.Equal(t, impact.Count{Base: 5, New: 6, Delta: 1}, s.Beneficiaries)
	assert.Equal(t, impact.Count{Base: 4, New: 5, Delta: 1}, s.Obligations)
	assert.Equal(t, impact.Count{Base: 0, New: 1, Delta: 1}, s.Unmet)
	assert.Equal(t, impact.Count{Base: 1, New: 2, Delta: 1}, s.Remainder)
	assert.Equal(t, impact.Count{Base: 1, New: 2, Delta: 1}, s.Uncovered)
	assert.Equal(t, [3]string{"807000", "4307000", "3500000"}, amounts(s.Monthly))

	changed := q.Changed()
	require.Len(t, changed, 1)
	u := changed[0]
	assert.Equal(t, "U01", u.ID)
	assert.Equal(t, impact.Count{Base: 1, New: 2, Delta: 1}, u.Obligation)
	assert.Equal(t, impact.Count{Base: 1, New: 1}, u.Counted)
	assert.True(t, u.BaseMet)
	assert.False(t, u.NewMet)

	var d436, province impact.AreaChange
	for _, a := range q.Areas {
		switch a.Level + a.Code {
		case "district436":
			d436 = a
		case "province42":
			province = a
		}
	}
	assert.Equal(t, impact.Count{Base: 3, New: 4, Delta: 1}, d436.Beneficiaries)
	assert.Equal(t, impact.Count{Base: 3, New: 3}, d436.Required)
	assert.Equal(t, []string{"local_share"}, d436.NewFailed)
	assert.Equal(t, impact.Count{Base: 1, New: 2, Delta: 1}, province.ProvinceList)
	assert.Equal(t, "commune", q.Areas[0].Level, "communes first")
	assert.Equal(t, "province", q.Areas[len(q.Areas)-1].Level)
}

func TestErrors(t *testing.T) {
	base, neu := engines(t, line2022)
	recs := readPersons(t, "testdata/persons.csv")
	c := impact.Change{Base: base, New: neu}

	_, err := c.On(recs, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	assert.ErrorIs(t, err, rules.ErrNoPhase)
	assert.ErrorContains(t, err, "base rules: ")
	_, err = c.Months(recs, eligibility.Month{Year: 2021, Month: 5}, eligibility.Month{Year: 2021, Month: 4})
	assert.Error(t, err)
	_, err = impact.Change{Base: base}.On(recs, dec2021)
	assert.Error(t, err)

	// A record the reader rejected is in the report with its error.
	bad := append([]eligibility.Record{}, recs[:2]...)
	bad[1].Err = errors.New("line 3: birth_date: missing")
	r, err := c.On(bad, dec2021)
	require.NoError(t, err)
	assert.Equal(t, []string{"P02"}, ids(r.Errors()))
	assert.Equal(t, [3]string{"160000", "960000", "800000"}, amounts(r.Totals()), "P01 only")
	var buf bytes.Buffer
	require.NoError(t, r.WriteCSV(&buf, impact.ReportPersons))
	assert.Contains(t, buf.String(), "P02,18595,,,,,,,,,,,,line 3: birth_date: missing\n")

	// A person born in the middle of a range is in error for the months
	// before and counted for the months after.
	born := append([]eligibility.Record{}, recs[1])
	born[0] = withField(t, born[0], "birth_date", time.Date(2021, 10, 15, 0, 0, 0, 0, time.UTC))
	r, err = c.Months(born, eligibility.Month{Year: 2021, Month: 9}, eligibility.Month{Year: 2021, Month: 12})
	require.NoError(t, err)
	p := r.Persons[0]
	assert.Equal(t, 2, p.Undecided, "September and October")
	assert.ErrorContains(t, p.Err, `month 2021-09: line 3: birth_date "2021-10-15": is after`)
	assert.Equal(t, [3]string{"860000", "2460000", "1600000"}, amounts(r.Totals()), "2 × 430,000; 2 × 1,230,000")
}

// TestDeterministic checks that the same inputs give the same bytes, and
// that a Change is safe for concurrent use (run with -race).
func TestDeterministic(t *testing.T) {
	base, neu := engines(t, ages...)
	recs := readPersons(t, "testdata/persons.csv")
	c := impact.Change{Base: base, New: neu}
	render := func() string {
		r, err := c.Months(recs, eligibility.Month{Year: 2021, Month: 6}, eligibility.Month{Year: 2022, Month: 2})
		require.NoError(t, err)
		b, err := json.Marshal(r)
		require.NoError(t, err)
		var buf bytes.Buffer
		for _, rep := range impact.Reports {
			require.NoError(t, r.WriteCSV(&buf, rep))
		}
		require.NoError(t, r.WriteText(&buf))
		return string(b) + buf.String()
	}
	want := render()
	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Go(func() { got[i] = render() })
	}
	wg.Wait()
	for _, g := range got {
		assert.Equal(t, want, g)
	}
	assert.Contains(t, want, `"years":[{"year":2021,"months":7,"base":"`)
	assert.True(t, strings.Contains(want, "2022 (2 months)"), "a partial year says so")
}

// TestSummaryListsFirstErrors keeps the summary short when many records are
// in error; the persons report has every one.
func TestSummaryListsFirstErrors(t *testing.T) {
	base, neu := engines(t, line2022)
	recs := make([]eligibility.Record, 25)
	for i := range recs {
		recs[i] = eligibility.Record{Line: i + 2, ID: fmt.Sprintf("X%02d", i), Err: errors.New("bad row")}
	}
	r, err := impact.Change{Base: base, New: neu}.On(recs, dec2021)
	require.NoError(t, err)
	var text, persons bytes.Buffer
	require.NoError(t, r.WriteText(&text))
	require.NoError(t, r.WriteCSV(&persons, impact.ReportPersons))
	assert.Contains(t, text.String(), "  X19: bad row\n  and 5 more: the persons report lists every one\n")
	assert.NotContains(t, text.String(), "X20")
	assert.Equal(t, 26, strings.Count(persons.String(), "\n"))
	assert.Equal(t, [3]string{"0", "0", "0"}, amounts(r.Totals()))
}

// withField returns a copy of rec with one field's value replaced.
func withField(t *testing.T, rec eligibility.Record, name string, v any) eligibility.Record {
	t.Helper()
	_, i := rec.Schema().Decl().Field(name)
	require.GreaterOrEqual(t, i, 0, name)
	rec.Values = slices.Clone(rec.Values)
	rec.Values[i] = v
	return rec
}

// TestStreamIsOn streams 17,000 records (the worked case 1,700 times, so
// more than one chunk of 16,384) and checks that the report and the
// persons it emits are what On and Months give, byte for byte, while the
// streamed report keeps no person; and that an error from emit, from the
// source or from the context stops it.
func TestStreamIsOn(t *testing.T) {
	base, neu := engines(t, line2022)
	worked := readPersons(t, "testdata/persons.csv")
	var recs []eligibility.Record
	for i := range 1700 {
		for _, r := range worked {
			r.ID = fmt.Sprintf("%s-%04d", r.ID, i)
			recs = append(recs, r)
		}
	}
	c := impact.Change{Base: base, New: neu}
	render := func(r *impact.Report, persons string) string {
		var buf bytes.Buffer
		for _, rep := range impact.Reports[1:] { // all but the persons report
			require.NoError(t, r.WriteCSV(&buf, rep))
		}
		require.NoError(t, r.WriteText(&buf))
		return buf.String() + persons
	}
	stream := func(run func(emit func(*impact.Report, *impact.Person) error) (*impact.Report, error)) (*impact.Report, string, int) {
		var buf bytes.Buffer
		cw := csv.NewWriter(&buf)
		var pw *impact.PersonsWriter
		n := 0
		r, err := run(func(r *impact.Report, p *impact.Person) error {
			if pw == nil {
				pw = r.PersonsCSV(cw)
			}
			require.Equal(t, recs[n].ID, p.ID, "input order")
			n++
			pw.Write(p)
			return nil
		})
		require.NoError(t, err)
		cw.Flush()
		return r, buf.String(), n
	}

	kept, err := c.On(recs, dec2021)
	require.NoError(t, err)
	var persons bytes.Buffer
	require.NoError(t, kept.WriteCSV(&persons, impact.ReportPersons))
	r, rows, n := stream(func(emit func(*impact.Report, *impact.Person) error) (*impact.Report, error) {
		return c.StreamOn(context.Background(), eligibility.FromSlice(recs), dec2021, emit)
	})
	assert.Equal(t, 17000, n, "records in = persons out")
	assert.Nil(t, r.Persons)
	assert.Equal(t, render(kept, persons.String()), render(r, rows))
	// The worked case's December, 1,700 times.
	assert.Equal(t, [3]string{"1643900000", "10789900000", "9146000000"}, amounts(r.Totals()))
	s := r.Summary()
	assert.Equal(t, 17000, s.Records)
	assert.Equal(t, 1700, s.Errors, "P10 each time")
	assert.Equal(t, impact.Count{Base: 8500, New: 10200, Delta: 1700}, s.Beneficiaries)

	from, to := eligibility.Month{Year: 2021, Month: 6}, eligibility.Month{Year: 2021, Month: 7}
	kept, err = c.Months(recs, from, to)
	require.NoError(t, err)
	persons.Reset()
	require.NoError(t, kept.WriteCSV(&persons, impact.ReportPersons))
	r, rows, _ = stream(func(emit func(*impact.Report, *impact.Person) error) (*impact.Report, error) {
		return c.StreamMonths(context.Background(), eligibility.FromSlice(recs), from, to, emit)
	})
	assert.Equal(t, render(kept, persons.String()), render(r, rows))
	// June (base 270,000) 1,552,000 → 6,932,000 and July (360,000) 967,000
	// → 6,347,000: 2,519,000 → 13,279,000 (+10,760,000), 1,700 times.
	assert.Equal(t, [3]string{"4282300000", "22574300000", "18292000000"}, amounts(r.Totals()))

	stop := errors.New("the sink is full")
	seen := 0
	_, err = c.StreamOn(context.Background(), eligibility.FromSlice(recs), dec2021, func(*impact.Report, *impact.Person) error {
		if seen++; seen == 10000 {
			return stop
		}
		return nil
	})
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 10000, seen, "nothing emitted after the error")
	unreadable := errors.New("line 9: bare quote")
	_, err = c.StreamOn(context.Background(), func(yield func(eligibility.Record) bool) error {
		for _, r := range recs[:100] {
			if !yield(r) {
				return nil
			}
		}
		return unreadable
	}, dec2021, nil)
	assert.ErrorIs(t, err, unreadable)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.StreamOn(ctx, eligibility.FromSlice(recs), dec2021, nil)
	assert.ErrorIs(t, err, context.Canceled)
}
