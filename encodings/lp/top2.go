package lp

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/nashbench/nashbench/game"
)

// top2 builds the top-two formulation (highs-top2, export --formulation
// top2): the rivals' maximum of every player through two continuous
// columns, the top T and the second S of all progress, and a leader
// one-hot, instead of a column z_i per player that may lead (compact) or a
// row per rival (pairwise).
//
//   - actions, null players, the cap rows and the non-triviality row as in
//     the pairwise model;
//   - T >= mu_l(a) for every l of L (the players no one dominates), T
//     between the largest least and the largest greatest progress of L,
//     at most V under the cap;
//   - leaders: a binary x_i for each player i that may hold the maximum
//     alone (prune.Plan.Lead) and needs rows, sum x_i <= 1; then S >=
//     mu_l(a) - (hi_l - lo_S) x_l for every l of U (L and the left sides
//     L_i of the leaders), the x term only for the leaders: S bounds every
//     player of U but the one leader;
//   - per player i that needs rows and candidate witness (j, b) of package
//     prune: a binary s with s -> a_i = b as in the pairwise model, and
//     T <= h_ij(a) + M (1 - s) (+ M x_i when i may lead), and when i may
//     lead S <= h_ij(a) + M (1 - s), with M = hi_T - min h_ij, and per
//     action b the row sum of its selectors >= [a_i = b].
//
// Exact: at any integral point, a player i with x_i = 1 has every other
// x_l = 0, so S >= mu_l for every l of U but i, which holds L_i, and
// max_{l != i} mu_l <= S <= h_ij for its selected witness; a player with
// x_i = 0 has max_{l != i} mu_l <= max_l mu_l <= T <= h_ij (L holds the
// maximum of all progress). Conversely, at a non-trivial equilibrium let
// T be the maximum, x mark its holder when that holder may lead (else no
// x is set), S the maximum over U without it: then each player's rival
// maximum is T or (for the holder) S, its witness from prune satisfies
// its row, and every bound holds (S >= lo_S since U has a player besides
// the holder). Each big-M is a difference of exact bounds (MuBounds as
// View.Lo/Hi, and the candidates' HMin), so every coefficient is an
// integer. When every player's condition holds under the cap (reduction
// games), the model is the compact one.
//
// The measured trade (docs/solvers.md): an eighth of the pairwise model's
// nonzeros and faster where the search must find an equilibrium (uniform
// games), but its big-M rows leave HiGHS's presolve much less to prove
// where none exists (ring games: seconds where the pairwise model takes
// milliseconds).
func top2(ctx context.Context, g *game.Game) (*Formulation, error) {
	return buildGeneral(ctx, g, "top2", top2Rows)
}

// top2Rows adds T, S, the leaders and the selectors' rows of every player
// that needs rows.
func top2Rows(m *generalModel) {
	v, pl, b, f := m.v, m.pl, m.b, m.f
	allSkip := true
	for _, pp := range pl.Players {
		allSkip = allSkip && pp.Skip
	}
	c := &top2Builder{m}
	// T, S and the leaders, unless every player's condition is left to
	// the cap rows (reduction games): then the model is the compact one,
	// its cap rows, the rows of sides without candidates and the
	// non-triviality row.
	var T, S int
	var tlo, thi int64
	x := make([]int, f.k)
	if !allSkip {
		T, S, tlo, thi = c.topColumns(x)
	}
	for _, pp := range pl.Players {
		if m.skip(pp) {
			continue
		}
		i := pp.I
		qi := int(v.Col[i])
		lead := x[i] > 0
		var side [2][]term
		for _, cd := range pp.Cands {
			j, bb := cd.J, cd.B
			if cd.HMax < tlo && !lead {
				continue
			}
			s, name := m.selector(i, j, bb)
			// h = K + sum_{q != i} D[j][q] a_q.
			var h []term
			v.Terms(j, func(q int, w int64) {
				if q != qi {
					h = append(h, term{f.action[v.Active[q]], -w})
				}
			})
			// T - h + M s <= M (+ M' x_i): M = thi - HMin.
			M := max(thi-cd.HMin, 0)
			t := append(slices.Clone(h), term{T, 1}, term{s, M})
			if lead {
				t = append(t, term{x[i], -M})
			}
			b.le("top"+name, M+cd.K, t...)
			if lead {
				Ms := max(thi-cd.HMin, 0)
				b.le("second"+name, Ms+cd.K, append(h, term{S, 1}, term{s, Ms})...)
			}
			side[bb] = append(side[bb], term{s, 1})
		}
		m.sides(i, side)
	}
}

// top2Builder adds top2's own columns and rows.
type top2Builder struct{ *generalModel }

// muTerms returns sign * mu_l's terms over the action columns.
func (c *top2Builder) muTerms(l int, sign int64) []term {
	var t []term
	c.v.Terms(l, func(q int, w int64) { t = append(t, term{c.f.action[c.v.Active[q]], sign * w}) })
	return t
}

// topColumns adds T, S and the leaders x (by player, 0 for none) with
// their rows, and returns T, S (0 without leaders) and T's bounds.
func (c *top2Builder) topColumns(x []int) (T, S int, tlo, thi int64) {
	v, pl, b := c.v, c.pl, c.b
	tlo, thi = v.Lo[pl.L[0]], v.Hi[pl.L[0]]
	for _, l := range pl.L {
		tlo, thi = max(tlo, v.Lo[l]), max(thi, v.Hi[l])
	}
	if pl.Cap {
		thi = max(min(thi, pl.V), tlo)
	}
	T = b.col("T", tlo, thi, false)
	for _, l := range pl.L {
		b.ge(fmt.Sprintf("T_%d", l+1), v.Base[l], append(c.muTerms(l, -1), term{T, 1})...)
	}
	if tlo > pl.V && pl.Cap {
		b.le("T_cap", pl.V, term{T, 1})
	}
	// Leaders: the players that may hold the maximum alone and need rows.
	// S bounds every player of U (L and the left sides of the leaders)
	// but the leader.
	inU := slices.Clone(pl.InL)
	leaders := false
	for _, pp := range pl.Players {
		if !pp.Skip && pl.Lead[pp.I] {
			leaders = true
			for _, l := range pp.Li {
				inU[l] = true
			}
		}
	}
	if leaders {
		slo := int64(math.MaxInt64)
		for l, u := range inU {
			if u {
				slo = min(slo, v.Lo[l])
			}
		}
		S = b.col("S", slo, max(thi, slo), false)
		var one []term
		for _, pp := range pl.Players {
			if !pp.Skip && pl.Lead[pp.I] {
				x[pp.I] = b.col(fmt.Sprintf("x%d", pp.I+1), 0, 1, true)
				one = append(one, term{x[pp.I], 1})
			}
		}
		b.le("leader", 1, one...)
		for l, u := range inU {
			if !u {
				continue
			}
			t := append(c.muTerms(l, -1), term{S, 1})
			if x[l] > 0 {
				// S - mu_l + M x_l >= 0, M = hi_l - slo.
				t = append(t, term{x[l], v.Hi[l] - slo})
			}
			b.ge(fmt.Sprintf("S_%d", l+1), v.Base[l], t...)
		}
	}
	return T, S, tlo, thi
}
