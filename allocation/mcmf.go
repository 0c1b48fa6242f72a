package allocation

// A min-cost flow solver written for the plan (no external solver). Costs
// are pairs compared lexicographically, so that objectives of different
// rank never trade against each other and no weight can overflow: the
// first component outranks the second whatever their sizes.
//
// The algorithm is the primal-dual method: a Dijkstra search on reduced
// costs (non-negative thanks to the node potentials) finds the cost of the
// cheapest augmenting path; then a blocking flow (Dinic) over the arcs of
// reduced cost zero pushes as much as possible at that cost; repeat until
// the sink cannot be reached. Every augmentation is along a shortest path
// of the residual graph, so the flow is of minimum cost among the flows of
// its value (the successive-shortest-path invariant), and it ends at a
// maximum flow.

// cost is a lexicographic pair: hi first, then lo.
type cost struct{ hi, lo int64 }

func (c cost) add(d cost) cost  { return cost{c.hi + d.hi, c.lo + d.lo} }
func (c cost) sub(d cost) cost  { return cost{c.hi - d.hi, c.lo - d.lo} }
func (c cost) less(d cost) bool { return c.hi < d.hi || c.hi == d.hi && c.lo < d.lo }
func (c cost) zero() bool       { return c.hi == 0 && c.lo == 0 }

var infCost = cost{1 << 62, 1 << 62}

// inf is an arc capacity that never binds.
const inf = int64(1) << 50

type arc struct {
	to   int32
	cap  int64 // residual capacity
	cost cost
}

// flowNet is a directed network; arc i and i^1 are each other's reverse.
type flowNet struct {
	arcs  []arc
	head  [][]int32 // arcs leaving each node
	pot   []cost
	level []int32
	iter  []int32
}

func newFlowNet(n int) *flowNet { return &flowNet{head: make([][]int32, n)} }

func (g *flowNet) addNode() int32 {
	g.head = append(g.head, nil)
	return int32(len(g.head) - 1)
}

// addArc adds an arc of capacity cp and cost c from u to v, and returns its
// index (to read its flow later with flow).
func (g *flowNet) addArc(u, v int32, cp int64, c cost) int32 {
	i := int32(len(g.arcs))
	g.arcs = append(g.arcs, arc{v, cp, c}, arc{u, 0, cost{-c.hi, -c.lo}})
	g.head[u] = append(g.head[u], i)
	g.head[v] = append(g.head[v], i+1)
	return i
}

// flow is what arc i carries.
func (g *flowNet) flow(i int32) int64 { return g.arcs[i^1].cap }

// minCostFlow sends as much as possible from s to t at least cost, with
// every arc cost non-negative. It returns the flow sent.
func (g *flowNet) minCostFlow(s, t int32) int64 {
	n := len(g.head)
	g.pot = make([]cost, n)
	dist := make([]cost, n)
	g.level, g.iter = make([]int32, n), make([]int32, n)
	var h costHeap
	total := int64(0)
	for {
		for i := range dist {
			dist[i] = infCost
		}
		dist[s] = cost{}
		h = h[:0]
		h.push(heapItem{cost{}, s})
		for len(h) > 0 {
			it := h.pop()
			if dist[it.v].less(it.d) {
				continue
			}
			for _, ai := range g.head[it.v] {
				a := &g.arcs[ai]
				if a.cap == 0 {
					continue
				}
				nd := it.d.add(a.cost).add(g.pot[it.v]).sub(g.pot[a.to])
				if nd.less(dist[a.to]) {
					dist[a.to] = nd
					h.push(heapItem{nd, a.to})
				}
			}
		}
		if dist[t] == infCost {
			return total
		}
		for v := range n {
			d := dist[v]
			if dist[t].less(d) {
				d = dist[t]
			}
			g.pot[v] = g.pot[v].add(d)
		}
		// Blocking flows on the admissible arcs (reduced cost zero).
		for g.bfs(s, t) {
			clear(g.iter)
			for {
				f := g.dfs(s, t, inf)
				if f == 0 {
					break
				}
				total += f
			}
		}
	}
}

func (g *flowNet) admissible(u int32, a *arc) bool {
	return a.cap > 0 && a.cost.add(g.pot[u]).sub(g.pot[a.to]).zero()
}

func (g *flowNet) bfs(s, t int32) bool {
	for i := range g.level {
		g.level[i] = -1
	}
	g.level[s] = 0
	q := []int32{s}
	for len(q) > 0 {
		u := q[0]
		q = q[1:]
		for _, ai := range g.head[u] {
			a := &g.arcs[ai]
			if g.level[a.to] < 0 && g.admissible(u, a) {
				g.level[a.to] = g.level[u] + 1
				q = append(q, a.to)
			}
		}
	}
	return g.level[t] >= 0
}

// dfs pushes up to f from u to t along admissible arcs of increasing level.
// It is iterative in spirit but recursive in form; the depth is the length
// of a path, a few dozen arcs at most in the plan's networks.
func (g *flowNet) dfs(u, t int32, f int64) int64 {
	if u == t {
		return f
	}
	for ; g.iter[u] < int32(len(g.head[u])); g.iter[u]++ {
		ai := g.head[u][g.iter[u]]
		a := &g.arcs[ai]
		if g.level[a.to] != g.level[u]+1 || !g.admissible(u, a) {
			continue
		}
		if d := g.dfs(a.to, t, min(f, a.cap)); d > 0 {
			g.arcs[ai].cap -= d
			g.arcs[ai^1].cap += d
			return d
		}
	}
	return 0
}

type heapItem struct {
	d cost
	v int32
}

// costHeap is a binary min-heap of items by cost.
type costHeap []heapItem

func (h *costHeap) push(x heapItem) {
	*h = append(*h, x)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !s[i].d.less(s[p].d) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *costHeap) pop() heapItem {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(s) && s[l].d.less(s[m].d) {
			m = l
		}
		if r < len(s) && s[r].d.less(s[m].d) {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}
