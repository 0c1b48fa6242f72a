package allocation_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func engine(t testing.TB) *eligibility.Engine {
	t.Helper()
	e, err := eligibility.Default()
	require.NoError(t, err)
	return e
}

func month(s string) eligibility.Month {
	m, err := eligibility.ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return m
}

// elder is an eligible person of Xã Thạch Bình (18112, rural), 70 in 2020,
// receiving a social allowance of 270,000 đ a month.
func elder(id string) eligibility.Record {
	return elderPerson(id).Record(2)
}

func elderPerson(id string) eligibility.Person {
	return eligibility.Person{ID: id, HouseholdID: "h-" + id, BirthDate: date("1950-03-15"), CommuneCode: "18112",
		Resident: eligibility.Bool(true), HouseholdPoor: eligibility.Bool(true), HouseholdCategory: "btxh", Disability: "none",
		OtherIncome: decimal.NewNullDecimal(decimal.Zero), MonthlyAllowance: decimal.NewNullDecimal(money("270000"))}
}

func rowOf(t *testing.T, m *allocation.Monitoring, person, month string) allocation.MonthRow {
	t.Helper()
	for _, r := range m.Months {
		if r.PersonID == person && r.Month.String() == month {
			return r
		}
	}
	t.Fatalf("no row for %s in %s", person, month)
	return allocation.MonthRow{}
}

// TestPledge2020: a pledge of 450,000 đ a month made in 2020 for the whole
// phase, for a rural beneficiary with a 270,000 đ allowance. The line is
// 700,000 until 2021, so the top-up is 700,000 − 270,000 = 430,000 and the
// pledge covers it; from 2022-01 the line is 1,500,000, the top-up
// 1,230,000, and the pledge falls short by 780,000 every month to 2025-12.
func TestPledge2020(t *testing.T) {
	c := allocation.Commitment{ID: "c1", Sponsor: "u1", Beneficiaries: []string{"p1"}, Amount: money("450000"),
		First: month("2020-01"), WholePhase: true, Method: allocation.MethodCash}
	m, err := allocation.Monitor(engine(t), []eligibility.Record{elder("p1")}, []allocation.CommitmentRecord{{Line: 2, Commitment: c}}, nil, month("2020-01"), month("2025-12"))
	require.NoError(t, err)
	require.Len(t, m.Commitments, 1)
	assert.Empty(t, m.Commitments[0].Error)
	assert.Empty(t, m.Commitments[0].Flag)
	assert.Equal(t, "2025-12", m.Commitments[0].Last.String())
	require.Len(t, m.Months, 72)
	shortMonths, total := 0, decimal.Zero
	for _, r := range m.Months {
		assert.Equal(t, "450000", r.Pledged.String(), r.Month.String())
		if r.Month.Before(month("2022-01")) {
			assert.Equal(t, "430000", r.Due.String(), r.Month.String())
			assert.True(t, r.Shortfall.IsZero(), r.Month.String())
		} else {
			assert.Equal(t, "1230000", r.Due.String(), r.Month.String())
			assert.Equal(t, "780000", r.Shortfall.String(), r.Month.String())
			shortMonths++
		}
		total = total.Add(r.Shortfall)
	}
	assert.Equal(t, 48, shortMonths)
	assert.Equal(t, "37440000", total.String()) // 48 × 780,000
	last := rowOf(t, m, "p1", "2021-12")
	assert.Equal(t, []string{"u1"}, last.Sponsors)
	assert.Equal(t, "u1", last.Focal)
	require.Len(t, m.Payments, 72)
	assert.Equal(t, allocation.Payment{Month: month("2022-01"), Commitment: "c1", Sponsor: "u1", Beneficiary: "p1", Amount: money("450000"), Method: "cash", Focal: "u1"}, m.Payments[24])
}

// TestPledgeWithCoefficient: the same person with coefficient 1.0 instead
// of a fixed allowance: the base rises to 360,000 from 2021-07, so the
// top-up falls from 430,000 to 700,000 − 360,000 = 340,000, then rises to
// 1,500,000 − 360,000 = 1,140,000 in 2022 and 1,500,000 − 500,000 =
// 1,000,000 from 2024-07.
func TestPledgeWithCoefficient(t *testing.T) {
	pp := elderPerson("p1")
	pp.MonthlyAllowance = decimal.NullDecimal{}
	pp.AllowanceCoefficient = decimal.NewNullDecimal(money("1.0"))
	p := pp.Record(2)
	c := allocation.Commitment{ID: "c1", Sponsor: "u1", Beneficiaries: []string{"p1"}, Amount: money("450000"), First: month("2021-06"), Months: 48, Method: "transfer"}
	m, err := allocation.Monitor(engine(t), []eligibility.Record{p}, []allocation.CommitmentRecord{{Commitment: c}}, nil, month("2021-06"), month("2024-07"))
	require.NoError(t, err)
	for mo, due := range map[string]string{"2021-06": "430000", "2021-07": "340000", "2022-01": "1140000", "2024-06": "1140000", "2024-07": "1000000"} {
		r := rowOf(t, m, "p1", mo)
		assert.Equal(t, due, r.Due.String(), mo)
		assert.Equal(t, decimal.Max(decimal.Zero, money(due).Sub(money("450000"))).String(), r.Shortfall.String(), mo)
	}
	// 48 months from 2021-06 end in 2025-05, inside the phase.
	assert.Equal(t, "2025-05", m.Commitments[0].Last.String())
	assert.Empty(t, m.Commitments[0].Flag)
}

// TestCommitmentChecks: no amount or no duration is an error; running past
// the phase is flagged; unknown sponsors and beneficiaries are errors.
func TestCommitmentChecks(t *testing.T) {
	good := allocation.Commitment{ID: "ok", Sponsor: "u1", Beneficiaries: []string{"p1"}, Amount: money("450000"), First: month("2025-06"), Months: 12, Method: "cash"}
	noAmount, noDuration, stranger, ghost := good, good, good, good
	noAmount.ID, noAmount.Amount = "no-amount", decimal.Zero
	noDuration.ID, noDuration.Months = "no-duration", 0
	stranger.ID, stranger.Sponsor = "stranger", "nobody"
	ghost.ID, ghost.Beneficiaries = "ghost", []string{"p9"}
	var recs []allocation.CommitmentRecord
	for _, c := range []allocation.Commitment{good, noAmount, noDuration, stranger, ghost} {
		recs = append(recs, allocation.CommitmentRecord{Commitment: c})
	}
	units := []allocation.UnitRecord{{Unit: allocation.Unit{ID: "u1"}}}
	m, err := allocation.Monitor(engine(t), []eligibility.Record{elder("p1")}, recs, units, month("2025-06"), month("2025-12"))
	require.NoError(t, err)
	got := map[string]allocation.CommitmentStatus{}
	for _, s := range m.Commitments {
		got[s.ID] = s
	}
	// 2025-06 + 12 months ends 2026-05: five months past 2025-12.
	assert.Equal(t, "runs 5 months past the end of phase hatinh-nq179-2020-2025 (2025-12)", got["ok"].Flag)
	assert.Empty(t, got["ok"].Error)
	assert.Equal(t, "monthly_amount: a commitment must state a monthly amount above 0, or support in kind (plan I.2)", got["no-amount"].Error)
	assert.Equal(t, "duration: a commitment must state how long it runs (plan I.2)", got["no-duration"].Error)
	assert.Equal(t, `sponsor_id "nobody" is not a unit of the units file`, got["stranger"].Error)
	assert.Equal(t, `beneficiary "p9" is not in the persons file`, got["ghost"].Error)
	// Only the valid commitment pays: 1,500,000 − 270,000 = 1,230,000 due.
	assert.Len(t, m.Payments, 7)
	r := rowOf(t, m, "p1", "2025-12")
	assert.Equal(t, "1230000", r.Due.String())
	assert.Equal(t, "780000", r.Shortfall.String())
}

// TestFocalOrganisation: a beneficiary funded by several sponsors has
// exactly one focal organisation: the one the commitments name, else the
// sponsor that pledges most; commitments naming two are reported.
func TestFocalOrganisation(t *testing.T) {
	c := func(id, sponsor, amount, focal string, who ...string) allocation.CommitmentRecord {
		return allocation.CommitmentRecord{Commitment: allocation.Commitment{ID: id, Sponsor: sponsor, Beneficiaries: who, Amount: money(amount),
			First: month("2022-01"), Months: 1, Method: "transfer", Focal: focal}}
	}
	recs := []allocation.CommitmentRecord{
		c("a1", "biz", "700000", "", "p1"), c("a2", "fund", "530000", "", "p1"),
		c("b1", "biz", "600000", "mttq", "p2"), c("b2", "fund", "630000", "", "p2"),
		c("c1", "biz", "600000", "mttq", "p3"), c("c2", "fund", "630000", "women", "p3"),
	}
	m, err := allocation.Monitor(engine(t), []eligibility.Record{elder("p1"), elder("p2"), elder("p3")}, recs, nil, month("2022-01"), month("2022-01"))
	require.NoError(t, err)
	r1 := rowOf(t, m, "p1", "2022-01")
	assert.Equal(t, "biz", r1.Focal)
	assert.Equal(t, "1230000", r1.Pledged.String())
	assert.True(t, r1.Shortfall.IsZero())
	assert.Equal(t, "mttq", rowOf(t, m, "p2", "2022-01").Focal)
	r3 := rowOf(t, m, "p3", "2022-01")
	assert.Empty(t, r3.Focal)
	assert.Equal(t, "commitments name different focal organisations: mttq, women", r3.Note)
}

func TestReadRecords(t *testing.T) {
	dir := t.TempDir()
	units := filepath.Join(dir, "units.csv")
	require.NoError(t, os.WriteFile(units, []byte(strings.Join([]string{
		"unit_id,name,level,kind,place,staff,capacity_persons,monthly_amount,colour",
		"u1,Xã Thạch Bình,commune,commune,18112,,3,,red",
		"u2,Phòng Tư pháp,district,agency,436,,1,,",
		"u3,Công ty A,district,business,436,,,1.500.000,",
		"u4,Hội X,commune,club,18112,,,,",
	}, "\n")), 0o644))
	recs, warnings, err := allocation.ReadUnitsFile(units, vocab(t))
	require.NoError(t, err)
	assert.Equal(t, []string{`unknown column "colour" ignored`}, warnings)
	require.Len(t, recs, 4)
	assert.NoError(t, recs[0].Err)
	assert.Equal(t, allocation.Unit{ID: "u1", Name: "Xã Thạch Bình", Level: "commune", Kind: "commune", Place: "18112", Persons: 3, Amount: decimal.Zero}, recs[0].Unit)
	assert.EqualError(t, recs[1].Err, "line 3: agency_staff: an agency needs its number of staff (CBCC-NLĐ)")
	assert.EqualError(t, recs[2].Err, `line 4: monthly_amount "1.500.000": not whole đồng (write digits only, e.g. 450000, without separators)`)
	assert.EqualError(t, recs[3].Err, `line 5: kind "club": want commune, agency, business, association, philanthropist or other`)

	commits := filepath.Join(dir, "c.json")
	require.NoError(t, os.WriteFile(commits, []byte(`[
 {"commitment_id": "c1", "sponsor_id": "u1", "beneficiary_ids": ["p1", "p2"], "monthly_amount": 450000, "first_month": "2020-01", "duration": "2y", "method": "cash"},
 {"commitment_id": "c2", "sponsor_id": "u1", "beneficiary_ids": "p3", "first_month": "2020-01", "method": "cash"},
 "oops"
]`), 0o644))
	crecs, _, err := allocation.ReadCommitmentsFile(commits, vocab(t))
	require.NoError(t, err)
	require.Len(t, crecs, 3)
	require.NoError(t, crecs[0].Err)
	assert.Equal(t, []string{"p1", "p2"}, crecs[0].Commitment.Beneficiaries)
	assert.Equal(t, 24, crecs[0].Commitment.Months)
	assert.EqualError(t, crecs[1].Err, "record 2: monthly_amount: missing: a commitment must state its monthly amount, or its support in kind (plan I.2)\n"+
		"duration: missing: a commitment must state how long it runs (months, years, or phase) (plan I.2)")
	assert.EqualError(t, crecs[2].Err, "record 3: not a JSON object")
}

// vocab returns the declarations of the 2020–2025 rule set.
func vocab(t testing.TB) *allocation.Vocabulary {
	t.Helper()
	p, err := allocation.Default()
	require.NoError(t, err)
	v, err := p.Vocabulary(time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	return v
}

// The enumerations and headers are the rule set's: a list written with
// Vietnamese headers and spellings reads as the canonical values, from an
// io.Reader, CSV or JSON.
func TestReadVietnamese(t *testing.T) {
	v := vocab(t)
	assert.Equal(t, []string{"commune", "agency", "business", "association", "philanthropist", "other"}, v.Values(allocation.UnitRecordModel, "kind"))
	recs, warnings, err := allocation.ReadUnits(strings.NewReader(
		"Mã đơn vị,Cấp,Loại đơn vị,Địa bàn,Số CBCC-NLĐ,Nguồn vận động,Phạm vi\n"+
			"u1,Cấp huyện,\"Phòng, ban, ngành\",436,12,\"Cán bộ, công chức\",Huyện\n"+
			"u2,Tỉnh,Doanh nghiệp,42,,Doanh nghiệp,\n"+
			"u3,Huyện,Câu lạc bộ,436,,,\n"), allocation.CSV, v)
	require.NoError(t, err)
	assert.Empty(t, warnings)
	require.NoError(t, recs[0].Err)
	assert.Equal(t, allocation.Unit{ID: "u1", Level: "district", Kind: "agency", Place: "436", Staff: 12, Source: "officials", Reach: "district", Amount: decimal.Zero}, recs[0].Unit)
	require.NoError(t, recs[1].Err)
	assert.Equal(t, "business", recs[1].Unit.Kind)
	assert.Equal(t, "province", recs[1].Unit.Level)
	assert.EqualError(t, recs[2].Err, `line 4: kind "Câu lạc bộ": want commune, agency, business, association, philanthropist or other`)

	crecs, _, err := allocation.ReadCommitments(strings.NewReader(`[{"Mã cam kết": "c1", "sponsor_id": "u1", "beneficiary_ids": ["p1"], "monthly_amount": 450000, "first_month": "2020-06", "duration": "phase", "Hình thức": "Chuyển khoản"},
 {"commitment_id": "c2", "sponsor_id": "u1", "beneficiary_ids": ["p1"], "monthly_amount": 450000, "first_month": "2020-06", "duration": "phase"}]`), allocation.JSON, v)
	require.NoError(t, err)
	require.NoError(t, crecs[0].Err)
	assert.Equal(t, allocation.MethodTransfer, crecs[0].Commitment.Method)
	assert.EqualError(t, crecs[1].Err, "record 2: commitment_method: a commitment states how it pays")

	paid, _, err := allocation.ReadPayments(strings.NewReader("Tháng,Người nộp,Mã đối tượng,Số tiền,Hình thức,Số biên lai,Nguồn vận động\n"+
		"2020-06,g1,p1,100000,Tiền mặt,B1,Gia đình\n2020-06,g1,p1,0,,B2,\n"), allocation.CSV, v)
	require.NoError(t, err)
	require.NoError(t, paid[0].Err)
	assert.Equal(t, "family", paid[0].Paid.Source)
	assert.Equal(t, "cash", paid[0].Paid.Method)
	assert.EqualError(t, paid[1].Err, "line 3: payment_above_zero: a payment is above 0")
}
