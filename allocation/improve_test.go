package allocation_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/hotro-vn/hotro/allocation"
	"github.com/hotro-vn/hotro/allocation/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Three beneficiaries of Vũ Quang with top-ups 100,000, 150,000 and
// 200,000 đ; a district business with 200,000 đ a month and a provincial
// one with 250,000 đ, both reaching anywhere. The levels in turn, cheapest
// first, fund 100,000 at the district (100,000 left, 150,000 does not fit)
// and 150,000 at the province (100,000 left, 200,000 does not fit): one
// uncovered, with 200,000 left over in two halves. The optimum covers all
// three: the district funds 200,000, the province 100,000 + 150,000 =
// 250,000. The bound is 0 (450,000 pays all three top-ups), so the plan
// must reach it with gap 0.
func TestAmountsMoveAcrossLevels(t *testing.T) {
	units := []allocation.Unit{
		{ID: "d-biz", Level: "district", Kind: allocation.KindBusiness, Source: "businesses", Place: "441", Amount: money("200000")},
		{ID: "p-biz", Level: "province", Kind: allocation.KindBusiness, Source: "businesses", Place: "42", Amount: money("250000")},
	}
	bs := []allocation.Beneficiary{ben("a", vq1, "100000"), ben("b", vq1, "150000"), ben("c", vq1, "200000")}
	p, err := planner(t).Plan(date("2020-06-01"), units, bs)
	require.NoError(t, err)
	assert.Equal(t, 0, p.Summary().Uncovered)
	assert.Equal(t, "d-biz:200000", sponsors(p, "c"))
	assert.Equal(t, "p-biz:100000", sponsors(p, "a"))
	assert.Equal(t, "p-biz:150000", sponsors(p, "b"))
	require.NotNil(t, p.Bound)
	assert.Equal(t, 0, p.Bound.Uncovered)
	assert.Equal(t, 0, p.Bound.Gap)
}

// Top-ups 100,000, 200,000, 300,000 and 400,000 đ (1,000,000 in all); a
// district business with 400,000 đ, a provincial one with 600,000 đ. In
// turn: the district funds 100,000 + 200,000 (100,000 left), the province
// 300,000 (300,000 left), and 400,000 is uncovered. No single beneficiary
// can move (100,000 or 200,000 to the province leaves the district 200,000
// or 300,000 short of 400,000; 300,000 does not fit the district's
// 100,000); the exchange of 200,000 (to the province) for 300,000 (to the
// district) does: the district pays 100,000 + 300,000 = 400,000, the
// province 200,000 + 400,000 = 600,000, every đồng of both, everyone
// covered.
func TestAmountsSwapAcrossLevels(t *testing.T) {
	units := []allocation.Unit{
		{ID: "d-biz", Level: "district", Kind: allocation.KindBusiness, Source: "businesses", Place: "441", Amount: money("400000")},
		{ID: "p-biz", Level: "province", Kind: allocation.KindBusiness, Source: "businesses", Place: "42", Amount: money("600000")},
	}
	bs := []allocation.Beneficiary{ben("a", vq1, "100000"), ben("b", vq1, "200000"), ben("c", vq2, "300000"), ben("d", hl1, "400000")}
	p, err := planner(t).Plan(date("2020-06-01"), units, bs)
	require.NoError(t, err)
	assert.Equal(t, 0, p.Summary().Uncovered)
	assert.Equal(t, "400000", unitByID(p, "d-biz").Monthly.String())
	assert.Equal(t, "600000", unitByID(p, "p-biz").Monthly.String())
	assert.Equal(t, 0, p.Bound.Uncovered)
	assert.Equal(t, 0, p.Bound.Gap)
}

// The bound counts whole top-ups: 250,000 đ pays 100,000 but not also
// 200,000, so one of the two stays uncovered in every plan. (Counting the
// second in part, the former bound said 0 and the plan a gap of 1.)
func TestBoundCountsWholeTopups(t *testing.T) {
	units := []allocation.Unit{{ID: "p-biz", Level: "province", Kind: allocation.KindBusiness, Source: "businesses", Place: "42", Amount: money("250000")}}
	p, err := planner(t).Plan(date("2020-06-01"), units, []allocation.Beneficiary{ben("a", vq1, "100000"), ben("b", vq1, "200000")})
	require.NoError(t, err)
	assert.Equal(t, 1, p.Summary().Uncovered)
	assert.Equal(t, "p-biz:100000", sponsors(p, "a"))
	assert.Equal(t, 1, p.Bound.Uncovered)
	assert.Equal(t, 0, p.Bound.Gap)
	assert.False(t, p.Bound.Exact)
}

// An agency of 12 staff (owes 1) gives an amount, 200,000 đ; a provincial
// business 250,000 đ; top-ups 100,000, 150,000, 200,000. In turn the
// agency funds 100,000 and the business 150,000; 200,000 is uncovered.
// Moving 100,000 to the business lets the agency fund 200,000: everyone
// covered and the agency still counts one towards its quota.
func TestAmountsExchangeKeepsQuota(t *testing.T) {
	units := []allocation.Unit{
		{ID: "d-agency", Level: "district", Kind: allocation.KindAgency, Place: "441", Staff: 12, Amount: money("200000")},
		{ID: "p-biz", Level: "province", Kind: allocation.KindBusiness, Source: "businesses", Place: "42", Amount: money("250000")},
	}
	bs := []allocation.Beneficiary{ben("a", vq1, "100000"), ben("b", vq1, "150000"), ben("c", vq1, "200000")}
	p, err := planner(t).Plan(date("2020-06-01"), units, bs)
	require.NoError(t, err)
	assert.Equal(t, 0, p.Summary().Uncovered)
	ag := unitByID(p, "d-agency")
	assert.Equal(t, 1, ag.Obligation)
	assert.Equal(t, 1, ag.Counted)
	assert.True(t, ag.Met)
	assert.Equal(t, 0, p.Summary().QuotasUnmet)
}

// TestAmountsAgainstExact compares the plan with the exact optimum, by
// enumeration, on 400 random small instances of units limited by an amount
// only (each of its own level or reach, so that no two share a pool): 2 to 7 beneficiaries
// of Vũ Quang and Hồng Lĩnh, 2 or 3 units. The bound must never exceed the
// optimum, the plan never beat it, a gap of 0 must mean the optimum; the
// plan reaches the optimum on all but a few instances, counted here.
func TestAmountsAgainstExact(t *testing.T) {
	type unitSpec struct {
		level, place, reach string
	}
	specs := []unitSpec{
		{"district", "441", ""},         // a Vũ Quang business, anywhere
		{"district", "437", "district"}, // a Hồng Lĩnh business, its district only
		{"province", "42", ""},          // a provincial business
	}
	communes := []string{vq1, vq2, hl1}
	r := rand.New(rand.NewPCG(13, 58))
	pl := planner(t)
	missed := 0
	for inst := range 400 {
		var bs []allocation.Beneficiary
		var top []int64
		var home []string
		for i := range 2 + r.IntN(6) {
			v := int64(50_000 * (1 + r.IntN(8)))
			c := communes[r.IntN(len(communes))]
			bs = append(bs, ben(fmt.Sprintf("p%d", i), c, fmt.Sprint(v)))
			top, home = append(top, v), append(home, c)
		}
		var units []allocation.Unit
		var amt []int64
		var spec []unitSpec
		for i, k := range r.Perm(3)[:2+r.IntN(2)] {
			s := specs[k]
			a := int64(50_000 * (1 + r.IntN(16)))
			units = append(units, allocation.Unit{ID: fmt.Sprintf("u%d", i), Level: s.level, Kind: allocation.KindBusiness, Source: "businesses", Place: s.place, Reach: s.reach, Amount: money(fmt.Sprint(a))})
			amt, spec = append(amt, a), append(spec, s)
		}
		can := func(u, b int) bool { return spec[u].reach == "" || home[b] == hl1 }
		// Exact: every beneficiary to one unit or none.
		best := 0
		var try func(b, covered int, left []int64)
		try = func(b, covered int, left []int64) {
			if b == len(bs) {
				best = max(best, covered)
				return
			}
			if covered+len(bs)-b <= best {
				return
			}
			for u := range left {
				if can(u, b) && left[u] >= top[b] {
					left[u] -= top[b]
					try(b+1, covered+1, left)
					left[u] += top[b]
				}
			}
			try(b+1, covered, left)
		}
		try(0, 0, append([]int64(nil), amt...))
		p, err := pl.Plan(date("2020-06-01"), units, bs)
		require.NoError(t, err)
		unc, opt := p.Summary().Uncovered, len(bs)-best
		require.LessOrEqual(t, p.Bound.Uncovered, opt, "instance %d: the bound exceeds the optimum", inst)
		require.GreaterOrEqual(t, unc, opt, "instance %d", inst)
		if p.Bound.Gap == 0 {
			require.Equal(t, opt, unc, "instance %d: gap 0 but not optimal", inst)
		}
		if unc > opt {
			missed++
			t.Logf("instance %d: units %v, amounts %v, top-ups %v in %v: plan %d uncovered, optimum %d, bound %d", inst, spec, amt, top, home, unc, opt, p.Bound.Uncovered)
		}
	}
	t.Logf("the plan misses the optimum on %d of 400 instances", missed) // 16 of 5,000 with seed (7, 7)
	assert.LessOrEqual(t, missed, 2)
}

// TestHaTinhExamplePlan plans examples/hatinh (synth.HaTinh, the data the
// generator writes) on 2020-06-01. Issue 13 gives 58 uncovered for an
// exact integer-programming optimum with the same units, reaches and
// amounts; the bound proves no plan leaves fewer, and the plan leaves
// exactly that many (the sweeps alone left 59), with every district at
// the 70% local share.
func TestHaTinhExamplePlan(t *testing.T) {
	if testing.Short() {
		t.Skip("the whole province")
	}
	d := synth.Generate(synth.HaTinh)
	on := date("2020-06-01")
	p, err := planner(t).Plan(on, d.Units, beneficiaries(t, d.Persons, on))
	require.NoError(t, err)
	s := p.Summary()
	assert.Equal(t, 17809, s.Beneficiaries)
	assert.Equal(t, 58, s.Uncovered)
	require.NotNil(t, p.Bound)
	assert.Equal(t, 58, p.Bound.Uncovered)
	assert.Equal(t, 0, p.Bound.Gap)
	assert.Equal(t, 50, s.QuotasUnmet)
	districts := 0
	for _, a := range p.Areas {
		if a.Level == "district" {
			districts++
			assert.Empty(t, a.Failed, "%s %s: %s", a.Code, a.Name, a.Reason)
			assert.GreaterOrEqual(t, a.SponsoredLocal, a.Required, a.Name)
		}
	}
	assert.Equal(t, 12, districts)
}
