package allocation

import (
	"cmp"
	"slices"

	"github.com/shopspring/decimal"
)

// After the sweeps (alloc.go), the amounts are improved by exchanges
// between pools. A pool is the units of one level that join at one area
// (their reach); the sweeps run level after level, so what a level has
// left when the next top-up no longer fits is lost to it, although it may
// fit with what another pool has left. The exchanges, each covering one
// more beneficiary u (top-up c) waiting within the reach of a pool Q:
//
//	direct: Q has c left: Q funds u;
//	move:   Q gives a beneficiary x to a pool P that reaches x and has
//	        x's top-up left, and with x's amount back funds u;
//	chain:  the same, P making room in turn by a move to a third pool,
//	        and so on, up to maxChain pools;
//	swap:   Q gives x to P and takes y from P (dearer x, cheaper y), so
//	        that P still fits and Q has c left;
//	pair:   Q gives two beneficiaries to P, which has both top-ups left.
//
// Each exchange keeps every beneficiary already covered covered and
// covers one more: coverage, objective 1, only rises. A first pass makes
// no exchange that leaves a quota group with fewer persons counted towards
// what it owes (objective 2); a second allows it, as coverage ranks first.
// Among the beneficiaries of a top-up that could change places, those that
// keep or raise the local share (objective 3) are chosen. Only pools of units without a cap in
// persons are exchanged, where any set of beneficiaries whose top-ups sum
// to what the pool has left can be funded whole; pairs kept by Replan are
// never moved. The bound (optimal.go) says whether anything is still lost.

// moneyPool is the units of one level joining at one area.
type moneyPool struct {
	node    int32 // the area: the units' reach
	level   int
	units   []int32
	left    int64             // what the units have left, đồng (clamped at poolClamp)
	funded  map[int32][]int32 // top-up class → beneficiaries it funds, by rank
	classes []int32           // the classes of funded, cheapest first
}

// poolClamp caps the amount a pool is said to have left: an exchange never
// needs more than two top-ups (each below maxTopup), so a pool holding
// more than this is never short, and the int64 sums cannot overflow.
const poolClamp = int64(1) << 50

// improveBudget bounds the candidates an improvement examines, so that
// the plan's time stays bounded whatever the data; the count is the same
// on every run, so the plan stays deterministic.
const improveBudget = 50_000_000

// improve covers what it can of the beneficiaries the sweeps left, by the
// exchanges above. It returns how many more it covered.
func (a *allocator) improve() int {
	var waiting []int32
	for b := range a.bens {
		if a.benNode[b] >= 0 && a.covered[b] < 0 {
			waiting = append(waiting, int32(b))
		}
	}
	pools, unitPool := a.moneyPools()
	if len(pools) == 0 || len(waiting) == 0 {
		return 0
	}
	nc := int32(0)
	for b := range a.bens {
		if a.benNode[b] >= 0 {
			nc = max(nc, a.class[b]+1)
		}
	}
	val := make([]int64, nc)
	for b := range a.bens {
		if a.benNode[b] >= 0 {
			val[a.class[b]] = a.bens[b].Topup.IntPart()
		}
	}
	// Who each pool funds; a beneficiary shared across pools (none are:
	// a pool funds alone) or kept by Replan stays where it is.
	for b := range a.bens {
		if a.covered[b] < 0 || a.benNode[b] < 0 || (a.kept != nil && a.kept[b]) || len(a.spons[b].Shares) == 0 {
			continue
		}
		p := int32(-1)
		for _, sh := range a.spons[b].Shares {
			u, ok := unitPool[sh.Unit]
			if !ok || (p >= 0 && u != p) {
				p = -1
				break
			}
			p = u
		}
		if p >= 0 {
			pl := &pools[p]
			pl.funded[a.class[b]] = append(pl.funded[a.class[b]], int32(b))
		}
	}
	for i := range pools {
		pl := &pools[i]
		for k, l := range pl.funded {
			slices.SortFunc(l, func(x, y int32) int { return cmp.Compare(a.rank[x], a.rank[y]) })
			pl.classes = append(pl.classes, k)
		}
		slices.Sort(pl.classes)
		a.poolLeft(pl)
	}
	// The local count of each share area, to prefer exchanges that keep it.
	var local []int
	if a.shareLevel >= 0 {
		local = make([]int, len(a.t.nodes))
		for b, l := range a.covered {
			if l >= 0 && int(l) <= a.shareLevel {
				if sa := a.t.ancestor(a.benNode[b], a.shareLevel); sa >= 0 {
					local[sa]++
				}
			}
		}
	}
	slices.SortFunc(waiting, func(x, y int32) int { return cmp.Compare(a.rank[x], a.rank[y]) })
	ex := &exchanger{a: a, pools: pools, val: val, local: local, budget: improveBudget}
	gained := 0
	for _, ex.strict = range []bool{true, false} {
		gained += ex.run(waiting)
	}
	return gained
}

// run tries every waiting beneficiary, cheapest first, until a round
// covers nobody more.
func (ex *exchanger) run(waiting []int32) int {
	a := ex.a
	gained := 0
	for again := true; again && ex.budget > 0; {
		again = false
		failed := map[[2]int32]bool{} // (commune, class) that found no exchange since the last success
		for _, u := range waiting {
			if a.covered[u] >= 0 {
				continue
			}
			key := [2]int32{a.benNode[u], a.class[u]}
			if failed[key] {
				continue
			}
			if ex.cover(u) {
				gained++
				again = true
				clear(failed)
			} else {
				failed[key] = true
			}
			if ex.budget <= 0 {
				break
			}
		}
	}
	return gained
}

// moneyPools gathers the pools of units limited by an amount and not capped
// in persons, in order of level then area; unitPool maps a unit id to its
// pool.
func (a *allocator) moneyPools() ([]moneyPool, map[string]int32) {
	type key struct {
		level int
		node  int32
	}
	capped := map[key]bool{}
	var keys []key
	byKey := map[key][]int32{}
	for i := range a.units {
		s := &a.state[i]
		if a.units[i].Error != "" || !s.limited {
			continue
		}
		k := key{s.level, s.reach}
		if a.units[i].Persons > 0 {
			capped[k] = true
		}
		if byKey[k] == nil {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], int32(i))
	}
	slices.SortFunc(keys, func(x, y key) int { return cmp.Or(cmp.Compare(x.level, y.level), cmp.Compare(x.node, y.node)) })
	var pools []moneyPool
	unitPool := map[string]int32{}
	for _, k := range keys {
		if capped[k] {
			continue
		}
		for _, u := range byKey[k] {
			unitPool[a.units[u].ID] = int32(len(pools))
		}
		pools = append(pools, moneyPool{node: k.node, level: k.level, units: byKey[k], funded: map[int32][]int32{}})
	}
	return pools, unitPool
}

// poolLeft sets what the pool's units have left.
func (a *allocator) poolLeft(p *moneyPool) {
	total := decimal.Zero
	for _, u := range p.units {
		if a.state[u].money.Sign() > 0 {
			total = total.Add(a.state[u].money)
		}
	}
	if total.GreaterThan(decimal.NewFromInt(poolClamp)) {
		p.left = poolClamp
		return
	}
	p.left = total.IntPart()
}

// exchanger searches and makes the exchanges.
type exchanger struct {
	a      *allocator
	pools  []moneyPool
	val    []int64 // top-up of each class
	local  []int   // local count per share area; nil without a local share
	budget int
	strict bool // no exchange may lower a quota group's count towards what it owes
}

// inside reports whether beneficiary b lives within area n.
func (e *exchanger) inside(b int32, n int32) bool {
	return e.a.t.ancestor(e.a.benNode[b], e.a.t.nodes[n].level) == n
}

// holds reports whether area outer contains area inner.
func (e *exchanger) holds(outer, inner int32) bool {
	return e.a.t.ancestor(inner, e.a.t.nodes[outer].level) == outer
}

// cover tries the exchanges for beneficiary u, the fewest changes first,
// and makes the first that works.
func (e *exchanger) cover(u int32) bool {
	a := e.a
	c := e.val[a.class[u]]
	var qs []int32
	total := int64(0)
	for i := range e.pools {
		total = min(poolClamp, total+e.pools[i].left)
		if e.inside(u, e.pools[i].node) {
			qs = append(qs, int32(i))
		}
	}
	if total < c {
		return false // every exchange leaves the pools c less in all
	}
	for _, q := range qs {
		if e.pools[q].left >= c {
			return e.fund(u, q)
		}
	}
	visited := make([]bool, len(e.pools))
	for depth := 1; depth <= maxChain; depth++ {
		for _, q := range qs {
			if e.eject(u, q, c, depth, visited, nil) {
				return true
			}
			if e.budget <= 0 {
				return false
			}
		}
	}
	for _, q := range qs {
		if e.swap(u, q, c) || e.pair(u, q, c) {
			return true
		}
		if e.budget <= 0 {
			return false
		}
	}
	return false
}

// pair looks for two beneficiaries of pool q that another pool p can take
// together, leaving q with c, and makes the move.
func (e *exchanger) pair(u, q int32, c int64) bool {
	Q := &e.pools[q]
	for p := range e.pools {
		P := &e.pools[p]
		if p == int(q) || P.left+Q.left < c || !(e.holds(P.node, Q.node) || e.holds(Q.node, P.node)) {
			continue
		}
		for i, k1 := range Q.classes {
			if 2*e.val[k1] > P.left {
				break
			}
			x1 := int32(-1)
			for _, k2 := range Q.classes[i:] {
				e.budget--
				v := e.val[k1] + e.val[k2]
				if v > P.left {
					break
				}
				if Q.left+v < c {
					continue
				}
				if x1 < 0 {
					if x1 = e.pick(Q, k1, P, -1); x1 < 0 {
						break
					}
				}
				if x2 := e.pick(Q, k2, P, x1); x2 >= 0 && e.exchange(u, []hop{{x1, q, int32(p)}, {x2, q, int32(p)}}) {
					return true
				}
			}
			if e.budget <= 0 {
				return false
			}
		}
	}
	return false
}

// maxChain is the most pools a chain of moves passes a beneficiary on to.
const maxChain = 3

// hop is a beneficiary passed from one pool to another.
type hop struct{ x, from, to int32 }

// eject looks for a chain of moves after which pool q has need left: q
// passes a beneficiary x to a pool p that reaches it, p has x's top-up
// left or makes room the same way, at most depth pools down the chain,
// each pool once. When the chain is found the exchange is made and
// beneficiary u funded by the first pool.
func (e *exchanger) eject(u, q int32, need int64, depth int, visited []bool, chain []hop) bool {
	Q := &e.pools[q]
	if Q.left >= need {
		return e.exchange(u, chain)
	}
	if depth == 0 || e.budget <= 0 {
		return false
	}
	visited[q] = true
	defer func() { visited[q] = false }()
	rest := int64(0) // what the pools not yet in the chain have left
	for p := range e.pools {
		if !visited[p] {
			rest = min(poolClamp, rest+e.pools[p].left)
		}
	}
	if Q.left+rest < need {
		return false
	}
	for p := range e.pools {
		P := &e.pools[p]
		if visited[p] || !(e.holds(P.node, Q.node) || e.holds(Q.node, P.node)) {
			continue
		}
		for _, k := range Q.classes {
			e.budget--
			v := e.val[k]
			if depth == 1 && v > P.left {
				break // the last pool must take x as it is
			}
			if Q.left+v < need || len(Q.funded[k]) == 0 {
				continue
			}
			x := e.pick(Q, k, P, -1)
			if x < 0 {
				continue
			}
			if e.eject(u, int32(p), v, depth-1, visited, append(chain, hop{x, q, int32(p)})) {
				return true
			}
			if e.budget <= 0 {
				return false
			}
		}
	}
	return false
}

// swap looks for x (dearer) in pool q and y (cheaper) in a pool p such
// that after the exchange p still fits and q has c left, and makes it.
func (e *exchanger) swap(u, q int32, c int64) bool {
	Q := &e.pools[q]
	for p := range e.pools {
		P := &e.pools[p]
		if p == int(q) || P.left+Q.left < c || !(e.holds(P.node, Q.node) || e.holds(Q.node, P.node)) {
			continue
		}
		for _, k := range Q.classes {
			x, picked := int32(-1), false
			for _, j := range P.classes {
				e.budget--
				d := e.val[k] - e.val[j]
				if d <= 0 || Q.left+d < c {
					break // d only falls as j rises
				}
				if d > P.left {
					continue
				}
				if !picked {
					x, picked = e.pick(Q, k, P, -1), true
				}
				if x < 0 {
					break
				}
				if y := e.pick(P, j, Q, x); y >= 0 && e.exchange(u, []hop{{x, q, int32(p)}, {y, int32(p), q}}) {
					return true
				}
			}
			if e.budget <= 0 {
				return false
			}
		}
	}
	return false
}

// pick chooses a beneficiary of class k funded by pool from to hand to
// pool to: one that to reaches, whose sponsors' quota groups keep what
// they owe without it, and, first, one whose move keeps or raises the
// local share; ties by rank. -1 when none.
func (e *exchanger) pick(from *moneyPool, k int32, to *moneyPool, not int32) int32 {
	a := e.a
	best, bestScore := int32(-1), -2
	wasLocal := a.shareLevel >= 0 && from.level <= a.shareLevel
	nowLocal := a.shareLevel >= 0 && to.level <= a.shareLevel
	for _, b := range from.funded[k] {
		e.budget--
		if b == not || !e.inside(b, to.node) {
			continue
		}
		score := 0
		if wasLocal != nowLocal {
			if sa := a.t.ancestor(a.benNode[b], a.shareLevel); sa >= 0 {
				switch {
				case nowLocal && e.local[sa] < a.req[sa]:
					score = 1 // raises a share below what is required
				case wasLocal && e.local[sa] <= a.req[sa]:
					score = -1 // would take a share below what is required
				}
			}
		}
		if score > bestScore {
			best, bestScore = b, score
		}
		if bestScore == 1 || (bestScore == 0 && !nowLocal) {
			break
		}
	}
	return best
}

// fund has pool q fund u.
func (e *exchanger) fund(u int32, q int32) bool {
	Q := &e.pools[q]
	if e.a.pool(Q.node, Q.level, []int32{u}, Q.units) != 1 {
		return false
	}
	e.add(Q, u)
	e.a.poolLeft(Q)
	return true
}

// exchange passes each hop's beneficiary to its pool, then has the pool
// of the first hop (the pool reaching u) fund u. The sums were checked, so
// every funding fits; in the strict pass an exchange that leaves a quota
// group with fewer persons counted towards what it owes is undone
// (coverage ranks before quotas, so the second pass makes it when nothing
// else covers u).
func (e *exchanger) exchange(u int32, hops []hop) bool {
	a := e.a
	q := hops[0].from
	var pools []int32
	var moved []int32
	for _, h := range hops {
		for _, p := range []int32{h.from, h.to} {
			if !slices.Contains(pools, p) {
				pools = append(pools, p)
			}
		}
		moved = append(moved, h.x)
	}
	snap := e.snapshot(pools, moved, u)
	for _, h := range hops {
		a.untake(h.x)
	}
	ok := true
	for _, h := range hops {
		P := &e.pools[h.to]
		ok = ok && a.pool(P.node, P.level, []int32{h.x}, P.units) == 1
	}
	Q := &e.pools[q]
	ok = ok && a.pool(Q.node, Q.level, []int32{u}, Q.units) == 1
	if ok && e.strict {
		for g, got := range snap.got {
			if g.got < min(got, g.owed) {
				ok = false
			}
		}
	}
	if !ok {
		e.restore(snap)
		return false
	}
	for _, h := range hops {
		e.remove(&e.pools[h.from], h.x)
	}
	for _, h := range hops {
		e.add(&e.pools[h.to], h.x)
	}
	e.add(Q, u)
	for _, p := range pools {
		a.poolLeft(&e.pools[p])
	}
	return true
}

// snapshot is what an exchange may change: the two pools' units, their
// quota groups' counts and the three beneficiaries' sponsorships.
type snapshot struct {
	units   []int32
	rows    []UnitResult
	states  []unitState
	got     map[*group]int
	bens    []int32
	spons   []Sponsorship
	covered []int8
}

func (e *exchanger) snapshot(pools []int32, moved []int32, u int32) *snapshot {
	a := e.a
	s := &snapshot{got: map[*group]int{}}
	// The units that pay for x and y get their shares back; funding takes
	// only from units with something left: no other unit changes.
	seen := map[int32]bool{}
	keep := func(u int32) {
		if !seen[u] {
			seen[u] = true
			s.units = append(s.units, u)
			s.rows = append(s.rows, a.units[u])
			s.states = append(s.states, a.state[u])
			s.got[a.state[u].group] = a.state[u].group.got
		}
	}
	for _, b := range moved {
		for _, sh := range a.spons[b].Shares {
			if u, ok := a.unitIndex(sh.Unit); ok {
				keep(u)
			}
		}
	}
	for _, p := range pools {
		for _, u := range e.pools[p].units {
			if a.state[u].money.Sign() > 0 {
				keep(u)
			}
		}
	}
	for _, b := range append(moved, u) {
		s.bens = append(s.bens, b)
		s.spons = append(s.spons, a.spons[b])
		s.covered = append(s.covered, a.covered[b])
	}
	return s
}

func (e *exchanger) restore(s *snapshot) {
	a := e.a
	for i, u := range s.units {
		a.units[u], a.state[u] = s.rows[i], s.states[i]
	}
	for g, got := range s.got {
		g.got = got
	}
	for i, b := range s.bens {
		a.spons[b], a.covered[b] = s.spons[i], s.covered[i]
	}
}

// remove takes b out of pool p's lists and its local count.
func (e *exchanger) remove(p *moneyPool, b int32) {
	k := e.a.class[b]
	l := p.funded[k]
	if i := slices.Index(l, b); i >= 0 {
		p.funded[k] = slices.Delete(l, i, i+1)
	}
	e.count(p, b, -1)
}

// add puts b into pool p's lists and its local count.
func (e *exchanger) add(p *moneyPool, b int32) {
	a := e.a
	k := a.class[b]
	l := p.funded[k]
	if len(l) == 0 {
		if i, found := slices.BinarySearch(p.classes, k); !found {
			p.classes = slices.Insert(p.classes, i, k)
		}
	}
	i, _ := slices.BinarySearchFunc(l, b, func(x, y int32) int { return cmp.Compare(a.rank[x], a.rank[y]) })
	p.funded[k] = slices.Insert(l, i, b)
	e.count(p, b, 1)
}

func (e *exchanger) count(p *moneyPool, b int32, d int) {
	a := e.a
	if e.local == nil || p.level > a.shareLevel {
		return
	}
	if sa := a.t.ancestor(a.benNode[b], a.shareLevel); sa >= 0 {
		e.local[sa] += d
	}
}

// unitIndex finds a unit by id (the units are sorted by id).
func (a *allocator) unitIndex(id string) (int32, bool) {
	i, ok := slices.BinarySearchFunc(a.units, id, func(u UnitResult, id string) int { return cmp.Compare(u.ID, id) })
	if !ok || a.units[i].Error != "" {
		return -1, false
	}
	return int32(i), true
}

// untake undoes take: b is no longer sponsored, and its sponsors get their
// amount, person and quota count back.
func (a *allocator) untake(b int32) {
	sp := &a.spons[b]
	var counted []*group
	for _, sh := range sp.Shares {
		u, ok := a.unitIndex(sh.Unit)
		if !ok {
			continue
		}
		s, r := &a.state[u], &a.units[u]
		if len(sp.Shares) == 1 {
			r.Sponsored--
		} else {
			r.Shared--
		}
		r.Monthly = r.Monthly.Sub(sh.Amount)
		if s.persons >= 0 && a.units[u].Persons > 0 {
			s.persons++
		}
		if s.limited {
			s.money = s.money.Add(sh.Amount)
		}
		if !slices.Contains(counted, s.group) {
			s.group.got--
			counted = append(counted, s.group)
		}
	}
	a.covered[b] = -1
	sp.Level, sp.Shares, sp.Near, sp.Focal = "", nil, "", ""
}
