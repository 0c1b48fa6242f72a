package allocation_test

import (
	"bytes"
	"cmp"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hotro-vn/hotro/admin"
	"github.com/hotro-vn/hotro/allocation"
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

func money(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func planner(t testing.TB) *allocation.Planner {
	t.Helper()
	p, err := allocation.Default()
	require.NoError(t, err)
	return p
}

// Communes of Huyện Vũ Quang (441) and Thị xã Hồng Lĩnh (437), Hà Tĩnh, before the reform.
const (
	vq1, vq2, vq3 = "18313", "18316", "18319"
	hl1           = "18115"
)

// ben is a beneficiary of a pre-reform commune with a top-up.
func ben(id, commune, topup string) allocation.Beneficiary {
	c, ok := admin.Default().Lookup(commune)
	if !ok {
		panic(commune)
	}
	return allocation.Beneficiary{ID: id, Commune: c, Topup: money(topup)}
}

// bens makes n beneficiaries of a commune with ids prefix1…prefixN.
func bens(prefix, commune string, n int, topup string) []allocation.Beneficiary {
	var out []allocation.Beneficiary
	for i := 1; i <= n; i++ {
		out = append(out, ben(fmt.Sprintf("%s%02d", prefix, i), commune, topup))
	}
	return out
}

func unitByID(p *allocation.Plan, id string) allocation.UnitResult {
	for _, u := range p.Units {
		if u.ID == id {
			return u
		}
	}
	panic("no unit " + id)
}

func sponsorOf(p *allocation.Plan, person string) allocation.Sponsorship {
	for _, s := range p.Sponsorships {
		if s.Beneficiary == person {
			return s
		}
	}
	panic("no person " + person)
}

func areaOf(p *allocation.Plan, level, code string) allocation.Area {
	for _, a := range p.Areas {
		if a.Level == level && a.Code == code {
			return a
		}
	}
	panic("no area " + level + " " + code)
}

// sponsors lists "unit:amount" for a beneficiary, "" when uncovered.
func sponsors(p *allocation.Plan, person string) string {
	var out []string
	for _, s := range sponsorOf(p, person).Shares {
		out = append(out, s.Unit+":"+s.Amount.String())
	}
	return strings.Join(out, " ")
}

// greedy is the simple pass the plan must beat: units in id order, each
// taking the nearest beneficiaries left (same commune, district, province,
// then further; ties by id) whole, while its persons and amount allow.
func greedy(units []allocation.Unit, bs []allocation.Beneficiary) (covered int) {
	taken := map[string]bool{}
	dist := func(u allocation.Unit, b allocation.Beneficiary) int {
		if u.Place == b.Commune.Code {
			return 0
		}
		district := u.Place
		if c, ok := admin.Default().Lookup(u.Place); ok && len(u.Place) == 5 {
			district = c.DistrictCode
		}
		if district == b.Commune.DistrictCode {
			return 1
		}
		return 2 // all of these tests are in Hà Tĩnh
	}
	reach := map[string]int{"commune": 0, "district": 1, "province": 2, "": 2}
	slices.SortFunc(units, func(x, y allocation.Unit) int { return strings.Compare(x.ID, y.ID) })
	for _, u := range units {
		cands := slices.Clone(bs)
		slices.SortStableFunc(cands, func(x, y allocation.Beneficiary) int {
			return cmp.Or(cmp.Compare(dist(u, x), dist(u, y)), strings.Compare(x.ID, y.ID))
		})
		left, persons := u.Amount, u.Persons
		for _, b := range cands {
			if taken[b.ID] || dist(u, b) > reach[u.Reach] || persons == 0 && u.Persons > 0 {
				continue
			}
			if u.Amount.Sign() > 0 && b.Topup.GreaterThan(left) {
				break
			}
			taken[b.ID], left, persons = true, left.Sub(b.Topup), persons-1
			covered++
		}
	}
	return covered
}

// TestBeatsGreedyOnReach: an association that sponsors only in its own
// commune and a business that sponsors anywhere sit in the same commune,
// which has one beneficiary; the next commune has another. Greedy lets the
// business (first by id) take the one beside it, and the association has
// nobody left in reach. The plan serves the unit whose reach ends first.
func TestBeatsGreedyOnReach(t *testing.T) {
	units := []allocation.Unit{
		{ID: "a-business", Level: "commune", Kind: allocation.KindBusiness, Source: "businesses", Place: vq1, Persons: 1},
		{ID: "b-association", Level: "commune", Kind: allocation.KindAssociation, Source: "expatriates", Place: vq1, Persons: 1, Reach: "commune"},
	}
	bs := []allocation.Beneficiary{ben("x1", vq1, "430000"), ben("y1", vq2, "430000")}
	assert.Equal(t, 1, greedy(units, bs))

	p, err := planner(t).Plan(date("2020-06-01"), units, bs)
	require.NoError(t, err)
	assert.Equal(t, "b-association:430000", sponsors(p, "x1"))
	assert.Equal(t, "commune", sponsorOf(p, "x1").Near)
	assert.Equal(t, "a-business:430000", sponsors(p, "y1"))
	assert.Equal(t, "district", sponsorOf(p, "y1").Near)
	assert.Equal(t, 0, p.Summary().Uncovered)

	// Neither reach ends in the commune, but the association's ends first
	// (its district): it is served first, and the business goes on to
	// another district.
	units[1].Reach = "district"
	bs = []allocation.Beneficiary{ben("x1", vq1, "430000"), ben("h1", hl1, "430000")}
	assert.Equal(t, 1, greedy(units, bs))
	p, err = planner(t).Plan(date("2020-06-01"), units, bs)
	require.NoError(t, err)
	assert.Equal(t, "b-association:430000", sponsors(p, "x1"))
	assert.Equal(t, "a-business:430000", sponsors(p, "h1"))
	assert.Equal(t, "province", sponsorOf(p, "h1").Near)
}

// TestBeatsGreedyOnAmounts: two businesses pledge 1,000,000 and 500,000 đ a
// month; three beneficiaries need 630,000, 430,000 and 430,000. Greedy
// gives 630,000 to the first business (370,000 left, too little for
// anyone) and 430,000 to the second (70,000 left): one uncovered. The plan
// pools both amounts where both reach (anywhere), gives the two small
// top-ups whole to the larger giver (140,000 left), then funds the third
// with 140,000 + 490,000, the larger share's giver as focal organisation.
func TestBeatsGreedyOnAmounts(t *testing.T) {
	units := []allocation.Unit{
		{ID: "b1", Level: "district", Kind: allocation.KindBusiness, Source: "businesses", Place: "441", Amount: money("1000000")},
		{ID: "b2", Level: "district", Kind: allocation.KindBusiness, Source: "businesses", Place: "441", Amount: money("500000")},
	}
	bs := []allocation.Beneficiary{ben("p1", vq1, "630000"), ben("p2", vq2, "430000"), ben("p3", vq3, "430000")}
	assert.Equal(t, 2, greedy(units, bs))

	p, err := planner(t).Plan(date("2020-06-01"), units, bs)
	require.NoError(t, err)
	assert.Equal(t, "b1:430000", sponsors(p, "p2"))
	assert.Equal(t, "b1:430000", sponsors(p, "p3"))
	assert.Equal(t, "b1:140000 b2:490000", sponsors(p, "p1"))
	assert.Equal(t, "b2", sponsorOf(p, "p1").Focal)
	s := p.Summary()
	assert.Equal(t, 0, s.Uncovered)
	assert.Equal(t, 2, s.Alone)
	assert.Equal(t, 1, s.Shared)
	b1 := unitByID(p, "b1")
	assert.Equal(t, 2, b1.Sponsored)
	assert.Equal(t, 1, b1.Shared)
	assert.Equal(t, "1000000", b1.Monthly.String())
	assert.Equal(t, "490000", unitByID(p, "b2").Monthly.String())
}

// TestCommuneQuota: a commune with 3 beneficiaries owes min(2, 3) = 2 with
// a target of 3; with a capacity of 2 it meets the quota with a warning.
// A commune with 1 beneficiary owes 1. A commune unit with no capacity
// stated takes its obligation.
func TestCommuneQuota(t *testing.T) {
	units := []allocation.Unit{
		{ID: "c1", Level: "commune", Kind: allocation.KindCommune, Place: vq1, Persons: 2},
		{ID: "c2", Level: "commune", Kind: allocation.KindCommune, Place: vq2},
		{ID: "c3", Level: "commune", Kind: allocation.KindCommune, Place: vq3, Persons: 1},
	}
	bs := append(bens("x", vq1, 3, "430000"), ben("y01", vq2, "430000"))
	bs = append(bs, bens("z", vq3, 10, "430000")...)
	p, err := planner(t).Plan(date("2020-06-01"), units, bs)
	require.NoError(t, err)

	c1 := unitByID(p, "c1")
	assert.Equal(t, allocation.Quota{Rule: "commune_min", Obligation: 2, Target: 3}, c1.Quota)
	assert.True(t, c1.Met)
	assert.Equal(t, 2, c1.Sponsored)
	assert.Equal(t, "sponsors 2, below the recommended 3", c1.Warning)

	c2 := unitByID(p, "c2")
	assert.Equal(t, 1, c2.Obligation)
	assert.True(t, c2.Met)
	assert.Equal(t, "c2:430000", sponsors(p, "y01"))

	c3 := unitByID(p, "c3")
	assert.Equal(t, 2, c3.Obligation)
	assert.False(t, c3.Met)
	assert.Equal(t, []string{"commune_min"}, c3.Failed)
	assert.Equal(t, "the unit states a capacity of 1 person, below its obligation of 2", c3.Reason)

	// Vũ Quang: 14 beneficiaries, 2 + 1 + 1 = 4 sponsored by communes, so
	// the district is at 4/14 = 28.57% against ceil(0.70 × 14) = 10.
	vq := areaOf(p, "district", "441")
	assert.Equal(t, 14, vq.Beneficiaries)
	assert.Equal(t, 4, vq.SponsoredLocal)
	assert.Equal(t, 10, vq.Required)
	assert.Equal(t, "0.2857", vq.Share.String())
	assert.Equal(t, []string{"local_share"}, vq.Failed)
	assert.Equal(t, "local_share: 4 of 14 sponsored locally, 10 required", vq.Reason)
	prov := areaOf(p, "province", "42")
	assert.Equal(t, 10, prov.ProvinceList)
	assert.Equal(t, 10, prov.Uncovered)
	assert.Equal(t, []string{"province_remainder"}, prov.Failed)
}

// TestAgencyQuotas: district agencies with 9, 10, 15, 16 staff, and three
// more under 10. The four small ones (staff 9, 5, 7, 8) form two pairs in
// order of their ids: (a09, s05) and (s07, s08).
func TestAgencyQuotas(t *testing.T) {
	agency := func(id string, staff, persons int) allocation.Unit {
		return allocation.Unit{ID: id, Level: "district", Kind: allocation.KindAgency, Place: "441", Staff: staff, Persons: persons}
	}
	units := []allocation.Unit{agency("a09", 9, 0), agency("a10", 10, 0), agency("a15", 15, 0), agency("a16", 16, 1),
		agency("s05", 5, 0), agency("s07", 7, 0), agency("s08", 8, 1)}
	p, err := planner(t).Plan(date("2020-06-01"), units, bens("x", vq1, 20, "430000"))
	require.NoError(t, err)
	want := map[string]allocation.Quota{
		"a09": {Rule: "district_unit_small", Obligation: 1, Target: 1, Group: "a09"},
		"s05": {Rule: "district_unit_small", Obligation: 1, Target: 1, Group: "a09"},
		"s07": {Rule: "district_unit_small", Obligation: 1, Target: 1, Group: "s07"},
		"s08": {Rule: "district_unit_small", Obligation: 1, Target: 1, Group: "s07"},
		"a10": {Rule: "district_unit_10_15", Obligation: 1, Target: 1},
		"a15": {Rule: "district_unit_10_15", Obligation: 1, Target: 1},
		"a16": {Rule: "district_unit_large", Obligation: 2, Target: 2, PolicySilent: true},
	}
	for id, q := range want {
		assert.Equal(t, q, unitByID(p, id).Quota, id)
	}
	// The first of a pair without a stated capacity stands for the pair.
	assert.Equal(t, 1, unitByID(p, "a09").Sponsored)
	assert.Equal(t, 0, unitByID(p, "s05").Sponsored)
	assert.True(t, unitByID(p, "s05").Met)
	// s07 stands for its pair too; s08 states one person of its own and
	// takes one more: the pair counts 2 against its 1.
	assert.Equal(t, 1, unitByID(p, "s07").Sponsored)
	assert.Equal(t, 1, unitByID(p, "s08").Sponsored)
	assert.Equal(t, 2, unitByID(p, "s08").Counted)
	// a16 states 1 person but owes ceil(16/15) = 2.
	a16 := unitByID(p, "a16")
	assert.False(t, a16.Met)
	assert.Equal(t, "the unit states a capacity of 1 person, below its obligation of 2", a16.Reason)
	d := areaOf(p, "district", "441")
	assert.Equal(t, 4, d.SmallAgencies)
	assert.Equal(t, 2, d.SmallSubjects)
}

// TestSmallAgenciesOdd: 3 small agencies owe ceil(3/2) = 2: one pair and
// the last one alone.
func TestSmallAgenciesOdd(t *testing.T) {
	var units []allocation.Unit
	for _, id := range []string{"k3", "k1", "k2"} {
		units = append(units, allocation.Unit{ID: id, Level: "district", Kind: allocation.KindAgency, Place: "441", Staff: 6})
	}
	p, err := planner(t).Plan(date("2020-06-01"), units, bens("x", vq1, 5, "430000"))
	require.NoError(t, err)
	assert.Equal(t, "k1", unitByID(p, "k1").Group)
	assert.Equal(t, "k1", unitByID(p, "k2").Group)
	assert.Equal(t, "k3", unitByID(p, "k3").Group)
	assert.Equal(t, 1, unitByID(p, "k1").Sponsored)
	assert.Equal(t, 1, unitByID(p, "k3").Sponsored)
	assert.Equal(t, 2, areaOf(p, "district", "441").SmallSubjects)
	assert.Equal(t, 2, areaOf(p, "district", "441").SponsoredLocal)
}

// TestLevelsInOrder: a commune unit (3 persons), a Vũ Quang agency (2)
// and a provincial department (10); four beneficiaries in a Vũ Quang
// commune, two in Hồng Lĩnh. Everyone can be covered; what decides is the
// local share (ceil(0.7 × 4) = 3 in Vũ Quang, ceil(0.7 × 2) = 2 in Hồng
// Lĩnh). Worked by hand: the commune's 3 meet Vũ Quang's 3; Hồng Lĩnh
// reaches 2 only if the Vũ Quang agency (a district-level unit, local
// wherever it sponsors) takes both of its beneficiaries; the province
// takes the fourth Vũ Quang beneficiary. The old level-by-level sweep gave
// the agency one of Vũ Quang's instead (nearer) and left Hồng Lĩnh at 1 of
// 2 required: the share outranks nearness.
func TestLevelsInOrder(t *testing.T) {
	units := []allocation.Unit{
		{ID: "p-dept", Level: "province", Kind: allocation.KindAgency, Place: "42", Staff: 40, Persons: 10},
		{ID: "d-agency", Level: "district", Kind: allocation.KindAgency, Place: "441", Staff: 12, Persons: 2},
		{ID: "c-vq1", Level: "commune", Kind: allocation.KindCommune, Place: vq1, Persons: 3},
	}
	bs := append(bens("a", vq1, 4, "430000"), bens("b", hl1, 2, "630000")...)
	p, err := planner(t).Plan(date("2020-06-01"), units, bs)
	require.NoError(t, err)
	byUnit := map[string][]string{}
	for _, sp := range p.Sponsorships {
		require.Len(t, sp.Shares, 1, sp.Beneficiary)
		byUnit[sp.Shares[0].Unit] = append(byUnit[sp.Shares[0].Unit], sp.Beneficiary)
	}
	assert.Equal(t, []string{"a02", "a03", "a04"}, byUnit["c-vq1"]) // equal top-ups: the last by id
	assert.Equal(t, []string{"b01", "b02"}, byUnit["d-agency"])
	assert.Equal(t, []string{"a01"}, byUnit["p-dept"])
	assert.Equal(t, "commune", sponsorOf(p, "a02").Near)
	assert.Equal(t, "province", sponsorOf(p, "b01").Near) // Vũ Quang and Hồng Lĩnh share the province
	assert.Equal(t, "district", sponsorOf(p, "b01").Level)
	assert.Equal(t, "province", sponsorOf(p, "a01").Level)

	vq := areaOf(p, "district", "441")
	assert.Equal(t, 3, vq.SponsoredLocal)
	assert.Equal(t, 3, vq.Required)
	assert.Empty(t, vq.Failed)
	hl := areaOf(p, "district", "437")
	assert.Equal(t, 2, hl.SponsoredLocal)
	assert.Equal(t, 2, hl.Required)
	assert.Empty(t, hl.Failed)
	prov := areaOf(p, "province", "42")
	assert.Equal(t, 1, prov.ProvinceList)
	assert.Equal(t, 0, prov.Uncovered)
	assert.Empty(t, prov.Failed)
}

// TestDraftLevels: under the 2026–2030 example draft there is no district
// level; the plan runs commune → province on the communes after the
// reform, the 70% is counted per commune, and a district-level unit is an
// error.
func TestDraftLevels(t *testing.T) {
	reg := admin.Default()
	c, ok := reg.LookupReformed("18133") // Xã Hương Sơn after the reform
	require.True(t, ok)
	var bs []allocation.Beneficiary
	for i := 1; i <= 10; i++ {
		bs = append(bs, allocation.Beneficiary{ID: fmt.Sprintf("h%02d", i), Commune: c, Topup: money("1000000")})
	}
	units := []allocation.Unit{
		{ID: "c-huongson", Level: "commune", Kind: allocation.KindCommune, Place: "18133", Persons: 6},
		{ID: "p-dept", Level: "province", Kind: allocation.KindAgency, Place: "42", Staff: 30, Persons: 3},
		{ID: "d-old", Level: "district", Kind: allocation.KindAgency, Place: "439", Staff: 12},
	}
	p, err := planner(t).Plan(date("2026-06-01"), units, bs)
	require.NoError(t, err)
	assert.Equal(t, "hatinh-draft-2026-2030", p.RuleSet)
	assert.True(t, p.Draft)
	assert.Equal(t, []string{"commune", "province"}, p.Levels)
	assert.Equal(t, `level "district" is not a level of the rule set in force (commune, province)`, unitByID(p, "d-old").Error)
	assert.Equal(t, 6, unitByID(p, "c-huongson").Sponsored)
	assert.Equal(t, 3, unitByID(p, "p-dept").Sponsored)
	// 6 of 10 is below ceil(0.70 × 10) = 7, counted per commune.
	hs := areaOf(p, "commune", "18133")
	assert.Equal(t, 7, hs.Required)
	assert.Equal(t, []string{"local_share"}, hs.Failed)
	prov := areaOf(p, "province", "42")
	assert.Equal(t, 4, prov.ProvinceList)
	assert.Equal(t, 1, prov.Uncovered)
	for _, a := range p.Areas {
		assert.NotEqual(t, "district", a.Level)
	}
}

// TestDeterministic: the same units and beneficiaries in another order, on
// one core or two, give byte-identical reports.
func TestDeterministic(t *testing.T) {
	var units []allocation.Unit
	var bs []allocation.Beneficiary
	communes := admin.Default().Communes("42", false)
	r := rand.New(rand.NewPCG(1, 2))
	for i, c := range communes[:40] {
		units = append(units, allocation.Unit{ID: fmt.Sprintf("c%03d", i), Level: "commune", Kind: allocation.KindCommune, Place: c.Code, Persons: 1 + r.IntN(3)})
		units = append(units, allocation.Unit{ID: fmt.Sprintf("b%03d", i), Level: "district", Kind: allocation.KindBusiness, Source: "businesses", Place: c.DistrictCode, Amount: decimal.NewFromInt(int64(300000 + 10000*r.IntN(100)))})
		for j := range 1 + r.IntN(6) {
			bs = append(bs, allocation.Beneficiary{ID: fmt.Sprintf("p%03d-%d", i, j), Commune: c, Topup: decimal.NewFromInt(int64(100000 + 1000*r.IntN(900)))})
		}
	}
	render := func(units []allocation.Unit, bs []allocation.Beneficiary) []byte {
		p, err := planner(t).Plan(date("2020-06-01"), units, bs)
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, p.WriteJSON(&buf))
		for _, rep := range allocation.Reports {
			require.NoError(t, p.WriteCSV(&buf, rep))
		}
		return buf.Bytes()
	}
	want := render(units, bs)
	r.Shuffle(len(units), func(i, j int) { units[i], units[j] = units[j], units[i] })
	r.Shuffle(len(bs), func(i, j int) { bs[i], bs[j] = bs[j], bs[i] })
	prev := runtime.GOMAXPROCS(1)
	one := render(units, bs)
	runtime.GOMAXPROCS(prev)
	assert.Equal(t, string(want), string(one))
	assert.Equal(t, string(want), string(render(units, bs)))
}

// TestSmallAgenciesProvince: one agency under 10 staff in Vũ Quang and one
// in Hồng Lĩnh. Pairs never cross districts, so each stands alone and owes
// 1: the province's small-agency subjects are 1 + 1 = 2, not ceil(2/2) = 1.
func TestSmallAgenciesProvince(t *testing.T) {
	units := []allocation.Unit{
		{ID: "k1", Level: "district", Kind: allocation.KindAgency, Place: "441", Staff: 6},
		{ID: "k2", Level: "district", Kind: allocation.KindAgency, Place: "437", Staff: 6},
	}
	p, err := planner(t).Quotas(date("2020-06-01"), units, append(bens("x", vq1, 2, "430000"), bens("y", hl1, 2, "430000")...))
	require.NoError(t, err)
	assert.Equal(t, 1, areaOf(p, "district", "441").SmallSubjects)
	assert.Equal(t, 1, areaOf(p, "district", "437").SmallSubjects)
	prov := areaOf(p, "province", "42")
	assert.Equal(t, 2, prov.SmallAgencies)
	assert.Equal(t, 2, prov.SmallSubjects)
}

// TestReformMonths: July–December 2025 under the 2020–2025 rule set
// (interpretation reform-months). The districts are gone; the former
// district agency (at its old code 439) keeps its level and its quota, and
// its area is the province. 10 subjects in the new Xã Hương Sơn; the
// commune sponsors its capacity of 5, the agency of 12 staff owes and takes
// 1; the province's department takes 4 of the 4 left. The district-level
// area (the province, code 42) needs ceil(0.70 × 10) = 7 sponsored by the
// commune and district levels and has 5 + 1 = 6: local_share fails; the
// province list is 10 − 6 = 4, and nobody is left uncovered.
func TestReformMonths(t *testing.T) {
	c, ok := admin.Default().LookupReformed("18133")
	require.True(t, ok)
	var bs []allocation.Beneficiary
	for i := 1; i <= 10; i++ {
		bs = append(bs, allocation.Beneficiary{ID: fmt.Sprintf("h%02d", i), Commune: c, Topup: money("1000000")})
	}
	units := []allocation.Unit{
		{ID: "c-huongson", Level: "commune", Kind: allocation.KindCommune, Place: "18133", Persons: 5},
		{ID: "d-old", Level: "district", Kind: allocation.KindAgency, Place: "439", Staff: 12},
		{ID: "p-dept", Level: "province", Kind: allocation.KindAgency, Place: "42", Staff: 30, Persons: 4},
	}
	p, err := planner(t).Plan(date("2025-09-01"), units, bs)
	require.NoError(t, err)
	assert.Equal(t, []string{"commune", "district", "province"}, p.Levels)
	for _, id := range []string{"c-huongson", "d-old", "p-dept"} {
		assert.Empty(t, unitByID(p, id).Error, id)
	}
	assert.Equal(t, 5, unitByID(p, "c-huongson").Sponsored)
	d := unitByID(p, "d-old")
	assert.Equal(t, "district_unit_10_15", d.Rule)
	assert.Equal(t, 1, d.Sponsored)
	assert.True(t, d.Met)
	assert.Equal(t, 4, unitByID(p, "p-dept").Sponsored)
	da := areaOf(p, "district", "42")
	assert.Equal(t, 10, da.Beneficiaries)
	assert.Equal(t, 7, da.Required)
	assert.Equal(t, 6, da.SponsoredLocal)
	assert.Equal(t, []string{"local_share"}, da.Failed)
	prov := areaOf(p, "province", "42")
	assert.Equal(t, 4, prov.ProvinceList)
	assert.Equal(t, 0, prov.Uncovered)
}
