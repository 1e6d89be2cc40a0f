package encodings

import (
	"context"
	"fmt"
	"io"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
)

// EncodeCNF returns g's non-trivial equilibrium question as CNF: the
// gophersat-pb encoding (see encode.go), each of its constraints
// translated into clauses (see tocnf.go). The formula is satisfiable iff g
// has a non-trivial pure equilibrium. Variables 1..n are the actions
// (true = open) of g's n non-null players in increasing order, with the
// same meaning as in the OPB export; the others are auxiliary. Its models,
// projected onto 1..n, are exactly the equilibria with every free player
// (null, with delta = 0) closed, but for the all-closed profile when the
// game has no free player (each free player doubles the equilibria; see
// solvers.ExpandFree).
//
// The function returned maps a model (model[v-1] is variable v; variables
// beyond its length count as false) to the non-trivial equilibrium it
// stands for: null players at their best response as the encoding fixes
// them, free ones closed unless every player would be, then the first
// free one open.
//
// When no constraint is left (every player null, or unit propagation
// refutes the encoding), the formula is a trivially satisfiable (no
// clauses) or unsatisfiable (x1 and -x1) one. It refuses
// (solvers.IsRefused) the games gophersat-pb refuses, and stops with
// ctx's error when ctx ends.
func EncodeCNF(ctx context.Context, g *game.Game) (*instances.CNF, func(model []bool) []bool, error) {
	c, err := encodeCNF(ctx, g)
	if err != nil {
		return nil, nil, err
	}
	return c.cnf, c.x.decode, nil
}

// WriteCNF writes EncodeCNF's formula in DIMACS, with comments naming the
// players whose actions variables 1..n are, the null players' actions,
// and how many constraints got which translation.
func WriteCNF(w io.Writer, g *game.Game) error {
	c, err := encodeCNF(context.Background(), g)
	if err != nil {
		return err
	}
	return instances.WriteDIMACS(w, c.cnf, c.comments()...)
}

type cnfEncoding struct {
	x     *PB
	cnf   *instances.CNF
	stats cnfStats
	why   string // for a trivial formula: why it is one
}

// ctxCheckEvery is how many constraints pass between looks at the context.
const ctxCheckEvery = 256

func encodeCNF(ctx context.Context, g *game.Game) (*cnfEncoding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	x, err := EncodePB(g)
	if err != nil {
		return nil, err
	}
	c := &cnfEncoding{x: x}
	n := len(x.plan.active)
	unsat := func(why string) *cnfEncoding {
		c.cnf = &instances.CNF{Vars: max(n, 1), Clauses: [][]int{{1}, {-1}}}
		c.why = why
		return c
	}
	if sat, ok := x.trivial(); ok {
		switch {
		case sat:
			c.cnf = &instances.CNF{}
			c.why = "every player is null: the profile with each at its best response is a non-trivial equilibrium"
			return c, nil
		case x.simp == nil:
			return unsat("every player is null and stays closed: the only equilibrium is all-closed"), nil
		}
		return unsat("unit propagation refutes the encoding: no non-trivial equilibrium"), nil
	}
	simp := x.simp
	t := &translator{nVars: n}
	// Actions keep their numbers; the encoding's auxiliary variables are
	// renumbered in order of use, skipping those propagation fixed.
	renum := make([]int, simp.nVars+1)
	for v := 1; v <= n; v++ {
		renum[v] = v
		if s := simp.value[v]; s != 0 {
			t.add(int(s) * v)
			t.stats.units++
		}
	}
	var chains [][]int
	if useChains {
		chains = x.enc.b.chains
	}
	ci := newChainIndex(simp.nVars, chains)
	mapLits := func(lits []int) {
		for p, l := range lits {
			v := abs(l)
			if renum[v] == 0 {
				renum[v] = t.newVar()
			}
			lits[p] = renum[v] * (l / v)
		}
	}
	for q, pc := range simp.cons {
		if q%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		lits, w, unary, uw := ci.split(pc)
		mapLits(lits)
		mapLits(unary)
		t.constraint(lits, w, unary, uw, pc.card)
	}
	for _, cl := range t.clauses {
		if len(cl) == 0 {
			return unsat("the translation refutes the encoding: no non-trivial equilibrium"), nil
		}
	}
	c.cnf = &instances.CNF{Vars: t.nVars, Clauses: t.clauses}
	c.stats = t.stats
	return c, nil
}

// comments describes the formula for WriteCNF, and for WriteCNFPairwise
// when the pairwise encoding is encode.go's.
func (c *cnfEncoding) comments() []string {
	return c.describe("the nashbench gophersat-pb encoding", func(s cnfStats) string {
		return fmt.Sprintf("from %d PB constraints (%d reading a unary integer): %d clauses, %d BDDs, %d totalizers, %d adder networks; %d actions fixed by propagation",
			len(c.x.simp.cons), s.chains, s.clauses, s.bdds, s.totalizers, s.adders, s.units)
	})
}

// describe returns the comments of a CNF export, the same for every
// encoding but for its name (encoding) and the last line, from, which
// says how the clauses came from the constraints (not called for a
// trivial formula).
func (c *cnfEncoding) describe(encoding string, from func(cnfStats) string) []string {
	pl, g := c.x.plan, c.x.g
	out := []string{
		"non-trivial pure Nash equilibria of an open-or-closed-source game (Lemma 1): " + encoding + " in CNF",
		"satisfiable iff the game has a non-trivial pure equilibrium",
	}
	if c.why != "" {
		return append(out, c.why)
	}
	for q, i := range pl.active {
		out = append(out, fmt.Sprintf("variable %d: action of player %d (%s), true = open", q+1, i+1, g.Name(i)))
	}
	for i := range pl.k {
		if pl.null[i] {
			out = append(out, fmt.Sprintf("player %d (%s) is null and plays %d (free: %v)", i+1, g.Name(i), b2i(pl.start[i]), g.Delta(i) == 0))
		}
	}
	if c.cnf.Vars > len(pl.active) {
		out = append(out, fmt.Sprintf("variables %d..%d are auxiliary", len(pl.active)+1, c.cnf.Vars))
	}
	return append(out, from(c.stats))
}
