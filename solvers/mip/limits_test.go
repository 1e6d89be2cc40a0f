package mip

import (
	"context"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/internal/testtool"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
)

// formulaGame is the corrected reduction game of a random 3-SAT formula
// with n variables at ratio 4.26.
func formulaGame(t testing.TB, n int) *game.Game {
	t.Helper()
	f, _, err := instances.Spec{N: n, M: instances.ClausesForRatio(n, 4.26), K: 3, Seed: 1}.Generate()
	require.NoError(t, err)
	p, err := solvers.FromFormula(f, reduction.Corrected)
	require.NoError(t, err)
	return p.Game
}

func denseGame(k int) *game.Game { return testgen.Game(rand.New(rand.NewPCG(uint64(k), 3)), k, 3) }

// heapInUse is the Go heap in use after garbage collection (HiGHS's wasm
// memory is part of it).
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// paperSize is the paper model's size without building it.
func TestPaperSize(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	tests := []struct {
		name string
		g    *game.Game
	}{
		{"formula n=8", formulaGame(t, 8)},
		{"formula n=20", formulaGame(t, 20)},
		{"dense k=12", denseGame(12)},
		{"random k=7", testgen.Game(rng, 7, 3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := paperFormulation(tt.g)
			require.NoError(t, err)
			_, rows, nz := modelCounts(f.Model)
			sz := paperSize(tt.g)
			assert.Equal(t, int64(len(f.Model.ColCosts)), sz.Columns)
			assert.Equal(t, int64(rows), sz.Rows)
			// Exact but for entries dropped by a zero big-M or delta.
			assert.GreaterOrEqual(t, sz.Nonzeros, int64(nz))
			assert.LessOrEqual(t, sz.Nonzeros, int64(nz)+2*sz.Rows/4+int64(tt.g.Players()))
		})
	}
}

// Models over the limit are refused: the paper model before it is built
// (immediately, however large), the compact model as soon as it outgrows
// the limit while being built. Reduction games, whose compact models are
// tiny, are not refused however large the formula.
func TestRefusesModelsOverTheLimit(t *testing.T) {
	tests := []struct {
		name, formulation string
		g                 *game.Game
		limit             int64
		refused           bool
	}{
		{"paper, 120-variable formula", "paper", formulaGame(t, 120), DefaultMaxModelBytes, true},
		{"paper, 40-variable formula, small limit", "paper", formulaGame(t, 40), 1 << 30, true},
		{"paper, 8-variable formula", "paper", formulaGame(t, 8), DefaultMaxModelBytes, false},
		{"compact, dense 120 players, small limit", "compact", denseGame(120), 64 << 20, true},
		{"compact, 120-variable formula", "compact", formulaGame(t, 120), DefaultMaxModelBytes, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSolver(tt.formulation)
			defer s.Close()
			s.MaxModelBytes = tt.limit
			before := heapInUse()
			// Long enough to reach the refusal on a loaded machine (the
			// compact model's pairwise analysis comes first); models that
			// are not refused are stopped early, as solving them is not
			// the point.
			timeout := 2 * time.Minute
			if !tt.refused {
				timeout = 2 * time.Second
				if testing.Short() {
					timeout = 500 * time.Millisecond
				}
			}
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			start := time.Now()
			r, err := s.Solve(ctx, &solvers.Problem{Game: tt.g}, solvers.Options{})
			took := time.Since(start)
			if !tt.refused {
				require.NoError(t, err)
				assert.NotNil(t, r)
				return
			}
			require.Error(t, err)
			assert.True(t, solvers.IsRefused(err), "%v", err)
			t.Logf("refused in %v: %v", took, err)
			assert.Contains(t, err.Error(), "MaxModelBytes")
			// Refused by size, not stopped by the deadline: the bound is
			// the test's own deadline, which is long enough for the
			// refusal on a loaded machine (an error after it could be the
			// deadline's).
			assert.Less(t, took, timeout)
			assert.Less(t, int64(heapInUse())-int64(before), tt.limit)
		})
	}
}

// A deadline or a cancel stops the model's building and HiGHS's solve
// promptly: Solve answers Unknown within the allowance (typical stops take
// milliseconds), and memory does not keep growing.
func TestStopsPromptly(t *testing.T) {
	// Past the test's own deadline or cancel (after), by the stop
	// allowance at most: typical stops take milliseconds, the allowance is
	// for a loaded machine, and the building it guards against took 11 s
	// and 200 s.
	const allowance = testtool.StopAllowance
	tests := []struct {
		name, formulation string
		g                 func(testing.TB) *game.Game
		after             time.Duration // longer than building takes, for the solving cases
		cancel            bool
	}{
		// Building these took 11 s (6.2 million nonzeros) and 200 s
		// (50 million, 4.6 GiB of heap) before they looked at the context.
		{"building/paper/deadline", "paper", func(t testing.TB) *game.Game { return formulaGame(t, 40) }, 300 * time.Millisecond, false},
		{"building/paper/cancel", "paper", func(t testing.TB) *game.Game { return formulaGame(t, 40) }, 300 * time.Millisecond, true},
		{"building/compact/deadline", "compact", func(testing.TB) *game.Game { return denseGame(300) }, 300 * time.Millisecond, false},
		{"building/compact/cancel", "compact", func(testing.TB) *game.Game { return denseGame(300) }, 300 * time.Millisecond, true},
		// Built in about a second, then HiGHS takes them in and presolves
		// for seconds, or branches for long.
		{"solving/paper/deadline", "paper", func(t testing.TB) *game.Game { return formulaGame(t, 20) }, 2500 * time.Millisecond, false},
		{"solving/paper/cancel", "paper", func(t testing.TB) *game.Game { return formulaGame(t, 20) }, 2500 * time.Millisecond, true},
		{"solving/compact/deadline", "compact", func(testing.TB) *game.Game { return denseGame(25) }, 1500 * time.Millisecond, false},
		{"solving/compact/cancel", "compact", func(testing.TB) *game.Game { return denseGame(25) }, 1500 * time.Millisecond, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if testing.Short() && strings.HasPrefix(tt.name, "solving/paper/") {
				t.Skip("-short: the paper model's solving cases take 3 s each; solving/compact stops HiGHS mid-solve too")
			}
			g := tt.g(t)
			s := NewSolver(tt.formulation)
			defer s.Close()
			require.NoError(t, s.Prepare(context.Background()))
			before := heapInUse()
			ctx, cancel := context.WithTimeout(context.Background(), tt.after)
			if tt.cancel {
				ctx, cancel = context.WithCancel(context.Background())
				time.AfterFunc(tt.after, cancel)
			}
			defer cancel()
			start := time.Now()
			r, err := s.Solve(ctx, &solvers.Problem{Game: g}, solvers.Options{})
			overrun := time.Since(start) - tt.after
			require.NoError(t, err)
			assert.Equal(t, solvers.Unknown, r.Answer)
			assert.False(t, r.Counted)
			t.Logf("returned %v after the context ended; stats %v", overrun, r.Stats)
			assert.Less(t, overrun, allowance)
			after := heapInUse()
			t.Logf("heap in use %d -> %d MiB", before>>20, after>>20)
			assert.Less(t, int64(after)-int64(before), int64(1<<30))
		})
	}
}

// One process solving many inputs keeps its memory flat: each registered
// solver made, used and closed (or dropped, as bench.InProcess did) leaves
// nothing behind.
func TestManySolvesFlatMemory(t *testing.T) {
	rng := rand.New(rand.NewPCG(77, 7))
	games := make([]*game.Game, 50)
	for i := range games {
		games[i] = testgen.Game(rng, 3+rng.IntN(5), 3)
	}
	for _, closeThem := range []bool{true, false} {
		name := map[bool]string{true: "closed", false: "dropped"}[closeThem]
		t.Run(name, func(t *testing.T) {
			cycle := func(i int) {
				name := "highs-compact"
				if i%10 == 0 {
					name = "highs-paper"
				}
				sv, err := solvers.New(name)
				require.NoError(t, err)
				s := sv.(*Solver)
				require.NoError(t, s.Prepare(context.Background()))
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				_, err = s.Solve(ctx, &solvers.Problem{Game: games[i%len(games)]}, solvers.Options{})
				require.NoError(t, err)
				if closeThem {
					require.NoError(t, s.Close())
				}
			}
			// -short runs a tenth after half the warm-up: 30 leaked
			// instances would still hold over 480 MiB.
			warm, cycles := 20, 300
			if testing.Short() {
				warm, cycles = 10, 30
			}
			for i := range warm {
				cycle(i)
			}
			before := heapInUse()
			for i := range cycles {
				cycle(i)
			}
			// Dropped solvers are released by the garbage collector.
			after := heapInUse()
			for range 50 {
				if after < before+64<<20 {
					break
				}
				time.Sleep(20 * time.Millisecond)
				after = heapInUse()
			}
			t.Logf("%d solves: heap in use %d -> %d MiB", cycles, before>>20, after>>20)
			// A leaked HiGHS instance holds over 16 MiB of heap.
			assert.Less(t, int64(after)-int64(before), int64(64<<20))
		})
	}
}
