package allocation_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hotro-vn/hotro/admin"
	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/eligibility"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReplanLineRise: in 2021-12 a commune unit of Thạch Bình (capacity 4)
// sponsors four rural elders with a 270,000 đ allowance: top-up 700,000 −
// 270,000 = 430,000 each. In 2022-01 the line is 1,500,000: p1 and p4 are
// kept with 1,230,000 (amount changed); p2's household left the poor list
// (removed: not eligible, poor_household); p3 is absent from the list
// (died or moved away: removed). A new commune unit c0, first by id, takes
// nobody's place: kept pairs stay with c1.
func TestReplanLineRise(t *testing.T) {
	p := planner(t)
	e := engine(t)
	c1 := allocation.UnitRecord{Line: 2, Unit: allocation.Unit{ID: "c1", Level: "commune", Kind: allocation.KindCommune, Place: "18112", Persons: 4, Reach: "commune"}}
	dec := eligibility.MonthOf(date("2021-12-01")).First()
	prev, err := p.PlanRecords(e, dec, []allocation.UnitRecord{c1}, []eligibility.Record{elder("p1"), elder("p2"), elder("p3"), elder("p4")}, true)
	require.NoError(t, err)
	for _, id := range []string{"p1", "p2", "p3", "p4"} {
		require.Equal(t, "c1:430000", sponsors(prev, id), id)
	}
	// Last month's plan goes through its JSON, as allocate --previous reads it.
	var buf bytes.Buffer
	require.NoError(t, prev.WriteJSON(&buf))
	prev, err = allocation.ReadPlanJSON(&buf)
	require.NoError(t, err)

	left := elderPerson("p2")
	left.HouseholdPoor = eligibility.Bool(false)
	c0 := allocation.UnitRecord{Line: 3, Unit: allocation.Unit{ID: "c0", Level: "commune", Kind: allocation.KindCommune, Place: "18112", Persons: 4, Reach: "commune"}}
	now, err := p.ReplanRecords(prev, e, date("2022-01-01"), []allocation.UnitRecord{c0, c1}, []eligibility.Record{elder("p1"), left.Record(3), elder("p4")})
	require.NoError(t, err)
	assert.Equal(t, "c1:1230000", sponsors(now, "p1"))
	assert.Equal(t, "c1:1230000", sponsors(now, "p4"))
	require.Len(t, now.Changes, 4)
	assert.Equal(t, allocation.Change{Beneficiary: "p1", Kind: allocation.ChangeAmount, Before: "c1:430000", After: "c1:1230000"}, now.Changes[0])
	assert.Equal(t, allocation.ChangeRemoved, now.Changes[1].Kind)
	assert.Equal(t, "p2", now.Changes[1].Beneficiary)
	assert.Contains(t, now.Changes[1].Reason, "poor_household")
	assert.Equal(t, allocation.Change{Beneficiary: "p3", Kind: allocation.ChangeRemoved, Before: "c1:430000",
		Reason: "không có trong danh sách (đã mất hoặc chuyển đi) / absent from the list (died or moved away)"}, now.Changes[2])
	assert.Equal(t, allocation.ChangeAmount, now.Changes[3].Kind)
	// A plan made afresh covers the same two; stability costs nothing here.
	require.NotNil(t, now.Bound)
	assert.Equal(t, 0, now.Bound.Gap)

	var b strings.Builder
	require.NoError(t, now.WriteCSV(&b, allocation.ReportChanges))
	assert.True(t, strings.HasPrefix(b.String(), "person_id,change,before,after,reason\np1,amount,c1:430000,c1:1230000,\n"), b.String())
}

// TestReplanSharedLineRise: a pooled sponsorship is kept while its shares
// cover the top-up and goes when the top-up rises above them. In 2021-12
// two province philanthropists (300,000 and 200,000 đ) pool 430,000 đ for
// one beneficiary; in 2022-01 she is due 1,230,000 > 430,000: removed, and
// the 500,000 đ left cannot fund her alone.
func TestReplanSharedLineRise(t *testing.T) {
	units := []allocation.Unit{
		{ID: "ph1", Level: "province", Kind: allocation.KindPhilanthropist, Place: "42", Amount: money("300000")},
		{ID: "ph2", Level: "province", Kind: allocation.KindPhilanthropist, Place: "42", Amount: money("200000")},
	}
	prev, err := planner(t).Plan(date("2021-12-01"), units, []allocation.Beneficiary{ben("v1", vq1, "430000")})
	require.NoError(t, err)
	require.Len(t, sponsorOf(prev, "v1").Shares, 2)
	now, err := planner(t).Replan(prev, date("2022-01-01"), units, []allocation.Beneficiary{ben("v1", vq1, "1230000")})
	require.NoError(t, err)
	require.Len(t, now.Changes, 1)
	assert.Equal(t, allocation.ChangeRemoved, now.Changes[0].Kind)
	assert.Contains(t, now.Changes[0].Reason, "vượt số tiền các bên góp (430000 đ)")
	// A lower top-up keeps the pool and lowers the last share: 430,000 → 400,000.
	now, err = planner(t).Replan(prev, date("2021-12-01"), units, []allocation.Beneficiary{ben("v1", vq1, "400000")})
	require.NoError(t, err)
	require.Len(t, now.Changes, 1)
	assert.Equal(t, allocation.ChangeAmount, now.Changes[0].Kind)
	assert.Equal(t, "400000", sponsorOf(now, "v1").Topup.String())
	total := 0
	for _, sh := range sponsorOf(now, "v1").Shares {
		total += int(sh.Amount.IntPart())
	}
	assert.Equal(t, 400000, total)
}

// TestReplanReform: on 2025-06-01 a commune unit of Thị trấn Vũ Quang
// (18313, reach its commune) sponsors r1 there, and a Vũ Quang district
// agency (reach its district) sponsors r2 of Xã Ân Phú (18316). On
// 2025-07-01 the communes are the new ones (18313 → Xã Vũ Quang 18313,
// 18316 → Xã Mai Hoa 18322) and the district area is the province: both
// pairs are still valid and nothing changes. If r1 moves to Ân Phú (now
// Mai Hoa), she is out of the commune unit's reach: removed, and no other
// unit has room.
func TestReplanReform(t *testing.T) {
	units := []allocation.Unit{
		{ID: "cu", Level: "commune", Kind: allocation.KindCommune, Place: "18313", Persons: 1, Reach: "commune"},
		{ID: "da", Level: "district", Kind: allocation.KindAgency, Place: "441", Staff: 12, Persons: 1, Reach: "district"},
	}
	prev, err := planner(t).Plan(date("2025-06-01"), units, []allocation.Beneficiary{ben("r1", "18313", "1000000"), ben("r2", "18316", "1000000")})
	require.NoError(t, err)
	require.Equal(t, "cu:1000000", sponsors(prev, "r1"))
	require.Equal(t, "da:1000000", sponsors(prev, "r2"))
	reformed := func(id, code string) allocation.Beneficiary {
		c, ok := admin.Default().LookupReformed(code)
		require.True(t, ok, code)
		return allocation.Beneficiary{ID: id, Commune: c, Topup: money("1000000")}
	}
	now, err := planner(t).Replan(prev, date("2025-07-01"), units, []allocation.Beneficiary{reformed("r1", "18313"), reformed("r2", "18322")})
	require.NoError(t, err)
	assert.Empty(t, now.Changes)
	assert.Equal(t, "cu:1000000", sponsors(now, "r1"))
	assert.Equal(t, "da:1000000", sponsors(now, "r2"))

	now, err = planner(t).Replan(prev, date("2025-07-01"), units, []allocation.Beneficiary{reformed("r1", "18322"), reformed("r2", "18322")})
	require.NoError(t, err)
	require.Len(t, now.Changes, 1)
	assert.Equal(t, "r1", now.Changes[0].Beneficiary)
	assert.Equal(t, allocation.ChangeRemoved, now.Changes[0].Kind)
	assert.Equal(t, "đối tượng ở ngoài phạm vi của cu (xã 18322) / out of the reach of cu", now.Changes[0].Reason)
	assert.Equal(t, "da:1000000", sponsors(now, "r2"))
}
