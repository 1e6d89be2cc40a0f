package encodings

import (
	"math/bits"
	"slices"
	"sort"
)

// Translation of the encoding's normalized constraints (pbc) into clauses,
// after Eén and Sörensson, "Translating Pseudo-Boolean Constraints into SAT"
// (JSAT 2006), the MiniSat+ paper: each constraint gets the smallest of a
// few encodings, with a bias towards those on which unit propagation is
// complete.
//
//   - All weights at the degree: one clause. More generally, the literals
//     weighing the degree join each clause of the rest's encoding.
//   - A BDD of the constraint (interval-memoized, Abío et al. 2012), two
//     clauses per node; on a cardinality constraint it is the sequential
//     counter. It is chosen when it has at most bddFactor times the clauses
//     of the adders: always for the short constraints with few distinct
//     partial sums that reduction games consist of, and for most of those
//     with 16-bit weights of wide games.
//   - A totalizer (Bailleux and Boufkhad 2003) cut off at the degree, for
//     cardinality constraints whose BDD is larger, up to sortFactor times
//     the adders' size.
//   - Otherwise a network of binary adders and a comparator: about 7 clauses
//     per bit set in the weights, so linear in the weights' bit lengths, but
//     weak under unit propagation.
//
// Unary integers. The literals of a constraint that belong to one unary
// integer's chain (builder.chains), with one sign and one weight w, are
// true in a prefix of the chain (negated ones: in a suffix), so their
// count is read off one literal each: u_c = [count >= c]. The constraint R + w count >= K becomes the
// goals "u_{c+1} or R >= K - w c" for c = 0..m, all over the same rest R,
// which one BDD (with a root per goal), totalizer or adder network serves.
// This turns the encoding's "Z >= L" and "Z <= E" over a window of Z's
// unary variables into one structure over L's few variables instead of a
// counter over the window.
//
// Every translation is one-directional: its auxiliary variables are
// implied to be at most the true partial sums (a node of the BDD, a
// totalizer output, a sum bit), which is all that "sum >= degree" needs.
// Each model of the constraint extends to the auxiliaries (set each to its
// true value), and each model of the clauses satisfies the constraint, so
// the clauses have exactly the constraint's models on its own variables.
//
// sortFactor is MiniSat+'s default (-sort-thres=20). Its BDD threshold
// is 3 (in its own units); here, on 40 random games of 6 to 10 players
// with entries up to 2^50, a factor of 1 (the smallest CNF) gives 1.25
// million clauses that gophersat decides in 30 s, 3 gives 24% more
// clauses and 6 s, 5 gives 49% more and 2 s (one constraint in 200 left
// to adders), and 10 little more of either.
var (
	bddFactor  = 5
	sortFactor = 20
	// inlineLimit bounds the clauses that absorb a BDD node referenced
	// once (see emitBDD).
	inlineLimit = 8
	// Switches for tests: useChains off leaves unary integers unread,
	// forceEncoding ("bdd", "totalizer" for cardinality constraints,
	// "adder") takes that encoding whatever its size.
	useChains     = true
	forceEncoding = ""
)

// How many constraints got which translation, for the DIMACS comments and
// the benchmark.
type cnfStats struct {
	units, clauses, bdds, totalizers, adders, chains int
}

// translator collects clauses over variables 1..nVars.
type translator struct {
	nVars   int
	clauses [][]int
	stats   cnfStats
	arena   []int // the clauses' literals are carved from it
}

func (t *translator) newVar() int {
	t.nVars++
	return t.nVars
}

// add adds a clause, a copy of lits (callers reuse their buffers).
func (t *translator) add(lits ...int) {
	if cap(t.arena)-len(t.arena) < len(lits) {
		t.arena = make([]int, 0, max(1<<14, len(lits)))
	}
	n := len(t.arena)
	t.arena = append(t.arena, lits...)
	t.clauses = append(t.clauses, t.arena[n:len(t.arena):len(t.arena)])
}

// goal is "one of or, unless the sum is at least T".
type goal struct {
	or []int
	T  int64
}

// prefix returns a new slice of the goal's literals.
func (g goal) prefix() []int { return slices.Clone(g.or) }

// constraint adds the clauses of sum w[q]*lits[q] + uw*|{c: unary[c]}|
// >= K, where unary[c] implies unary[c-1] (unary may be empty). The
// constraint comes from simplify (distinct variables, weights in 1..K).
func (t *translator) constraint(lits []int, w []int64, unary []int, uw, K int64) {
	if len(unary) == 0 {
		t.translate(lits, w, []goal{{nil, K}})
		return
	}
	t.stats.chains++
	var goals []goal
	for c := 0; c <= len(unary) && K-uw*int64(c) > 0; c++ {
		g := goal{T: K - uw*int64(c)}
		if c < len(unary) {
			g.or = []int{unary[c]}
		}
		goals = append(goals, g)
	}
	t.translate(lits, w, goals)
}

// chainIndex says which variables belong to which chain of a unary
// integer, and where.
type chainIndex struct {
	chain, place []int32 // by variable: chain (1-based, 0: none), index in it
	sizes        map[group]int
}

type group struct {
	chain int32
	neg   bool
	w     int64
}

func newChainIndex(nVars int, chains [][]int) *chainIndex {
	ci := &chainIndex{chain: make([]int32, nVars+1), place: make([]int32, nVars+1), sizes: map[group]int{}}
	for c, ch := range chains {
		for q, v := range ch {
			ci.chain[v], ci.place[v] = int32(c+1), int32(q)
		}
	}
	return ci
}

// split returns c's literals and weights but for its largest group of
// literals of one chain, sign and weight, and that group (nil when none has
// two literals) with its weight, ordered so that "at least k of the group
// are true" is its k-th literal: in a chain, y at a later place implies y
// at an earlier one, so that is the k-th y from the start, or the k-th
// not-y from the end. The slices are new.
func (ci *chainIndex) split(c pbc) (lits []int, w []int64, unary []int, uw int64) {
	clear(ci.sizes)
	var best group
	for p, l := range c.lits {
		if ch := ci.chain[abs(l)]; ch != 0 {
			g := group{ch, l < 0, c.w[p]}
			ci.sizes[g]++
			if ci.sizes[g] > ci.sizes[best] {
				best = g
			}
		}
	}
	if ci.sizes[best] < 2 {
		return slices.Clone(c.lits), slices.Clone(c.w), nil, 0
	}
	for p, l := range c.lits {
		if (group{ci.chain[abs(l)], l < 0, c.w[p]}) == best {
			unary = append(unary, l)
			continue
		}
		lits = append(lits, l)
		w = append(w, c.w[p])
	}
	slices.SortFunc(unary, func(a, b int) int {
		d := int(ci.place[abs(a)] - ci.place[abs(b)])
		if best.neg {
			return -d
		}
		return d
	})
	return lits, w, unary, best.w
}

// translate adds the clauses of every goal over sum w[q]*lits[q].
func (t *translator) translate(lits []int, w []int64, goals []goal) {
	// A literal weighing the largest degree or more meets every goal on
	// its own: it joins each goal's clause, and the rest is counted.
	var top int64
	for _, g := range goals {
		top = max(top, g.T)
	}
	var big []int
	var rest []int
	var rw []int64
	var total int64
	for q, x := range w {
		if x >= top {
			big = append(big, lits[q])
			continue
		}
		rest = append(rest, lits[q])
		rw = append(rw, x)
		total += x
	}
	lits, w = rest, rw
	var gs []goal
	for _, g := range goals {
		if len(big) > 0 {
			g.or = append(g.prefix(), big...)
		}
		switch {
		case g.T <= 0:
		case g.T > total:
			t.add(g.prefix()...) // only the goal's literals meet it
		default:
			gs = append(gs, g)
		}
	}
	if len(gs) == 0 {
		t.stats.clauses++
		return
	}
	// Divide by the weights' gcd (fewer bits for the adders) and saturate
	// them at the largest degree.
	var g int64
	for _, x := range w {
		g = gcd(g, x)
	}
	top = 0
	for q := range gs {
		gs[q].T = (gs[q].T + g - 1) / g
		top = max(top, gs[q].T)
	}
	clause, card := len(gs) == 1, true
	for q := range w {
		w[q] = min(w[q]/g, top)
		clause = clause && w[q] == top
		card = card && w[q] == 1
	}
	if clause {
		t.stats.clauses++
		t.add(append(gs[0].prefix(), lits...)...)
		return
	}
	adder := adderCost(w, gs)
	limit := bddFactor * adder
	tot := -1
	if card {
		tot = totalizerCost(len(lits), int(top), gs)
		limit = min(limit, tot)
	}
	switch forceEncoding {
	case "bdd":
		limit = 1 << 22
	case "totalizer":
		if card {
			limit, tot = -1, 0
		}
	case "adder":
		limit, card = -1, false
	}
	// A BDD's clauses are counted once emitted: nodes that are literals or
	// are resolved away make that fewer than two per node.
	if limit >= 0 {
		if b := newBDD(lits, w, gs, limit); b != nil {
			nVars, nClauses := t.nVars, len(t.clauses)
			t.emitBDD(b, gs)
			if len(t.clauses)-nClauses <= limit {
				t.stats.bdds++
				return
			}
			t.nVars, t.clauses = nVars, t.clauses[:nClauses]
		}
	}
	if card && tot <= sortFactor*adder {
		t.stats.totalizers++
		t.totalizer(lits, int(top), gs)
		return
	}
	t.stats.adders++
	t.adder(lits, w, gs)
}

// BDD of sum w[q]*lits[q] with the weights in decreasing order, with a
// root per goal. The node at level i for degree K stands for
// sum_{q>=i} w_q l_q >= K; the degrees for which it stands for the same
// function form an interval, which is memoized per level, so the BDD is
// built reduced.

const (
	bddFalse int32 = 0
	bddTrue  int32 = 1
	infinity       = int64(1) << 62
)

type bddNode struct {
	lit    int
	hi, lo int32 // children when lit is true, false
}

type interval struct {
	lo, hi int64
	node   int32
}

type bdd struct {
	lits   []int
	w      []int64
	rest   []int64 // rest[i] = sum of w[i:]
	levels [][]interval
	nodes  []bddNode
	roots  []int32 // one per goal
	limit  int     // nodes
	work   int     // memo entries, bounded too (collapsed nodes are free)
	over   bool
}

// newBDD returns the BDD of the goals, or nil when it would have more than
// limit nodes.
func newBDD(lits []int, w []int64, goals []goal, limit int) *bdd {
	n := len(lits)
	order := make([]int, n)
	for q := range order {
		order[q] = q
	}
	sort.SliceStable(order, func(a, b int) bool { return w[order[a]] > w[order[b]] })
	b := &bdd{lits: make([]int, n), w: make([]int64, n), rest: make([]int64, n+1), levels: make([][]interval, n+1), nodes: make([]bddNode, 2), limit: limit}
	for q, o := range order {
		b.lits[q], b.w[q] = lits[o], w[o]
	}
	for i := n - 1; i >= 0; i-- {
		b.rest[i] = b.rest[i+1] + b.w[i]
	}
	for _, g := range goals {
		b.roots = append(b.roots, b.build(0, g.T).node)
	}
	if b.over {
		return nil
	}
	return b
}

func (b *bdd) build(i int, K int64) interval {
	if K <= 0 {
		return interval{-infinity, 0, bddTrue}
	}
	if K > b.rest[i] {
		return interval{b.rest[i] + 1, infinity, bddFalse}
	}
	lv := b.levels[i]
	p := sort.Search(len(lv), func(x int) bool { return lv[x].hi >= K })
	if p < len(lv) && lv[p].lo <= K {
		return lv[p]
	}
	if b.over {
		return interval{K, K, bddFalse} // abandoned: any value will do
	}
	hi := b.build(i+1, K-b.w[i])
	lo := b.build(i+1, K)
	iv := interval{max(lo.lo, hi.lo+b.w[i]), min(lo.hi, hi.hi+b.w[i]), lo.node}
	if hi.node != lo.node {
		iv.node = int32(len(b.nodes))
		b.nodes = append(b.nodes, bddNode{b.lits[i], hi.node, lo.node})
	}
	b.work++
	if len(b.nodes)-2 > b.limit || b.work > 4*b.limit+len(b.lits) {
		b.over = true
	}
	// The intervals of one level are disjoint: each is the whole class of
	// degrees giving the node's function.
	b.levels[i] = slices.Insert(b.levels[i], p, iv)
	return iv
}

// emitBDD adds the clauses of b: for node v testing x, v -> hi and
// v -> x or lo (monotone, so these two suffice), and for each goal, its
// literal or its root. A node (x, true, false) is the literal x. A node
// referenced once is not given a variable: its clauses are resolved into
// the one clause that references it (variable elimination), unless that
// would make clauses longer than inlineLimit. That keeps one clause per
// chain of "x or next" nodes (the literals weighing the degree), and turns
// short constraints into their clauses.
func (t *translator) emitBDD(b *bdd, goals []goal) {
	ref := make([]int32, len(b.nodes))
	for _, n := range b.nodes[2:] {
		ref[n.hi]++
		ref[n.lo]++
	}
	for _, r := range b.roots {
		ref[r]++
	}
	varOf := make([]int, len(b.nodes))
	var queue []int32
	var expand func(prefix []int, id int32)
	// to adds the clause prefix or node id. Clauses are built on the
	// prefix's spare capacity: each call writes only beyond its prefix,
	// and add copies.
	to := func(prefix []int, id int32) {
		n := b.nodes[id]
		switch {
		case id == bddTrue:
		case id == bddFalse:
			t.add(prefix...)
		case n.hi == bddTrue && n.lo == bddFalse:
			t.add(append(prefix, n.lit)...)
		case ref[id] == 1 && (n.hi == bddTrue || len(prefix) < inlineLimit):
			expand(prefix, id)
		default:
			if varOf[id] == 0 {
				varOf[id] = t.newVar()
				queue = append(queue, id)
			}
			t.add(append(prefix, varOf[id])...)
		}
	}
	expand = func(prefix []int, id int32) {
		n := b.nodes[id]
		to(prefix, n.hi)
		to(append(prefix, n.lit), n.lo)
	}
	buf := make([]int, 0, 64)
	for q, g := range goals {
		to(append(buf, g.or...), b.roots[q])
	}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		expand(append(buf, -varOf[id]), id)
	}
}

// totalizerCost returns the clauses of totalizer(n inputs, r, goals).
func totalizerCost(n, r int, goals []goal) int {
	split := func(p, q, k int) int { return min(p, k-1) - max(0, k-1-q) + 1 }
	var cost func(n int) int // of count(n inputs)
	cost = func(n int) int {
		if n == 1 {
			return 0
		}
		c := cost(n/2) + cost(n-n/2)
		p, q := min(n/2, r), min(n-n/2, r)
		for k := 1; k <= min(p+q, r); k++ {
			c += split(p, q, k)
		}
		return c
	}
	if n == 1 {
		return len(goals)
	}
	c := cost(n/2) + cost(n-n/2)
	for _, g := range goals {
		c += split(min(n/2, r), min(n-n/2, r), int(g.T))
	}
	return c
}

// totalizer adds the clauses of the goals (degrees at most r) over the
// count of lits.
func (t *translator) totalizer(lits []int, r int, goals []goal) {
	if len(lits) == 1 {
		for _, g := range goals {
			t.add(append(g.prefix(), lits[0])...) // T is 1
		}
		return
	}
	h := len(lits) / 2
	a, b := t.count(lits[:h], r), t.count(lits[h:], r)
	for _, g := range goals {
		t.sumClauses(g.prefix(), a, b, int(g.T))
	}
}

// count returns o[1..min(len(lits), r)] with o[k] -> at least k of lits
// are true (o[0] unused).
func (t *translator) count(lits []int, r int) []int {
	if len(lits) == 1 {
		return []int{0, lits[0]}
	}
	h := len(lits) / 2
	a, b := t.count(lits[:h], r), t.count(lits[h:], r)
	o := make([]int, min(len(a)+len(b)-2, r)+1)
	for k := 1; k < len(o); k++ {
		o[k] = t.newVar()
		t.sumClauses([]int{-o[k]}, a, b, k)
	}
	return o
}

// sumClauses adds "prefix or at least k of the inputs of a and b": for
// every split i + j = k-1, a[i+1] or b[j+1] (at most i true in one half
// and j in the other make fewer than k). An index beyond a's outputs
// stands for false: a is cut off at r only when it has more inputs than
// r, and then i+1 <= k <= r.
func (t *translator) sumClauses(prefix []int, a, b []int, k int) {
	p, q := len(a)-1, len(b)-1
	for i := max(0, k-1-q); i <= min(p, k-1); i++ {
		j := k - 1 - i
		c := append(make([]int, 0, len(prefix)+2), prefix...)
		if i+1 <= p {
			c = append(c, a[i+1])
		}
		if j+1 <= q {
			c = append(c, b[j+1])
		}
		t.add(c...)
	}
}

// Adders: the weights' bits go into one bucket per position; full adders
// (three bits of a position into a sum bit there and a carry one up) and
// half adders reduce each bucket to one bit, and a comparator per goal
// asserts that the bits so formed are at least its degree. Sum and carry
// bits only imply the parity and majority of their inputs, so every bit
// is at most the true sum's.

const (
	fullAdderClauses = 7
	halfAdderClauses = 4
)

// adderCost returns the clauses of adder(w, goals).
func adderCost(w []int64, goals []goal) int {
	var count []int
	for _, x := range w {
		for p := 0; x>>p != 0; p++ {
			if p == len(count) {
				count = append(count, 0)
			}
			count[p] += int(x >> p & 1)
		}
	}
	cost := 0
	for _, g := range goals {
		cost += bits.OnesCount64(uint64(g.T))
	}
	for p := 0; p < len(count); p++ {
		c := count[p]
		carries := 0
		if c >= 3 {
			fa := (c - 1) / 2
			cost += fa * fullAdderClauses
			carries += fa
			c -= 2 * fa
		}
		if c == 2 {
			cost += halfAdderClauses
			carries++
		}
		if carries > 0 {
			if p+1 == len(count) {
				count = append(count, 0)
			}
			count[p+1] += carries
		}
	}
	return cost
}

// adder adds the adder network over sum w[q]*lits[q] and a comparator per
// goal.
func (t *translator) adder(lits []int, w []int64, goals []goal) {
	var buckets [][]int
	push := func(p, l int) {
		for len(buckets) <= p {
			buckets = append(buckets, nil)
		}
		buckets[p] = append(buckets[p], l)
	}
	for q, x := range w {
		for p := 0; x>>p != 0; p++ {
			if x>>p&1 == 1 {
				push(p, lits[q])
			}
		}
	}
	var out []int // out[p]: the sum's bit p, 0 when always false
	for p := 0; p < len(buckets); p++ {
		bk := buckets[p]
		for len(bk) >= 2 {
			var s, c int
			if len(bk) >= 3 {
				s, c = t.fullAdder(bk[0], bk[1], bk[2])
				bk = append(bk[3:], s)
			} else {
				s, c = t.halfAdder(bk[0], bk[1])
				bk = append(bk[2:], s)
			}
			push(p+1, c)
		}
		out = append(out, 0)
		if len(bk) == 1 {
			out[p] = bk[0]
		}
	}
	// sum >= T iff for every bit i set in T: sum's bit i, or a bit j > i
	// clear in T but set in the sum. (T <= the sum of the weights, whose
	// bits all have a place in out.)
	for _, g := range goals {
		for i := range out {
			if g.T>>i&1 == 0 {
				continue
			}
			c := g.prefix()
			for j := i; j < len(out); j++ {
				if out[j] != 0 && (j == i || g.T>>j&1 == 0) {
					c = append(c, out[j])
				}
			}
			t.add(c...)
		}
	}
}

// fullAdder returns s, c with s -> a xor b xor d and c -> majority(a, b, d).
func (t *translator) fullAdder(a, b, d int) (s, c int) {
	s, c = t.newVar(), t.newVar()
	t.add(-c, a, b)
	t.add(-c, a, d)
	t.add(-c, b, d)
	t.add(-s, a, b, d)
	t.add(-s, a, -b, -d)
	t.add(-s, -a, b, -d)
	t.add(-s, -a, -b, d)
	return s, c
}

// halfAdder returns s, c with s -> a xor b and c -> a and b.
func (t *translator) halfAdder(a, b int) (s, c int) {
	s, c = t.newVar(), t.newVar()
	t.add(-c, a)
	t.add(-c, b)
	t.add(-s, a, b)
	t.add(-s, -a, -b)
	return s, c
}
