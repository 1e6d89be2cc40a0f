package lp

import (
	"context"
	"fmt"

	"github.com/nashbench/nashbench/game"
)

// paper builds Theorem 2's MIP with constraint (N) corrected
// (z_i - z~_i <= (2a_i - 1) delta_i, see ERRATA), or as printed
// (z_i - z~_i >= (2a_i - 1) delta_i) when printed is set, plus the
// non-triviality row sum_i a_i >= 1:
//
//	a_i in {0,1}; z_i, z~_i real; y_ij, y~_ij in {0,1} (j != i)
//	z_i >= mu_j(a),                      z_i <= mu_j(a) + M_ij (1 - y_ij),       sum_j y_ij = 1
//	z~_i >= mu_j(a^(i)),                 z~_i <= mu_j(a^(i)) + M_ij (1 - y~_ij), sum_j y~_ij = 1
//	z_i - z~_i <= (2a_i - 1) delta_i     (N)
//
// with mu_j(a^(i)) = mu_j(a) + D[j][i](1 - 2a_i), affine in a. Each big-M is
// M_ij = max_{l != i} hi_l - lo_j from the bounds of mu (flipping a_i is a
// bijection on profiles, so mu_j(a^(i)) has the same bounds as mu_j(a)).
// It has k + 2k(k-1) binaries and is kept as printed otherwise: every player
// gets a column, null players included.
//
// The printed sign is wrong: it accepts profiles that are not equilibria
// and rejects some that are. It is built so that tests can show that, and
// for LP export; no solver offers it but for tests.
//
// It stops early as the stopper says (see buildWithin).
func paper(ctx context.Context, g *game.Game, printed bool) (*Formulation, error) {
	g, err := checkGame(g)
	if err != nil {
		return nil, err
	}
	k := g.Players()
	lo, hi := g.MuBounds()
	b := newBuilder(ctx, "paper")
	f := &Formulation{Name: "paper", k: k, action: make([]int, k), fixed: make([]bool, k)}
	if printed {
		f.Name = "paper-printed"
	}
	a := make([]int, k)
	for i := range k {
		a[i] = b.col(fmt.Sprintf("a%d", i+1), 0, 1, true)
		f.action[i] = a[i]
	}
	// mu terms: sum_l D[j][l] a_l, optionally with a_i's column replaced by
	// the flipped one (coefficient -D[j][i], constant +D[j][i]).
	muTerms := func(j, flip int) []term {
		t := make([]term, 0, k+3)
		for l, v := range g.Row(j, nil) {
			if l == flip {
				v = -v
			}
			if v != 0 {
				t = append(t, term{a[l], -v})
			}
		}
		return t
	}
	for i := range k {
		zlo, zhi := int64(-1<<62), int64(-1<<62)
		for j := range k {
			if j != i {
				zlo, zhi = max(zlo, lo[j]), max(zhi, hi[j])
			}
		}
		z := b.col(fmt.Sprintf("z%d", i+1), zlo, zhi, false)
		zt := b.col(fmt.Sprintf("zt%d", i+1), zlo, zhi, false)
		var pick, pickT []term
		for j := range k {
			if j == i {
				continue
			}
			M := max(zhi-lo[j], 0)
			y := b.col(fmt.Sprintf("y%d_%d", i+1, j+1), 0, 1, true)
			yt := b.col(fmt.Sprintf("yt%d_%d", i+1, j+1), 0, 1, true)
			pick = append(pick, term{y, 1})
			pickT = append(pickT, term{yt, 1})
			// z_i - mu_j(a) >= 0 and z_i - mu_j(a) + M y_ij <= M.
			t := append(muTerms(j, -1), term{z, 1})
			b.ge(fmt.Sprintf("zmax%d_%d", i+1, j+1), g.Base(j), t...)
			b.le(fmt.Sprintf("zsel%d_%d", i+1, j+1), M+g.Base(j), append(t, term{y, M})...)
			// The same after the flip: mu_j(a^(i)) = d_j + D[j][i] + ... - D[j][i] a_i.
			c := g.Base(j) + g.Entry(j, i)
			t = append(muTerms(j, i), term{zt, 1})
			b.ge(fmt.Sprintf("ztmax%d_%d", i+1, j+1), c, t...)
			b.le(fmt.Sprintf("ztsel%d_%d", i+1, j+1), M+c, append(t, term{yt, M})...)
		}
		b.eq(fmt.Sprintf("pick%d", i+1), 1, pick...)
		b.eq(fmt.Sprintf("pickt%d", i+1), 1, pickT...)
		// (N): z_i - z~_i - 2 delta_i a_i <= -delta_i (corrected), >= as printed.
		d := g.Delta(i)
		n := []term{{z, 1}, {zt, -1}, {a[i], -2 * d}}
		if printed {
			b.ge(fmt.Sprintf("N%d", i+1), -d, n...)
		} else {
			b.le(fmt.Sprintf("N%d", i+1), -d, n...)
		}
	}
	all := make([]term, k)
	for i := range k {
		all[i] = term{a[i], 1}
	}
	b.ge("nontrivial", 1, all...)
	if b.err != nil {
		return nil, b.err
	}
	f.Model, f.Cols, f.Rows = &b.m, b.cols, b.rows
	return f, nil
}
