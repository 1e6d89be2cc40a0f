// Package gophersat decides the non-trivial equilibrium question with the
// gophersat SAT/PB solver (github.com/crillab/gophersat), in two ways:
//
//   - "gophersat" works on the formula of a corrected reduction game: a
//     non-trivial equilibrium is a model other than all-false, so it solves
//     F ∧ (x1 ∨ … ∨ xn).
//   - "gophersat-pb" works on any integer game, through the pseudo-Boolean
//     encoding of Lemma 1 (encodings.EncodePB), whose models it enumerates
//     and maps back to equilibria. Under Options.Certify it decides the
//     same encoding in clauses (encodings.EncodeCNF) instead.
//
// Range of gophersat-pb. It is exact for every game of magnitude at most
// 2^57 (for example every |D_ij| and |d_i| up to 2^50 with up to 61
// players; the magnitude is defined by package encodings, after dividing
// the game by the gcd of its entries and, if needed, shifting every d_i by
// the same constant), and refuses larger games (a solvers.RefusedError
// that states the range and the game's magnitude: encodings.CheckRange).
// gophersat v1.4.0 keeps a constraint's degree in 30 bits and silently
// weakens constraints of larger degree, so from payoffs of about 2^26 it
// returned models that violate them. Every constraint it gets here has
// degree, and so every weight, at most 2^16: the encoding splits
// constraints with larger weights into base-2^s digits with carry
// variables (see encodings.Constraint); games whose weights are already
// small (reduction games) get the same encoding as before.
//
// gophersat cannot be interrupted and shares global state between solvers.
// In-process solves are therefore serialized by a package mutex, and a solve
// whose context can end (a deadline or a cancel) runs in a child process
// through package isolate, which kills it when the context ends. Programs
// that use these solvers with a time limit must call isolate.Serve first
// thing in main.
//
// Neither solver uses gophersat's CountModels or Enumerate, which report
// some models more than once: counts come from repeated solves, each new
// model blocked by a clause over the action (or formula) variables.
package gophersat

import (
	"context"
	"errors"
	"runtime/debug"
	"sync"

	"github.com/crillab/gophersat/solver"

	"github.com/nashbench/nashbench/encodings"
	"github.com/nashbench/nashbench/isolate"
	"github.com/nashbench/nashbench/solvers"
)

// Names under which the solvers are registered.
const (
	NameCNF = "gophersat"
	NamePB  = "gophersat-pb"
)

func init() {
	solvers.Register(NameCNF, func() solvers.Solver { return CNF{} })
	solvers.Register(NamePB, func() solvers.Solver { return PB{} })
}

// mu serializes every in-process use of gophersat: its learning code writes
// to a package-level buffer.
var mu sync.Mutex

// CNF is the "gophersat" solver: satisfiability of the formula with the
// all-false model excluded.
type CNF struct{}

// Solve implements solvers.Solver.
func (CNF) Solve(ctx context.Context, p *solvers.Problem, opt solvers.Options) (*solvers.Result, error) {
	if err := checkFormula(p); err != nil {
		return nil, err
	}
	if ctx.Done() != nil {
		return isolate.Pooled(ctx, NameCNF, p, opt)
	}
	return solveCNF(p, opt)
}

// Certifies implements solvers.Certifier: under Options.Certify, a
// refutation comes with gophersat's certificate as a DRAT proof.
func (CNF) Certifies() bool { return true }

// Describe implements solvers.Describer.
func (c CNF) Describe(context.Context) solvers.Description {
	return solvers.Description{Input: "formula", Version: moduleVersion(), Certifies: c.Certifies()}
}

// Describe implements solvers.Describer.
func (PB) Describe(context.Context) solvers.Description {
	return solvers.Description{Input: "game", Version: moduleVersion()}
}

// moduleVersion is gophersat's module version from the build info; ""
// in binaries without it (test binaries).
func moduleVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "github.com/crillab/gophersat" {
				return d.Version
			}
		}
	}
	return ""
}

// PB is the "gophersat-pb" solver: the pseudo-Boolean encoding of Lemma 1.
// Under Options.Certify (without Count) it decides the game's CNF encoding
// with gophersat certified instead, and proves a negative answer: the
// route package bench takes to certify another solver's "no" on a game.
// Its own route writes no proof, so Describe does not say Certifies.
type PB struct{}

// Solve implements solvers.Solver.
func (PB) Solve(ctx context.Context, p *solvers.Problem, opt solvers.Options) (*solvers.Result, error) {
	if p.Game == nil {
		return nil, errors.New("gophersat-pb: the problem has no game")
	}
	if err := encodings.CheckRange(p.Game); err != nil {
		return nil, err
	}
	if ctx.Done() != nil {
		return isolate.Pooled(ctx, NamePB, p, opt)
	}
	return solvePB(p, opt, encodings.EncodePB, NamePB)
}

// Enumerate solves with s until it runs out of models or visit says stop,
// blocking each model on variables 1..n (those that tell models apart) by a
// clause added to the same solver. It holds mu, and returns
// the number of Solve calls. It is exported for package encodings' tests
// (see NewProblem).
func Enumerate(s *solver.Solver, visit func(model []bool) (stop bool), n int) (solves int) {
	mu.Lock()
	defer mu.Unlock()
	for {
		solves++
		if s.Solve() != solver.Sat {
			return solves
		}
		if visit(s.Model()) {
			return solves
		}
		// Block the model on the first n variables.
		m := s.Model()
		lits := make([]int32, n)
		for v := range n {
			lits[v] = int32(v + 1)
			if m[v] {
				lits[v] = -lits[v]
			}
		}
		s.AppendClause(solver.NewClause(solver.IntsToLits(lits...)))
	}
}

// solverStats reports gophersat's counters (cumulative over the solves of
// one solver) and the number of solves. All of them are deterministic:
// gophersat v1.4.0 has no randomness and no time-based decisions (its
// Verbose ticker only prints), so the same problem gives the same counts.
//
//   - conflicts, decisions, restarts: Stats.NbConflicts, NbDecisions,
//     NbRestarts;
//   - learned: clauses (PB: constraints) of two or more literals learned,
//     Stats.NbLearned; learned-binary: those of exactly two literals,
//     Stats.NbBinaryLearned (counted by the clause solver only: the PB
//     solver's cutting planes never increment it);
//   - learned-units: literals learned at the top level, Stats.NbUnitLearned;
//   - deleted: learned clauses removed by database reductions,
//     Stats.NbDeleted;
//   - solves: calls to Solve (1 to decide, one more per model counted).
//
// There is no propagation counter: solver.Stats has none, and the
// propagation loop (Solver.propagate, watcher.go) counts nothing that is
// exported. Counting propagations would take a patched copy of gophersat,
// and a number derived from the others (decisions, conflicts) would be
// invented, not measured, so none is reported.
func solverStats(st solver.Stats, solves int) map[string]float64 {
	return map[string]float64{
		"conflicts":      float64(st.NbConflicts),
		"decisions":      float64(st.NbDecisions),
		"restarts":       float64(st.NbRestarts),
		"learned":        float64(st.NbLearned),
		"learned-binary": float64(st.NbBinaryLearned),
		"learned-units":  float64(st.NbUnitLearned),
		"deleted":        float64(st.NbDeleted),
		"solves":         float64(solves),
	}
}
