package prune

import (
	"cmp"
	"math"
	"slices"
)

// Lemma 1, rewritten as the encodings use it. Write s = 2a_i - 1. Player i
// cannot gain by flipping iff max_{l!=i} mu_l(a) <= max_{j!=i} h_ij(a),
// where
//
//	h_ij(a) = mu_j(a^(i)) + s delta_i = mu_j(a) + e_ij,  e_ij = (1 - 2a_i)(D[j][i] - delta_i).
//
// With a_i = b fixed, h_ij is affine in the other actions. Since mu_j(a) is
// itself part of the left-hand max, j can only be the witness on the right
// when e_ij >= 0; the others are dropped for that value of a_i. What the
// analysis concludes, each step exact for any game:
//
//   - Left side: a player l whose progress another player's bounds at every
//     profile (found from exact bounds of mu_l - mu_m, not of each alone)
//     never needs a row of its own: L is the players no one dominates (ties
//     between identical players broken by index), and player i's left side
//     is L_i, the players other than i that no one but i dominates.
//
//   - Candidates are pruned when e_ij < 0, when h_ij falls below some mu_m
//     (m != i) at every profile, or when another candidate's h is at least
//     as large at every profile; a candidate that beats every competitor at
//     every profile makes the others unnecessary and the side hold.
//
//   - Integer rounding: h_ij - mu_l is an integer affine function of the
//     actions, so where it is >= 0 it is >= r_jl, the least value >= 0 in
//     its residue class modulo a common divisor of its coefficients. Where
//     j is the witness, every mu_l <= h_ij - r_jl, which bounds the
//     left-hand max there (witnessMax). A candidate whose bound is at most
//     the value of a constant candidate (whose h depends on no other
//     action, like the reduction's switch player) is the witness only where
//     that constant is one too, and is dropped.
//
//   - The cap: at a non-trivial equilibrium (when every null player is
//     closed) some a_i = 1, so max_l mu_l <= V = max_i UB_i^1 (or mu_i's own
//     bound), with UB_i^b the largest witness bound for a_i = b. A side of a
//     player's condition that has a candidate with h >= V at every profile
//     then holds wherever the cap does, and a player with both sides so (or
//     holding at every profile) needs no constraint of its own once
//     "mu_l <= V" holds for every l in L. On a reduction game every player
//     is so, and what is left is "mu_C <= V" per clause: the formula.
//
// Cost. Comparing two players costs O(their exceptions) (View.spread).
// The players are compared pairwise once (O(k^2) bound checks) for
// dominance; candidates are compared with competitors sorted by their
// bounds, so most comparisons stop at the first competitor. Side 1 of
// every player is pruned first (V depends on it alone); a side the cap
// covers is not pruned at all. On reduction games the whole analysis is
// about O(k^2 + n k) for n variables and k players.

// Options switch parts of the analysis off, to measure what they are
// worth; every combination is exact.
type Options struct {
	NoPrune    bool // no dominance, no candidate pruning, no cap cover
	NoConstant bool // no witness bounds, no pruning by constant candidates
	NoCap      bool // no cap V
}

// Candidate is a possible witness j of player i's condition for a_i = B:
// h_ij with a_i = B is K + sum_{q != i} D[J][q] a_q, between HMin and HMax.
type Candidate struct {
	J          int
	B          int64
	K          int64
	HMin, HMax int64
	wMax       int64 // witnessMax's bound, once wDone
	wDone      bool
}

// Player is the analysis of one active player's condition.
type Player struct {
	I int
	// Li is the left side: the players other than I that no one but I
	// dominates.
	Li []int
	// Cands are the candidates left on the right side, a_i = 0 ones first.
	Cands []Candidate
	// Skip says that I's condition holds at every profile where every
	// mu_l <= V (Plan.Cap), or at every profile, and a_I = b for each b
	// with Has[b]: the encoders need no rows for I but the bound that
	// forbids a side without candidates.
	Skip bool
	// Has[b] says I has a candidate for a_I = b: without one, no profile
	// with a_I = b is an equilibrium. UB[b], valid when Has[b] and not
	// Skip, bounds max_{l != I} mu_l at the equilibria with a_I = b.
	UB  [2]int64
	Has [2]bool
}

// Plan is the analysis of a game.
type Plan struct {
	View *View
	// L lists the players no other one dominates (mu_l <= mu_m at every
	// profile; among identical players the lowest index stays); InL
	// marks them.
	L   []int
	InL []bool
	// Lead[i] says whether i may hold the maximum alone: no other player's
	// progress is at least i's at every profile.
	Lead []bool
	// Players has one entry per active player, in View.Active's order.
	Players []Player
	// Nontrivial says a non-trivial profile must open an active player
	// (no null player is fixed open or free).
	Nontrivial bool
	// Cap says that every mu_l <= V at every non-trivial equilibrium.
	Cap bool
	V   int64
}

type analyzer struct {
	v    *View
	opt  Options
	tick func()
	i    int     // the player whose condition is analysed
	qi   int     // its column
	col  []int64 // D[j][i] for every j
	li   []int
	// li sorted by loAt and by hiAt (largest first), per value of a_i,
	// made when first needed.
	byLo, byHi [2][]int
}

// Analyze analyses the game of v. tick, if not nil, is called before
// every pairwise comparison (each O(exceptions)), so that a caller can
// stop a long analysis (by panicking).
func Analyze(v *View, opt Options, tick func()) *Plan {
	if tick == nil {
		tick = func() {}
	}
	if plant == "no-constant" {
		opt.NoConstant = true
	}
	a := &analyzer{v: v, opt: opt, tick: tick}
	k := v.K
	p := &Plan{View: v, InL: make([]bool, k), Lead: make([]bool, k), Nontrivial: !v.AnyFixed && len(v.Free) == 0}
	domCount, dom1 := make([]int8, k), make([]int32, k)
	if opt.NoPrune {
		for l := range k {
			p.Lead[l] = true
		}
	} else {
		a.dominance(domCount, dom1, p.Lead)
	}
	for l := range k {
		if domCount[l] == 0 {
			p.InL[l] = true
			p.L = append(p.L, l)
		}
	}
	n := len(v.Active)
	if n == 0 {
		return p
	}
	p.Players = make([]Player, n)
	holds := make([][2]bool, n)
	V, anyOpen := int64(math.MinInt64), false
	// Side 1 of every player first: V depends on it alone.
	for q, i := range v.Active {
		pl := &p.Players[q]
		pl.I, pl.Li = i, p.L
		if p.InL[i] {
			pl.Li = nil
			for l := range k {
				if l != i && (p.InL[l] || domCount[l] == 1 && int(dom1[l]) == i) {
					pl.Li = append(pl.Li, l)
				}
			}
		}
		a.start(i, pl.Li)
		s1 := a.enumerate(1)
		s1, holds[q][1] = a.prune(1, s1)
		if len(s1) > 0 {
			pl.Has[1], pl.UB[1] = true, a.bound(1, s1)
			anyOpen = true
			u := pl.UB[1]
			if p.InL[i] {
				u = max(u, a.hiAt(i, 1))
			}
			V = max(V, u)
		}
		pl.Cands = s1
	}
	p.Cap, p.V = p.Nontrivial && anyOpen && !opt.NoCap, V
	cover := p.Cap && !opt.NoPrune
	for q, i := range v.Active {
		pl := &p.Players[q]
		a.start(i, pl.Li)
		s1 := pl.Cands
		if cd, ok := covering(s1, V); cover && ok {
			s1, holds[q][1] = []Candidate{cd}, true
		}
		// Side 0 is enumerated only now, and only when the cap does not
		// cover it, so that no more than one player's side is held.
		var s0 []Candidate
		if cd, ok := a.covering0(V); cover && ok {
			s0, holds[q][0] = []Candidate{cd}, true
		} else {
			s0, holds[q][0] = a.prune(0, a.enumerate(0))
		}
		// A side without candidates never holds: the encoders forbid that
		// action (Has), which the player's rows would otherwise do.
		pl.Skip = (holds[q][0] || len(s0) == 0) && (holds[q][1] || len(s1) == 0)
		if len(s0) > 0 {
			pl.Has[0] = true
			if !pl.Skip {
				pl.UB[0] = a.bound(0, s0)
			}
		}
		pl.Cands = append(s0, s1...)
	}
	return p
}

// covering returns a candidate whose h is at least V at every profile.
func covering(side []Candidate, V int64) (Candidate, bool) {
	for _, cd := range side {
		if cd.HMin >= V {
			return cd, true
		}
	}
	return Candidate{}, false
}

// covering0 is covering(a.enumerate(0), V) without the list.
func (a *analyzer) covering0(V int64) (Candidate, bool) {
	v, i := a.v, a.i
	delta := a.col[i]
	for j := range v.K {
		d := a.col[j]
		if e := d - delta; j != i && e >= 0 && e+v.Lo[j]-min(d, 0) >= V {
			return a.candidate(j, 0), true
		}
	}
	return Candidate{}, false
}

// dominance counts, for each player l, its dominators m (mu_l <= mu_m at
// every profile, and m < l or mu_m > mu_l somewhere, so that identical
// players leave the lowest index), up to 2, with the first one; and sets
// lead[l] when no other player's progress is at least l's everywhere.
func (a *analyzer) dominance(count []int8, first []int32, lead []bool) {
	v := a.v
	for l := range v.K {
		lead[l] = true
		for m := range v.K {
			if m == l || v.Lo[l] > v.Lo[m] || v.Hi[l] > v.Hi[m] {
				continue // mu_l <= mu_m everywhere needs both bounds below
			}
			if a.maxDiff(l, m) > 0 {
				continue
			}
			lead[l] = false
			if m < l || a.maxDiff(m, l) > 0 {
				if count[l] == 0 {
					first[l] = int32(m)
				}
				if count[l]++; count[l] == 2 {
					break
				}
			}
		}
	}
}

// maxDiff is the largest value of mu_l - mu_m over all profiles.
func (a *analyzer) maxDiff(l, m int) int64 {
	a.tick()
	_, hi, _ := a.v.spread(l, m, -1, false)
	return a.v.Base[l] - a.v.Base[m] + hi
}

// start makes i the player analysed, with left side li.
func (a *analyzer) start(i int, li []int) {
	a.i, a.qi, a.li = i, int(a.v.Col[i]), li
	a.col = a.v.Column(a.qi, a.col)
	a.byLo, a.byHi = [2][]int{}, [2][]int{}
}

// loAt and hiAt bound mu_l over the profiles with a_i = b.
func (a *analyzer) loAt(l int, b int64) int64 {
	v, d := a.v.Lo[l], a.col[l]
	if b == 1 && d > 0 {
		v += d
	} else if b == 0 && d < 0 {
		v -= d
	}
	return v
}

func (a *analyzer) hiAt(l int, b int64) int64 {
	v, d := a.v.Hi[l], a.col[l]
	if b == 1 && d < 0 {
		v += d
	} else if b == 0 && d > 0 {
		v -= d
	}
	return v
}

// sortedLo and sortedHi return the left side sorted by loAt and by hiAt,
// largest first.
func (a *analyzer) sortedLo(b int64) []int {
	if a.byLo[b] == nil {
		s := slices.Clone(a.li)
		slices.SortStableFunc(s, func(x, y int) int { return cmp.Compare(a.loAt(y, b), a.loAt(x, b)) })
		a.byLo[b] = s
	}
	return a.byLo[b]
}

func (a *analyzer) sortedHi(b int64) []int {
	if a.byHi[b] == nil {
		s := slices.Clone(a.li)
		slices.SortStableFunc(s, func(x, y int) int { return cmp.Compare(a.hiAt(y, b), a.hiAt(x, b)) })
		a.byHi[b] = s
	}
	return a.byHi[b]
}

// enumerate returns player i's candidates j with e_ij >= 0 for a_i = b.
func (a *analyzer) enumerate(b int64) []Candidate {
	v, i := a.v, a.i
	delta := a.col[i]
	var out []Candidate
	for j := range v.K {
		d := a.col[j]
		e := (1 - 2*b) * (d - delta)
		if j == i || e < 0 {
			continue
		}
		out = append(out, a.candidate(j, b))
	}
	return out
}

// candidate returns j as a candidate of player i for a_i = b.
func (a *analyzer) candidate(j int, b int64) Candidate {
	v, d := a.v, a.col[j]
	K := v.Base[j] + d*b + (1-2*b)*(d-a.col[a.i])
	return Candidate{J: j, B: b, K: K,
		HMin: K + v.Lo[j] - v.Base[j] - min(d, 0),
		HMax: K + v.Hi[j] - v.Base[j] - max(d, 0)}
}

// prune applies the pruning rules to one side; holds reports a candidate
// that beats every competitor at every profile (then it alone is left).
func (a *analyzer) prune(b int64, side []Candidate) ([]Candidate, bool) {
	if a.opt.NoPrune {
		return side, false
	}
	side = a.dropBeaten(b, side)
	side = a.dropDominated(side)
	if w, ok := a.alwaysWins(b, side); ok {
		return []Candidate{w}, true
	}
	if !a.opt.NoConstant {
		side = a.constantCovers(b, side)
	}
	return side, false
}

// bound returns an upper bound of max_{l != i} mu_l at the equilibria
// with a_i = b: at least one candidate is the witness there.
func (a *analyzer) bound(b int64, side []Candidate) int64 {
	ub := int64(math.MinInt64)
	for q := range side {
		u := side[q].HMax
		if !a.opt.NoConstant {
			a.witnessMax(b, &side[q], math.MaxInt64)
			u = min(u, side[q].wMax)
		}
		ub = max(ub, u)
	}
	return ub
}

// against returns the least and greatest values of h_ij - mu_l over the
// profiles with a_i = cd.B, and, withGcd, the gcd of its coefficients.
func (a *analyzer) against(cd Candidate, l int, withGcd bool) (lo, hi, g int64) {
	a.tick()
	k0 := cd.K - a.v.Base[l] - a.col[l]*cd.B
	lo, hi, g = a.v.spread(cd.J, l, a.qi, withGcd)
	return k0 + lo, k0 + hi, g
}

// dropBeaten removes the candidates that some competitor exceeds at every
// profile: they are never the witness.
func (a *analyzer) dropBeaten(b int64, side []Candidate) []Candidate {
	anchors := a.sortedLo(b)
	keep := side[:0]
	for _, cd := range side {
		if !a.beaten(b, cd, anchors) {
			keep = append(keep, cd)
		}
	}
	return keep
}

func (a *analyzer) beaten(b int64, cd Candidate, anchors []int) bool {
	for _, m := range anchors {
		if m == cd.J {
			continue
		}
		mLo := a.loAt(m, b)
		switch {
		case cd.HMax < mLo:
			return true
		case cd.HMin >= mLo:
			return false // and so for every later anchor, whose loAt is smaller
		case cd.HMax >= a.hiAt(m, b):
			continue
		}
		if _, hi, _ := a.against(cd, m, false); hi < 0 {
			return true
		}
	}
	return false
}

// dropDominated removes candidates whose h is at most another's at every
// profile (ties broken by position).
func (a *analyzer) dropDominated(side []Candidate) []Candidate {
	// hdiff is the largest value of h_x - h_y.
	hdiff := func(x, y Candidate) int64 {
		a.tick()
		_, hi, _ := a.v.spread(x.J, y.J, a.qi, false)
		return x.K - y.K + hi
	}
	keep := side[:0:0]
	for x, cx := range side {
		dominated := false
		for y, cy := range side {
			if x == y || cx.HMin > cy.HMin || cx.HMax > cy.HMax {
				continue
			}
			if hdiff(cx, cy) <= 0 && (y < x || hdiff(cy, cx) > 0) {
				dominated = true
				break
			}
		}
		if !dominated {
			keep = append(keep, cx)
		}
	}
	return keep
}

// alwaysWins returns a candidate whose h is at least every competitor's
// progress at every profile with a_i = b.
func (a *analyzer) alwaysWins(b int64, side []Candidate) (Candidate, bool) {
	ls := a.sortedHi(b)
	for _, cd := range side {
		wins := true
		for _, l := range ls {
			if cd.HMin >= a.hiAt(l, b) {
				break // and so against every later one
			}
			if lo, _, _ := a.against(cd, l, false); lo < 0 {
				wins = false
				break
			}
		}
		if wins {
			return cd, true
		}
	}
	return Candidate{}, false
}

// witnessMax bounds max_{l != i} mu_l at the profiles (a_i = cd.B) where
// cd is the witness: there every mu_l <= h_ij - margin and mu_l <= its
// bound. It stops as soon as the bound exceeds stop, returning false;
// otherwise it records the bound in cd and returns true.
func (a *analyzer) witnessMax(b int64, cd *Candidate, stop int64) bool {
	if cd.wDone {
		return cd.wMax <= stop
	}
	u := int64(math.MinInt64)
	for _, l := range a.sortedHi(b) {
		v := a.hiAt(l, b)
		if v <= u {
			break // the margin can only lower it, and later ones are smaller
		}
		if lo, hi, g := a.against(*cd, l, true); hi >= 0 {
			// h_ij - mu_l lies in lo + g Z; where it is >= 0 it is >= r.
			r := max(lo, 0)
			if g > 1 {
				r += ((lo-r)%g + g) % g
			}
			v = min(v, cd.HMax-r)
		}
		if u = max(u, v); u > stop {
			return false
		}
	}
	cd.wMax, cd.wDone = u, true
	return true
}

// constantCovers drops candidates that can only be the witness where a
// constant candidate (one whose h depends on no action but i's) is one
// too: the best constant's value is at least every mu_l wherever the
// dropped candidate is a witness, by witnessMax.
func (a *analyzer) constantCovers(b int64, side []Candidate) []Candidate {
	best := -1
	for q, cd := range side {
		if cd.HMin == cd.HMax && (best < 0 || cd.K > side[best].K) {
			best = q
		}
	}
	if best < 0 {
		return side
	}
	H := side[best].K
	keep := side[:0:0]
	for q := range side {
		if q == best || !a.witnessMax(b, &side[q], H) {
			keep = append(keep, side[q])
		}
	}
	return keep
}

// Row is the constraint sum_t W[t] a_{Active[Q[t]]} <= R over the action
// columns.
type Row struct {
	Q []int
	W []int64
	R int64
}

// CapRow returns "mu_l(a) <= V" (Plan.V) as a row over the action columns,
// in the smallest exact form it finds, and false when every profile
// satisfies it.
//
// The row is sum_q w_q a_q <= R (R = V - Base_l). For a step G > 0, write
// each w_q = G h_q + r_q with h_q the nearest integer to w_q/G, and let
// [r0, r1] be the range of sum_q r_q a_q. G·H (H = sum_q h_q a_q) is a
// multiple of G, so when no multiple of G lies in (R - r1, R - r0] the
// small parts can never decide the row, which then reads
// H <= floor((R - r1)/G). A reduction's clause player, whose coefficients
// are 1 on every variable and 1 ± S on its literals, gives the clause
// itself with G = S, saying nothing of the other variables. The steps
// tried are the differences between the row's distinct coefficients (0
// included); the sparsest row that passes wins, and without one the row is
// mu_l's, divided by the gcd of its coefficients.
func (p *Plan) CapRow(l int) (Row, bool) {
	v := p.View
	if v.Hi[l] <= p.V {
		return Row{}, false
	}
	var full Row
	var G int64
	v.Terms(l, func(q int, w int64) {
		full.Q = append(full.Q, q)
		full.W = append(full.W, w)
		G = gcd(G, abs(w))
	})
	full.R = p.V - v.Base[l]
	best := reduce(full, G)
	vals := []int64{0}
	for _, w := range full.W {
		if !slices.Contains(vals, w) {
			if vals = append(vals, w); len(vals) > maxSteps {
				break // a dense row of many values: no step is likely
			}
		}
	}
	for x, a := range vals {
		for _, b := range vals[x+1:] {
			if r, ok := stepped(full, abs(a-b)); ok && len(r.Q) < len(best.Q) {
				best = r
			}
		}
	}
	return best, true
}

// maxSteps bounds the distinct coefficients whose differences CapRow tries
// as steps.
const maxSteps = 12

// stepped is CapRow's rewriting of r with step G, if the gap allows it.
func stepped(r Row, G int64) (Row, bool) {
	var r0, r1, g int64
	hs := make([]int64, len(r.W))
	for t, w := range r.W {
		h := floorDiv(2*w+G, 2*G) // nearest, halves up
		rest := w - G*h
		r0, r1 = r0+min(rest, 0), r1+max(rest, 0)
		hs[t] = h
		g = gcd(g, abs(h))
	}
	if floorDiv(r.R-r0, G)*G > r.R-r1 {
		return Row{}, false // a multiple of G in (R - r1, R - r0]
	}
	out := Row{R: floorDiv(r.R-r1, G)}
	for t, h := range hs {
		if h != 0 {
			out.Q = append(out.Q, r.Q[t])
			out.W = append(out.W, h)
		}
	}
	return reduce(out, g), true
}

// reduce returns r divided by g, a common divisor of its coefficients (0:
// none); r itself is left as it is.
func reduce(r Row, g int64) Row {
	if g > 1 {
		w := make([]int64, len(r.W))
		for t := range r.W {
			w[t] = r.W[t] / g
		}
		r.W, r.R = w, floorDiv(r.R, g)
	}
	return r
}

// floorDiv returns floor(x/y) for y > 0.
func floorDiv(x, y int64) int64 {
	q := x / y
	if x%y != 0 && x < 0 {
		q--
	}
	return q
}
