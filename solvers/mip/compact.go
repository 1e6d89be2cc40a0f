package mip

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/nashbench/nashbench/game"
)

// compactFormulation builds nashbench's own formulation. Its integer points are the
// same as Paper's (projected on the actions, null players fixed), but only
// the actions are integer and the LP relaxation is exact once the actions are
// integral, so branch and bound never branches on anything else. It never
// looks at a formula: every step below holds for any game.
//
// Lemma 1, rewritten. Write s = 2a_i - 1. Player i cannot gain by flipping
// iff max_{l!=i} mu_l(a) <= max_{j!=i} h_ij(a), where
//
//	h_ij(a) = mu_j(a^(i)) + s delta_i = mu_j(a) + e_ij,  e_ij = (1 - 2a_i)(D[j][i] - delta_i).
//
// With a_i = b fixed, h_ij is affine in the other actions. Since mu_j(a) is
// itself part of the left-hand max, j can only be the witness on the right
// when e_ij >= 0; the others are dropped for that value of a_i.
//
// The model:
//
//   - Actions: one binary a_p per player p that is not null. A null player
//     (nobody's progress depends on it) is fixed at its best response: open
//     when delta > 0, closed when delta < 0, and closed when delta = 0, where
//     either action is a best response that changes no payoff (the decoded
//     witness opens such a "free" player when it needs a non-trivial profile).
//     A null player's own condition always holds, so it has no rows.
//
//   - Left-hand max: one column Z >= mu_l(a) for every l not dominated by
//     another player (mu_l <= mu_m at every profile, found from exact bounds
//     of mu_l - mu_m, not of each alone). Players that are dominated share Z,
//     since then max_{l!=i} = max_l; the others get their own z_i.
//
//   - Right-hand max, per player i and value b of a_i: continuous selectors
//     y_ij^b >= 0 over the candidates j, with sum_j y_ij^0 = 1 - a_i and
//     sum_j y_ij^1 = a_i, and the row
//
//     z_i <= sum_{b,j} y_ij^b h_ij(a | a_i = b).
//
//     The right side is a convex combination of the candidates' values, so at
//     integral actions it is at most their max and reaches it: exact. The
//     products y·a_p are linearised: each column p contributes c_p a_p for its
//     most common coefficient c_p among the candidates (exact, as the y sum to
//     1), and the candidates whose coefficient differs by the same E share one
//     product variable U = a_p · sum_{j in group} y_j with its McCormick rows
//     (U <= a_p and U <= sum y when E > 0, U >= sum y + a_p - 1 when E < 0),
//     which is both smaller and tighter than a product per candidate.
//
//   - Candidates are pruned when e_ij < 0, when h_ij falls below some mu_m
//     (m != i) at every profile, or when another candidate's h is at least as
//     large at every profile; a candidate that beats every competitor at every
//     profile makes the others unnecessary, and a player whose condition holds
//     at every profile gets no rows at all.
//
//   - Integer rounding: h_ij - mu_l is an integer affine function of the
//     actions, so where it is >= 0 it is >= r_jl, the least value >= 0 in
//     its residue class modulo the gcd of its coefficients. Where j is the
//     witness, every mu_l <= h_ij - r_jl, which bounds the left-hand max
//     there (witnessMax). A candidate whose bound is at most the value of a
//     constant candidate (whose h depends on no other action, like the
//     reduction's switch player) is the witness only where that constant is
//     one too, and is dropped.
//
//   - Bounds on z: z_i <= U_i^0 (1 - a_i) + U_i^1 a_i, with U_i^b the largest
//     witness bound for a_i = b. With the non-triviality row, some a_i = 1,
//     so max_l mu_l <= V = max_i U_i^1 (or mu_i's own bound) at every
//     non-trivial equilibrium: V caps the shared Z. A side of a player's
//     condition that has a candidate with h >= V at every profile then holds
//     wherever the cap does, and a player with both sides so gets no rows.
//     On reduction games this leaves the clause rows "mu_C <= switch" and
//     nothing else: 20 binaries and 93 rows for 20 variables, 91 clauses.
//
//   - Non-triviality: sum_p a_p >= 1, unless some null player is fixed open
//     (every profile is non-trivial) or a free null player exists (opening
//     it keeps any equilibrium an equilibrium).
//
// compactFormulation refuses games whose normalized progress spread exceeds
// CompactRange, where HiGHS may decide them wrongly.
func compactFormulation(g *game.Game) (*Formulation, error) {
	n, err := inRange(g, "highs-compact", CompactRange)
	if err != nil {
		return nil, err
	}
	return compact(context.Background(), n, defaultCompact)
}

// compactOptions switch parts of Compact off, to measure what they are worth.
type compactOptions struct {
	unionCuts  bool // add the McCormick rows of each column's groups together
	noPrune    bool // keep every candidate with e >= 0 and every player on the left
	noCommon   bool // no common coefficient: every nonzero D[j][p] gets a group
	noConstant bool // no pruning by constant candidates, no bounds of z from witnesses
	noZCuts    bool // no bound rows on z from the witnesses' values
}

var defaultCompact = compactOptions{}

// pairBudget caps the work spent on pairwise dominance checks (each costs
// one pass over the actions); beyond it only the strongest competitors are
// compared.
var pairBudget = 1 << 27

type compactBuilder struct {
	g    *game.Game
	rows [][]int64 // D, read in the inner loops
	opt  compactOptions
	k    int
	P    []int   // players with an action column
	base []int64 // mu_j with every action column closed and fixed players at theirs
	lo   []int64 // bounds of mu_j over the action columns
	hi   []int64
	stop stopper // see limits.go; ticked by the pairwise comparisons
}

// diff returns the largest (upper) or smallest value over the action
// columns of (mu_j + cj) - (mu_m + cm), where j's and m's coefficients in
// column fix, if fix >= 0, are taken at the value fb. It cannot overflow:
// checkGame keeps every entry within 2^53 and at most 2^14 players.
func (c *compactBuilder) diff(j, m int, fix int, fb int64, upper bool) int64 {
	c.stop.tick(0, 0, 0)
	s := c.base[j] - c.base[m]
	dj, dm := c.rows[j], c.rows[m]
	for _, p := range c.P {
		d := dj[p] - dm[p]
		switch {
		case p == fix:
			s += fb * d
		case upper && d > 0, !upper && d < 0:
			s += d
		}
	}
	return s
}

// candidate is a possible witness j on the right-hand side for a_i = b.
type candidate struct {
	j    int
	b    int64
	K    int64 // h_ij(a | a_i = b) with every other action closed
	hMin int64
	hMax int64
	// wMax bounds max_{l!=i} mu_l where j is the witness (witnessMax),
	// once wDone.
	wMax  int64
	wDone bool
}

// compact stops early as buildWithin says.
func compact(ctx context.Context, g *game.Game, opt compactOptions) (*Formulation, error) {
	g, err := checkGame(g)
	if err != nil {
		return nil, err
	}
	k := g.Players()
	rows, base := g.Matrix()
	c := &compactBuilder{g: g, rows: rows, base: base, opt: opt, k: k, lo: make([]int64, k), hi: make([]int64, k), stop: newStopper(ctx, "compact")}
	f := &Formulation{Name: "compact", k: k, action: make([]int, k), fixed: make([]bool, k)}
	for i := range k {
		f.action[i] = -1
		switch {
		case !g.Null(i):
			c.P = append(c.P, i)
		case g.Delta(i) > 0:
			f.fixed[i], f.anyFixed = true, true
		case g.Delta(i) == 0:
			f.free = append(f.free, i)
		}
	}
	for j := range k {
		for q := range k {
			if f.fixed[q] {
				c.base[j] += g.Entry(j, q)
			}
		}
		c.lo[j], c.hi[j] = c.base[j], c.base[j]
		for _, p := range c.P {
			if v := g.Entry(j, p); v < 0 {
				c.lo[j] += v
			} else {
				c.hi[j] += v
			}
		}
	}
	b := newBuilder(ctx, "compact")
	if len(c.P) == 0 {
		// Every player is null: the fixed profile is the only equilibrium
		// up to free players. One fixed column carries the answer.
		yes := int64(0)
		if f.anyFixed || len(f.free) > 0 {
			yes = 1
		}
		col := b.col("nontrivial", yes, yes, true)
		b.ge("nontrivial", 1, term{col, 1})
		f.Model, f.Cols, f.Rows = &b.m, b.cols, b.rows
		return f, b.err
	}
	for _, p := range c.P {
		f.action[p] = b.col(fmt.Sprintf("a%d", p+1), 0, 1, true)
	}
	dom := c.dominators()
	inL := make([]bool, k)
	var L []int
	for l := range k {
		if len(dom[l]) == 0 {
			inL[l] = true
			L = append(L, l)
		}
	}
	// Per player: its competitors on the left (L_i: the players other than i
	// that no one but i dominates) and its candidates on the right.
	type plan struct {
		i     int
		Li    []int
		cands []candidate
		skip  bool
		ub    [2]int64
		has   [2]bool
	}
	nontrivial := !f.anyFixed && len(f.free) == 0
	var plans []plan
	// At a non-trivial equilibrium some a_i = 1, and then the max of all
	// progress is at most V (the witnesses' bound, or mu_i's own).
	V, anyOpen := int64(math.MinInt64), false
	for _, i := range c.P {
		pl := plan{i: i, Li: L}
		if inL[i] {
			pl.Li = nil
			for l := range k {
				if l != i && (inL[l] || len(dom[l]) == 1 && dom[l][0] == i) {
					pl.Li = append(pl.Li, l)
				}
			}
		}
		pl.cands, pl.skip, pl.ub, pl.has = c.candidates(i, pl.Li)
		if pl.has[1] {
			anyOpen = true
			v := pl.ub[1]
			if inL[i] {
				v = max(v, c.hiAt(i, i, 1))
			}
			V = max(V, v)
		}
		plans = append(plans, pl)
	}
	cap := nontrivial && anyOpen && !c.opt.noZCuts
	if cap && !c.opt.noPrune {
		// Every non-trivial equilibrium has all progress <= V, so a
		// candidate whose h is >= V at every profile makes its side of the
		// condition hold there; with both sides so, the player needs no
		// rows (the cap on Z below stands in for its condition).
		for q := range plans {
			pl := &plans[q]
			if pl.skip {
				continue
			}
			holds := 0
			var keep []candidate
			for bv := int64(0); bv <= 1; bv++ {
				var side []candidate
				for _, cd := range pl.cands {
					if cd.b == bv {
						side = append(side, cd)
					}
				}
				for _, cd := range side {
					if cd.hMin >= V {
						side = []candidate{cd}
						holds++
						break
					}
				}
				keep = append(keep, side...)
			}
			pl.cands, pl.skip = keep, holds == 2
		}
	}
	// Z: the max over every player, shared by dominated players.
	zCol := -1
	maxRows := func(z int, tag string, ls []int) {
		for _, l := range ls {
			t := []term{{z, 1}}
			for _, p := range c.P {
				if v := g.Entry(l, p); v != 0 {
					t = append(t, term{f.action[p], -v})
				}
			}
			b.ge(fmt.Sprintf("max%s_%d", tag, l+1), c.base[l], t...)
		}
	}
	zColumn := func(name string, ls []int) (int, int64) {
		zl, zh := c.lo[ls[0]], c.hi[ls[0]]
		for _, l := range ls[1:] {
			zl, zh = max(zl, c.lo[l]), max(zh, c.hi[l])
		}
		if cap {
			// V >= zl: a witness's bound is at least every mu_l it must
			// reach, the largest lower bound among them included.
			zh = max(min(zh, V), zl)
		}
		return b.col(name, zl, zh, false), zh
	}
	var zHi int64
	if cap {
		zCol, zHi = zColumn("zmax", L)
		maxRows(zCol, "", L)
	}
	for _, pl := range plans {
		if pl.skip {
			continue
		}
		i := pl.i
		var z int
		var zh int64
		if inL[i] {
			z, zh = zColumn(fmt.Sprintf("z%d", i+1), pl.Li)
			maxRows(z, fmt.Sprint(i+1), pl.Li)
		} else {
			if zCol < 0 {
				zCol, zHi = zColumn("zmax", L)
				maxRows(zCol, "", L)
			}
			z, zh = zCol, zHi
		}
		if !c.opt.noZCuts {
			// z <= ub0 (1 - a_i) + ub1 a_i, from the witnesses' bounds.
			ai := f.action[i]
			name := fmt.Sprintf("zcut%d", i+1)
			switch {
			case pl.has[0] && pl.has[1] && (pl.ub[0] < zh || pl.ub[1] < zh):
				u0, u1 := min(pl.ub[0], zh), min(pl.ub[1], zh)
				b.le(name, u0, term{z, 1}, term{ai, u0 - u1})
			case pl.has[0] && !pl.has[1] && pl.ub[0] < zh:
				b.le(name, pl.ub[0], term{z, 1})
			case pl.has[1] && !pl.has[0] && pl.ub[1] < zh:
				b.le(name, pl.ub[1], term{z, 1})
			}
		}
		c.player(b, f, i, z, pl.cands)
	}
	if nontrivial {
		t := make([]term, 0, len(c.P))
		for _, p := range c.P {
			t = append(t, term{f.action[p], 1})
		}
		b.ge("nontrivial", 1, t...)
	}
	if b.err != nil {
		return nil, b.err
	}
	f.Model, f.Cols, f.Rows = &b.m, b.cols, b.rows
	return f, nil
}

// dominators lists, for each player l, players m != l with mu_l <= mu_m at
// every profile (ties between identical players broken by index, so that the
// relation is a strict order and one of them survives).
func (c *compactBuilder) dominators() [][]int {
	k := c.k
	dom := make([][]int, k)
	if c.opt.noPrune {
		return dom
	}
	// Beyond the budget, only the players with the highest lower bounds
	// are tried as dominators.
	ms := make([]int, k)
	for m := range ms {
		ms[m] = m
	}
	if k*k*len(c.P) > pairBudget {
		slices.SortStableFunc(ms, func(x, y int) int { return cmp.Compare(c.lo[y], c.lo[x]) })
		ms = ms[:min(k, 32)]
	}
	for l := range k {
		for _, m := range ms {
			if m == l || c.lo[l] > c.lo[m] || c.hi[l] > c.hi[m] {
				continue // mu_l <= mu_m everywhere needs both bounds below
			}
			if c.diff(l, m, -1, 0, true) > 0 {
				continue
			}
			if m < l || c.diff(m, l, -1, 0, true) > 0 {
				dom[l] = append(dom[l], m)
			}
		}
	}
	return dom
}

// candidates returns the right-hand candidates of player i for both values
// of a_i, pruned; whether i's condition holds at every profile; and, per
// value b of a_i with any candidate, an upper bound of max_{l!=i} mu_l at
// the equilibria with a_i = b (ub[b], valid when has[b]).
func (c *compactBuilder) candidates(i int, Li []int) (out []candidate, skip bool, ub [2]int64, has [2]bool) {
	g := c.g
	delta := g.Delta(i)
	// Competitors tried for pruning: all of L_i within the budget, else
	// those with the highest lower bounds.
	anchors := Li
	exact := len(c.P)*len(c.P)*c.k*len(Li) <= pairBudget
	if !exact {
		anchors = slices.Clone(Li)
		slices.SortStableFunc(anchors, func(x, y int) int { return cmp.Compare(c.lo[y], c.lo[x]) })
		anchors = anchors[:min(len(anchors), 16)]
	}
	holds := 0 // values of a_i at which the condition always holds
	for bv := int64(0); bv <= 1; bv++ {
		var side []candidate
		for j := range c.k {
			if j == i {
				continue
			}
			e := (1 - 2*bv) * (g.Entry(j, i) - delta)
			if e < 0 {
				continue
			}
			cd := candidate{j: j, b: bv, K: c.base[j] + g.Entry(j, i)*bv + e}
			cd.hMin, cd.hMax = cd.K, cd.K
			for _, p := range c.P {
				if p == i {
					continue
				}
				if v := g.Entry(j, p); v < 0 {
					cd.hMin += v
				} else {
					cd.hMax += v
				}
			}
			if !c.opt.noPrune && c.beaten(cd, i, anchors) {
				continue
			}
			side = append(side, cd)
		}
		if !c.opt.noPrune {
			side = c.dropDominated(side, i)
			if w, ok := c.alwaysWins(side, i, Li); ok {
				side = []candidate{w}
				holds++
			} else if exact && !c.opt.noConstant {
				side = c.constantCovers(side, i, Li)
			}
		}
		if len(side) > 0 {
			has[bv] = true
			ub[bv] = math.MinInt64
			for q := range side {
				u := side[q].hMax
				if exact && !c.opt.noConstant {
					c.witnessMax(&side[q], i, Li, math.MaxInt64)
					u = min(u, side[q].wMax)
				}
				ub[bv] = max(ub[bv], u)
			}
		}
		out = append(out, side...)
	}
	return out, holds == 2, ub, has
}

// hiAt is the largest mu_l over the action columns with a_i = b.
func (c *compactBuilder) hiAt(l, i int, b int64) int64 {
	v := c.hi[l]
	if d := c.g.Entry(l, i); b == 1 && d < 0 {
		v += d
	} else if b == 0 && d > 0 {
		v -= d
	}
	return v
}

// loAt is the least mu_l over the action columns with a_i = b.
func (c *compactBuilder) loAt(l, i int, b int64) int64 {
	v := c.lo[l]
	if d := c.g.Entry(l, i); b == 1 && d > 0 {
		v += d
	} else if b == 0 && d < 0 {
		v -= d
	}
	return v
}

// margin returns the least value that h_ij - mu_l takes at a profile with
// a_i = b where it is not negative: both are integer affine functions of
// the other actions, so the difference lies in const + gcd·Z, and it is at
// least its minimum over the cube. ok is false when it is negative at every
// profile (j is then never the witness).
func (c *compactBuilder) margin(cd candidate, i, l int) (r int64, ok bool) {
	c.stop.tick(0, 0, 0)
	dj, dl := c.rows[cd.j], c.rows[l]
	k0 := cd.K - c.base[l] - dl[i]*cd.b
	lo, hi, gcd := k0, k0, int64(0)
	for _, p := range c.P {
		if p == i {
			continue
		}
		d := dj[p] - dl[p]
		if d < 0 {
			lo += d
		} else {
			hi += d
		}
		if gcd != 1 {
			gcd = gcdOf(gcd, abs(d))
		}
	}
	if hi < 0 {
		return 0, false
	}
	r = max(lo, 0)
	if gcd > 1 {
		// The least value >= r congruent to k0 modulo gcd.
		m := ((k0-r)%gcd + gcd) % gcd
		r += m
	}
	return r, true
}

func gcdOf(x, y int64) int64 {
	for y != 0 {
		x, y = y, x%y
	}
	return x
}

// witnessMax bounds max_{l != i} mu_l at the profiles (a_i = cd.b) where
// cd is the witness: then every mu_l <= h_ij - margin and mu_l <= its bound.
//
// It stops as soon as the bound exceeds stop, returning false; otherwise it
// records the bound in cd.wMax and returns true.
func (c *compactBuilder) witnessMax(cd *candidate, i int, Li []int, stop int64) bool {
	if cd.wDone {
		return cd.wMax <= stop
	}
	u := int64(math.MinInt64)
	for _, l := range Li {
		v := c.hiAt(l, i, cd.b)
		if v <= u {
			continue // the margin can only lower it
		}
		if r, ok := c.margin(*cd, i, l); ok {
			v = min(v, cd.hMax-r)
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
func (c *compactBuilder) constantCovers(side []candidate, i int, Li []int) []candidate {
	best := -1
	for q, cd := range side {
		if cd.hMin == cd.hMax && (best < 0 || cd.K > side[best].K) {
			best = q
		}
	}
	if best < 0 {
		return side
	}
	H := side[best].K
	keep := side[:0:0]
	for q := range side {
		if q == best || !c.witnessMax(&side[q], i, Li, H) {
			keep = append(keep, side[q])
		}
	}
	return keep
}

// beaten reports whether some competitor m exceeds h_ij at every profile
// with a_i = cd.b, so that j is never the witness.
func (c *compactBuilder) beaten(cd candidate, i int, anchors []int) bool {
	for _, m := range anchors {
		if m == i || m == cd.j {
			continue
		}
		// From separate bounds: enough when h's max is below mu_m's min;
		// impossible unless h's max and min are below mu_m's.
		mLo := c.loAt(m, i, cd.b)
		if cd.hMax < mLo {
			return true
		}
		if cd.hMax >= c.hiAt(m, i, cd.b) || cd.hMin >= mLo {
			continue
		}
		if cd.K-c.base[cd.j]-c.g.Entry(cd.j, i)*cd.b+c.diff(cd.j, m, i, cd.b, true) < 0 {
			return true
		}
	}
	return false
}

// dropDominated removes candidates whose h is at most another's at every
// profile (ties broken by index).
func (c *compactBuilder) dropDominated(side []candidate, i int) []candidate {
	if len(side)*len(side)*len(c.P) > pairBudget {
		return side
	}
	// hdiff is max over profiles of h_x - h_y (with a_i = b for both).
	hdiff := func(x, y candidate) int64 {
		return x.K - y.K - (c.base[x.j] + c.g.Entry(x.j, i)*x.b) + (c.base[y.j] + c.g.Entry(y.j, i)*y.b) +
			c.diff(x.j, y.j, i, x.b, true)
	}
	keep := side[:0:0]
	for x, cx := range side {
		dominated := false
		for y, cy := range side {
			if x == y || cx.hMin > cy.hMin || cx.hMax > cy.hMax {
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
func (c *compactBuilder) alwaysWins(side []candidate, i int, Li []int) (candidate, bool) {
	if len(side)*len(Li)*len(c.P) > pairBudget {
		return candidate{}, false
	}
	for _, cd := range side {
		wins := true
		for _, l := range Li {
			// min over profiles of h_ij - mu_l.
			d := cd.K - c.base[cd.j] - c.g.Entry(cd.j, i)*cd.b + c.diff(cd.j, l, i, cd.b, false)
			if d < 0 {
				wins = false
				break
			}
		}
		if wins {
			return cd, true
		}
	}
	return candidate{}, false
}

// player adds player i's selectors, products and its condition row.
func (c *compactBuilder) player(b *builder, f *Formulation, i, z int, cands []candidate) {
	g := c.g
	ai := f.action[i]
	y := make([]int, len(cands))
	var sum [2][]term
	for q, cd := range cands {
		y[q] = b.col(fmt.Sprintf("y%d_%d_%d", i+1, cd.j+1, cd.b), 0, 1, false)
		sum[cd.b] = append(sum[cd.b], term{y[q], 1})
	}
	b.eq(fmt.Sprintf("side%d_0", i+1), 1, append(sum[0], term{ai, 1})...)
	b.eq(fmt.Sprintf("side%d_1", i+1), 0, append(sum[1], term{ai, -1})...)

	// The condition row: z - sum K y - sum c_p a_p - sum E U <= 0.
	row := []term{{z, 1}}
	for q, cd := range cands {
		row = append(row, term{y[q], -cd.K})
	}
	count := map[int64]int{}
	for _, p := range c.P {
		if p == i {
			continue
		}
		var common int64
		if !c.opt.noCommon {
			clear(count)
			best := 0
			for _, cd := range cands {
				v := g.Entry(cd.j, p)
				count[v]++
				if n := count[v]; n > best || n == best && v == 0 {
					common, best = v, n
				}
			}
		}
		if common != 0 {
			row = append(row, term{f.action[p], -common})
		}
		groups := map[int64][]term{}
		for q, cd := range cands {
			if E := g.Entry(cd.j, p) - common; E != 0 {
				groups[E] = append(groups[E], term{y[q], -1})
			}
		}
		Es := make([]int64, 0, len(groups))
		for E := range groups {
			Es = append(Es, E)
		}
		slices.Sort(Es)
		var us, ys []term
		pos, neg := false, false
		for n, E := range Es {
			u := b.col(fmt.Sprintf("u%d_%d_%d", i+1, p+1, n+1), 0, 1, false)
			ap := term{f.action[p], -1}
			name := fmt.Sprintf("mc%d_%d_%d", i+1, p+1, n+1)
			if E > 0 {
				pos = true
				b.le(name+"a", 0, term{u, 1}, ap)
				b.le(name+"y", 0, append([]term{{u, 1}}, groups[E]...)...)
			} else {
				neg = true
				b.ge(name, -1, append([]term{{u, 1}, ap}, groups[E]...)...)
			}
			row = append(row, term{u, -E})
			us = append(us, term{u, 1})
			ys = append(ys, groups[E]...)
		}
		if len(Es) >= 2 && c.opt.unionCuts {
			name := fmt.Sprintf("mc%d_%d", i+1, p+1)
			if pos {
				b.le(name+"a", 0, append(us, term{f.action[p], -1})...)
			}
			if neg {
				b.ge(name+"y", -1, append(append(slices.Clone(us), term{f.action[p], -1}), ys...)...)
			}
		}
	}
	b.le(fmt.Sprintf("nash%d", i+1), 0, row...)
}
