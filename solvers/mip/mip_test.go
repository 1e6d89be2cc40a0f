package mip

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/encodings/lp"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/highs"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/internal/testtool"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/enum"
	"github.com/nashbench/nashbench/solvers/gophersat"
	"github.com/nashbench/nashbench/verify"
)

// Solvers shared by the tests of this package: one HiGHS instance each.
var (
	shared   = map[string]*Solver{}
	sharedMu sync.Mutex
)

func solver(name string) *Solver {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if s, ok := shared[name]; ok {
		return s
	}
	s := NewSolver(name)
	shared[name] = s
	return s
}

// check solves p with s and compares with enum: the answer always, the
// count when count is set; every witness and listed profile must pass
// solvers.Verify.
func check(t *testing.T, s *Solver, p *solvers.Problem, count bool, what string) {
	t.Helper()
	opt := solvers.Options{Count: count, List: 3}
	want, err := enum.Solver{}.Solve(context.Background(), p, opt)
	require.NoError(t, err)
	got, err := s.Solve(context.Background(), p, opt)
	require.NoError(t, err, what)
	require.Equal(t, want.Answer, got.Answer, what)
	require.NoError(t, verify.Result(p, got), what)
	if count {
		require.True(t, got.Counted, what)
		require.Equal(t, want.Count, got.Count, what)
		require.Equal(t, min(int(want.Count), 3), len(got.Listed), what)
	} else {
		assert.False(t, got.Counted)
	}
	assert.Positive(t, got.Stats["solves"])
	assert.Contains(t, got.Stats, "nodes")
	assert.Contains(t, got.Stats, "binaries")
	assert.Contains(t, got.Stats, "rows")
}

// Both formulations decide exactly what enumeration decides, on random
// small games of every kind, and count equilibria the same on a subset.
// -short decides the first 25 and 8 games of each kind (the paper
// model's ninth constant-and-twins game, counted, takes 4 s alone).
func TestMatchesEnumOnRandomGames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		form   string
		games  int // per kind
		short  int // games per kind with -short
		countN int // count every countN-th game
	}{
		{"compact", 100, 25, 3},
		{"paper", 40, 8, 8},
	}
	if testing.Short() {
		for i := range tests {
			tests[i].games = tests[i].short
		}
	}
	for _, tt := range tests {
		for q, kind := range testgen.Kinds {
			t.Run(tt.form+"/"+kind.Name, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(uint64(q), 7))
				s := solver(tt.form)
				for n := range tt.games {
					g := kind.Draw(rng)
					check(t, s, &solvers.Problem{Game: g}, n%tt.countN == 0, fmt.Sprintf("game %d: %v", n, g))
				}
			})
		}
	}
}

// On reduction games of random formulas (clauses of 1 to 4 literals,
// repeats and complementary pairs included), under both reductions: the
// literal one has free null players (delta = 0), the corrected one none.
// -short decides the first 20 formulas of 60.
func TestMatchesEnumOnReductionGames(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(11, 11))
	s := solver("compact")
	formulas := 60
	if testing.Short() {
		formulas = 20
	}
	for n := range formulas {
		vars := 1 + rng.IntN(8)
		f := testgen.Formula(rng, vars, 1+rng.IntN(4*vars))
		for _, v := range []reduction.Variant{reduction.Corrected, reduction.Literal} {
			p, err := solvers.FromFormula(f, v)
			require.NoError(t, err)
			check(t, s, p, n%4 == 0, fmt.Sprintf("formula %v (%s)", f.Clauses, v))
		}
	}
	// The paper's model is slow on these: tiny formulas only.
	ps := solver("paper")
	for n := range 6 {
		f := testgen.Formula(rng, 1+rng.IntN(3), 1+rng.IntN(4))
		p, err := solvers.FromFormula(f, reduction.Corrected)
		require.NoError(t, err)
		check(t, ps, p, n%3 == 0, fmt.Sprintf("formula %v", f.Clauses))
	}
}

// On random 3-SAT at the threshold, the satisfiable instances' witnesses map
// to models, and the unsatisfiable ones are refuted.
func TestReduction3SAT(t *testing.T) {
	s := solver("compact")
	answers := map[solvers.Answer]int{}
	for _, n := range []int{5, 8} {
		for i := range 8 {
			f, _, err := instances.Spec{N: n, M: instances.ClausesForRatio(n, 4.26), K: 3, Seed: 1, Index: i}.Generate()
			require.NoError(t, err)
			p, err := solvers.FromFormula(f, reduction.Corrected)
			require.NoError(t, err)
			check(t, s, p, i%4 == 0, fmt.Sprintf("n=%d i=%d", n, i))
			r, err := s.Solve(context.Background(), p, solvers.Options{})
			require.NoError(t, err)
			answers[r.Answer]++
		}
	}
	assert.Positive(t, answers[solvers.Found])
	assert.Positive(t, answers[solvers.None])
}

// fixProfile returns a copy of f's model with every action column fixed to
// a's value.
func fixProfile(f *lp.Formulation, a []bool) *highs.Model {
	m := *f.Model
	m.ColLower = append([]float64(nil), m.ColLower...)
	m.ColUpper = append([]float64(nil), m.ColUpper...)
	for i := range a {
		if c := slices.Index(f.Cols, fmt.Sprintf("a%d", i+1)); c >= 0 {
			v := 0.0
			if a[i] {
				v = 1
			}
			m.ColLower[c], m.ColUpper[c] = v, v
		}
	}
	return &m
}

// ERRATA, Theorem 2: with (N) as printed the MIP accepts profiles that are
// not equilibria and rejects profiles that are; with the sign corrected it
// accepts exactly the non-trivial equilibria. Each profile of small random
// games is fixed in the model and the MIP asked whether it is feasible.
func TestPaperPrintedIsWrong(t *testing.T) {
	hs, err := highs.NewSolver(context.Background())
	require.NoError(t, err)
	defer hs.Close()
	rng := rand.New(rand.NewPCG(3, 3))
	accepted, rejected := 0, 0 // printed: non-equilibria accepted, equilibria rejected
	for n := 0; n < 60 && (accepted == 0 || rejected == 0 || n < 10); n++ {
		g := testgen.Game(rng, 2+rng.IntN(2), 3)
		k := g.Players()
		printed, err := paperPrintedFormulation(g)
		require.NoError(t, err)
		corrected, err := paperFormulation(g)
		require.NoError(t, err)
		for bits := uint64(1); bits < 1<<k; bits++ { // non-trivial profiles
			a := testgen.Profile(bits, k)
			eq := testgen.Equilibrium(g, a)
			feasible := func(f *lp.Formulation) bool {
				sol, err := hs.Solve(context.Background(), fixProfile(f, a), highs.Options{NoFeasibilityJump: true})
				require.NoError(t, err)
				require.Contains(t, []highs.ModelStatus{highs.Optimal, highs.Infeasible}, sol.Status)
				return sol.Status == highs.Optimal
			}
			require.Equal(t, eq, feasible(corrected), "corrected (N) on game %v at %v", g, a)
			switch p := feasible(printed); {
			case p && !eq:
				accepted++
			case !p && eq:
				rejected++
			}
		}
	}
	t.Logf("printed (N): %d non-equilibria accepted, %d equilibria rejected", accepted, rejected)
	assert.Positive(t, accepted, "the printed sign should accept some non-equilibrium")
	assert.Positive(t, rejected, "the printed sign should reject some equilibrium")
}

// Whole solves with the printed sign: its answers disagree with enumeration
// on some games (a wrong witness or a wrong "none"), which the solver
// reports as an error rather than as an answer.
func TestPaperPrintedSolverDisagrees(t *testing.T) {
	s := NewSolver("paper-printed")
	defer s.Close()
	rng := rand.New(rand.NewPCG(5, 5))
	wrong := 0
	for n := 0; n < 40 && wrong == 0; n++ {
		g := testgen.Game(rng, 2+rng.IntN(3), 3)
		p := &solvers.Problem{Game: g}
		want, err := enum.Solver{}.Solve(context.Background(), p, solvers.Options{})
		require.NoError(t, err)
		got, err := s.Solve(context.Background(), p, solvers.Options{})
		if err != nil {
			require.ErrorContains(t, err, "not an equilibrium")
			wrong++
		} else if got.Answer != want.Answer {
			wrong++
		}
	}
	assert.Positive(t, wrong)
}

func TestTimeLimit(t *testing.T) {
	// A dense 25-player game: HiGHS needs far more than a second on it
	// (dense games are the compact model's worst case).
	rng := rand.New(rand.NewPCG(25, 3))
	g := testgen.Game(rng, 25, 3)
	s := solver("compact")
	const deadline = time.Second
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	start := time.Now()
	r, err := s.Solve(ctx, &solvers.Problem{Game: g}, solvers.Options{})
	require.NoError(t, err)
	assert.Equal(t, solvers.Unknown, r.Answer)
	// Typically within milliseconds of the test's own deadline; the stop
	// allowance is for a loaded 2-core machine.
	assert.Less(t, time.Since(start), deadline+testtool.StopAllowance)

	// A context that has already ended: Unknown, no error.
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	r, err = s.Solve(ctx, &solvers.Problem{Game: g}, solvers.Options{})
	require.NoError(t, err)
	assert.Equal(t, solvers.Unknown, r.Answer)
}

func TestRefusesInexactGames(t *testing.T) {
	big := int64(1) << 54
	g, err := game.New(nil, [][]int64{{big, 1}, {-1, 2}}, []int64{0, 0})
	require.NoError(t, err)
	for name, build := range builders {
		_, err := build(g)
		require.True(t, solvers.IsRefused(err), "%s: %v", name, err)
		if name != "paper-printed" {
			require.Contains(t, err.Error(), "progress spread", name)
		}
	}
	_, err = paperPrintedFormulation(g)
	require.ErrorIs(t, err, lp.ErrTooLarge)
	// Within 2^53 per entry, but the paper's big-M rows add two of them:
	// beyond 2^53 when exported, beyond PaperRange long before.
	h := int64(1) << 52
	g, err = game.New(nil, [][]int64{{h, -h}, {-h, h}}, []int64{0, 1})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.ErrorIs(t, lp.Export(&buf, g, "paper"), lp.ErrTooLarge)
	_, err = solver("paper").Solve(context.Background(), &solvers.Problem{Game: g}, solvers.Options{})
	require.True(t, solvers.IsRefused(err), "%v", err)
	require.Contains(t, err.Error(), "highs-paper decides exactly only while")
}

// Exactly at the edge of float64's integers the answers stay right.
func TestLargeExactPayoffs(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	s := solver("compact")
	for n := range 10 {
		D, d := testgen.Game(rng, 2+rng.IntN(4), 3).Matrix()
		for i := range D {
			for j := range D[i] {
				D[i][j] <<= 40
			}
			d[i] <<= 40
		}
		check(t, s, &solvers.Problem{Game: testgen.FromMatrix(D, d)}, false, fmt.Sprint("game ", n))
	}
}

// One Solver shared by goroutines serialises its solves.
func TestSharedSolver(t *testing.T) {
	s := NewSolver("compact")
	defer s.Close()
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 99))
			for range 5 {
				g := testgen.Game(rng, 4, 3)
				p := &solvers.Problem{Game: g}
				want, err := enum.Solver{}.Solve(context.Background(), p, solvers.Options{})
				assert.NoError(t, err)
				got, err := s.Solve(context.Background(), p, solvers.Options{})
				if assert.NoError(t, err) {
					assert.Equal(t, want.Answer, got.Answer)
				}
			}
		})
	}
	wg.Wait()
}

func TestRegistered(t *testing.T) {
	for _, name := range []string{"highs-paper", "highs-compact"} {
		s, err := solvers.New(name)
		require.NoError(t, err)
		assert.IsType(t, &Solver{}, s)
	}
	assert.NotContains(t, solvers.Names(), "highs-paper-printed")
	assert.Panics(t, func() { NewSolver("nope") })
}

// All-null games have no action column; compact still answers.
func TestAllNull(t *testing.T) {
	for _, tt := range []struct {
		deltas []int64
		want   solvers.Answer
		count  int64
	}{
		{[]int64{-1, -2}, solvers.None, 0},
		{[]int64{-1, 0}, solvers.Found, 1},
		{[]int64{0, 0, -1}, solvers.Found, 3},
		{[]int64{3, -1}, solvers.Found, 1},
		{[]int64{3, 0}, solvers.Found, 2},
	} {
		k := len(tt.deltas)
		D := make([][]int64, k)
		for i := range D {
			D[i] = make([]int64, k)
			D[i][i] = tt.deltas[i]
		}
		g, err := game.New(nil, D, make([]int64, k))
		require.NoError(t, err)
		p := &solvers.Problem{Game: g}
		r, err := solver("compact").Solve(context.Background(), p, solvers.Options{Count: true, List: 10})
		require.NoError(t, err)
		assert.Equal(t, tt.want, r.Answer, "%v", tt.deltas)
		assert.Equal(t, tt.count, r.Count, "%v", tt.deltas)
		assert.Len(t, r.Listed, int(tt.count))
		require.NoError(t, verify.Result(p, r))
		check(t, solver("compact"), p, true, fmt.Sprint(tt.deltas))
	}
}

// The sizes of both formulations on reduction games, for the record.
func TestSizes(t *testing.T) {
	for _, spec := range []instances.Spec{
		{N: 8, M: instances.ClausesForRatio(8, 4.26), K: 3, Seed: 1},
		{N: 20, M: 91, K: 3, Seed: 1},
	} {
		f, _, err := spec.Generate()
		require.NoError(t, err)
		p, err := solvers.FromFormula(f, reduction.Corrected)
		require.NoError(t, err)
		for _, name := range []string{"paper", "compact"} {
			fm, err := builders[name](p.Game)
			require.NoError(t, err)
			bin, rows, nz := modelCounts(fm.Model)
			t.Logf("n=%d m=%d (%d players) %-8s %6d binaries %6d columns %6d rows %7d nonzeros",
				spec.N, spec.M, p.Game.Players(), name, bin, len(fm.Model.ColCosts), rows, nz)
			if name == "compact" {
				assert.Equal(t, spec.N, bin)
			} else {
				k := p.Game.Players()
				assert.Equal(t, k+2*k*(k-1), bin)
			}
		}
	}
}

// Each part of the compact model can be switched off (to measure it)
// without changing the answers (-short: 2 games of each kind and 2
// formulas per variant instead of 6).
func TestCompactAblations(t *testing.T) {
	t.Parallel()
	games := 6
	if testing.Short() {
		games = 2
	}
	for _, opt := range []lp.CompactOptions{
		{UnionCuts: true}, {NoPrune: true}, {NoCommon: true}, {NoConstant: true}, {NoZCuts: true}, {NoCapRows: true},
		{NoPrune: true, NoCommon: true, UnionCuts: true, NoZCuts: true},
	} {
		t.Run(fmt.Sprintf("%+v", opt), func(t *testing.T) {
			s := &Solver{build: func(ctx context.Context, g *game.Game, check lp.Check) (*lp.Formulation, error) {
				return lp.BuildCompact(ctx, g, opt, check)
			}, HiGHS: highs.Options{NoFeasibilityJump: true}}
			defer s.Close()
			rng := rand.New(rand.NewPCG(31, 31))
			for q, kind := range testgen.Kinds {
				for n := range games {
					g := kind.Draw(rng)
					check(t, s, &solvers.Problem{Game: g}, n%3 == 0, fmt.Sprintf("%s %d: game %v", kind.Name, q, g))
				}
			}
			for n := range games {
				f := testgen.Formula(rng, 1+rng.IntN(6), 1+rng.IntN(20))
				p, err := solvers.FromFormula(f, reduction.Corrected)
				require.NoError(t, err)
				check(t, s, p, n%3 == 0, fmt.Sprintf("formula %v", f.Clauses))
			}
		})
	}
}

// Prepare loads HiGHS ahead of the first solve, idempotently.
func TestPrepare(t *testing.T) {
	s := NewSolver("compact")
	defer s.Close()
	require.NoError(t, s.Prepare(context.Background()))
	require.NoError(t, s.Prepare(context.Background()))
	g, err := game.New(nil, [][]int64{{1, 0}, {0, -1}}, []int64{0, 0})
	require.NoError(t, err)
	r, err := s.Solve(context.Background(), &solvers.Problem{Game: g}, solvers.Options{})
	require.NoError(t, err)
	assert.Equal(t, solvers.Found, r.Answer)
}

// Beyond n = 40, where the pairwise budget once switched pruning off (the
// model jumped from 50 to 18,104 columns at n = 50), the compact model of
// a reduction game stays the formula: n binaries, no other column, one row
// per clause the cap does not satisfy and the non-triviality row. Its
// answers agree with gophersat on the formula. Each HiGHS solve takes
// about a second: -short solves one instance (n = 50) and builds every one.
func TestCompactLargeReductions(t *testing.T) {
	for _, tt := range []struct{ n, solve int }{{50, 4}, {60, 2}, {200, 0}, {400, 0}} {
		if testing.Short() {
			tt.solve = map[int]int{50: 1}[tt.n]
		}
		for i := range max(tt.solve, 1) {
			f, _, err := instances.Spec{N: tt.n, M: instances.ClausesForRatio(tt.n, 4.26), K: 3, Seed: 1, Index: i}.Generate()
			require.NoError(t, err)
			p, err := solvers.FromFormula(f, reduction.Corrected)
			require.NoError(t, err)
			fm, err := compactFormulation(p.Game)
			require.NoError(t, err)
			bin, rows, nz := modelCounts(fm.Model)
			assert.Equal(t, tt.n, bin, "n=%d", tt.n)
			assert.Len(t, fm.Model.ColCosts, tt.n, "n=%d", tt.n)
			assert.LessOrEqual(t, rows, len(f.Clauses)+1, "n=%d", tt.n)
			assert.LessOrEqual(t, nz, 3*len(f.Clauses)+tt.n, "n=%d", tt.n)
			if tt.solve == 0 {
				continue
			}
			want, err := gophersat.CNF{}.Solve(context.Background(), p, solvers.Options{})
			require.NoError(t, err)
			got, err := solver("compact").Solve(context.Background(), &solvers.Problem{Game: p.Game}, solvers.Options{})
			require.NoError(t, err)
			require.Equal(t, want.Answer, got.Answer, "n=%d instance %d", tt.n, i)
			require.NoError(t, verify.Result(p, got))
		}
	}
}

// Small reduction games (n <= 8, where about half the clauses hold each
// variable, so the common row is ambiguous) are the formula too: n
// binaries and no other column. The counts are the bench's corpus
// (BenchmarkSolve's four instances per size), summed; n = 6 once took 871
// columns and 670 rows there. The same games with all-false made a model
// keep the n columns. Answers agree with gophersat.
func TestCompactSmallReductions(t *testing.T) {
	for _, tt := range []struct{ n, cols, rows int }{
		{3, 12, 28}, {4, 16, 57}, {5, 20, 78}, {6, 24, 101}, {7, 28, 120}, {8, 32, 131},
	} {
		t.Run(fmt.Sprintf("n=%d", tt.n), func(t *testing.T) {
			cols, rows := 0, 0
			for i := range 4 {
				for _, allFalse := range []bool{false, true} {
					f, _, err := instances.Spec{N: tt.n, M: instances.ClausesForRatio(tt.n, 4.26), K: 3, Seed: 1, Index: i}.Generate()
					require.NoError(t, err)
					if allFalse {
						testgen.MakeAllFalseModel(f)
					}
					what := fmt.Sprintf("n=%d instance %d (all-false %v)", tt.n, i, allFalse)
					p, err := solvers.FromFormula(f, reduction.Corrected)
					require.NoError(t, err)
					fm, err := compactFormulation(p.Game)
					require.NoError(t, err)
					bin, r, _ := modelCounts(fm.Model)
					assert.Equal(t, tt.n, bin, what)
					assert.Len(t, fm.Model.ColCosts, tt.n, what)
					assert.LessOrEqual(t, r, len(f.Clauses)+1, what)
					if !allFalse {
						cols += len(fm.Model.ColCosts)
						rows += r
					}
					want, err := gophersat.CNF{}.Solve(context.Background(), p, solvers.Options{})
					require.NoError(t, err)
					got, err := solver("compact").Solve(context.Background(), &solvers.Problem{Game: p.Game}, solvers.Options{})
					require.NoError(t, err)
					require.Equal(t, want.Answer, got.Answer, what)
					require.NoError(t, verify.Result(p, got), what)
				}
			}
			assert.Equal(t, tt.cols, cols, "columns of the bench corpus")
			assert.Equal(t, tt.rows, rows, "rows of the bench corpus")
		})
	}
}

// Feasibility jump runs on models of JumpFrom binaries or more and only
// there; on a satisfiable 100-variable reduction game it finds the model
// before branch and bound (which takes 242 nodes without it).
func TestFeasibilityJumpBySize(t *testing.T) {
	s := NewSolver("compact")
	for _, tt := range []struct {
		set       bool // HiGHS.NoFeasibilityJump
		from, bin int
		want      bool // the solve's NoFeasibilityJump
	}{
		{from: DefaultJumpFrom, bin: DefaultJumpFrom - 1, want: true},
		{from: DefaultJumpFrom, bin: DefaultJumpFrom, want: false},
		{from: DefaultJumpFrom, bin: 1000, set: true, want: true}, // an explicit off stays off
		{from: 0, bin: 1, want: false},
		{from: 0, bin: 1, set: true, want: true},
	} {
		s.JumpFrom, s.HiGHS.NoFeasibilityJump = tt.from, tt.set
		assert.Equal(t, tt.want, s.options(tt.bin).NoFeasibilityJump, "%+v", tt)
	}
	f, _, err := instances.Spec{N: 100, M: instances.ClausesForRatio(100, 4.26), K: 3, Seed: 1, Index: 3}.Generate()
	require.NoError(t, err)
	p, err := solvers.FromFormula(f, reduction.Corrected)
	require.NoError(t, err)
	s = NewSolver("compact")
	defer s.Close()
	got, err := s.Solve(context.Background(), &solvers.Problem{Game: p.Game}, solvers.Options{})
	require.NoError(t, err)
	require.Equal(t, solvers.Found, got.Answer)
	require.NoError(t, verify.Result(p, got))
	assert.LessOrEqual(t, got.Stats["nodes"], 1.0)
}

// builders build each formulation as the solvers do, with their range
// checks (paper-printed has none).
var builders = func() map[string]func(*game.Game) (*lp.Formulation, error) {
	b := map[string]func(*game.Game) (*lp.Formulation, error){}
	for name, f := range formulations {
		b[name] = func(g *game.Game) (*lp.Formulation, error) { return f.build(context.Background(), g, nil) }
	}
	return b
}()

func paperFormulation(g *game.Game) (*lp.Formulation, error)   { return builders["paper"](g) }
func compactFormulation(g *game.Game) (*lp.Formulation, error) { return builders["compact"](g) }
func paperPrintedFormulation(g *game.Game) (*lp.Formulation, error) {
	return builders["paper-printed"](g)
}
