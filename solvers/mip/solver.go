package mip

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/highs"
	"github.com/nashbench/nashbench/solvers"
)

func init() {
	solvers.Register("highs-paper", func() solvers.Solver { return NewSolver("paper") })
	solvers.Register("highs-compact", func() solvers.Solver { return NewSolver("compact") })
}

// builders maps each formulation's name to the function that builds it.
var builders = map[string]func(*game.Game) (*Formulation, error){
	"paper":         paperFormulation,
	"paper-printed": paperPrintedFormulation,
	"compact":       compactFormulation,
}

// formulations are the builders of builders that stop early as buildWithin
// says, with their model's size computed from the game where it can be
// (the compact model's size is known only once built). Like builders, they
// refuse games beyond the formulation's exact range.
var formulations = map[string]struct {
	build func(context.Context, *game.Game) (*Formulation, error)
	size  func(*game.Game) modelSize
}{
	"paper": {func(ctx context.Context, g *game.Game) (*Formulation, error) {
		n, err := inRange(g, "highs-paper", PaperRange)
		if err != nil {
			return nil, err
		}
		return paper(ctx, n, false)
	}, paperSize},
	"paper-printed": {func(ctx context.Context, g *game.Game) (*Formulation, error) { return paper(ctx, g, true) }, paperSize},
	"compact": {func(ctx context.Context, g *game.Game) (*Formulation, error) {
		n, err := inRange(g, "highs-compact", CompactRange)
		if err != nil {
			return nil, err
		}
		return compact(ctx, n, defaultCompact)
	}, nil},
}

// Solver decides a game's non-trivial pure equilibria with one formulation
// and HiGHS. It holds one HiGHS instance, created on first use and reused;
// a mutex serialises solves, so one Solver may be shared by goroutines (use
// several Solvers to solve in parallel). Close releases the instance (a
// Solver dropped without Close releases it when garbage collected).
type Solver struct {
	name  string
	build func(context.Context, *game.Game) (*Formulation, error)
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

// NewSolver returns a Solver for the named formulation (see builders); it
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
	f, err := buildWithin(withBudget(ctx, s.MaxModelBytes), s.build, p.Game)
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
				c, err := f.count(found, zeroFound)
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
		raw := f.raw(sol.ColValues)
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
		res.Listed = append(res.Listed, solvers.ExpandFree([][]bool{raw}, f.free, opt.List-len(res.Listed))...)
		if f.actionColumns() == 0 {
			// Nothing to exclude: the fixed profile was the only one.
			c, err := f.count(found, zeroFound)
			if err != nil {
				return nil, err
			}
			res.Count, res.Counted = c, true
			return res, nil
		}
		f.exclude(raw)
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
func (f *Formulation) count(found uint64, zeroFound bool) (int64, error) {
	c, err := solvers.CountWithFree(found, len(f.free), zeroFound && !f.anyFixed && len(f.free) > 0)
	if err != nil {
		return 0, fmt.Errorf("mip: %w", err)
	}
	return c, nil
}
