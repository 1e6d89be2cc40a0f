// Package search decides and counts non-trivial pure equilibria by a
// complete search over the players' actions that reasons on the game
// itself: conflict-driven clause learning (CDCL) whose theory is the bound
// argument of bounds.go.
//
// Player i's best response depends only on the others' actions, through
// the sign of its gain from opening. Under a partial profile the gain is
// bounded below and above by the least differences p(w, m) of the rivals'
// progress over the completions, read from two witnesses (the rivals with
// the largest lower bounds; rows.go keeps their rows up to date), and the
// condition is decided as soon as the bounds allow: an unassigned player
// whose gain has a sign in every completion is assigned its best response
// (propagation), an assigned one whose best response is the other action
// is a conflict. Every player's condition is looked at after each
// assignment, until it holds in every completion (then not again below
// that level).
//
// A propagation or conflict is explained only when conflict analysis
// needs it (explain.go): the clause of the assigned players whose values
// the bound needs, found by relaxing the others latest first. Analysis is
// first-UIP, learned clauses are watched on two literals, the search
// backjumps, and restarts follow the Luby sequence; branching takes the
// most active player (VSIDS, started from the column mass sum_j |D[j][u]|)
// on the side its bounds lean to. Equilibria are counted by blocking each
// one found (the negation of its decisions, kept forever), so that every
// learned clause stays implied by the game and the blocks; a non-trivial
// one is required by the clause (x1 ∨ … ∨ xk), unless free players
// (null, delta 0) make every equilibrium count (they are left closed, as
// enum does: solvers.CountWithFree).
//
// Options.Workers goroutines split the search into cubes: all values of
// the first players of the branching order, the side the bounds lean to
// first. Each worker keeps its engine, learned clauses included, from cube
// to cube. Counts, answers and listed equilibria (the smallest profiles)
// do not depend on Workers; when deciding, the first equilibrium found
// ends the search, so the witness may. Counters are exact with one
// worker.
//
// Under Options.Certify a "no" comes with a certificate (proof.go): the
// theory lemmas with their witnesses, which package verify/searchcert
// checks against the game, and an LRAT refutation of them.
package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/solvers"
)

// MostPlayers is the most players the solver takes: it holds D as k
// columns of k entries (32 MiB at 2048 players) and spends O(k^2) per
// propagation pass.
const MostPlayers = 2048

func init() {
	solvers.Register("search", func() solvers.Solver { return Solver{} })
}

// Solver is the native search (registered as "search"). The zero Solver
// uses the default tuning. Options.MaxPlayers, a cap for exhaustive
// solvers, does not apply; Options.Shard is refused.
type Solver struct {
	cfg *config
}

// Branching phases.
const (
	phaseBounds = iota // the side the bounds lean to, then the saved one
	phaseSaved         // the saved phase, closed at first
	phaseOpen
	phaseClosed
)

// Initial branching orders (the activity before any conflict).
const (
	orderMass  = iota // column mass: sum_j |D[j][u]|, largest first
	orderIndex        // player index
	orderBase         // d_u, largest first: the likely leaders
)

// config tunes the search; tests and benchmarks compare settings.
type config struct {
	vsids       bool // bump the players of conflicts (else a static order)
	phase       int
	order       int
	restartBase int  // conflicts per Luby unit; 0: no restarts
	cubeBits    int  // cubes = 2^(bits(workers-1) + cubeBits) when Workers > 1
	pair        bool // the pairwise bound (else intervals, weaker)
	// proofEntries caps each engine's certificate log (0: the default).
	proofEntries int
}

func defaultConfig() config {
	return config{vsids: true, phase: phaseBounds, order: orderMass, restartBase: 100, cubeBits: 3, pair: true}
}

// Describe implements solvers.Describer.
func (Solver) Describe(context.Context) solvers.Description {
	return solvers.Description{Input: "game", Certifies: true}
}

// Certifies implements solvers.Certifier: under Options.Certify a "no"
// comes with a certificate in format solvers.ProofSearch.
func (Solver) Certifies() bool { return true }

// Solve implements solvers.Solver.
func (s Solver) Solve(ctx context.Context, p *solvers.Problem, opt solvers.Options) (*solvers.Result, error) {
	if !opt.Shard.Whole() {
		return nil, solvers.Refuse("search: cannot search a part %s of a game (--part is for enum)", opt.Shard)
	}
	g := p.Game
	k := g.Players()
	if k > MostPlayers {
		return nil, solvers.Refuse("search: the game has %d players, more than %d, the most it takes (it holds the %d x %d matrix)", k, MostPlayers, k, k)
	}
	cfg := defaultConfig()
	if s.cfg != nil {
		cfg = *s.cfg
	}
	m := newModel(g, cfg)
	var stopped atomic.Bool
	defer context.AfterFunc(ctx, func() { stopped.Store(true) })()
	if ctx.Err() != nil {
		stopped.Store(true)
	}
	d := &driver{m: m, g: g, opt: opt, stopped: &stopped}
	return d.run()
}

func newModel(g *game.Game, cfg config) *model {
	k := g.Players()
	m := &model{k: k, base: make([]int64, k), col: make([][]int64, k), free: make([]bool, k), score: make([]float64, k), cfg: cfg}
	flat := make([]int64, k*k)
	for u := range k {
		m.col[u] = flat[u*k : (u+1)*k : (u+1)*k]
	}
	var row []int64
	for j := range k {
		row = g.Row(j, row)
		for u, v := range row {
			m.col[u][j] = v
		}
	}
	lo, hi := g.MuBounds()
	m.L0, m.H0 = slices.Clone(lo), slices.Clone(hi)
	for j := range k {
		m.base[j] = g.Base(j)
	}
	for u := range k {
		if g.Null(u) && g.Delta(u) == 0 {
			m.free[u] = true
			m.nFree++
		}
	}
	m.nt = m.nFree == 0
	m.pair = cfg.pair
	// Initial activities below 1, the first bump: they only order the
	// players until conflicts do.
	raw := make([]float64, k)
	for u := range k {
		switch cfg.order {
		case orderMass:
			for j, v := range m.col[u] {
				if j != u {
					raw[u] += math.Abs(float64(v))
				}
			}
		case orderBase:
			raw[u] = float64(g.Base(u))
		case orderIndex:
			raw[u] = float64(k - u)
		}
	}
	lo2, hi2 := math.Inf(1), math.Inf(-1)
	for _, r := range raw {
		lo2, hi2 = min(lo2, r), max(hi2, r)
	}
	for u, r := range raw {
		if hi2 > lo2 {
			m.score[u] = 0.5 * (r - lo2) / (hi2 - lo2)
		}
	}
	return m
}

// driver runs the engines and assembles the result.
type driver struct {
	m       *model
	g       *game.Game
	opt     solvers.Options
	stopped *atomic.Bool
}

func (d *driver) check(a []bool) error {
	_, ok, err := d.g.Check(a)
	if err != nil {
		return err
	}
	if !ok {
		return errors.New("search: internal error: a profile the search accepted is no equilibrium")
	}
	return nil
}

// proofEntries caps the entries (literals, hints, ids) that the engines'
// certificate logs hold together: 2^26, about 400 MiB. A search that
// outgrows it answers without a certificate.
const proofEntries = 1 << 26

func (d *driver) newEngine() *engine {
	e := newEngine(d.m, d.opt.Certify)
	e.logCap = proofEntries / max(d.opt.Workers, 1)
	if d.m.cfg.proofEntries > 0 {
		e.logCap = d.m.cfg.proofEntries
	}
	e.count = d.opt.Count
	e.listMax = max(d.opt.List, 1)
	e.checkSol = d.check
	e.stop = func() bool { return d.stopped.Load() }
	return e
}

// cube is one part of a split search and what it found.
type cube struct {
	as      []lit
	done    bool // searched to its end (or to its first equilibrium)
	sat     bool
	witness []bool
	worker  int
	final   pid
	finalD  []int32 // the refuting clause, DIMACS
}

func (d *driver) run() (*solvers.Result, error) {
	m := d.m
	root := d.newEngine()
	workers := max(d.opt.Workers, 1)
	// Players left after level 0 decide whether a split pays.
	if c := root.propagate(); c != nil {
		// Refuted at level 0: the bounds alone leave no equilibrium.
		root.st.conflicts++
		root.finalClause(c.lits, c.pid, -1, -1)
		return d.result([]*engine{root}, false, nil, func() []byte {
			return writeCertificate(m.k, []*proofLog{root.log})
		})
	}
	var open []int32
	for u := range m.k {
		if root.val[u] < 0 {
			open = append(open, int32(u))
		}
	}
	nc := 0
	if workers > 1 {
		nc = min(bits.Len(uint(workers-1))+m.cfg.cubeBits, len(open)-4)
	}
	if nc <= 0 {
		st := root.solve(nil)
		return d.result([]*engine{root}, st == stStopped, root.witness, func() []byte {
			return writeCertificate(m.k, []*proofLog{root.log})
		})
	}
	// Cube players: the first of the initial order among those left. The
	// cubes are the leaves of a binary tree over them, the side the
	// bounds lean to (as a single search would branch) first: cube 0 is
	// what a single search would try first.
	slices.SortStableFunc(open, func(a, b int32) int { return cmp.Compare(m.score[b], m.score[a]) })
	cv := open[:nc]
	pref := make([]bool, nc)
	for b, v := range cv {
		lb, ub := root.bounds(int(v))
		pref[b] = ub > -lb
	}
	cubes := make([]cube, 1<<nc)
	for i := range cubes {
		as := make([]lit, nc)
		for b, v := range cv {
			as[b] = mkLit(int(v), (i>>(nc-1-b)&1 == 1) != pref[b])
		}
		cubes[i].as = as
	}
	engines := make([]*engine, workers)
	engines[0] = root
	for w := 1; w < workers; w++ {
		engines[w] = d.newEngine()
	}
	// When deciding, the first equilibrium any worker finds ends the
	// search (found): the answer does not depend on Workers, the witness
	// may (the smallest cube that reached one).
	var next atomic.Int64
	var found atomic.Bool
	var wg sync.WaitGroup
	for w, e := range engines {
		wg.Go(func() {
			e.stop = func() bool { return d.stopped.Load() || found.Load() }
			for {
				at := next.Add(1) - 1
				if at >= int64(len(cubes)) || found.Load() || d.stopped.Load() {
					return
				}
				c := &cubes[at]
				e.witness = nil
				st := e.solve(c.as)
				c.worker = w
				switch st {
				case stStopped:
					continue
				case stSat:
					c.sat, c.witness = true, e.witness
					found.Store(true)
				default:
					c.witness = e.witness
					if e.log != nil {
						c.final = e.final
						c.finalD = slices.Clone(e.finalD)
					}
				}
				c.done = true
			}
		})
	}
	wg.Wait()
	stopped := false
	var witness []bool
	for i := range cubes {
		c := &cubes[i]
		if !c.done {
			stopped = true
		}
		if witness == nil && c.witness != nil {
			witness = c.witness
		}
	}
	if d.opt.Count {
		witness = nil // the smallest, from the engines' lists
	}
	return d.result(engines, stopped, witness, func() []byte {
		logs := make([]*proofLog, 0, workers+1)
		for _, e := range engines {
			logs = append(logs, e.log)
		}
		comb := &proofLog{}
		logs = append(logs, comb)
		var join func(depth, lo int) ([]int32, pid)
		join = func(depth, lo int) ([]int32, pid) {
			if depth == nc {
				c := &cubes[lo]
				return c.finalD, comb.external(c.worker, c.final)
			}
			// The left subtree assumed lit; its refutations hold x = ¬lit.
			x := -dimacs(mkLit(int(cv[depth]), pref[depth]))
			l, lp := join(depth+1, lo)
			r, rp := join(depth+1, lo+1<<(nc-1-depth))
			if !slices.Contains(l, x) {
				return l, lp
			}
			if !slices.Contains(r, -x) {
				return r, rp
			}
			var res []int32
			for _, q := range l {
				if q != x {
					res = append(res, q)
				}
			}
			for _, q := range r {
				if q != -x && !slices.Contains(res, q) {
					res = append(res, q)
				}
			}
			return res, comb.deriveDimacs(res, []pid{lp, rp})
		}
		join(0, 0)
		return writeCertificate(m.k, logs)
	})
}

// result assembles the answer from the engines' tallies.
func (d *driver) result(engines []*engine, stopped bool, witness []bool, proof func() []byte) (*solvers.Result, error) {
	var st counters
	var sols uint64
	allClosed, lost := false, false
	var listed [][]bool
	for _, e := range engines {
		st.add(e.st)
		sols += e.sols
		allClosed = allClosed || e.allClosed
		lost = lost || e.proofLost
		if e.solErr != nil {
			return nil, e.solErr
		}
		for _, a := range e.listed {
			listed = keepSmallest(listed, a, max(d.opt.List, 1))
		}
	}
	res := &solvers.Result{Stats: map[string]float64{
		"nodes":        float64(st.nodes),
		"conflicts":    float64(st.conflicts),
		"propagations": float64(st.propagations),
		"explanations": float64(st.explanations),
		"learned":      float64(st.learned),
		"learned-lits": float64(st.learnedLits),
		"restarts":     float64(st.restarts),
		"deleted":      float64(st.deleted),
		"row-misses":   float64(st.rowMisses),
	}}
	free := solvers.FreePlayers(d.g)
	if d.opt.Count && len(listed) > 0 {
		witness = listed[0]
	}
	if witness != nil {
		res.Witness = d.nonTrivial(witness, free)
	}
	if stopped {
		// Counting stopped: any equilibrium found is still one.
		if witness != nil {
			res.Answer = solvers.Found
		}
		return res, nil
	}
	if witness != nil {
		res.Answer = solvers.Found
	} else {
		res.Answer = solvers.None
	}
	if d.opt.Count {
		c, err := solvers.CountWithFree(sols, d.m.nFree, allClosed)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		res.Count, res.Counted = c, true
		if d.opt.List > 0 {
			res.Listed = solvers.ExpandFree(listed, free, d.opt.List)
		}
	}
	if res.Answer == solvers.None && d.opt.Certify && !lost {
		res.Proof = solvers.NewProof(solvers.ProofSearch, proof())
	}
	return res, nil
}

// nonTrivial returns a, with a free player opened if a is all-closed.
func (d *driver) nonTrivial(a []bool, free []int) []bool {
	if game.NonTrivial(a) || len(free) == 0 {
		return a
	}
	b := slices.Clone(a)
	b[free[0]] = true
	return b
}
