package allocation

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/hotro-vn/hotro/rules"
	"github.com/shopspring/decimal"
)

// After the flow (optimal.go), the amounts of the units limited by an
// amount are pooled, level by level, over the tree of areas from the
// communes up: a unit joins at the edge of its reach, where every
// beneficiary it may fund is waiting, and the pool funds the smallest
// top-ups first.

// canShare reports whether unit u may contribute to a pooled sponsorship.
func (a *allocator) canShare(u int32) bool {
	s := &a.state[u]
	return s.limited && s.persons != 0 && s.money.Sign() > 0
}

// sweep runs level l over the tree, pooling the amounts of its units.
func (a *allocator) sweep(l int) {
	can := a.canShare
	nn := len(a.t.nodes)
	pendU := make([][]int32, nn)
	any := false
	for i := range a.units {
		if a.units[i].Error == "" && a.state[i].level == l && can(int32(i)) {
			// At the edge of its reach, where all it may fund is waiting.
			n := a.state[i].reach
			pendU[n] = append(pendU[n], int32(i))
			any = true
		}
	}
	if !any {
		return
	}
	pendB := make([][]int32, nn)
	for _, n := range a.t.post {
		bl, ul := pendB[n], pendU[n]
		pendB[n], pendU[n] = nil, nil
		for _, b := range a.byNode[n] {
			if a.covered[b] < 0 {
				bl = append(bl, b)
			}
		}
		if len(bl) > 0 && len(ul) > 0 {
			slices.SortFunc(bl, func(x, y int32) int { return cmp.Compare(a.rank[x], a.rank[y]) })
			slices.Sort(ul) // units are sorted by id: index order is id order
			bl = bl[a.pool(n, l, bl, ul):]
		}
		p := a.t.nodes[n].parent
		if p < 0 {
			break
		}
		pendB[p] = append(pendB[p], bl...)
		for _, u := range ul {
			if a.state[u].reach != n && can(u) {
				pendU[p] = append(pendU[p], u)
			}
		}
	}
}

// pool funds the waiting beneficiaries bl, smallest top-up first, from the
// amounts the units ul have left, as long as the pool covers a whole top-up.
// Contributors give in order of what they have left (largest first), so a
// beneficiary is shared by as few as possible. It returns how many of bl
// were funded.
func (a *allocator) pool(n int32, l int, bl, ul []int32) int {
	var cs []int32
	total := decimal.Zero
	for _, u := range ul {
		if a.canShare(u) {
			cs = append(cs, u)
			total = total.Add(a.state[u].money)
		}
	}
	slices.SortStableFunc(cs, func(x, y int32) int { return a.state[y].money.Cmp(a.state[x].money) })
	k := 0
	for done, b := range bl {
		need := a.bens[b].Topup
		if need.GreaterThan(total) {
			return done
		}
		var shares []Share
		var who []int32
		for i := k; i < len(cs) && need.Sign() > 0; i++ {
			c := cs[i]
			if !a.canShare(c) {
				if i == k {
					k++
				}
				continue
			}
			give := decimal.Min(need, a.state[c].money)
			shares, who = append(shares, Share{a.units[c].ID, give}), append(who, c)
			need = need.Sub(give)
			total = total.Sub(give)
			if a.state[c].persons == 1 { // its last person: the rest of its amount leaves the pool
				total = total.Sub(a.state[c].money.Sub(give))
			}
		}
		if need.Sign() > 0 {
			return done // cannot happen: total counts only what can still be given
		}
		a.take(b, n, l, shares, who)
	}
	return len(bl)
}

// take records the sponsorship of beneficiary b by the units who, at area n.
func (a *allocator) take(b, n int32, l int, shares []Share, who []int32) {
	a.covered[b] = int8(l)
	sp := &a.spons[b]
	sp.Level, sp.Shares = a.levels[l], shares
	sp.Near = cmp.Or(a.t.levelName(n), "further")
	focal := 0
	for i, s := range shares {
		if s.Amount.GreaterThan(shares[focal].Amount) {
			focal = i
		}
	}
	sp.Focal = shares[focal].Unit
	var counted []*group
	for i, u := range who {
		s, r := &a.state[u], &a.units[u]
		if len(who) == 1 {
			r.Sponsored++
		} else {
			r.Shared++
		}
		r.Monthly = r.Monthly.Add(shares[i].Amount)
		if s.persons > 0 {
			s.persons--
		}
		if s.limited {
			s.money = s.money.Sub(shares[i].Amount)
		}
		if !slices.Contains(counted, s.group) {
			s.group.got++
			counted = append(counted, s.group)
		}
	}
}

// check evaluates the quota rules again with what each unit (or its group)
// sponsors, and says why an obligation is not met.
func (a *allocator) check() error {
	return evalAll(a.ev, UnitModel, len(a.units), func(i int, env rules.Env) {
		got := 0
		if g := a.state[i].group; g != nil {
			got = g.got
		}
		a.unitEnv(i, env, got)
	}, func(i int, r *rules.Result) {
		u, s := &a.units[i], &a.state[i]
		if u.Error != "" {
			return
		}
		g := s.group
		u.Counted, u.Failed, u.Met = g.got, r.Failed(), r.Pass
		if g.got < u.Target && u.Target > u.Obligation {
			u.Warning = fmt.Sprintf("sponsors %d, below the recommended %d", g.got, u.Target)
		}
		if r.Pass {
			return
		}
		who := "the unit"
		if u.Group != "" {
			who = "the group " + u.Group
		}
		switch {
		case g.capacity >= 0 && g.capacity < g.owed:
			u.Reason = fmt.Sprintf("%s states a capacity of %d person%s, below its obligation of %d", who, g.capacity, plural(g.capacity), g.owed)
		case g.limited && g.got < g.owed:
			u.Reason = fmt.Sprintf("the monthly amount of %s covers %d of the %d owed", who, g.got, g.owed)
		case g.got < g.owed:
			reach := "anywhere"
			if u.Reach != "" {
				reach = "its " + u.Reach
			}
			u.Reason = fmt.Sprintf("no beneficiary was left within reach (%s) for %s: %d of %d", reach, who, g.got, g.owed)
		default:
			u.Reason = "failed " + strings.Join(u.Failed, ", ")
		}
	})
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// areas evaluates the area model for every commune, district and province
// of the plan.
func (a *allocator) areas() ([]Area, error) {
	nl := len(a.levels)
	byLevel := make([]int, len(a.t.nodes)*nl) // sponsored in node's subtree by each level
	for b, l := range a.covered {
		if l < 0 {
			continue
		}
		for n := a.benNode[b]; n > 0; n = a.t.nodes[n].parent {
			byLevel[int(n)*nl+int(l)]++
		}
	}
	// Units owing in groups are grouped within their own area, never across
	// areas: the rules see the small agencies of an area's own level
	// (direct), and a wider area's subjects owed are the sum of its parts.
	small, direct := make([]int, len(a.t.nodes)), make([]int, len(a.t.nodes))
	for i := range a.units {
		if a.units[i].Error == "" && a.state[i].groupSize > 1 {
			direct[a.state[i].area]++
			for n := a.state[i].area; n > 0; n = a.t.nodes[n].parent {
				small[n]++
			}
		}
	}
	var nodes []int32
	for i := 1; i < len(a.t.nodes); i++ {
		nodes = append(nodes, int32(i))
	}
	slices.SortFunc(nodes, func(x, y int32) int {
		return cmp.Or(cmp.Compare(a.t.nodes[x].level, a.t.nodes[y].level), strings.Compare(a.t.nodes[x].code, a.t.nodes[y].code))
	})
	out := make([]Area, len(nodes))
	at := make([]int, len(a.t.nodes)) // node → index in out
	for i, n := range nodes {
		at[n] = i
		nd := a.t.nodes[n]
		ar := Area{Level: a.levels[nd.level], Code: nd.code, Name: a.geo.name(a.levels[nd.level], nd.code), Beneficiaries: a.nodeN[n], SmallAgencies: small[n]}
		for l := range nl {
			c := byLevel[int(n)*nl+l]
			ar.Sponsored += c
			if l <= nd.level {
				ar.SponsoredLocal += c
			}
			if l < nd.level {
				ar.SponsoredBefore += c
			}
		}
		out[i] = ar
	}
	err := evalAll(a.ev, AreaModel, len(out), func(i int, env rules.Env) {
		ar := &out[i]
		env["zone"] = a.geo.zone(ar.Level, ar.Code)
		env["level"], env["beneficiaries"], env["sponsored_local"] = ar.Level, ar.Beneficiaries, ar.SponsoredLocal
		env["sponsored_before"], env["sponsored"], env["small_agencies"] = ar.SponsoredBefore, ar.Sponsored, direct[nodes[i]]
	}, func(i int, r *rules.Result) {
		ar := &out[i]
		ar.Required, ar.ProvinceList = outInt(r, "local_share_required", 0), outInt(r, "province_list", 0)
		ar.Uncovered, ar.SmallSubjects = outInt(r, "uncovered", ar.Beneficiaries-ar.Sponsored), outInt(r, "small_agency_subjects", 0)
		ar.Share = decimal.Zero
		if v, ok := r.Output("local_share"); ok {
			ar.Share = v.(decimal.Decimal)
		}
		ar.Failed = r.Failed()
		var why []string
		for _, id := range ar.Failed {
			switch id {
			case "local_share":
				why = append(why, fmt.Sprintf("local_share: %d of %d sponsored locally, %d required", ar.SponsoredLocal, ar.Beneficiaries, ar.Required))
			case "province_remainder":
				why = append(why, fmt.Sprintf("province_remainder: %d of %d have no sponsor", ar.Beneficiaries-ar.Sponsored, ar.Beneficiaries))
			default:
				why = append(why, id)
			}
		}
		ar.Reason = strings.Join(why, "; ")
	})
	for _, n := range a.t.post {
		if p := a.t.nodes[n].parent; n > 0 && p > 0 {
			out[at[p]].SmallSubjects += out[at[n]].SmallSubjects
		}
	}
	return out, err
}
