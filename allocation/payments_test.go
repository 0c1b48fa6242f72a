package allocation_test

import (
	"strings"
	"testing"

	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReconcile: two elders of Xã Thạch Bình (rural, allowance 270,000),
// due 430,000 a month until 2021-12 and 1,230,000 from 2022-01 (the line
// rises from 700,000 to 1,500,000). u1 pledges 450,000 for p1, pays
// nothing in Oct–Dec 2021 and 1,800,000 in January (three months late and
// the current one), then 450,000. u2 pledges 450,000 for p2 and pays
// 500,000 every month. p2's family adds 100,000 in March. Worked by hand
// below.
func TestReconcile(t *testing.T) {
	persons := []eligibility.Record{elder("p1"), elder("p2")}
	units := []allocation.UnitRecord{
		{Line: 2, Unit: allocation.Unit{ID: "u1", Level: "commune", Kind: allocation.KindCommune, Place: "18112", Source: "officials"}},
		{Line: 3, Unit: allocation.Unit{ID: "u2", Level: "district", Kind: allocation.KindBusiness, Place: "445", Source: "businesses"}},
	}
	commits := []allocation.CommitmentRecord{
		{Line: 2, Commitment: allocation.Commitment{ID: "c1", Sponsor: "u1", Beneficiaries: []string{"p1"}, Amount: money("450000"), First: month("2021-10"), WholePhase: true, Method: "cash"}},
		{Line: 3, Commitment: allocation.Commitment{ID: "c2", Sponsor: "u2", Beneficiaries: []string{"p2"}, Amount: money("450000"), First: month("2021-10"), WholePhase: true, Method: "transfer"}},
	}
	m, err := allocation.Monitor(engine(t), persons, commits, units, month("2021-10"), month("2022-03"))
	require.NoError(t, err)
	csv := "month,payer_id,person_id,amount,method,focal_id,receipt_no,source\n" +
		"2022-01,u1,p1,1800000,cash,,R1,\n" +
		"2022-02,u1,p1,450000,cash,,R2,\n" +
		"2022-03,u1,p1,450000,cash,,R3,\n" +
		"2021-10,u2,p2,500000,transfer,,R4,\n" +
		"2021-11,u2,p2,500000,transfer,,R5,\n" +
		"2021-12,u2,p2,500000,transfer,,R6,\n" +
		"2022-01,u2,p2,500000,transfer,,R7,\n" +
		"2022-02,u2,p2,500000,transfer,,R8,\n" +
		"2022-03,u2,p2,500000,transfer,,R9,\n" +
		"2022-03,fam-p2,p2,100000,cash,,R10,family\n" +
		"2022-03,u2,p2,500000,transfer,,R9,\n" + // the same receipt twice: both in error
		"2022-03,u1,p9,450000,cash,,R11,\n" + // nobody of that id
		"2022-13,u1,p1,abc,cash,,R12,\n"
	paid, _, err := allocation.ReadPayments(strings.NewReader(csv), allocation.CSV, vocab(t))
	require.NoError(t, err)
	require.Len(t, paid, 13)
	rc := allocation.Reconcile(m, persons, units, paid)
	require.Len(t, rc.Payments, 13) // records in = records out
	errs := 0
	for _, p := range rc.Payments {
		if p.Error != "" {
			errs++
		}
	}
	assert.Equal(t, 4, errs) // R9 twice, p9, and line 14 (its month and its amount)
	assert.Contains(t, rc.Payments[12].Error, "month")
	assert.Contains(t, rc.Payments[12].Error, "amount")

	pair := func(mo, sponsor string) allocation.PairMonth {
		for _, p := range rc.Pairs {
			if p.Month.String() == mo && p.Sponsor == sponsor {
				return p
			}
		}
		t.Fatalf("no pair %s %s", mo, sponsor)
		return allocation.PairMonth{}
	}
	// u1: 450,000 owed each month, carried: 450,000, 900,000, 1,350,000,
	// then 1,350,000 + 450,000 − 1,800,000 = 0.
	for mo, want := range map[string][3]string{
		"2021-10": {"450000", "450000", "0"}, "2021-11": {"450000", "900000", "0"}, "2021-12": {"450000", "1350000", "0"},
		"2022-01": {"0", "0", "0"}, "2022-02": {"0", "0", "0"}, "2022-03": {"0", "0", "0"},
	} {
		p := pair(mo, "u1")
		assert.Equal(t, want, [3]string{p.Unpaid.String(), p.Arrears.String(), p.Overpaid.String()}, mo)
	}
	// u2 pays 50,000 over its pledge each month: a credit of 50,000 × n.
	for mo, want := range map[string]string{"2021-10": "50000", "2021-12": "150000", "2022-01": "200000", "2022-02": "250000"} {
		p := pair(mo, "u2")
		assert.Equal(t, want, p.Overpaid.String(), mo)
		assert.Equal(t, "0", p.Arrears.String(), mo)
	}
	// March: R9 is in error (twice), so u2's March payment does not count:
	// u2 owes 450,000 that month, its credit of 250,000 (5 × 50,000)
	// brings the carried balance to 200,000 owed.
	p := pair("2022-03", "u2")
	assert.Equal(t, "450000", p.Unpaid.String())
	assert.Equal(t, "200000", p.Arrears.String())
	assert.Equal(t, "0", p.Overpaid.String())

	// The province in December 2021: due 2 × 430,000; pledged 2 × 450,000;
	// paid 500,000 (u2 only); unpaid 450,000 (u1); arrears 1,350,000 (u1);
	// credit 150,000 (u2); the subjects short 430,000 (p1 got nothing).
	dec := rc.Tally(month("2021-12"), "province", "42")
	assert.Equal(t, []string{"860000", "900000", "500000", "450000", "1350000", "150000", "430000"},
		[]string{dec.Due.String(), dec.Pledged.String(), dec.Paid.String(), dec.Unpaid.String(), dec.Arrears.String(), dec.Overpaid.String(), dec.Short.String()})
	// January 2022, the line rise: due 2 × 1,230,000 = 2,460,000; paid
	// 1,800,000 + 500,000; p1 is paid above the due, p2 short 730,000.
	jan := rc.Tally(month("2022-01"), "district", "436") // Thành phố Hà Tĩnh
	assert.Equal(t, []string{"2460000", "900000", "2300000", "0", "0", "200000", "730000"},
		[]string{jan.Due.String(), jan.Pledged.String(), jan.Paid.String(), jan.Unpaid.String(), jan.Arrears.String(), jan.Overpaid.String(), jan.Short.String()})
	// p2 in March: due 1,230,000, paid 100,000 by the family (u2's receipt
	// is in error): short 1,130,000.
	mar := rc.Tally(month("2022-03"), "subject", "p2")
	assert.Equal(t, "100000", mar.Paid.String())
	assert.Equal(t, "1130000", mar.Short.String())
	// Funds by source in the commune, over the months: officials 2,700,000
	// (u1), businesses 5 × 500,000 (R9 in error), family 100,000.
	got := map[string]string{}
	for _, s := range rc.Sources {
		if s.Level == "commune" && s.Code == "18112" {
			got[s.Source] = s.Paid.String()
		}
	}
	assert.Equal(t, map[string]string{"officials": "2700000", "businesses": "2500000", "family": "100000"}, got)
	// A payment without a pledge is counted, with a note.
	assert.Equal(t, "no pledge by this payer for this person this month", rc.Payments[9].Note)
}
