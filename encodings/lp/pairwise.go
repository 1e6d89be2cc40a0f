package lp

import (
	"context"
	"fmt"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/prune"
)

// The pairwise formulation (highs-pairwise, export --formulation
// pb-pairwise-lp): the pairwise encoding of package encodings as a MIP. Where
// the compact model compares every candidate witness with one continuous
// z through a convex combination of the witnesses' values (whose products
// with the actions need McCormick rows), this one compares each witness
// with each rival directly, under a binary selector:
//
//   - actions a_p and null players as in the compact model; the cap rows
//     "mu_l <= V" (prune.Plan.CapRow) for every l of L whenever the cap
//     holds; the non-triviality row;
//   - per active player i that needs rows, and candidate witness (j, b)
//     that package prune leaves: a binary s with s <= a_i (b = 1) or
//     s <= 1 - a_i (b = 0), and per action b the row sum of its selectors
//     >= [a_i = b] (no selector: a_i != b);
//   - per such selector and rival l of i's left side but j:
//     mu_l(a) - mu_j(a) - e_ij(b) <= M (1 - s), with a_i fixed at b,
//     e_ij(b) = (1 - 2b)(D[j][i] - delta_i) and M the greatest value of
//     the left side over the profiles with a_i = b (from the bounds of the
//     difference of two rows: exact, and the tightest constant). Rows that
//     hold at every profile are left out, and a selector whose row holds
//     at none.
//
// At integral actions and selectors it is Lemma 1 exactly (see package
// encodings, pairwise.go: a selected witness bounds every rival, and at an
// equilibrium the witness prune keeps can be selected alone). Every
// coefficient is an integer: differences of entries of D, the bounds M,
// and the thresholds e. When every player's condition holds under the cap
// (reduction games), the model is the compact one, which then is the
// formula: reduction games keep it.
//
// It has O(k^3) rows on dense games; models beyond the solver's byte
// budget are refused as the compact model's are.
func pairwise(ctx context.Context, g *game.Game) (*Formulation, error) {
	// When every player's condition is left to the cap rows (reduction
	// games), buildGeneral and what follows write exactly the compact
	// model: its cap rows, the rows of sides without candidates, the
	// non-triviality row.
	return buildGeneral(ctx, g, "pairwise", pairwiseRows)
}

// pairwiseRows adds the selectors and pairwise rows of every player that
// needs rows.
func pairwiseRows(m *generalModel) {
	v, b, f := m.v, m.b, m.f
	rows := make([]sparseRow, f.k) // mu_l over the action columns, made when first needed
	row := func(l int) *sparseRow {
		r := &rows[l]
		if !r.done {
			r.done, r.c = true, v.Base[l]
			v.Terms(l, func(q int, w int64) {
				r.q, r.w = append(r.q, q), append(r.w, w)
			})
		}
		return r
	}
	var col []int64
	var diff sparseRow
	for _, pp := range m.pl.Players {
		if m.skip(pp) {
			continue
		}
		i := pp.I
		qi := int(v.Col[i])
		col = v.Column(qi, col) // D[j][i] for every j; col[i] is delta_i
		var side [2][]term
		for _, cd := range pp.Cands {
			j, bb := cd.J, cd.B
			e := (1 - 2*bb) * (col[j] - col[i])
			type pending struct {
				l   int
				t   []term
				rhs int64
				M   int64
			}
			var rs []pending
			possible := true
			for _, l := range pp.Li {
				if l == j {
					continue
				}
				// mu_l - mu_j - e with a_i = bb: constant c, terms over
				// the other columns.
				diff.sub(row(l), row(j))
				c := diff.c - e
				lo, hi := c, c
				var t []term
				for x, q := range diff.q {
					w := diff.w[x]
					if q == qi {
						c += w * bb
						lo += w * bb
						hi += w * bb
						continue
					}
					lo += min(w, 0)
					hi += max(w, 0)
					t = append(t, term{f.action[v.Active[q]], w})
				}
				if hi <= 0 {
					continue // holds at every profile
				}
				if lo > 0 {
					possible = false // holds at none
					break
				}
				rs = append(rs, pending{l, t, -c, hi})
			}
			if !possible {
				continue
			}
			s, name := m.selector(i, j, bb)
			for _, r := range rs {
				// terms + c <= M (1 - s): terms + M s <= M - c.
				b.le(fmt.Sprintf("pw%s_%d", name, r.l+1), r.M+r.rhs, append(r.t, term{s, r.M})...)
			}
			side[bb] = append(side[bb], term{s, 1})
		}
		m.sides(i, side)
	}
}

// sparseRow is c + sum w[x] a_{q[x]} over action columns, q increasing.
type sparseRow struct {
	c    int64
	q    []int
	w    []int64
	done bool
}

// sub sets r to x - y.
func (r *sparseRow) sub(x, y *sparseRow) {
	r.c = x.c - y.c
	r.q, r.w = prune.SubTerms(r.q[:0], r.w[:0], x.q, x.w, y.q, y.w)
}
