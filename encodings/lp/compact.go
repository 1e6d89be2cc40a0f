package lp

import (
	"context"
	"fmt"
	"slices"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/prune"
)

// CompactOptions switch parts of the compact model off, to measure what
// they are worth (BuildCompact); the zero value is the model of Build.
type CompactOptions struct {
	UnionCuts  bool // add the McCormick rows of each column's groups together
	NoPrune    bool // keep every candidate with e >= 0 and every player on the left
	NoCommon   bool // no common coefficient: every nonzero D[j][p] gets a group
	NoConstant bool // no pruning by constant candidates, no bounds of z from witnesses
	NoZCuts    bool // no cap and no bound rows on z from the witnesses' values
	NoCapRows  bool // the cap through Z even when no player needs rows
}

// compact builds nashbench's own formulation. Its integer points are the
// same as Paper's (projected on the actions, null players fixed), but only
// the actions are integer and the LP relaxation is exact once the actions are
// integral, so branch and bound never branches on anything else. It never
// looks at a formula: every step below holds for any game. Which players
// need rows, and which competitors each one's rows mention, comes from
// package prune (Lemma 1 rewritten as max_{l!=i} mu_l(a) <= max_{j!=i}
// h_ij(a), with h_ij(a) = mu_j(a^(i)) + (2a_i - 1) delta_i; dominated
// players and competitors dropped; the cap V on all progress at
// non-trivial equilibria).
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
//   - Left-hand max: one column Z >= mu_l(a) for every l of L (the players
//     no other one dominates). Players that are dominated share Z, since
//     then max_{l!=i} = max_l; the others get their own z_i over L_i.
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
//   - Bounds on z: z_i <= U_i^0 (1 - a_i) + U_i^1 a_i, with U_i^b the largest
//     witness bound for a_i = b. With the non-triviality row, some a_i = 1,
//     so max_l mu_l <= V at every non-trivial equilibrium: V caps the shared
//     Z. Players whose condition holds wherever the cap does get no rows.
//     When no player needs rows, Z has no other use, and the cap is written
//     as one row "mu_l <= V" per l of L in the smallest exact form
//     (prune.Plan.CapRow): on reduction games, the clauses of the formula,
//     n binaries and one row per clause that the cap does not already
//     satisfy.
//
//   - Non-triviality: sum_p a_p >= 1, unless some null player is fixed open
//     (every profile is non-trivial) or a free null player exists (opening
//     it keeps any equilibrium an equilibrium).
//
// It stops early as the stopper says (see buildWithin).
func compact(ctx context.Context, g *game.Game, opt CompactOptions) (*Formulation, error) {
	g, err := checkGame(g)
	if err != nil {
		return nil, err
	}
	k := g.Players()
	stop := newStopper(ctx, "compact")
	v := prune.NewView(g)
	f := &Formulation{Name: "compact", k: k, action: make([]int, k), fixed: slices.Clone(v.Fixed), free: v.Free, anyFixed: v.AnyFixed}
	for i := range k {
		f.action[i] = -1
	}
	b := newBuilder(ctx, "compact")
	if len(v.Active) == 0 {
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
	for _, p := range v.Active {
		f.action[p] = b.col(fmt.Sprintf("a%d", p+1), 0, 1, true)
	}
	pl := prune.Analyze(v, prune.Options{NoPrune: opt.NoPrune, NoConstant: opt.NoConstant, NoCap: opt.NoZCuts},
		func() { stop.tick(0, 0, 0) })
	c := &compactBuilder{v: v, b: b, f: f, opt: opt}
	m := &generalModel{v: v, pl: pl, b: b, f: f} // the rows compact shares with pairwise and top2
	allSkip := true
	for _, pp := range pl.Players {
		allSkip = allSkip && pp.Skip
	}
	var zCol int
	var zHi int64
	switch {
	case pl.Cap && allSkip && !opt.NoCapRows:
		m.capRows()
		zCol = -1
	case pl.Cap:
		zCol, zHi = c.zColumn("zmax", pl.L, pl)
		c.maxRows(zCol, "", pl.L)
	default:
		zCol = -1
	}
	for _, pp := range pl.Players {
		if m.skip(pp) {
			continue
		}
		i := pp.I
		var z int
		var zh int64
		if pl.InL[i] {
			z, zh = c.zColumn(fmt.Sprintf("z%d", i+1), pp.Li, pl)
			c.maxRows(z, fmt.Sprint(i+1), pp.Li)
		} else {
			if zCol < 0 {
				zCol, zHi = c.zColumn("zmax", pl.L, pl)
				c.maxRows(zCol, "", pl.L)
			}
			z, zh = zCol, zHi
		}
		if !opt.NoZCuts {
			// z <= ub0 (1 - a_i) + ub1 a_i, from the witnesses' bounds.
			ai := f.action[i]
			name := fmt.Sprintf("zcut%d", i+1)
			switch {
			case pp.Has[0] && pp.Has[1] && (pp.UB[0] < zh || pp.UB[1] < zh):
				u0, u1 := min(pp.UB[0], zh), min(pp.UB[1], zh)
				b.le(name, u0, term{z, 1}, term{ai, u0 - u1})
			case pp.Has[0] && !pp.Has[1] && pp.UB[0] < zh:
				b.le(name, pp.UB[0], term{z, 1})
			case pp.Has[1] && !pp.Has[0] && pp.UB[1] < zh:
				b.le(name, pp.UB[1], term{z, 1})
			}
		}
		c.player(i, z, pp.Cands)
	}
	return m.finish()
}

type compactBuilder struct {
	v   *prune.View
	b   *builder
	f   *Formulation
	opt CompactOptions
	col []int64 // scratch: a column of D
}

// zColumn adds a column bounded by the progress of the players ls can
// reach, and by V under the cap.
func (c *compactBuilder) zColumn(name string, ls []int, pl *prune.Plan) (int, int64) {
	zl, zh := c.v.Lo[ls[0]], c.v.Hi[ls[0]]
	for _, l := range ls[1:] {
		zl, zh = max(zl, c.v.Lo[l]), max(zh, c.v.Hi[l])
	}
	if !pl.Cap {
		return c.b.col(name, zl, zh, false), zh
	}
	zh = max(min(zh, pl.V), zl)
	z := c.b.col(name, zl, zh, false)
	if zl > pl.V {
		// Some mu_l exceeds V everywhere: no non-trivial equilibrium,
		// which the cap must still say (players it covers have no rows).
		c.b.le(name+"_cap", pl.V, term{z, 1})
	}
	return z, zh
}

// maxRows adds z >= mu_l(a) for each l of ls.
func (c *compactBuilder) maxRows(z int, tag string, ls []int) {
	for _, l := range ls {
		t := []term{{z, 1}}
		c.v.Terms(l, func(q int, w int64) {
			t = append(t, term{c.f.action[c.v.Active[q]], -w})
		})
		c.b.ge(fmt.Sprintf("max%s_%d", tag, l+1), c.v.Base[l], t...)
	}
}

// player adds player i's selectors, products and its condition row.
func (c *compactBuilder) player(i, z int, cands []prune.Candidate) {
	b, f, v := c.b, c.f, c.v
	ai := f.action[i]
	y := make([]int, len(cands))
	var sum [2][]term
	for q, cd := range cands {
		y[q] = b.col(fmt.Sprintf("y%d_%d_%d", i+1, cd.J+1, cd.B), 0, 1, false)
		sum[cd.B] = append(sum[cd.B], term{y[q], 1})
	}
	b.eq(fmt.Sprintf("side%d_0", i+1), 1, append(sum[0], term{ai, 1})...)
	b.eq(fmt.Sprintf("side%d_1", i+1), 0, append(sum[1], term{ai, -1})...)

	// The condition row: z - sum K y - sum c_p a_p - sum E U <= 0.
	row := []term{{z, 1}}
	for q, cd := range cands {
		row = append(row, term{y[q], -cd.K})
	}
	count := map[int64]int{}
	for qp, p := range v.Active {
		if p == i {
			continue
		}
		c.col = v.Column(qp, c.col)
		var common int64
		if !c.opt.NoCommon {
			clear(count)
			best := 0
			for _, cd := range cands {
				x := c.col[cd.J]
				count[x]++
				if n := count[x]; n > best || n == best && x == 0 {
					common, best = x, n
				}
			}
		}
		if common != 0 {
			row = append(row, term{f.action[p], -common})
		}
		groups := map[int64][]term{}
		for q, cd := range cands {
			if E := c.col[cd.J] - common; E != 0 {
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
		if len(Es) >= 2 && c.opt.UnionCuts {
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
