package encodings

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/prune"
	"github.com/nashbench/nashbench/solvers"
)

// The pairwise encoding of Lemma 1 (gophersat-pairwise, and the exports
// pb-pairwise and pb-pairwise-cnf): the same question as encode.go's, with
// no integer variable at all.
//
// encode.go compares every witness with one integer Z that bounds the
// rivals' progress from above (Z >= mu_l for each rival l, and a selector
// s -> Z <= E). Under unit propagation such an integer is weak: in binary,
// or in unary as one PB constraint over a window of hundreds of y's, it
// propagates only once its constraints are tight, so a partial profile that
// already rules a witness out (or forces an action) is not seen as doing
// so. On AI-race games gophersat timed out from 16 players, and minisat+ on
// the same OPB as well.
//
// Here the witness is compared with each rival directly. Write e_ij(b) =
// (1 - 2b)(D[j][i] - delta_i): player i, playing a_i = b, cannot gain by
// flipping iff some j != i has mu_l(a) - mu_j(a) <= e_ij(b) for every
// l != i (Lemma 1: max_{l!=i} mu_l(a) <= max_{j!=i} h_ij(a), with
// h_ij(a) = mu_j(a) + e_ij(a_i)). So, per active player i that needs rows:
//
//   - one selector s per candidate witness (j, b) that package prune leaves,
//     with the clause s -> (a_i = b), and per action b the clause
//     (a_i = b) -> OR of its selectors (no selector: a_i != b);
//   - per rival l of i's left side (prune's L_i: the players other than i
//     that no one but i dominates, whose maximum is max_{l!=i} mu_l) but j:
//     s -> mu_l(a) - mu_j(a) <= e_ij(b), a PB constraint over the actions
//     with a_i fixed at b, its weights differences of two rows of D. One
//     that holds at every profile (by the bounds of mu_l - mu_j) is left
//     out; a witness with one that holds at none is dropped.
//
// Every constraint is over actions only, weights at most twice an entry of
// D: when some actions are set, the PB propagation that reads the slack
// sees at once which witnesses are ruled out, and when a selector is set,
// which actions it forces. gophersat went from timeouts at 16 players to
// milliseconds (see docs/solvers.md). The price is size: one constraint per
// (i, witness, rival), O(k^3) constraints of O(k) terms on dense games, so
// the encoding is refused beyond maxPairwiseTerms terms.
//
// Exactness. Each constraint is an integer linear inequality in the
// actions with exact int64 coefficients (normalize bounds every sum far
// below 2^63, and the builder splits large weights as for encode.go). A
// model's profile satisfies, for each i, the constraints of a selected
// witness j: every rival's progress is at most h_ij, so max_{l!=i} mu_l <=
// max_j h_ij, Lemma 1's condition. Conversely, at a non-trivial
// equilibrium, each i has a witness j attaining max_j h_ij; prune keeps
// one such j or one as good (it drops only candidates that are never the
// witness or are covered, each step exact), and setting its selector and
// no other satisfies every constraint. Rivals outside L_i are dominated by
// one inside, so their constraints follow.
//
// What else is kept from encode.go: null players fixed at their best
// response (free ones closed, counted twice each), the non-triviality
// clause, and the cap of package prune. Every mu_l <= V at a non-trivial
// equilibrium, so "mu_l <= V" (prune.Plan.CapRow) is added for every l of L
// whenever the cap holds: exact, and it stands in for the players whose
// conditions hold wherever the cap does (Skip), which get no rows. When
// every player is so (reduction games), the encoding is encode.go's, which
// then is the formula plus the non-triviality clause: reduction games keep
// that encoding, byte for byte.
//
// The CNF (pb-pairwise-cnf) translates each constraint as tocnf.go does, but
// all the comparisons of one pair (l, j) (whoever's witness j is) go into
// one translation with a root per threshold: the comparison is written
// over every action, a_i included (s implies a_i = b, so it is the same
// inequality), so that they share one sum. That is a BDD with many roots
// in place of many BDDs.

// maxPairwiseTerms bounds the terms of the pairwise constraints of a
// game: about 16 bytes each, twice (the encoding and its propagated copy).
// Dense games reach it at about 45 active players (28 uniform players:
// about 0.6 million).
var maxPairwiseTerms = 1 << 22

// pairwise switches for tests and measurements.
var (
	pairwiseUB       = false // the rows a_i = b -> mu_l <= UB_i^b
	pairwiseGroupCNF = true  // each pair's comparisons translated together
)

// cmpGroup is a pair (l, j)'s comparisons: guard -> form <= t for each
// goal, form = mu'_l - mu'_j over every action.
type cmpGroup struct {
	form  lin
	goals []cmpGoal
}

type cmpGoal struct {
	guard int
	t     int64
	v     int   // the variable of the player whose witness it is
	b     int64 // that player's action under the guard
}

// pairwise is a pairwise encoding: enc holds every constraint but the
// comparisons, which are in groups (added to enc.b for the PB, translated
// together for the CNF). current says that it is encode.go's encoding
// (every player skipped), with no groups.
type pairwise struct {
	enc     *encoding
	groups  []*cmpGroup
	current bool
}

// errPairwiseSize refuses a game whose pairwise encoding is too large.
func errPairwiseSize(terms int) error {
	return solvers.Refuse("gophersat-pairwise: the pairwise encoding of this game would have more than %d terms (one constraint per player, witness and rival: O(k^3) constraints on a dense game); use gophersat-pb", terms)
}

func encodePairwise(p *plan) (*pairwise, error) {
	an := prune.Analyze(prune.NewView(p.g), prune.Options{}, nil)
	// When every player's condition is left to the cap rows, what follows
	// writes exactly what encode writes (the cap rows, the clauses of
	// sides without candidates, the non-triviality clause, in that
	// order), without analysing the game a second time.
	allSkip := true
	for _, pl := range an.Players {
		allSkip = allSkip && pl.Skip
	}
	e := &encoding{plan: p, sel: map[selKey]int{}}
	b := &e.b
	for range p.active {
		b.newVar()
	}
	g := p.g
	if an.Cap {
		b.capConstraints(an)
	}
	pw := &pairwise{enc: e, current: allSkip}
	groups := map[[2]int]*cmpGroup{}
	terms := 0
	var goals []cmpGoal
	var rivals []*cmpGroup
	for q, pl := range an.Players {
		i, vi := pl.I, q+1
		lit := [2]int{-vi, vi} // a_i = b
		if pl.Skip {
			// A side without candidates never holds.
			if !pl.Has[0] {
				b.clause(vi)
			}
			if !pl.Has[1] {
				b.clause(-vi)
			}
			continue
		}
		var side [2][]int
		for _, cd := range pl.Cands {
			j, bb := cd.J, cd.B
			t := (1 - 2*bb) * (g.Entry(j, i) - g.Delta(i))
			goals, rivals = goals[:0], rivals[:0]
			possible := true
			for _, l := range pl.Li {
				if l == j {
					continue
				}
				key := [2]int{l, j}
				grp := groups[key]
				if grp == nil {
					grp = &cmpGroup{form: p.diff(l, j)}
				}
				lo, hi := grp.form.boundsAt(vi, bb)
				if hi <= t {
					continue // holds at every profile
				}
				if lo > t {
					possible = false // holds at none
					break
				}
				if groups[key] == nil {
					groups[key] = grp
					pw.groups = append(pw.groups, grp) // in order of first use
				}
				rivals = append(rivals, grp)
				goals = append(goals, cmpGoal{t: t, v: vi, b: bb})
			}
			if !possible {
				continue
			}
			s := b.newVar()
			b.clause(-s, lit[bb])
			for r, grp := range rivals {
				goals[r].guard = s
				grp.goals = append(grp.goals, goals[r])
				terms += len(grp.form.vars)
			}
			if terms > maxPairwiseTerms {
				return nil, errPairwiseSize(maxPairwiseTerms)
			}
			side[bb] = append(side[bb], s)
		}
		for bb := range 2 {
			b.clause(append([]int{-lit[bb]}, side[bb]...)...)
		}
		if pairwiseUB {
			pw.ubRows(an, &pl, vi)
		}
	}
	if len(p.free) == 0 && !p.anyFixed {
		lits := make([]int, len(p.active))
		for q := range lits {
			lits[q] = q + 1
		}
		b.clause(lits...)
	}
	return pw, nil
}

// ubRows adds a_i = b -> mu_l <= UB_i^b for the rivals l of i.
func (pw *pairwise) ubRows(an *prune.Plan, pl *prune.Player, vi int) {
	p, b := pw.enc.plan, &pw.enc.b
	for bb := range int64(2) {
		if !pl.Has[bb] {
			continue
		}
		for _, l := range pl.Li {
			full := p.unshifted(l)
			lo, hi := full.boundsAt(vi, bb)
			_ = lo
			if hi <= pl.UB[bb] {
				continue
			}
			f := full.fix(vi, bb)
			lit := -vi
			if bb == 1 {
				lit = vi
			}
			b.geIf(lit, f.terms(-1), f.c-pl.UB[bb])
		}
	}
}

// unshifted returns mu_l over the action variables (fixed players in the
// constant).
func (p *plan) unshifted(l int) lin {
	r := lin{c: p.rows[l].c}
	for q, t := range p.active {
		if w := p.g.Entry(l, t); w != 0 {
			r.vars, r.w = append(r.vars, q+1), append(r.w, w)
		}
	}
	return r
}

// pbConstraints adds the groups' comparisons to the builder, each with
// its player's action fixed.
func (pw *pairwise) pbConstraints() {
	b := &pw.enc.b
	for _, grp := range pw.groups {
		for _, gl := range grp.goals {
			f := grp.form.fix(gl.v, gl.b)
			// f <= t: -f's terms >= f.c - t.
			b.geIf(gl.guard, f.terms(-1), f.c-gl.t)
		}
	}
}

// diff returns mu'_l - mu'_m over the action variables.
func (p *plan) diff(l, m int) lin {
	a, b := &p.rows[l], &p.rows[m]
	d := lin{c: a.c - b.c}
	d.vars, d.w = prune.SubTerms(nil, nil, a.vars, a.w, b.vars, b.w)
	return d
}

// boundsAt returns the least and greatest values of l with variable v set
// to val.
func (l *lin) boundsAt(v int, val int64) (lo, hi int64) {
	lo, hi = l.bounds()
	if q, ok := slices.BinarySearch(l.vars, v); ok {
		w := l.w[q]
		lo += w*val - min(w, 0)
		hi += w*val - max(w, 0)
	}
	return lo, hi
}

// fix returns l with variable v set to val.
func (l lin) fix(v int, val int64) lin {
	q, ok := slices.BinarySearch(l.vars, v)
	if !ok {
		return l
	}
	out := lin{c: l.c + l.w[q]*val}
	out.vars = append(slices.Clone(l.vars[:q]), l.vars[q+1:]...)
	out.w = append(slices.Clone(l.w[:q]), l.w[q+1:]...)
	return out
}

// EncodePBPairwise is EncodePB with the pairwise encoding (see above): what
// gophersat-pairwise solves and WriteOPBPairwise writes. It refuses the
// games EncodePB refuses, and games whose pairwise encoding would exceed
// maxPairwiseTerms terms.
func EncodePBPairwise(g *game.Game) (*PB, error) {
	x, _, err := encodePBPairwise(g)
	return x, err
}

// encodePBPairwise also says whether the encoding is encode.go's (every
// player null, or every one's condition left to the cap rows).
func encodePBPairwise(g *game.Game) (x *PB, current bool, err error) {
	ng, err := normalize(g)
	if err != nil {
		return nil, false, err
	}
	x = &PB{g: g, plan: newPlan(ng)}
	if len(x.plan.active) == 0 {
		return x, true, nil
	}
	pw, err := encodePairwise(x.plan)
	if err != nil {
		return nil, false, err
	}
	if !pw.current {
		pw.pbConstraints()
	}
	x.enc = pw.enc
	if x.enc.b.tooWide {
		return nil, false, errTooWide
	}
	x.simp = x.enc.b.simplify()
	return x, pw.current, nil
}

// WriteOPBPairwise writes the pairwise encoding of g in OPB, as WriteOPB
// writes encode.go's.
func WriteOPBPairwise(w io.Writer, g *game.Game) error {
	write, _, err := EncodeOPBPairwise(context.Background(), g)
	if err != nil {
		return err
	}
	return write(w)
}

// EncodeOPBPairwise is EncodeOPB for the pairwise encoding: the writer of
// its OPB text, and the mapping of a model to the equilibrium it stands
// for.
func EncodeOPBPairwise(ctx context.Context, g *game.Game) (write func(io.Writer) error, profile func(model []bool) []bool, err error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	x, current, err := encodePBPairwise(g)
	if err != nil {
		return nil, nil, err
	}
	write = func(w io.Writer) error {
		var buf bytes.Buffer
		if err := x.writeOPB(&buf); err != nil {
			return err
		}
		// WriteOPB's text but for the encoding's name (a reduction
		// game's encoding is encode.go's, and so says).
		text := buf.String()
		if !current {
			text = strings.Replace(text, "nashbench gophersat-pb encoding", "nashbench pairwise encoding (gophersat-pairwise)", 1)
		}
		_, err := io.WriteString(w, text)
		return err
	}
	return write, x.decode, nil
}

// EncodeCNFPairwise returns g's non-trivial equilibrium question as CNF
// through the pairwise encoding, with the mapping of its models to
// equilibria, as EncodeCNF does for encode.go's. Variables 1..n are the
// actions of g's n non-null players, as there. It refuses the games
// EncodePBPairwise refuses, and stops with ctx's error when ctx ends.
func EncodeCNFPairwise(ctx context.Context, g *game.Game) (*instances.CNF, func(model []bool) []bool, error) {
	c, err := encodeCNFPairwise(ctx, g)
	if err != nil {
		return nil, nil, err
	}
	if c.x.simp != nil {
		return c.cnf, c.x.decode, nil // encode.go's CNF
	}
	return c.cnf, c.x.decodeRaw, nil
}

// WriteCNFPairwise writes EncodeCNFPairwise's formula in DIMACS.
func WriteCNFPairwise(w io.Writer, g *game.Game) error {
	c, err := encodeCNFPairwise(context.Background(), g)
	if err != nil {
		return err
	}
	if c.x.enc == nil || c.x.simp != nil {
		// encode.go's CNF (every player null or skipped).
		return instances.WriteDIMACS(w, c.cnf, c.comments()...)
	}
	return instances.WriteDIMACS(w, c.cnf, c.describe("the nashbench pairwise encoding (gophersat-pairwise)", func(s cnfStats) string {
		return fmt.Sprintf("from %d PB constraints and %d pairs' comparisons (each pair's translated together): %d clauses, %d BDDs, %d totalizers, %d adder networks",
			len(c.x.enc.b.cons), s.chains, s.clauses, s.bdds, s.totalizers, s.adders)
	})...)
}

// decodeRaw is decode for a model that propagation did not see: the
// actions as the model sets them.
func (x *PB) decodeRaw(model []bool) []bool {
	m := make([]bool, len(x.plan.active))
	copy(m, model)
	a := x.plan.profile(m)
	if b := x.plan.nonTrivial(a); b != nil {
		return b
	}
	return a
}

func encodeCNFPairwise(ctx context.Context, g *game.Game) (*cnfEncoding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ng, err := normalize(g)
	if err != nil {
		return nil, err
	}
	x := &PB{g: g, plan: newPlan(ng)}
	if len(x.plan.active) == 0 {
		return encodeCNF(ctx, g) // every player null: nothing pairwise
	}
	pw, err := encodePairwise(x.plan)
	if err != nil {
		return nil, err
	}
	if pw.current {
		return encodeCNF(ctx, g) // encode.go's encoding, and so its CNF
	}
	x.enc = pw.enc
	if x.enc.b.tooWide {
		return nil, errTooWide
	}
	n := len(x.plan.active)
	c := &cnfEncoding{x: x}
	if !pairwiseGroupCNF {
		// Each comparison on its own, a_i fixed, as the PB has it.
		pw.pbConstraints()
		pw.groups = nil
	}
	t := &translator{nVars: x.enc.b.nVars}
	for q, pc := range x.enc.b.cons {
		if q%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		t.constraint(slices.Clone(pc.lits), slices.Clone(pc.w), nil, 0, pc.card)
	}
	for q, grp := range pw.groups {
		if q%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		// guard -> form <= t, over every action: sum of -form's terms >=
		// form.c - t, on positive weights.
		var lits []int
		var w []int64
		var shift int64
		for r, v := range grp.form.vars {
			switch c := -grp.form.w[r]; {
			case c > 0:
				lits, w = append(lits, v), append(w, c)
			case c < 0:
				lits, w = append(lits, -v), append(w, -c)
				shift -= c
			}
		}
		gs := make([]goal, len(grp.goals))
		for r, gl := range grp.goals {
			gs[r] = goal{or: []int{-gl.guard}, T: grp.form.c - gl.t + shift}
		}
		t.stats.chains++ // comparisons translated together
		t.translate(lits, w, gs)
	}
	for _, cl := range t.clauses {
		if len(cl) == 0 {
			c.cnf = &instances.CNF{Vars: max(n, 1), Clauses: [][]int{{1}, {-1}}}
			c.why = "the translation refutes the encoding: no non-trivial equilibrium"
			return c, nil
		}
	}
	c.cnf = &instances.CNF{Vars: t.nVars, Clauses: t.clauses}
	c.stats = t.stats
	return c, nil
}
