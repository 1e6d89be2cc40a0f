// Package mip decides non-trivial pure equilibria with mixed-integer programs
// solved by HiGHS (package highs). The programs are the formulations of
// package encodings/lp, built from the game alone: the paper's Theorem 2
// with constraint (N) corrected (highs-paper; as printed, "paper-printed",
// for tests only: it is wrong), nashbench's much smaller and stronger
// compact model (highs-compact), the pairwise model (highs-pairwise) and
// the top-two model (highs-top2). ForSolver builds them for other MIP
// solvers (package solvers/external).
//
// Exact coefficients are not enough: HiGHS works in floating point with
// absolute tolerances (1e-6 on integrality, 1e-7 on rows), so once the
// numbers are large against the unit step of integer payoffs it calls
// feasible models infeasible (a wrong no-pne) or accepts profiles that are
// not equilibria (an error, since every witness is checked). Measured on
// random games against exhaustive checking, the first failures came at a
// progress spread (Spread: max mu - min mu over all profiles, after
// normalizing) of about 2^23 for both formulations; tighter HiGHS
// tolerances and presolve off moved that by less than a factor of two. So
// the solvers refuse (solvers.RefusedError) games whose normalized spread
// exceeds CompactRange (highs-compact) or PaperRange (highs-paper), 2^18
// each: highs-compact and highs-paper decide exactly or not at all. A game
// beyond the limit is first tried with each column's median subtracted
// (lp.Fit), which is exact too. lp.Export applies no such limit.
package mip

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/nashbench/nashbench/encodings/lp"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/highs"
	"github.com/nashbench/nashbench/solvers"
)

func init() {
	solvers.Register("highs-pairwise", func() solvers.Solver { return NewSolver("pairwise") })
	solvers.Register("highs-paper", func() solvers.Solver { return NewSolver("paper") })
	solvers.Register("highs-compact", func() solvers.Solver { return NewSolver("compact") })
	solvers.Register("highs-top2", func() solvers.Solver { return NewSolver("top2") })
}

// builder builds a formulation's model of a game, stopping when ctx ends
// (returning ctx.Err()) or check fails (see lp.Build).
type builder func(ctx context.Context, g *game.Game, check lp.Check) (*lp.Formulation, error)

// within is the builder of the formulation name (lp.Build) that refuses
// games beyond limit as inRange says, naming solver.
func within(name, solver string, limit int64) builder {
	return func(ctx context.Context, g *game.Game, check lp.Check) (*lp.Formulation, error) {
		n, err := inRange(g, solver, limit)
		if err != nil {
			return nil, err
		}
		return lp.Build(ctx, n, name, check)
	}
}

// formulations are the builders of each formulation a Solver takes, with
// their model's size computed from the game where it can be (the other
// models' sizes are known only once built). They refuse games beyond the
// formulation's exact range, but for paper-printed (tests only).
var formulations = map[string]struct {
	build builder
	size  func(*game.Game) modelSize
}{
	"paper": {within("paper", "highs-paper", PaperRange), paperSize},
	"paper-printed": {func(ctx context.Context, g *game.Game, check lp.Check) (*lp.Formulation, error) {
		return lp.Build(ctx, g, "paper-printed", check)
	}, paperSize},
	"compact":  {within("compact", "highs-compact", CompactRange), nil},
	"pairwise": {within("pairwise", "highs-pairwise", PairwiseRange), nil},
	"top2":     {within("top2", "highs-top2", Top2Range), nil},
}

// Solver decides a game's non-trivial pure equilibria with one formulation
// and HiGHS. It holds one HiGHS instance, created on first use and reused;
// a mutex serialises solves, so one Solver may be shared by goroutines (use
// several Solvers to solve in parallel). Close releases the instance (a
// Solver dropped without Close releases it when garbage collected).
type Solver struct {
	name  string
	build builder
	size  func(*game.Game) modelSize // nil: no size check before building
	// HiGHS are the HiGHS options of every solve; the time limit comes from
	// the context's deadline.
	HiGHS highs.Options
	// MaxModelBytes bounds the memory a model is estimated to need, in Go
	// and in HiGHS's wasm heap together (see modelSize); NewSolver sets it
	// to DefaultMaxModelBytes, and zero means no limit but the wasm heap's.
	// Solve refuses (solvers.RefusedError) a game whose model is over it:
	// before building when the size is known from the game (paper), else
	// as soon as the model being built grows past it (compact: pruning
	// decides its size, and on reduction games leaves a few rows of what
	// any bound from the game allows).
	MaxModelBytes int64
	// JumpFrom is the least number of binary columns on which HiGHS runs
	// its feasibility-jump heuristic; on smaller models Solve turns it off
	// (NoFeasibilityJump). Zero leaves HiGHS.NoFeasibilityJump as set.
	JumpFrom int

	mu sync.Mutex
	hs *highs.Solver
}

// NewSolver returns a Solver for the named formulation (see formulations); it
// panics on an unknown name. Its HiGHS options are HiGHS's defaults, with
// JumpFrom = DefaultJumpFrom.
func NewSolver(formulation string) *Solver {
	f, ok := formulations[formulation]
	if !ok {
		panic("mip: unknown formulation " + formulation)
	}
	return &Solver{name: formulation, build: f.build, size: f.size, MaxModelBytes: DefaultMaxModelBytes, JumpFrom: DefaultJumpFrom}
}

// DefaultJumpFrom is NewSolver's JumpFrom. Feasibility jump is a local
// search, run once before branch and bound, that costs about 10 ms
// whatever the model's size: on reduction games of 10-20 variables that is
// most of a solve, while from about 25 variables on it finds most models
// of satisfiable formulas at once (at n = 100, 5 of 10 instances took
// 11 ms instead of 0.8-3.2 s; at n = 200, 2 of the 5 satisfiable ones were
// found in 23 ms where branch and bound ran out of 60 s).
const DefaultJumpFrom = 24

// Close releases the HiGHS instance; a later Solve makes a new one.
func (s *Solver) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hs != nil {
		s.hs.Close()
		s.hs = nil
	}
	return nil
}

// Describe implements solvers.Describer: the version is HiGHS's.
func (s *Solver) Describe(context.Context) solvers.Description {
	return solvers.Description{Input: "game", Version: highs.Version}
}

// Prepare implements solvers.Preparer: it loads HiGHS, which Solve would
// otherwise do on first use.
func (s *Solver) Prepare(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hs != nil {
		return nil
	}
	hs, err := highs.NewSolver(ctx)
	if err != nil {
		return err
	}
	s.hs = hs
	return nil
}

// Solve implements solvers.Solver: it builds the model from p.Game (never
// from p.Formula) and runs HiGHS, which stops at the first feasible point
// (the objective is 0). Every profile HiGHS returns is checked with
// game.Check; one that fails is an error, never an answer.
//
// With opt.Count, equilibria are enumerated by no-good cuts: after each one
// found, a row excluding its actions is added and the MIP solved again, so
// counting N equilibria costs N+1 MIP solves (each at least about a
// millisecond, and each harder than the last). That is for small counts.
// Null players are not columns of the compact model: each free one (delta =
// 0) doubles the count, as in solvers/enum.
//
// When ctx ends first the answer is Unknown (or Found without a count, if
// an equilibrium was already found while counting): the builders look at
// ctx as they go, and HiGHS is given up on when ctx ends (see
// highs.Solver.Solve), so Solve returns within milliseconds of the end.
// Models over MaxModelBytes are refused.
func (s *Solver) Solve(ctx context.Context, p *solvers.Problem, opt solvers.Options) (*solvers.Result, error) {
	unknown := &solvers.Result{}
	if ctx.Err() != nil {
		return unknown, nil
	}
	if s.size != nil {
		if err := s.size(p.Game).over("the "+s.name+" model would have", s.MaxModelBytes); err != nil {
			return nil, err
		}
	}
	f, err := s.build(ctx, p.Game, budget(s.MaxModelBytes))
	if err != nil {
		if ctx.Err() != nil {
			return unknown, nil
		}
		return nil, err
	}
	bin, rows, nz := modelCounts(f.Model)
	res := &solvers.Result{Stats: map[string]float64{
		"binaries": float64(bin), "rows": float64(rows), "nonzeros": float64(nz),
		"columns": float64(len(f.Model.ColCosts)),
	}}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ctx.Err() != nil {
		return res, nil // ended while building or waiting for the lock
	}
	if s.hs == nil {
		if s.hs, err = highs.NewSolver(ctx); err != nil {
			if ctx.Err() != nil {
				return res, nil
			}
			return nil, err
		}
	}
	hopt := s.options(bin)
	var found uint64
	zeroFound := false // the all-closed action columns were an equilibrium
	for {
		sol, err := s.hs.Solve(ctx, f.Model, hopt)
		if err != nil {
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return res, nil
			}
			return nil, err
		}
		res.Stats["nodes"] += float64(sol.Nodes)
		res.Stats["solves"]++
		// HiGHS's LP iterations, summed over the solves; left out once a
		// solve's count overflowed (-1), since the sum is then unknown.
		if _, known := res.Stats["lp-iterations"]; (known || res.Stats["solves"] == 1) && sol.LPIterations >= 0 {
			res.Stats["lp-iterations"] += float64(sol.LPIterations)
		} else {
			delete(res.Stats, "lp-iterations")
		}
		switch sol.Status {
		case highs.Optimal:
		case highs.Infeasible:
			if found == 0 {
				res.Answer = solvers.None
			}
			if opt.Count {
				c, err := count(f, found, zeroFound)
				if err != nil {
					return nil, err
				}
				res.Count, res.Counted = c, true
				if c == 0 {
					res.Answer, res.Witness, res.Listed = solvers.None, nil, nil
				}
			}
			return res, nil
		case highs.TimeLimit, highs.Interrupt:
			return res, nil
		default:
			return nil, fmt.Errorf("mip: HiGHS ended with status %v on the %s model", sol.Status, f.Name)
		}
		if sol.ColValues == nil {
			return nil, fmt.Errorf("mip: HiGHS reported %v without a solution on the %s model", sol.Status, f.Name)
		}
		raw := f.Raw(sol.ColValues)
		a := f.Decode(sol.ColValues)
		if dev, ok, err := p.Game.Check(a); err != nil {
			return nil, err
		} else if !ok {
			return nil, fmt.Errorf("mip: the %s model accepted a profile that is not an equilibrium (%s gains %d by flipping): a formulation or tolerance error",
				f.Name, p.Game.Name(dev.Player), dev.Gain)
		}
		if game.NonTrivial(a) && res.Witness == nil {
			res.Answer, res.Witness = solvers.Found, a
		}
		if !opt.Count {
			if res.Witness == nil {
				return nil, fmt.Errorf("mip: the %s model accepted the all-closed profile", f.Name)
			}
			return res, nil
		}
		found++
		if !game.NonTrivial(raw) {
			zeroFound = true
		}
		res.Listed = append(res.Listed, solvers.ExpandFree([][]bool{raw}, f.Free(), opt.List-len(res.Listed))...)
		if f.ActionColumns() == 0 {
			// Nothing to exclude: the fixed profile was the only one.
			c, err := count(f, found, zeroFound)
			if err != nil {
				return nil, err
			}
			res.Count, res.Counted = c, true
			return res, nil
		}
		f.Exclude(raw)
	}
}

// options are the HiGHS options of a model with the given number of
// binary columns (see JumpFrom).
func (s *Solver) options(binaries int) highs.Options {
	o := s.HiGHS
	if s.JumpFrom > 0 && binaries < s.JumpFrom {
		o.NoFeasibilityJump = true
	}
	return o
}

// count turns the number of equilibria found over the action columns into
// the number of non-trivial equilibria of the game (see
// solvers.CountWithFree).
func count(f *lp.Formulation, found uint64, zeroFound bool) (int64, error) {
	c, err := solvers.CountWithFree(found, len(f.Free()), zeroFound && !f.AnyFixed() && len(f.Free()) > 0)
	if err != nil {
		return 0, fmt.Errorf("mip: %w", err)
	}
	return c, nil
}
