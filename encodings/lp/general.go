package lp

import (
	"context"
	"fmt"
	"slices"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/prune"
)

// generalModel is a model being built on a game's prune analysis: what
// the pairwise and top-two formulations share (and compact's parts that
// are the same), kept in one place so that their common rows stay
// written the same way.
type generalModel struct {
	v  *prune.View
	pl *prune.Plan
	b  *builder
	f  *Formulation
}

// buildGeneral builds the formulation name of g with the prologue and
// epilogue the pairwise and top-two models share: checkGame, the view
// (every player null: the compact model), prune.Analyze, the action
// columns, the cap rows "mu_l <= V" (prune.Plan.CapRow) for every l of L
// whenever the cap holds; then rows adds the formulation's own columns and
// rows, and last comes the non-triviality row.
func buildGeneral(ctx context.Context, g *game.Game, name string, rows func(m *generalModel)) (*Formulation, error) {
	g, err := checkGame(g)
	if err != nil {
		return nil, err
	}
	k := g.Players()
	stop := newStopper(ctx, name)
	v := prune.NewView(g)
	if len(v.Active) == 0 {
		return compact(ctx, g, CompactOptions{})
	}
	pl := prune.Analyze(v, prune.Options{}, func() { stop.tick(0, 0, 0) })
	f := &Formulation{Name: name, k: k, action: make([]int, k), fixed: slices.Clone(v.Fixed), free: v.Free, anyFixed: v.AnyFixed}
	for i := range k {
		f.action[i] = -1
	}
	b := newBuilder(ctx, name)
	for _, p := range v.Active {
		f.action[p] = b.col(fmt.Sprintf("a%d", p+1), 0, 1, true)
	}
	m := &generalModel{v: v, pl: pl, b: b, f: f}
	if pl.Cap {
		m.capRows()
	}
	rows(m)
	return m.finish()
}

// capRows adds the cap row "mu_l <= V" of every l of L in its smallest
// exact form (prune.Plan.CapRow), but those the cap already satisfies.
func (m *generalModel) capRows() {
	v, pl, b, f := m.v, m.pl, m.b, m.f
	for _, l := range pl.L {
		if r, ok := pl.CapRow(l); ok {
			t := make([]term, len(r.Q))
			for q, col := range r.Q {
				t[q] = term{f.action[v.Active[col]], r.W[q]}
			}
			b.le(fmt.Sprintf("cap_%d", l+1), r.R, t...)
		}
	}
}

// skip reports whether pp needs no rows (prune.Player.Skip); if so it adds
// the bounds that forbid a side without candidates, which never holds.
func (m *generalModel) skip(pp prune.Player) bool {
	if !pp.Skip {
		return false
	}
	b, ai := m.b, m.f.action[pp.I]
	if !pp.Has[0] {
		b.ge(fmt.Sprintf("open%d", pp.I+1), 1, term{ai, 1})
	}
	if !pp.Has[1] {
		b.le(fmt.Sprintf("closed%d", pp.I+1), 0, term{ai, 1})
	}
	return true
}

// selector adds the binary s of player i's candidate witness (j, b), with
// its row s <= a_i (b = 1) or s <= 1 - a_i (b = 0), and returns it with
// the suffix "i_j_b" that names the candidate's rows.
func (m *generalModel) selector(i, j int, bb int64) (s int, name string) {
	b, ai := m.b, m.f.action[i]
	s = b.col(fmt.Sprintf("s%d_%d_%d", i+1, j+1, bb), 0, 1, true)
	name = fmt.Sprintf("%d_%d_%d", i+1, j+1, bb)
	if bb == 1 {
		b.le("link"+name, 0, term{s, 1}, term{ai, -1})
	} else {
		b.le("link"+name, 1, term{s, 1}, term{ai, 1})
	}
	return s, name
}

// sides adds player i's rows that some selector of the action played is
// set: sum side[1] >= a_i and sum side[0] >= 1 - a_i.
func (m *generalModel) sides(i int, side [2][]term) {
	b, ai := m.b, m.f.action[i]
	b.ge(fmt.Sprintf("side%d_1", i+1), 0, append(side[1], term{ai, -1})...)
	b.ge(fmt.Sprintf("side%d_0", i+1), 1, append(side[0], term{ai, 1})...)
}

// finish adds the non-triviality row sum_p a_p >= 1 where the plan needs
// it and returns the formulation, or the builder's first error.
func (m *generalModel) finish() (*Formulation, error) {
	v, b, f := m.v, m.b, m.f
	if m.pl.Nontrivial {
		t := make([]term, 0, len(v.Active))
		for _, p := range v.Active {
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
