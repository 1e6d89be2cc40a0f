package highs

import (
	"bytes"
	"context"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/wazero/sys"

	"github.com/nashbench/nashbench/internal/testtool"
)

var inf = math.Inf(1)

func ptr[T any](x T) *T { return &x }

func TestKnownOptima(t *testing.T) {
	s := newSolver(t)
	tests := []struct {
		name    string
		model   *Model
		opt     Options
		obj     float64
		cols    []float64 // nil: optimum not unique, only the objective is checked
		rows    []float64
		mip     bool
		minNode int64
	}{
		{
			// max 3x+2y s.t. x+y<=4, x+3y<=6, x<=3.
			name: "lp-max",
			model: &Model{
				Maximize: true, ColCosts: []float64{3, 2}, ColUpper: []float64{3, inf},
				RowLower: []float64{-inf, -inf}, RowUpper: []float64{4, 6},
				ConstMatrix: []Nonzero{{0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {1, 1, 3}},
			},
			obj: 11, cols: []float64{3, 1}, rows: []float64{4, 6},
		},
		{
			// min x+y+5 s.t. x+2y>=2, 3x+y>=3; duplicates are summed (2 = 1.5+0.5).
			name: "lp-min-offset-duplicates",
			model: &Model{
				Offset: 5, ColCosts: []float64{1, 1},
				RowLower: []float64{2, 3}, RowUpper: []float64{inf, inf},
				ConstMatrix: []Nonzero{{0, 0, 1}, {0, 1, 1.5}, {1, 0, 3}, {1, 1, 1}, {0, 1, 0.5}},
			},
			obj: 6.4, cols: []float64{0.8, 0.6}, rows: []float64{2, 3},
		},
		{
			name: "lp-presolve-off",
			model: &Model{
				Offset: 5, ColCosts: []float64{1, 1},
				RowLower: []float64{2, 3}, RowUpper: []float64{inf, inf},
				ConstMatrix: []Nonzero{{0, 0, 1}, {0, 1, 2}, {1, 0, 3}, {1, 1, 1}},
			},
			opt: Options{Presolve: PresolveOff},
			obj: 6.4, cols: []float64{0.8, 0.6},
		},
		{
			// 0-1 knapsack whose LP relaxation is fractional (23.5).
			name: "mip-knapsack",
			model: &Model{
				Maximize: true, ColCosts: []float64{10, 13, 7, 8}, ColUpper: []float64{1, 1, 1, 1},
				RowLower: []float64{-inf}, RowUpper: []float64{10},
				ConstMatrix: []Nonzero{{0, 0, 4}, {0, 1, 6}, {0, 2, 3}, {0, 3, 5}},
				VarTypes:    []VarType{Integer, Integer, Integer, Integer},
			},
			obj: 23, cols: []float64{1, 1, 0, 0}, rows: []float64{10}, mip: true,
		},
		{
			// min 3x+2y s.t. x+y>=3.5, integers: rounding the row up gives y=4.
			name: "mip-general-integer",
			model: &Model{
				ColCosts: []float64{3, 2}, ColUpper: []float64{10, 10},
				RowLower: []float64{3.5}, RowUpper: []float64{inf},
				ConstMatrix: []Nonzero{{0, 0, 1}, {0, 1, 1}},
				VarTypes:    []VarType{Integer, Integer},
			},
			obj: 8, cols: []float64{0, 4}, mip: true,
		},
		{
			// Mixed: x continuous, y integer; max x+y s.t. -x+y<=1, 3x+2y<=12, 2x+3y<=12.
			name: "mip-mixed",
			model: &Model{
				Maximize: true, ColCosts: []float64{1, 1},
				RowLower: []float64{-inf, -inf, -inf}, RowUpper: []float64{1, 12, 12},
				ConstMatrix: []Nonzero{{0, 0, -1}, {0, 1, 1}, {1, 0, 3}, {1, 1, 2}, {2, 0, 2}, {2, 1, 3}},
				VarTypes:    []VarType{Continuous, Integer},
			},
			// y=2: x<=min(8/3, 3)=8/3 -> 14/3; y=3: x<=1.5 -> 4.5; y=1: x<=10/3 -> 13/3.
			obj: 14.0 / 3, cols: []float64{8.0 / 3, 2}, mip: true,
		},
		{
			// No rows: each column goes to its better bound.
			name: "mip-no-rows",
			model: &Model{
				ColCosts: []float64{1, -1}, ColUpper: []float64{1, 2.5},
				VarTypes: []VarType{Integer, Continuous},
			},
			obj: -2.5, cols: []float64{0, 2.5}, mip: true,
		},
		{
			name:  "mip-knapsack-30-gap",
			model: knapsack(30, 7),
			opt:   Options{MIPRelGap: ptr(0.0), RandomSeed: 3},
			obj:   knapsack30Optimum, mip: true,
		},
		{
			name:  "mip-knapsack-30-tight-tolerances",
			model: knapsack(30, 7),
			opt: Options{MIPRelGap: ptr(0.0), Doubles: map[string]float64{
				"mip_feasibility_tolerance": 1e-9, "primal_feasibility_tolerance": 1e-9,
			}},
			obj: knapsack30Optimum, mip: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sol, err := s.Solve(context.Background(), tc.model, tc.opt)
			require.NoError(t, err)
			require.Equal(t, Optimal, sol.Status)
			assert.InDelta(t, tc.obj, sol.Objective, 1e-6)
			require.Len(t, sol.ColValues, len(tc.model.ColCosts))
			for j, want := range tc.cols {
				assert.InDelta(t, want, sol.ColValues[j], 1e-6, "col %d", j)
			}
			require.Len(t, sol.RowValues, len(tc.model.RowLower))
			for i, want := range tc.rows {
				assert.InDelta(t, want, sol.RowValues[i], 1e-6, "row %d", i)
			}
			if tc.mip {
				assert.InDelta(t, 0, sol.MIPGap, 1e-4)
				assert.GreaterOrEqual(t, sol.Nodes, int64(0))
			} else {
				assert.Zero(t, sol.Nodes)
			}
			assert.Equal(t, Version, sol.Version)
			assert.Greater(t, sol.RunTime, time.Duration(0))
		})
	}
}

// knapsack30Optimum is knapsack(30, 7)'s optimum, cross-checked by dynamic
// programming in TestKnapsackAgainstDP.
const knapsack30Optimum = 1060

func TestKnapsackAgainstDP(t *testing.T) {
	s := newSolver(t)
	for seed := range uint64(8) {
		m := knapsack(30, seed)
		sol, err := s.Solve(context.Background(), m, Options{MIPRelGap: ptr(0.0)})
		require.NoError(t, err)
		require.Equal(t, Optimal, sol.Status)
		want := knapsackDP(m)
		assert.InDelta(t, want, sol.Objective, 1e-6, "seed %d", seed)
		if seed == 7 {
			assert.InDelta(t, knapsack30Optimum, want, 0)
		}
		// The reported columns are integral, feasible and attain the objective.
		w, v := 0.0, 0.0
		for _, e := range m.ConstMatrix {
			x := sol.ColValues[e.Col]
			assert.InDelta(t, math.Round(x), x, 1e-6)
			w += e.Val * math.Round(x)
			v += m.ColCosts[e.Col] * math.Round(x)
		}
		assert.LessOrEqual(t, w, m.RowUpper[0]+1e-9)
		assert.InDelta(t, sol.Objective, v, 1e-6)
	}
}

// knapsackDP solves knapsack() models exactly (integer weights).
func knapsackDP(m *Model) float64 {
	capacity := int(m.RowUpper[0])
	best := make([]float64, capacity+1)
	for _, e := range m.ConstMatrix {
		w := int(e.Val)
		for c := capacity; c >= w; c-- {
			best[c] = max(best[c], best[c-w]+m.ColCosts[e.Col])
		}
	}
	return best[capacity]
}

func TestInfeasibleAndUnbounded(t *testing.T) {
	s := newSolver(t)
	infeasibleLP := &Model{ // x+y<=1 and x+y>=2
		ColCosts: []float64{1, 1}, RowLower: []float64{-inf, 2}, RowUpper: []float64{1, inf},
		ConstMatrix: []Nonzero{{0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {1, 1, 1}},
	}
	infeasibleMIP := &Model{ // 2x = 1, x integer
		ColCosts: []float64{1}, ColUpper: []float64{10}, RowLower: []float64{1}, RowUpper: []float64{1},
		ConstMatrix: []Nonzero{{0, 0, 2}}, VarTypes: []VarType{Integer},
	}
	unboundedLP := &Model{ // max x+y s.t. x-y<=1
		Maximize: true, ColCosts: []float64{1, 1}, RowLower: []float64{-inf}, RowUpper: []float64{1},
		ConstMatrix: []Nonzero{{0, 0, 1}, {0, 1, -1}},
	}
	unboundedMIP := &Model{ // min -x-y s.t. x-y<=1, x,y integer
		ColCosts: []float64{-1, -1}, RowLower: []float64{-inf}, RowUpper: []float64{1},
		ConstMatrix: []Nonzero{{0, 0, 1}, {0, 1, -1}}, VarTypes: []VarType{Integer, Integer},
	}
	tests := []struct {
		name  string
		model *Model
		opt   Options
		want  []ModelStatus
	}{
		{"lp-infeasible", infeasibleLP, Options{}, []ModelStatus{Infeasible}},
		{"lp-infeasible-no-presolve", infeasibleLP, Options{Presolve: PresolveOff}, []ModelStatus{Infeasible}},
		{"mip-infeasible", infeasibleMIP, Options{}, []ModelStatus{Infeasible}},
		{"lp-unbounded", unboundedLP, Options{}, []ModelStatus{Unbounded, UnboundedOrInfeasible}},
		{"lp-unbounded-no-presolve", unboundedLP, Options{Presolve: PresolveOff}, []ModelStatus{Unbounded}},
		{"mip-unbounded", unboundedMIP, Options{}, []ModelStatus{Unbounded, UnboundedOrInfeasible}},
	}
	empty, err := s.Solve(context.Background(), &Model{}, Options{})
	require.NoError(t, err)
	assert.Equal(t, ModelEmpty, empty.Status)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sol, err := s.Solve(context.Background(), tc.model, tc.opt)
			require.NoError(t, err)
			assert.Contains(t, tc.want, sol.Status, "got %v", sol.Status)
			if sol.Status == Infeasible {
				assert.Nil(t, sol.ColValues)
			}
		})
	}
}

func TestValidation(t *testing.T) {
	s := newSolver(t)
	ok := func() *Model {
		return &Model{ColCosts: []float64{1, 1}, RowLower: []float64{0}, RowUpper: []float64{1},
			ConstMatrix: []Nonzero{{0, 0, 1}}}
	}
	tests := []struct {
		name   string
		mutate func(*Model)
		opt    Options
		want   string
	}{
		{"col-lower-len", func(m *Model) { m.ColLower = []float64{0} }, Options{}, "len(ColLower)"},
		{"col-upper-len", func(m *Model) { m.ColUpper = []float64{0, 1, 2} }, Options{}, "len(ColUpper)"},
		{"row-upper-len", func(m *Model) { m.RowUpper = nil }, Options{}, "len(RowUpper)"},
		{"vartypes-len", func(m *Model) { m.VarTypes = []VarType{Integer} }, Options{}, "len(VarTypes)"},
		{"vartype-value", func(m *Model) { m.VarTypes = []VarType{Integer, 7} }, Options{}, "VarTypes[1]"},
		{"nan-cost", func(m *Model) { m.ColCosts[1] = math.NaN() }, Options{}, "ColCosts[1]"},
		{"inf-cost", func(m *Model) { m.ColCosts[0] = inf }, Options{}, "ColCosts[0]"},
		{"nan-offset", func(m *Model) { m.Offset = math.NaN() }, Options{}, "Offset"},
		{"nan-bound", func(m *Model) { m.RowLower[0] = math.NaN() }, Options{}, "RowLower[0]"},
		{"plus-inf-lower", func(m *Model) { m.ColLower = []float64{0, inf} }, Options{}, "ColLower[1]"},
		{"minus-inf-upper", func(m *Model) { m.RowUpper[0] = -inf }, Options{}, "RowUpper[0]"},
		{"row-out-of-range", func(m *Model) { m.ConstMatrix[0].Row = 1 }, Options{}, "outside"},
		{"col-negative", func(m *Model) { m.ConstMatrix[0].Col = -1 }, Options{}, "outside"},
		{"nan-coefficient", func(m *Model) { m.ConstMatrix[0].Val = math.NaN() }, Options{}, "ConstMatrix[0]"},
		{"bad-presolve", func(*Model) {}, Options{Presolve: "maybe"}, "Presolve"},
		{"bad-gap", func(*Model) {}, Options{MIPRelGap: ptr(-1.0)}, "MIPRelGap"},
		{"negative-time", func(*Model) {}, Options{TimeLimit: -time.Second}, "TimeLimit"},
		{"nan-double", func(*Model) {}, Options{Doubles: map[string]float64{"mip_feasibility_tolerance": math.NaN()}}, "mip_feasibility_tolerance"},
		{"unknown-double", func(*Model) {}, Options{Doubles: map[string]float64{"no_such_option": 1}}, "no_such_option"},
		{"double-out-of-range", func(*Model) {}, Options{Doubles: map[string]float64{"mip_feasibility_tolerance": -1}}, "mip_feasibility_tolerance"},
		{"unknown-int", func(*Model) {}, Options{Ints: map[string]int{"no_such_int": 1}}, "no_such_int"},
		{"int-out-of-range", func(*Model) {}, Options{Ints: map[string]int{"mip_max_nodes": -5}}, "mip_max_nodes"},
		{"int-beyond-int32", func(*Model) {}, Options{Ints: map[string]int{"mip_max_nodes": 1 << 40}}, "mip_max_nodes"},
		{"int-as-bool", func(*Model) {}, Options{Bools: map[string]bool{"mip_max_nodes": true}}, "mip_max_nodes"},
		{"empty-bool-name", func(*Model) {}, Options{Bools: map[string]bool{"": true}}, "bool option"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := ok()
			tc.mutate(m)
			_, err := s.Solve(context.Background(), m, tc.opt)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err := s.Solve(context.Background(), nil, Options{})
	require.Error(t, err)
	// The solver still works after rejected input.
	sol, err := s.Solve(context.Background(), ok(), Options{})
	require.NoError(t, err)
	assert.Equal(t, Optimal, sol.Status)
}

func TestLogWriter(t *testing.T) {
	s := newSolver(t)
	var buf bytes.Buffer
	m := knapsack(10, 1)
	_, err := s.Solve(context.Background(), m, Options{Log: &buf})
	require.NoError(t, err)
	assert.Contains(t, buf.String(), "Running HiGHS 1.15.1")
	assert.Contains(t, buf.String(), "Solving report")
	// Options are per solve: without Log the next solve is silent, and the
	// previous writer receives nothing more.
	n := buf.Len()
	_, err = s.Solve(context.Background(), m, Options{})
	require.NoError(t, err)
	assert.Equal(t, n, buf.Len())
}

func TestTimeLimit(t *testing.T) {
	s := newSolver(t)
	m := marketSplit(5, 1)
	const limit = time.Second
	start := time.Now()
	sol, err := s.Solve(context.Background(), m, Options{TimeLimit: limit})
	wall := time.Since(start)
	require.NoError(t, err)
	assert.Equal(t, TimeLimit, sol.Status)
	// HiGHS's own time limit is the test's deadline: the solve ends after
	// it, and within the stop allowance past it (HiGHS reads its clock
	// often, but a loaded machine can hold the solve off the CPU).
	assert.Less(t, wall, limit+testtool.StopAllowance)
	assert.GreaterOrEqual(t, wall, limit)
	t.Logf("wall %v, HiGHS run time %v, %d nodes", wall, sol.RunTime, sol.Nodes)
}

func TestContext(t *testing.T) {
	s := newSolver(t)
	m := marketSplit(5, 2)

	t.Run("deadline-sooner-than-limit", func(t *testing.T) {
		const deadline = 500 * time.Millisecond
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		defer cancel()
		start := time.Now()
		sol, err := s.Solve(ctx, m, Options{TimeLimit: time.Minute})
		// HiGHS's time_limit (the deadline) and the deadline itself race.
		if err != nil {
			require.ErrorIs(t, err, context.DeadlineExceeded)
		} else {
			assert.Equal(t, TimeLimit, sol.Status)
		}
		// Typically within milliseconds of the test's own deadline; the
		// stop allowance is for a loaded machine.
		assert.Less(t, time.Since(start), deadline+testtool.StopAllowance)
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := s.Solve(ctx, m, Options{})
		require.ErrorIs(t, err, context.Canceled)
	})
	t.Run("deadline-passed", func(t *testing.T) {
		ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer cancel()
		_, err := s.Solve(ctx, m, Options{})
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
}

// TestManySolvesNoGrowth runs thousands of MIPs on one Solver: each solve
// creates and destroys its Highs object and frees its buffer, so the wasm
// heap must stop growing after warm-up. Most models are ones presolve
// finishes (HiGHS needs ~14 ms for any MIP that reaches branch and bound,
// mostly in its feasibility-jump heuristic); every 50th goes to B&B.
func TestManySolvesNoGrowth(t *testing.T) {
	s := newSolver(t)
	ctx := context.Background()
	solve := func(i int) {
		m, want := tinyMIP(i)
		if i%50 == 0 {
			m = knapsack(6, uint64(i))
			want = knapsackDP(m)
		}
		sol, err := s.Solve(ctx, m, Options{})
		require.NoError(t, err)
		require.Equal(t, Optimal, sol.Status)
		require.InDelta(t, want, sol.Objective, 1e-6, "solve %d", i)
	}
	for i := range 100 {
		solve(i)
	}
	before := s.MemoryBytes()
	for i := range 2000 {
		solve(i)
	}
	after := s.MemoryBytes()
	t.Logf("wasm memory %d -> %d bytes", before, after)
	assert.Equal(t, before, after)
}

// tinyMIP is max c1·x + c2·y s.t. x+y <= r, x,y integer in [0,10], whose
// optimum is floor(r)·max(c1,c2).
func tinyMIP(i int) (*Model, float64) {
	c1, c2, r := float64(1+i%3), 2.0, 1.5+float64(i%7)
	return &Model{
		Maximize: true, ColCosts: []float64{c1, c2}, ColUpper: []float64{10, 10},
		RowLower: []float64{-inf}, RowUpper: []float64{r},
		ConstMatrix: []Nonzero{{0, 0, 1}, {0, 1, 1}}, VarTypes: []VarType{Integer, Integer},
	}, math.Floor(r) * max(c1, c2)
}

func TestConcurrentSolvers(t *testing.T) {
	const workers = 2
	var wg sync.WaitGroup
	errs := make([]error, workers)
	objs := make([][]float64, workers)
	for w := range workers {
		s := newSolver(t)
		wg.Go(func() {
			for i := range 20 {
				m := knapsack(12, uint64(i))
				sol, err := s.Solve(context.Background(), m, Options{})
				if err != nil {
					errs[w] = err
					return
				}
				objs[w] = append(objs[w], sol.Objective)
			}
		})
	}
	wg.Wait()
	for w := range workers {
		require.NoError(t, errs[w])
		require.Len(t, objs[w], 20)
		for i, obj := range objs[w] {
			assert.InDelta(t, knapsackDP(knapsack(12, uint64(i))), obj, 1e-6)
		}
	}
}

type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("log writer exploded") }

func TestHostPanicDiscardsInstance(t *testing.T) {
	s := newSolver(t)
	old := s.in
	// fd_write calls the caller's writer inside a host function; its panic
	// unwinds through the wasm and must come back as an error.
	_, err := s.Solve(context.Background(), knapsack(5, 1), Options{Log: panicWriter{}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "log writer exploded")
	assert.Contains(t, err.Error(), "instance discarded")
	assert.Nil(t, s.in, "broken instance must be dropped")
	assert.True(t, old.broken)
	_, err = old.call(context.Background(), "N", 0)
	assert.ErrorContains(t, err, "broken", "a broken instance refuses calls")

	// The next solve gets a fresh instance.
	sol, err := s.Solve(context.Background(), knapsack(5, 1), Options{})
	require.NoError(t, err)
	assert.Equal(t, Optimal, sol.Status)
	assert.NotSame(t, old, s.in)
}

func TestWasmTrapDiscardsInstance(t *testing.T) {
	s := newSolver(t)
	in := s.in
	// Highs_run on a pointer far outside linear memory traps in the wasm.
	_, err := in.call(context.Background(), "N", 0xFFFFFFF0)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Highs_run")
	assert.True(t, in.broken)

	_, err = in.call(context.Background(), "H")
	assert.ErrorContains(t, err, "broken", "a broken instance refuses further calls")

	// The next Solve replaces the broken instance.
	sol, err := s.Solve(context.Background(), knapsack(5, 1), Options{})
	require.NoError(t, err)
	assert.Equal(t, Optimal, sol.Status)
	assert.NotSame(t, in, s.in)
}

// TestAbortDiscardsInstance drives HiGHS into operator new failing: a model
// claiming 2^28 columns needs more than the 2 GiB heap, emscripten_resize_heap
// refuses, and the C++ runtime throws/aborts into the host.
func TestAbortDiscardsInstance(t *testing.T) {
	s := newSolver(t)
	in := s.in
	ctx := context.Background()
	h, err := in.call(ctx, "F")
	require.NoError(t, err)
	args := make([]uint64, 16)
	args[0], args[1], args[4] = h, 1<<28, 1 // highs, num_col, a_format=colwise
	_, err = in.call(ctx, "V", args...)
	require.Error(t, err)
	assert.Regexp(t, "C\\+\\+ exception|abort", err.Error())
	assert.True(t, in.broken)
	t.Logf("wasm memory after the failed allocation: %d MiB; error: %.200s", in.mem.Size()>>20, err)
}

func TestExitUnwinds(t *testing.T) {
	s := newSolver(t)
	for _, name := range []string{"b", "r"} { // _exit, proc_exit
		var recovered any
		func() {
			defer func() { recovered = recover() }()
			hostFuncs[name].fn(context.Background(), s.in.mod, []uint64{3})
		}()
		var exit *sys.ExitError
		require.ErrorAs(t, recovered.(error), &exit, hostFuncs[name].cName)
		assert.Equal(t, uint32(3), exit.ExitCode())
	}
}

func TestClose(t *testing.T) {
	s, err := NewSolver(context.Background())
	require.NoError(t, err)
	require.NoError(t, s.Close())
	require.NoError(t, s.Close())
	assert.Zero(t, s.MemoryBytes())
	_, err = s.Solve(context.Background(), knapsack(3, 1), Options{})
	require.ErrorIs(t, err, ErrClosed)
}

func TestWazeroVersionMatchesGoMod(t *testing.T) {
	b, err := readGoMod()
	require.NoError(t, err)
	assert.True(t, strings.Contains(b, "github.com/tetratelabs/wazero "+wazeroModVersion),
		"wazeroModVersion %s not in go.mod", wazeroModVersion)
}

func BenchmarkSolveSmallMIP(b *testing.B) {
	s := newSolver(b)
	m := knapsack(10, 1)
	ctx := context.Background()
	for b.Loop() {
		sol, err := s.Solve(ctx, m, Options{})
		if err != nil || sol.Status != Optimal {
			b.Fatal(err, sol)
		}
	}
}

// NoFeasibilityJump, or the same option through Bools, turns HiGHS's
// feasibility-jump heuristic off: its incumbents (source "J" in the log)
// disappear, the optimum stays.
func TestNoFeasibilityJump(t *testing.T) {
	s := newSolver(t)
	m := knapsack(30, 7)
	for _, off := range []bool{false, true} {
		var log bytes.Buffer
		sol, err := s.Solve(context.Background(), m, Options{NoFeasibilityJump: off, MIPRelGap: ptr(0.0), Log: &log})
		require.NoError(t, err)
		require.Equal(t, Optimal, sol.Status)
		assert.InDelta(t, knapsack30Optimum, sol.Objective, 1e-6)
		assert.Equal(t, !off, strings.Contains(log.String(), "\n J "), "feasibility jump off: %v", off)
		log.Reset()
		sol, err = s.Solve(context.Background(), m, Options{MIPRelGap: ptr(0.0), Log: &log, Bools: map[string]bool{"mip_heuristic_run_feasibility_jump": !off}})
		require.NoError(t, err)
		require.Equal(t, Optimal, sol.Status)
		assert.InDelta(t, knapsack30Optimum, sol.Objective, 1e-6)
		assert.Equal(t, !off, strings.Contains(log.String(), "\n J "), "feasibility jump off: %v", off)
	}
}

// TestLPIterations: LPIterations is the count HiGHS's log reports (the
// MIP's "LP iterations" total, an LP's "Simplex iterations"), positive on
// models that need the simplex, and the same on a repeated solve.
func TestLPIterations(t *testing.T) {
	s := newSolver(t)
	lp := &Model{
		Maximize: true, ColCosts: []float64{3, 2}, ColUpper: []float64{3, inf},
		RowLower: []float64{-inf, -inf}, RowUpper: []float64{4, 6},
		ConstMatrix: []Nonzero{{0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {1, 1, 3}},
	}
	for _, tc := range []struct {
		name  string
		model *Model
		opt   Options
		line  *regexp.Regexp
	}{
		{"mip", knapsack(30, 7), Options{MIPRelGap: ptr(0.0)}, regexp.MustCompile(`(?m)^\s*LP iterations\s+([0-9]+)`)},
		{"lp", lp, Options{Presolve: PresolveOff}, regexp.MustCompile(`(?m)^\s*Simplex\s+iterations:\s+([0-9]+)`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log bytes.Buffer
			opt := tc.opt
			opt.Log = &log
			sol, err := s.Solve(context.Background(), tc.model, opt)
			require.NoError(t, err)
			require.Equal(t, Optimal, sol.Status)
			assert.Positive(t, sol.LPIterations)
			m := tc.line.FindStringSubmatch(log.String())
			require.NotNil(t, m, "no iteration count in the log:\n%s", log.String())
			assert.Equal(t, m[1], strconv.FormatInt(sol.LPIterations, 10))
			again, err := s.Solve(context.Background(), tc.model, tc.opt)
			require.NoError(t, err)
			assert.Equal(t, sol.LPIterations, again.LPIterations)
			assert.Equal(t, sol.Nodes, again.Nodes)
		})
	}
}
