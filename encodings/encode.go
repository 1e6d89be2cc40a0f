package encodings

import (
	"encoding/binary"
	"math"
	"math/bits"
	"slices"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/prune"
	"github.com/nashbench/nashbench/solvers"
)

// The pseudo-Boolean encoding of Lemma 1.
//
// Players whose action changes nobody else's progress ("null" players) are
// fixed at their best response: open when delta > 0, closed when delta < 0;
// with delta = 0 closed, each such "free" player doubling the count (either
// action is a best response and changes no payoff). The other players, the
// active ones, get an action variable a_i each (variables 1..n).
//
// The cap. Package prune analyses the conditions first (the same analysis
// as highs-compact's): V bounds every mu_l at every non-trivial
// equilibrium, and a player whose condition holds wherever all progress
// is at most V needs no constraint of its own once the cap rows
// "mu_l(a) <= V" (one per l that no other player dominates, in the
// smallest exact form prune.Plan.CapRow finds) are in. On a reduction game
// every player is so, and the cap rows are the formula's clauses: the
// encoding is the formula plus the non-triviality clause, and gophersat's
// search on it is the one it makes on the formula (before, the encoding of
// every player's condition below took 27 times its conflicts at n = 150
// and did not finish n = 200 in 60 s). The players the cap does not cover
// are encoded as follows.
//
// Shift. For each active player t, c_t is the most common entry of column t
// of D (off the diagonal). The encoding works with the shifted progress
// mu'_l(a) = mu_l(a) - sum_t c_t a_t, the same shift for every player, so
// maxima and their comparisons are unchanged and the rows become sparse
// (in a reduction game, clause player j's row keeps only the variables of
// C_j).
//
// Lemma 1 for active i, with a^(i) the profile with a_i flipped: a is an
// equilibrium iff for every i
//
//	max_{l!=i} mu'_l(a) <= max_{j!=i} E_ij(a),
//	E_ij(a) = mu'_j(a^(i)) + (1-2a_i)(c_i - delta_i),
//
// and E_ij is linear in a: (c'_j + D_ji - delta_i) + sum_{t!=i} row_jt a_t
// + (2 delta_i - D_ji - c_i) a_i.
//
// Left side. One integer Z >= mu'_l(a) for every player l (less the players
// another one bounds at every profile) stands for the left side of every i
// at once. That is exact for every i that can never be the one strict
// maximum (some l has mu_l >= mu_i at every profile); a player that might
// be gets a Z_i of its own, over l != i. Z takes the values lo..hi (the
// largest least and the largest greatest shifted progress), in unary
// (y_x = [Z >= x], ordered) when hi - lo <= unaryLimit, else in binary.
//
// Right side. For each j != i a selector s -> Z <= E_ij(a), and the clause
// OR_j s. Pruned: j with max E_ij < lo; constant E_ij but the largest; a j
// with min E_ij >= hi satisfies i at every profile, and i needs nothing.
// Selectors are made once per distinct (Z, E): in a reduction game, "the
// switch player keeps the maximum" serves every variable player.
//
// Shared selectors. For j with D_ji = c_i ("unaffected" by i), E_ij(a) =
// mu'_j(a) + (1-2a_i)W_i with W_i = c_i - delta_i, the same for all of them.
// On the side where (1-2a_i)W_i = |W_i| (a_i = 0 if W_i > 0, 1 if W_i < 0)
// they satisfy i iff Z <= mu'_j(a) + |W_i|, which does not depend on i; so
// i gets one selector u_i -> (a_i on that side) and u_i -> OR_j t_j with the
// shared t_j -> Z <= mu'_j(a) + |W_i|. In a reduction game that leaves each
// variable player a dozen selectors of its own instead of m+n.
//
// Comparisons of a unary Z with a linear term L. When L has few variables
// and takes few values v in Z's range, one short constraint per value:
// "L >= v -> y_v" for Z >= L, "y_{v+1} -> L >= v+1" for Z <= L (clauses,
// in a reduction game). Otherwise one constraint over the y_x in L's range:
// with P = sum of y_x over (A, B], Z >= L iff P >= L - A
// (A = max(lo, min L - 1), B = min(hi, max L)), and Z <= L iff L - P >= A
// (A = max(lo, min L), B = min(hi, max L + 1)).
//
// Large weights. The game is first normalized (normalize), and every
// constraint of degree above maxDegree is split into digits with small
// weights by the builder (builder.split), so the binary Z and the
// comparisons with large payoffs reach gophersat with weights of at most
// maxDegree.
//
// Non-triviality: OR_i a_i, unless a null player opens anyway or a free
// one can be opened in any equilibrium.
//
// On random 3-SAT at ratio 4.26 with 50 variables, with every variable
// player's condition encoded (no cap rows), dropping the per-value
// comparisons costs about 9 times more time, the selectors made once per
// (Z, E) 20 times, the shared selectors 60 times (single instances up to
// 27 s instead of 0.1 s).

// unaryLimit is the largest range of Z encoded in unary.
var unaryLimit int64 = 1024

// Switches of the encoding that tests turn off, to check that they change
// no answer.
var (
	shareSelectors = true // shared selectors for unaffected competitors
	dedupSelectors = true // one selector per distinct (Z, E)
	capRows        = true // the cap rows for the players they cover
)

// lin is a linear expression c + sum w[q] * x_vars[q] over action variables,
// vars increasing, no zero w.
type lin struct {
	c    int64
	vars []int
	w    []int64
}

func (l *lin) bounds() (lo, hi int64) {
	lo, hi = l.c, l.c
	for _, w := range l.w {
		if w < 0 {
			lo += w
		} else {
			hi += w
		}
	}
	return lo, hi
}

func (l *lin) terms(sign int64) []term {
	ts := make([]term, len(l.vars))
	for q, v := range l.vars {
		ts[q] = term{v, sign * l.w[q]}
	}
	return ts
}

// plan is what the encoding needs to know about a game.
type plan struct {
	g        *game.Game
	k        int
	null     []bool
	active   []int  // the active players; player active[q] has variable q+1
	varOf    []int  // player -> its variable, 0 if not active
	start    []bool // fixed players set, active ones closed
	free     []int  // null players with delta = 0
	anyFixed bool   // some null player opens
	shift    []int64
	rows     []lin // mu'_l for every player l
	lo, hi   []int64
}

// maxMagnitude is the largest magnitude (see magnitude) of a game that
// gophersat-pb takes. Within it, every sum the encoding forms stays well
// below 2^63, and every constraint gophersat gets has degree at most
// maxDegree whatever the payoffs: constraints with larger weights are split
// into digits (builder.split). Beyond it, the game is refused.
const maxMagnitude = uint64(1) << 57

// magnitude bounds the shifted progress expressions and their sums that an
// encoding of g forms: T = max_l (|d_l| + sum_t |D_lt|) + sum_t max_l |D_lt|
// + 4 max |D_lt|, each constraint summing at most a few such expressions.
// It is exact up to maxMagnitude and saturates above; log2 is log2(T)
// computed in floating point, for messages.
func magnitude(g *game.Game) (T uint64, log2 float64) {
	k := g.Players()
	limit := maxMagnitude
	sat := func(a, b uint64) uint64 {
		s, carry := bits.Add64(a, b, 0)
		if carry != 0 || s > limit {
			return limit + 1
		}
		return s
	}
	absU := func(x int64) uint64 {
		if x < 0 {
			return uint64(-x) // |x| <= 2^61
		}
		return uint64(x)
	}
	colMax := make([]uint64, k)
	var rowMax, entryMax uint64
	var rowMaxF float64
	for l := range g.Players() {
		row := g.Row(l, nil)
		r := absU(g.Base(l))
		rf := float64(r)
		for t, v := range row {
			a := absU(v)
			r = sat(r, a)
			rf += float64(a)
			colMax[t] = max(colMax[t], a)
			entryMax = max(entryMax, a)
		}
		rowMax = max(rowMax, r)
		rowMaxF = max(rowMaxF, rf)
	}
	T = rowMax
	f := rowMaxF + 4*float64(entryMax)
	for _, c := range colMax {
		T = sat(T, c)
		f += float64(c)
	}
	for range 4 {
		T = sat(T, entryMax)
	}
	return T, math.Log2(max(f, 1))
}

// normalize returns g when its magnitude is within maxMagnitude (so that
// the encoding of such games, reduction games among them, is unchanged),
// else game.Normalize(g) (divided by the gcd of its payoffs, d centred),
// and refuses a game whose magnitude is still beyond maxMagnitude.
func normalize(g *game.Game) (*game.Game, error) {
	if k := g.Players(); k > game.MaxPlayers {
		// The encoding reads every entry of the k x k matrix.
		return nil, solvers.Refuse("gophersat-pb: the game has %d players, more than %d, the most its encoding takes (it reads the %d x %d matrix)", k, game.MaxPlayers, k, k)
	}
	T, log2 := magnitude(g)
	if T <= maxMagnitude {
		return g, nil
	}
	if n, err := game.Normalize(g); err == nil {
		T2, l2 := magnitude(n)
		if T2 <= maxMagnitude {
			return n, nil
		}
		log2 = min(log2, l2)
	}
	return nil, solvers.Refuse("gophersat-pb: the game's magnitude is about 2^%.1f, beyond the range in which gophersat-pb is exact, magnitudes up to 2^57 (magnitude: the largest |d_l| + sum_t |D_lt| over players l, plus the largest |D_lt| of each column t, plus 4 times the largest |D_lt|, after dividing by the gcd of all entries; for example every |entry| up to 2^50 with up to 61 players)", log2)
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func newPlan(g *game.Game) *plan {
	k := g.Players()
	p := &plan{g: g, k: k, null: make([]bool, k), varOf: make([]int, k), start: make([]bool, k), shift: make([]int64, k)}
	for i := range k {
		p.null[i] = g.Null(i)
		switch {
		case !p.null[i]:
			p.active = append(p.active, i)
			p.varOf[i] = len(p.active)
		case g.Delta(i) > 0:
			p.start[i] = true
			p.anyFixed = true
		case g.Delta(i) == 0:
			p.free = append(p.free, i)
		}
	}
	count := map[int64]int{}
	for _, t := range p.active {
		clear(count)
		best, bestN := int64(0), 0
		for l := range k {
			if l == t {
				continue
			}
			v := g.Entry(l, t)
			count[v]++
			if c := count[v]; c > bestN || c == bestN && v == 0 {
				best, bestN = v, c
			}
		}
		if bestN <= count[0] {
			best = 0
		}
		p.shift[t] = best
	}
	p.rows = make([]lin, k)
	p.lo, p.hi = make([]int64, k), make([]int64, k)
	for l := range k {
		r := lin{c: g.Base(l)}
		for f := range k {
			if p.start[f] {
				r.c += g.Entry(l, f)
			}
		}
		for q, t := range p.active {
			if w := g.Entry(l, t) - p.shift[t]; w != 0 {
				r.vars = append(r.vars, q+1)
				r.w = append(r.w, w)
			}
		}
		p.rows[l] = r
		p.lo[l], p.hi[l] = r.bounds()
	}
	return p
}

// zvar is an integer lo..hi.
type zvar struct {
	lo, hi int64
	unary  bool
	y      []int // unary: y[x-lo-1] is [Z >= x]
	bits   []int // binary: Z = lo + sum 2^q bits[q]
}

func (b *builder) newZ(lo, hi int64) *zvar {
	z := &zvar{lo: lo, hi: hi, unary: hi-lo <= unaryLimit}
	if z.unary {
		for range hi - lo {
			z.y = append(z.y, b.newVar())
		}
		for q := 1; q < len(z.y); q++ {
			b.clause(-z.y[q], z.y[q-1])
		}
		b.chains = append(b.chains, z.y)
		return z
	}
	r := uint64(hi - lo)
	var ts []term
	for q := range bits.Len64(r) {
		v := b.newVar()
		z.bits = append(z.bits, v)
		ts = append(ts, term{v, -(int64(1) << q)})
	}
	b.ge(ts, -int64(r))
	return z
}

// window returns the terms +sign*y_x for x in (from, to].
func (z *zvar) window(from, to int64, sign int64) []term {
	var ts []term
	for x := max(from, z.lo) + 1; x <= min(to, z.hi); x++ {
		ts = append(ts, term{z.y[x-z.lo-1], sign})
	}
	return ts
}

func (z *zvar) binary(sign int64) []term {
	ts := make([]term, len(z.bits))
	for q, v := range z.bits {
		ts[q] = term{v, sign << q}
	}
	return ts
}

// atLeast adds guard -> Z >= L(a) (guard 0: always).
func (z *zvar) atLeast(b *builder, guard int, L *lin) {
	llo, lhi := L.bounds()
	switch {
	case lhi <= z.lo:
		return
	case llo > z.hi:
		b.clause(notGuard(guard)...)
		return
	}
	if z.unary {
		if vals, ok := splitValues(L, z.lo+1, z.hi, z.hi-max(z.lo, llo-1)); ok {
			// Z >= L iff for every value v > lo that L takes: L >= v -> y_v.
			for _, v := range vals {
				if v <= z.lo {
					continue
				}
				if v > z.hi {
					b.geIf(guard, L.terms(-1), L.c-z.hi) // L <= hi
					break
				}
				b.geIf(guard, L.terms(-1), L.c-(v-1), -z.y[v-z.lo-1]) // not y_v -> L <= v-1
			}
			return
		}
		// With P = sum of y_x over (A, B], A = max(lo, llo-1), B = min(hi, lhi):
		// Z >= L iff P >= L - A.
		a := max(z.lo, llo-1)
		ts := append(z.window(a, lhi, 1), L.terms(-1)...)
		b.geIf(guard, ts, L.c-a)
		return
	}
	b.geIf(guard, append(z.binary(1), L.terms(-1)...), L.c-z.lo)
}

// atMost adds guard -> Z <= E(a) (guard 0: always).
func (z *zvar) atMost(b *builder, guard int, E *lin) {
	elo, ehi := E.bounds()
	switch {
	case elo >= z.hi:
		return
	case ehi < z.lo:
		b.clause(notGuard(guard)...)
		return
	}
	if z.unary {
		if vals, ok := splitValues(E, z.lo, z.hi-1, min(z.hi, ehi+1)-max(z.lo, elo)); ok {
			// Z <= E iff E >= lo, and for every value e in lo..hi-1 that E
			// takes: y_{e+1} -> E >= e+1.
			for _, e := range vals {
				if e >= z.hi {
					continue
				}
				if e < z.lo {
					b.geIf(guard, E.terms(1), z.lo-E.c)
					continue
				}
				b.geIf(guard, E.terms(1), e+1-E.c, z.y[e+1-z.lo-1])
			}
			return
		}
		// With P = sum of y_x over (A, B'], A = max(lo, elo), B' = min(hi, ehi+1):
		// Z <= E iff E - P >= A.
		a := max(z.lo, elo)
		ts := append(E.terms(1), z.window(a, ehi+1, -1)...)
		b.geIf(guard, ts, a-E.c)
		return
	}
	b.geIf(guard, append(E.terms(1), z.binary(-1)...), z.lo-E.c)
}

// splitMaxVars is the most variables of a term whose values splitValues
// enumerates.
var splitMaxVars = 12

// splitValues returns the values of l in from..to, when l has few variables
// and few such values: then a comparison of Z with l is best written as one
// short constraint per value (clauses, in a reduction game) rather than one
// constraint over the whole window of y. A value below from is reported as
// the single value from-1, one above to as to+1 (the callers need to know
// only that there is one). window is the size of the unary window the
// alternative would use.
func splitValues(l *lin, from, to, window int64) ([]int64, bool) {
	if len(l.vars) > splitMaxVars {
		return nil, false
	}
	sums := make([]int64, 1, 1<<len(l.vars))
	sums[0] = l.c
	for _, w := range l.w {
		for _, s := range sums {
			sums = append(sums, s+w)
		}
	}
	slices.Sort(sums)
	var vals []int64
	for _, s := range slices.Compact(sums) {
		switch {
		case s < from:
			s = from - 1
		case s > to:
			s = to + 1
		}
		if len(vals) == 0 || vals[len(vals)-1] != s {
			vals = append(vals, s)
		}
	}
	s := int64(len(l.vars))
	if int64(len(vals))*(s+3) > 2*(s+window+1) && len(vals) > 4 {
		return nil, false
	}
	return vals, true
}

func notGuard(guard int) []int {
	if guard == 0 {
		return nil
	}
	return []int{-guard}
}

// encoding is the PB problem of a game with at least one active player:
// variables 1..len(plan.active) are the actions.
type encoding struct {
	plan   *plan
	b      builder
	sel    map[selKey]int // selector of "Z <= E" by Z and E
	keyBuf []byte
}

type selKey struct {
	z *zvar
	e string // E's constant, variables and coefficients, in binary
}

// selector returns a variable s with s -> Z <= E(a), shared by every
// player whose condition needs that same comparison (in a reduction game,
// every variable player's "the switch player keeps the maximum").
func (e *encoding) selector(z *zvar, E *lin) int {
	buf := binary.LittleEndian.AppendUint64(e.keyBuf[:0], uint64(E.c))
	for q, v := range E.vars {
		buf = binary.LittleEndian.AppendUint32(buf, uint32(v))
		buf = binary.LittleEndian.AppendUint64(buf, uint64(E.w[q]))
	}
	e.keyBuf = buf
	if s, ok := e.sel[selKey{z, string(buf)}]; ok && dedupSelectors {
		return s
	}
	key := selKey{z, string(buf)}
	s := e.b.newVar()
	z.atMost(&e.b, s, E)
	e.sel[key] = s
	return s
}

// capConstraints adds the cap rows "mu_l <= V" of every l of an.L in
// their smallest exact form (prune.Plan.CapRow), but those the cap
// already satisfies: for encode and the pairwise encoding, which must
// write them alike.
func (b *builder) capConstraints(an *prune.Plan) {
	for _, l := range an.L {
		if r, ok := an.CapRow(l); ok {
			ts := make([]term, len(r.Q))
			for t, q := range r.Q {
				ts[t] = term{q + 1, -r.W[t]}
			}
			b.ge(ts, -r.R)
		}
	}
}

// encode builds the constraints. The game must come from normalize.
func encode(p *plan) *encoding {
	e := &encoding{plan: p, sel: map[selKey]int{}}
	b := &e.b
	for range p.active {
		b.newVar()
	}
	an := prune.Analyze(prune.NewView(p.g), prune.Options{}, nil)
	skipped := false
	for q := range an.Players {
		if !capRows {
			an.Players[q].Skip = false
		}
		skipped = skipped || an.Players[q].Skip
	}
	if an.Cap && skipped {
		// The cap (every mu_l <= V at a non-trivial equilibrium) stands
		// in for the conditions of the skipped players.
		b.capConstraints(an)
	}
	var global *zvar
	for q, pl := range an.Players {
		i := pl.I
		switch {
		case pl.Skip:
			// A side without candidates never holds.
			if !pl.Has[0] {
				b.clause(q + 1)
			}
			if !pl.Has[1] {
				b.clause(-(q + 1))
			}
		case an.Lead[i]:
			// i may hold the maximum alone: its left side is its own.
			e.player(i, e.maxOf(pl.Li), false)
		default:
			if global == nil {
				global = e.maxOf(an.L)
			}
			e.player(i, global, shareSelectors)
		}
	}
	if len(p.free) == 0 && !p.anyFixed {
		lits := make([]int, len(p.active))
		for q := range lits {
			lits[q] = q + 1
		}
		b.clause(lits...)
	}
	return e
}

// maxOf returns a Z with Z >= mu'_l for each l of set.
func (e *encoding) maxOf(set []int) *zvar {
	p := e.plan
	lo, hi := int64(math.MinInt64), int64(math.MinInt64)
	for _, l := range set {
		lo, hi = max(lo, p.lo[l]), max(hi, p.hi[l])
	}
	z := e.b.newZ(lo, hi)
	for _, l := range set {
		z.atLeast(&e.b, 0, &p.rows[l])
	}
	return z
}

// eBounds returns the least and greatest E_ij without building it.
func (p *plan) eBounds(i, j int) (lo, hi int64) {
	g := p.g
	old := g.Entry(j, i) - p.shift[i] // a_i's coefficient in row j
	wi := 2*g.Delta(i) - g.Entry(j, i) - p.shift[i]
	c := g.Entry(j, i) - g.Delta(i)
	lo, hi = p.lo[j]+c-min(old, 0)+min(wi, 0), p.hi[j]+c-max(old, 0)+max(wi, 0)
	return lo, hi
}

// eTerm returns E_ij.
func (p *plan) eTerm(i, j int) *lin {
	g := p.g
	vi := p.varOf[i]
	r := &p.rows[j]
	e := &lin{c: r.c + g.Entry(j, i) - g.Delta(i)}
	wi := 2*g.Delta(i) - g.Entry(j, i) - p.shift[i]
	placed := wi == 0
	for q, v := range r.vars {
		if v == vi {
			continue
		}
		if !placed && v > vi {
			e.vars, e.w = append(e.vars, vi), append(e.w, wi)
			placed = true
		}
		e.vars, e.w = append(e.vars, v), append(e.w, r.w[q])
	}
	if !placed {
		e.vars, e.w = append(e.vars, vi), append(e.w, wi)
	}
	return e
}

// player adds active player i's equilibrium condition against z, which
// bounds the progress of every player but i from above.
func (e *encoding) player(i int, z *zvar, share bool) {
	p, b := e.plan, &e.b
	g := p.g
	var (
		opts      []int
		unaff     []int
		bestConst = int64(math.MinInt64)
		hasConst  bool
	)
	for j := range p.k {
		if j == i {
			continue
		}
		if share && g.Entry(j, i) == p.shift[i] {
			unaff = append(unaff, j)
			continue
		}
		elo, ehi := p.eBounds(i, j)
		switch {
		case ehi < z.lo:
			continue
		case elo >= z.hi:
			return // some competitor always carries i's condition
		}
		E := p.eTerm(i, j)
		switch {
		case len(E.vars) == 0:
			bestConst, hasConst = max(bestConst, E.c), true
			continue
		}
		opts = append(opts, e.selector(z, E))
	}
	if hasConst {
		opts = append(opts, e.selector(z, &lin{c: bestConst}))
	}
	if len(unaff) > 0 {
		w := p.shift[i] - g.Delta(i)
		side := 0 // the action literal under which the unaffected ones help
		switch {
		case w > 0:
			side = -p.varOf[i]
		case w < 0:
			side, w = p.varOf[i], -w
		}
		var ts []int
		always := false
		for _, j := range unaff {
			if p.hi[j]+w < z.lo {
				continue
			}
			if p.lo[j]+w >= z.hi {
				always = true
				break
			}
			E := p.rows[j]
			E.c += w
			ts = append(ts, e.selector(z, &E))
		}
		switch {
		case always && side == 0:
			return
		case always:
			opts = append(opts, side)
		case len(ts) > 0:
			u := b.newVar()
			if side != 0 {
				b.clause(-u, side)
			}
			b.clause(append([]int{-u}, ts...)...)
			opts = append(opts, u)
		}
	}
	b.clause(opts...)
}
