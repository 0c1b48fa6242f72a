package allocation

import (
	"cmp"
	"slices"

	"github.com/hotro-vn/hotro/rules"
	"github.com/shopspring/decimal"
)

// The plan is a min-cost flow (docs/allocation.md §3) for the units counted
// in persons, then a pooling of the amounts of the units limited by an
// amount.
//
// Beneficiaries flow from their commune up the tree of areas to the units
// that may take them, and from each unit through its quota group to the
// sink; a beneficiary no unit takes flows to the sink through an
// "uncovered" arc of its commune and top-up class. The costs rank the
// objectives lexicographically (a pair, see mcmf.go):
//
//	hi: uncovered × W + class rank of the uncovered + persons beyond the quotas
//	lo: province-sponsored beyond N−R in a share area × W' + nearness and level
//
// The class rank makes the flow leave the cheapest beneficiaries to the
// amounts that follow. Persons beyond the quotas are the covered persons
// minus what counts towards a quota, so once coverage is fixed, fewer of
// them is more quota filled. In each share area (a district in 2020–2025)
// the first N−R beneficiaries sponsored by a unit of a wider level are
// free, each one more costs one unit of shortfall.
//
// The amounts then fund what the flow left, smallest top-up first; a unit
// joins the pool at the edge of its reach (its widest area), where every
// beneficiary it can fund is waiting. Bound is an upper bound on what any
// plan covers: the persons-only flow's maximum, plus what all the amounts
// together would fund of the cheapest beneficiaries the persons could leave.

// Bound says how far from the best the plan can be.
type Bound struct {
	// Uncovered is a lower bound on the beneficiaries any plan with the
	// same units, reaches and amounts leaves without a sponsor.
	Uncovered int `json:"uncovered_at_least"`
	// Gap is the plan's uncovered count minus the bound: 0 proves the plan
	// covers the most beneficiaries possible.
	Gap int `json:"gap"`
	// Exact is true when no unit is limited by an amount: the flow is then
	// an exact optimum of the objectives in their order.
	Exact bool `json:"exact"`
}

// optimise gives beneficiaries whole to the units counted in persons, by
// the flow, and returns the bound; the pooling of amounts follows it.
func (a *allocator) optimise() (*Bound, error) {
	req, shareLevel, err := a.required()
	if err != nil {
		return nil, err
	}
	capOf := make([]int64, len(a.units)) // capacity in the network; -1 = no arc
	b := &Bound{Exact: true}
	money := decimal.Zero
	for i := range a.units {
		s := &a.state[i]
		capOf[i] = -1
		if a.units[i].Error != "" || s.persons == 0 {
			continue
		}
		if s.limited {
			b.Exact = false
			money = money.Add(s.money)
			continue
		}
		capOf[i] = int64(s.persons)
	}
	nw := a.network(capOf, req, shareLevel, !b.Exact)
	nw.g.minCostFlow(nw.s, nw.t)
	assign := a.extract(nw, shareLevel)
	// What the flow may cover: every beneficiary not kept by Replan.
	var left []int32
	for bi := range a.bens {
		if a.benNode[bi] >= 0 && a.covered[bi] < 0 {
			left = append(left, int32(bi))
		}
	}
	covered := 0
	for u, list := range assign {
		for _, bi := range list {
			a.take(bi, a.lca(a.state[u].node, a.benNode[bi]), a.state[u].level, []Share{{a.units[u].ID, a.bens[bi].Topup}}, []int32{int32(u)})
			covered++
		}
	}
	// Any plan: the persons cover at most what the flow covers; the
	// amounts together fund at most the cheapest of the rest. A
	// beneficiary counts as covered only when funded whole, and any k
	// beneficiaries cost at least the k cheapest: the bound counts the
	// whole top-ups the amounts together pay for, no part of the next.
	n := len(left)
	slices.SortFunc(left, func(x, y int32) int { return cmp.Compare(a.rank[x], a.rank[y]) })
	left = left[:n-covered]
	funded := 0
	for _, bi := range left {
		if money.LessThan(a.bens[bi].Topup) {
			break
		}
		money = money.Sub(a.bens[bi].Topup)
		funded++
	}
	b.Uncovered = n - covered - funded
	a.req, a.shareLevel = req, shareLevel
	return b, nil
}

// required evaluates the area rules before any sponsorship, for the local
// share each area requires, and returns it with the level of the areas
// that require one (-1 when none does).
func (a *allocator) required() ([]int, int, error) {
	nn := len(a.t.nodes)
	req := make([]int, nn)
	err := evalAll(a.ev, AreaModel, nn-1, func(i int, env rules.Env) {
		n := a.t.nodes[i+1]
		env["zone"] = a.geo.zone(a.levels[n.level], n.code)
		env["level"], env["beneficiaries"] = a.levels[n.level], a.nodeN[i+1]
		env["sponsored_local"], env["sponsored_before"], env["sponsored"], env["small_agencies"] = 0, 0, 0, 0
	}, func(i int, r *rules.Result) {
		req[i+1] = min(outInt(r, "local_share_required", 0), a.nodeN[i+1])
	})
	if err != nil {
		return nil, -1, err
	}
	level := -1
	for n := 1; n < nn; n++ {
		if req[n] > 0 && (level < 0 || a.t.nodes[n].level < level) {
			level = a.t.nodes[n].level
		}
	}
	return req, level, nil
}

// network is the flow network of a plan and the arcs the plan reads.
type network struct {
	g      *flowNet
	s, t   int32
	local  []int32           // commune node → arc into the local copy (-1 = none)
	unc    map[int32][]int64 // commune node → uncovered per class of its waiting, by rank
	uncArc map[int32][]int32
	attach [][]attachArc // tree node → unit arcs
}

type attachArc struct {
	arc    int32
	unit   int32
	nonLoc bool
}

// waiting lists the beneficiaries of commune node n nobody sponsors yet,
// by top-up then id, and the class (distinct top-up) of each.
func (a *allocator) waiting(n int32) (list []int32, class []int32) {
	for _, b := range a.byNode[n] {
		if a.covered[b] < 0 {
			list = append(list, b)
		}
	}
	slices.SortFunc(list, func(x, y int32) int { return cmp.Compare(a.rank[x], a.rank[y]) })
	class = make([]int32, len(list))
	for i, b := range list {
		class[i] = a.class[b]
	}
	return list, class
}

// With amounts to pool afterwards (byClass), the uncovered are preferably
// the cheapest; without, the top-up of who is left does not matter.
func (a *allocator) network(capOf []int64, req []int, shareLevel int, byClass bool) *network {
	t := a.t
	nn := len(t.nodes)
	nl := len(a.levels)
	nBen := int64(0)
	for b, n := range a.benNode {
		if n >= 0 && a.covered[b] < 0 {
			nBen++
		}
	}
	nClass := int64(0)
	for b, n := range a.benNode {
		if n >= 0 {
			nClass = max(nClass, int64(a.class[b])+1)
		}
	}
	fmax := int64((nl + 1) * (nl + 2))
	uncW := nBen*(nClass+1) + 1
	shareW := cost{lo: nBen*(fmax+nClass) + 1}
	g := newFlowNet(2)
	nw := &network{g: g, s: 0, t: 1, unc: map[int32][]int64{}, uncArc: map[int32][]int32{}}
	copyOf := [2][]int32{make([]int32, nn), make([]int32, nn)}
	for i := range nn {
		copyOf[0][i], copyOf[1][i] = g.addNode(), -1
		if shareLevel >= 0 && t.nodes[i].level >= shareLevel {
			copyOf[1][i] = g.addNode()
		}
	}
	for k := range 2 {
		for i := 1; i < nn; i++ {
			if c, p := copyOf[k][i], copyOf[k][t.nodes[i].parent]; c >= 0 && p >= 0 {
				g.addArc(c, p, inf, cost{})
			}
		}
	}
	// Share areas: the beneficiaries sponsored from a wider level, N−R of
	// them free, each one more a unit of shortfall.
	// Pairs kept by Replan sponsored from a wider level use up the free.
	wider := make([]int, nn)
	if shareLevel >= 0 {
		for b, l := range a.covered {
			if l >= 0 && int(l) > shareLevel {
				if sa := a.t.ancestor(a.benNode[b], shareLevel); sa >= 0 {
					wider[sa]++
				}
			}
		}
	}
	shareIn := make([]int32, nn)
	for i := range nn {
		shareIn[i] = -1
		if shareLevel >= 0 && i > 0 && t.nodes[i].level == shareLevel {
			in := g.addNode()
			g.addArc(in, copyOf[1][i], int64(max(0, a.nodeN[i]-req[i]-wider[i])), cost{})
			g.addArc(in, copyOf[1][i], inf, shareW)
			shareIn[i] = in
		}
	}
	nw.local = make([]int32, nn)
	for i := range nn {
		nw.local[i] = -1
		list, class := a.waiting(int32(i))
		if len(list) == 0 {
			continue
		}
		in := g.addNode()
		nw.local[i] = g.addArc(in, copyOf[0][i], inf, cost{})
		if sa := a.t.ancestor(int32(i), shareLevel); shareLevel >= 0 && sa >= 0 {
			g.addArc(in, shareIn[sa], inf, cost{})
		}
		for lo := 0; lo < len(list); {
			hi := lo + 1
			for hi < len(list) && class[hi] == class[lo] {
				hi++
			}
			cn := g.addNode()
			g.addArc(nw.s, cn, int64(hi-lo), cost{})
			g.addArc(cn, in, inf, cost{})
			nw.uncArc[int32(i)] = append(nw.uncArc[int32(i)], g.addArc(cn, nw.t, inf, classCost(byClass, uncW, a.class[list[lo]])))
			lo = hi
		}
	}
	// Groups: the quota, then beyond it.
	groups := map[*group]int32{}
	nw.attach = make([][]attachArc, nn)
	for u := range a.units {
		if capOf[u] <= 0 {
			continue
		}
		s := &a.state[u]
		gn, ok := groups[s.group]
		if !ok {
			gn = g.addNode()
			groups[s.group] = gn
			if owed := int64(max(0, s.group.owed-s.group.got)); owed > 0 { // got > 0 only for pairs kept by Replan
				g.addArc(gn, nw.t, owed, cost{})
			}
			g.addArc(gn, nw.t, inf, cost{hi: 1})
		}
		un := g.addNode()
		g.addArc(un, gn, capOf[u], cost{})
		nonLoc := shareLevel >= 0 && s.level > shareLevel
		for w := s.node; w >= 0; w = t.nodes[w].parent {
			k := 0
			if nonLoc && copyOf[1][w] >= 0 {
				k = 1
			}
			fine := int64(t.nodes[w].level*(nl+1) + s.level)
			ai := g.addArc(copyOf[k][w], un, inf, cost{lo: fine})
			nw.attach[w] = append(nw.attach[w], attachArc{ai, int32(u), k == 1})
			if w == s.reach {
				break
			}
		}
	}
	return nw
}

// extract turns the flow into a list of beneficiaries for each unit. In
// each commune the flow says how many of each top-up class nobody takes
// (those, by id), how many go to local units and how many to wider ones;
// then at every area, children first, the beneficiaries waiting there go
// to the units the flow sends them to, the dearest first, and the rest
// move up.
func (a *allocator) extract(nw *network, shareLevel int) [][]int32 {
	t := a.t
	nn := len(t.nodes)
	g := nw.g
	assign := make([][]int32, len(a.units))
	pool := [2][][]int32{make([][]int32, nn), make([][]int32, nn)}
	for n := range nn {
		if nw.local[n] < 0 {
			continue
		}
		list, class := a.waiting(int32(n))
		var taken []int32
		for i, lo := 0, 0; lo < len(list); i++ {
			hi := lo + 1
			for hi < len(list) && class[hi] == class[lo] {
				hi++
			}
			taken = append(taken, list[lo+int(g.flow(nw.uncArc[int32(n)][i])):hi]...)
			lo = hi
		}
		k := len(taken) - int(g.flow(nw.local[n]))
		pool[0][n] = taken[k:]
		if sa := t.ancestor(int32(n), shareLevel); shareLevel >= 0 && sa >= 0 {
			pool[1][sa] = append(pool[1][sa], taken[:k]...)
		}
	}
	for k := range 2 {
		for _, n := range t.post {
			l := pool[k][n]
			if len(l) == 0 {
				continue
			}
			slices.SortFunc(l, func(x, y int32) int { return cmp.Compare(a.rank[x], a.rank[y]) })
			var pos map[int32]int
			if len(a.members) > 0 {
				for i, b := range l {
					if a.bens[b].Member != "" {
						if pos == nil {
							pos = map[int32]int{}
						}
						pos[b] = i
					}
				}
			}
			// Units take the dearest first (the cheapest are left to wider
			// units and, at the end, to the amounts); ties by id.
			hi := len(l)
			for _, at := range nw.attach[n] {
				if at.nonLoc != (k == 1) {
					continue
				}
				f := int(g.flow(at.arc))
				if f > 0 && f < hi && pos != nil && len(a.members[a.units[at.unit].ID]) > 0 {
					a.preferMembers(l, pos, hi, f, at.unit)
				}
				for j := hi - 1; j >= hi-f; j-- {
					assign[at.unit] = append(assign[at.unit], l[j])
				}
				hi -= f
			}
			if p := t.nodes[n].parent; p >= 0 && hi > 0 {
				pool[k][p] = append(pool[k][p], l[:hi]...)
			}
			pool[k][n] = nil
		}
	}
	return assign
}

// lca is the smallest area holding both nodes.
func (a *allocator) lca(x, y int32) int32 {
	depth := func(n int32) int {
		d := 0
		for ; n > 0; n = a.t.nodes[n].parent {
			d++
		}
		return d
	}
	dx, dy := depth(x), depth(y)
	for ; dx > dy; dx-- {
		x = a.t.nodes[x].parent
	}
	for ; dy > dx; dy-- {
		y = a.t.nodes[y].parent
	}
	for x != y {
		x, y = a.t.nodes[x].parent, a.t.nodes[y].parent
	}
	return x
}

// classCost is the cost of leaving a beneficiary of a class uncovered: the
// cheaper, the less, as a tie-break after nearness, or before the quotas
// when amounts are to fund the cheapest afterwards (byClass).
func classCost(byClass bool, uncW int64, class int32) cost {
	if byClass {
		return cost{hi: uncW + int64(class)}
	}
	return cost{hi: uncW, lo: int64(class)}
}

// preferMembers makes unit u, about to take the last f of l[:hi], take its
// own members first: a member of u among the others changes place with a
// non-member of the same top-up among the last f. Only beneficiaries of
// the same top-up waiting at the same area for the same pass change
// places, so coverage, quotas, the local share and what is left to the
// amounts are the flow's: membership comes after them. pos is the index
// of each beneficiary of l holding a member.
func (a *allocator) preferMembers(l []int32, pos map[int32]int, hi, f int, u int32) {
	id := a.units[u].ID
	for _, x := range a.members[id] {
		i, ok := pos[x]
		if !ok || i >= hi-f {
			continue
		}
		for j := hi - f; j < hi; j++ {
			if y := l[j]; a.class[y] == a.class[x] && a.bens[y].Member != id {
				l[i], l[j] = y, x
				pos[x] = j
				if _, ok := pos[y]; ok {
					pos[y] = i
				}
				break
			}
		}
	}
}
