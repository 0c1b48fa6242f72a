package allocation_test

import (
	"strings"
	"testing"

	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDuties: in Vũ Quang (441) three beneficiaries of 430,000 đ, in Hồng
// Lĩnh (437) one. Two district agencies of Vũ Quang take one each (a of 12
// staff, b of 30), a hometown association of Hồng Lĩnh takes her, and a
// province business pays 430,000 đ: the third of Vũ Quang.
//
//   - contributions (rural, 20,000 đ per official): a 12 × 20,000 =
//     240,000 < 430,000, flagged; b 30 × 20,000 = 600,000 ≥ 430,000.
//   - expatriates (per district): Vũ Quang 0 of 3, a warning; Hồng Lĩnh 1.
//   - arrangements: Vũ Quang 3 = 2 alone + 1 on the province list; Hồng
//     Lĩnh 1 alone; the province 4 = 3 alone + 1 province list.
func TestDuties(t *testing.T) {
	units := []allocation.Unit{
		{ID: "a", Level: "district", Kind: allocation.KindAgency, Place: "441", Staff: 12, Persons: 1, Reach: "district"},
		{ID: "b", Level: "district", Kind: allocation.KindAgency, Place: "441", Staff: 30, Persons: 1, Reach: "district"},
		{ID: "c", Level: "district", Kind: allocation.KindAssociation, Source: "expatriates", Place: "437", Persons: 1, Reach: "district"},
		{ID: "d", Level: "province", Kind: allocation.KindBusiness, Source: "businesses", Place: "42", Amount: money("430000")},
	}
	bs := []allocation.Beneficiary{ben("v1", vq1, "430000"), ben("v2", vq2, "430000"), ben("v3", vq1, "430000"), ben("h1", hl1, "430000")}
	p, err := planner(t).Plan(date("2020-06-01"), units, bs)
	require.NoError(t, err)
	require.Equal(t, 0, p.Summary().Uncovered)
	d := p.Duties
	require.NotNil(t, d)
	require.Len(t, d.Contributions, 2)
	assert.Equal(t, "a", d.Contributions[0].Unit)
	assert.Equal(t, "240000", d.Contributions[0].Minimum.String())
	assert.Equal(t, "430000", d.Contributions[0].Monthly.String())
	assert.True(t, d.Contributions[0].Flagged)
	assert.Equal(t, "600000", d.Contributions[1].Minimum.String())
	assert.False(t, d.Contributions[1].Flagged)

	require.Len(t, d.Expatriates, 2)
	assert.Equal(t, allocation.Expatriates{Level: "district", Code: "437", Name: d.Expatriates[0].Name, Beneficiaries: 1, Sponsored: 1}, d.Expatriates[0])
	assert.Equal(t, "441", d.Expatriates[1].Code)
	assert.Equal(t, 0, d.Expatriates[1].Sponsored)
	assert.Contains(t, d.Expatriates[1].Warning, "hội đồng hương")
	c, e := d.Warnings()
	assert.Equal(t, [2]int{1, 1}, [2]int{c, e})

	arr := map[string]allocation.Arrangement{}
	for _, r := range d.Arrangements {
		arr[r.Level+"/"+r.Code] = r
	}
	assert.Equal(t, [4]int{3, 2, 0, 1}, counts(arr["district/441"]))
	assert.Equal(t, [4]int{1, 1, 0, 0}, counts(arr["district/437"]))
	assert.Equal(t, [4]int{4, 3, 0, 1}, counts(arr["province/42"]))

	var b strings.Builder
	require.NoError(t, p.WriteCSV(&b, allocation.ReportArrangements))
	assert.Contains(t, b.String(), "level,code,name,beneficiaries,alone,shared,province_list,uncovered\n")
	assert.Contains(t, b.String(), "district,441,Huyện Vũ Quang,3,2,0,1,0\n")
}

// counts is beneficiaries, alone, shared, province list (uncovered is 0).
func counts(r allocation.Arrangement) [4]int {
	return [4]int{r.Beneficiaries, r.Alone, r.Shared, r.ProvinceList}
}

// TestMemberPreferred: two beneficiaries of the same commune and top-up,
// two district agencies of one person each. Either way both are covered
// and both quotas met; each goes to the agency it belongs to, whichever
// way round the membership is.
func TestMemberPreferred(t *testing.T) {
	units := []allocation.Unit{
		{ID: "u-a", Level: "district", Kind: allocation.KindAgency, Place: "441", Staff: 12, Persons: 1},
		{ID: "u-b", Level: "district", Kind: allocation.KindAgency, Place: "441", Staff: 12, Persons: 1},
	}
	for _, tc := range []struct{ m1, m2 string }{{"u-a", "u-b"}, {"u-b", "u-a"}} {
		m1, m2 := ben("m1", vq1, "430000"), ben("m2", vq1, "430000")
		m1.Member, m2.Member = tc.m1, tc.m2
		m1.Circumstances = "Mồ côi cha, sống với bà"
		p, err := planner(t).Plan(date("2020-06-01"), units, []allocation.Beneficiary{m1, m2})
		require.NoError(t, err)
		assert.Equal(t, tc.m1+":430000", sponsors(p, "m1"))
		assert.Equal(t, tc.m2+":430000", sponsors(p, "m2"))
		assert.Equal(t, 0, p.Summary().QuotasUnmet)
		var b strings.Builder
		require.NoError(t, p.WriteCSV(&b, allocation.ReportSponsorships))
		assert.Contains(t, b.String(), ",member_of,circumstances\n")
		assert.Contains(t, b.String(), ","+tc.m1+",\"Mồ côi cha, sống với bà\"\n")
	}
}

// TestCommitmentSignersAndKind: a commitment names the People's Committee
// and the Front that sign it, or is flagged; support in kind (care)
// stands beside money or instead of it and never counts toward the
// top-up: a beneficiary due 430,000 đ with 300,000 đ and care pledged
// falls short by 130,000 đ, with care alone by 430,000 đ.
func TestCommitmentSignersAndKind(t *testing.T) {
	recs, _, err := allocation.ReadCommitments(strings.NewReader(
		"Mã cam kết,Mã đơn vị đỡ đầu,Mã đối tượng,Số tiền hằng tháng,Tháng bắt đầu,Thời gian,Hình thức,UBND ký,MTTQ ký,Hỗ trợ khác\n"+
			"c1,u1,p1,300000,2020-06,phase,cash,UBND xã Thạch Bình,Ủy ban MTTQ xã Thạch Bình,Chăm sóc\n"+
			"c2,u2,p2,,2020-06,phase,cash,UBND xã Thạch Bình,,care\n"+
			"c3,u3,p3,,2020-06,phase,cash,,,\n"), allocation.CSV, vocab(t))
	require.NoError(t, err)
	require.Len(t, recs, 3)
	require.NoError(t, recs[0].Err)
	assert.Equal(t, "care", recs[0].Commitment.InKind)
	assert.Equal(t, "UBND xã Thạch Bình", recs[0].Commitment.Committee)
	assert.Empty(t, recs[0].Commitment.Unsigned())
	require.NoError(t, recs[1].Err)
	assert.True(t, recs[1].Commitment.Amount.IsZero())
	assert.Contains(t, recs[1].Commitment.Unsigned(), "MTTQ")
	assert.EqualError(t, recs[2].Err, "line 4: monthly_amount: missing: a commitment must state its monthly amount, or its support in kind (plan I.2)")

	m, err := allocation.Monitor(engine(t), []eligibility.Record{elder("p1"), elder("p2")}, recs[:2], nil, month("2020-06"), month("2020-06"))
	require.NoError(t, err)
	assert.Empty(t, m.Commitments[0].Unsigned)
	assert.Equal(t, "chưa ghi MTTQ ký cam kết (no Front committee signs it)", m.Commitments[1].Unsigned)
	r1, r2 := rowOf(t, m, "p1", "2020-06"), rowOf(t, m, "p2", "2020-06")
	assert.Equal(t, [3]string{"430000", "300000", "130000"}, [3]string{r1.Due.String(), r1.Pledged.String(), r1.Shortfall.String()})
	assert.Equal(t, [3]string{"430000", "0", "430000"}, [3]string{r2.Due.String(), r2.Pledged.String(), r2.Shortfall.String()})
	require.Len(t, m.Payments, 1) // care alone pays nothing
	assert.Equal(t, "c1", m.Payments[0].Commitment)
}
