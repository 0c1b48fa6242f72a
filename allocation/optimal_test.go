package allocation_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/hotro-vn/hotro/admin"
	"github.com/hotro-vn/hotro/allocation"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIssueTwoPersons is the first hand-made case of issue 13: two
// persons in different districts; a district association (capacity 1,
// reach anywhere) stands in the first person's district, an agency
// (capacity 1, reach its district) in the second's. The optimum covers
// both: the association takes the person of its own district and the
// agency the one of its own. The old sweep let the association, which
// reaches anywhere, take the agency's only possible person, and covered 1.
func TestIssueTwoPersons(t *testing.T) {
	units := []allocation.Unit{
		{ID: "a-assoc", Level: "district", Kind: allocation.KindAssociation, Source: "expatriates", Place: "437", Persons: 1},
		{ID: "b-agency", Level: "district", Kind: allocation.KindAgency, Place: "441", Staff: 12, Persons: 1, Reach: "district"},
	}
	bs := []allocation.Beneficiary{ben("h1", hl1, "430000"), ben("v1", vq1, "430000")}
	p, err := planner(t).Plan(date("2020-06-01"), units, bs)
	require.NoError(t, err)
	assert.Equal(t, 0, p.Summary().Uncovered)
	assert.Equal(t, "a-assoc:430000", sponsors(p, "h1"))
	assert.Equal(t, "b-agency:430000", sponsors(p, "v1"))
	assert.True(t, unitByID(p, "b-agency").Met)
	assert.Equal(t, 0, p.Summary().QuotasUnmet)
	require.NotNil(t, p.Bound)
	assert.True(t, p.Bound.Exact)
	assert.Equal(t, 0, p.Bound.Gap)
}

// TestIssueQuotaNotStolen is the second: one beneficiary in Vũ Quang; a
// business counted in persons (reach anywhere) and an agency of 12 staff
// (owes 1, reach its district). Either covers her; giving her to the agency
// also meets its quota, so the plan must.
func TestIssueQuotaNotStolen(t *testing.T) {
	units := []allocation.Unit{
		{ID: "a-business", Level: "district", Kind: allocation.KindBusiness, Source: "businesses", Place: "441", Persons: 1},
		{ID: "b-agency", Level: "district", Kind: allocation.KindAgency, Place: "441", Staff: 12, Persons: 1, Reach: "district"},
	}
	p, err := planner(t).Plan(date("2020-06-01"), units, []allocation.Beneficiary{ben("v1", vq1, "430000")})
	require.NoError(t, err)
	assert.Equal(t, "b-agency:430000", sponsors(p, "v1"))
	assert.True(t, unitByID(p, "b-agency").Met)
	assert.Equal(t, 0, p.Summary().QuotasUnmet)
}

// TestFlowIsMaximum checks, on 300 random instances of units counted in
// persons with reaches of every kind, that the plan covers exactly as many
// beneficiaries as a maximum bipartite matching computed independently
// (augmenting paths, each unit copied once per person), and that the plan
// says so (Bound exact, gap 0).
func TestFlowIsMaximum(t *testing.T) {
	reg := admin.Default()
	communes := []string{vq1, vq2, vq3, hl1}
	places := []string{vq1, vq2, vq3, hl1, "441", "437", "42"}
	reaches := []string{"", "commune", "district", "province"}
	r := rand.New(rand.NewPCG(13, 13))
	pl := planner(t)
	for inst := range 300 {
		var bs []allocation.Beneficiary
		for i := range 1 + r.IntN(8) {
			bs = append(bs, ben(fmt.Sprintf("p%d", i), communes[r.IntN(len(communes))], "430000"))
		}
		var units []allocation.Unit
		for i := range 1 + r.IntN(5) {
			place := places[r.IntN(len(places))]
			level := map[int]string{5: "commune", 3: "district", 2: "province"}[len(place)]
			reach := reaches[r.IntN(len(reaches))]
			if (len(place) > 2 && reach == "commune" && len(place) != 5) || len(place) == 2 && reach != "" && reach != "province" {
				reach = ""
			}
			kind := allocation.KindOther
			if level == "commune" {
				kind = allocation.KindCommune
			}
			units = append(units, allocation.Unit{ID: fmt.Sprintf("u%d", i), Level: level, Kind: kind, Place: place, Persons: 1 + r.IntN(3), Reach: reach})
		}
		p, err := pl.Plan(date("2020-06-01"), units, bs)
		require.NoError(t, err)
		// Reference: Kuhn's augmenting paths on the explicit graph.
		can := func(u allocation.Unit, b allocation.Beneficiary) bool {
			c, _ := reg.Lookup(b.Commune.Code)
			switch u.Reach {
			case "commune":
				return c.Code == u.Place
			case "district":
				d := u.Place
				if len(d) == 5 {
					pc, _ := reg.Lookup(d)
					d = pc.DistrictCode
				}
				return c.DistrictCode == d
			}
			return true
		}
		var slots []allocation.Unit
		for _, u := range units {
			for range u.Persons {
				slots = append(slots, u)
			}
		}
		match := make([]int, len(slots))
		for i := range match {
			match[i] = -1
		}
		var try func(b int, seen []bool) bool
		try = func(b int, seen []bool) bool {
			for s, u := range slots {
				if !seen[s] && can(u, bs[b]) {
					seen[s] = true
					if match[s] < 0 || try(match[s], seen) {
						match[s] = b
						return true
					}
				}
			}
			return false
		}
		best := 0
		for b := range bs {
			if try(b, make([]bool, len(slots))) {
				best++
			}
		}
		s := p.Summary()
		require.Equal(t, len(bs)-best, s.Uncovered, "instance %d: %+v %+v", inst, units, bs)
		require.True(t, p.Bound.Exact)
		require.Equal(t, 0, p.Bound.Gap)
		// Every pair respects the unit's reach.
		byID := map[string]allocation.Unit{}
		for _, u := range units {
			byID[u.ID] = u
		}
		for i, sp := range p.Sponsorships {
			require.Equal(t, bs[i].ID, sp.Beneficiary)
			for _, sh := range sp.Shares {
				require.True(t, can(byID[sh.Unit], bs[i]), "instance %d: %s takes %s out of reach", inst, sh.Unit, sp.Beneficiary)
			}
		}
	}
}
