package all_test

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/internal/testtool"
	"github.com/nashbench/nashbench/isolate"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	_ "github.com/nashbench/nashbench/solvers/all"
	"github.com/nashbench/nashbench/verify"
)

func TestMain(m *testing.M) {
	isolate.Serve() // solvers that isolate themselves run this binary
	os.Exit(m.Run())
}

// The conformance suite: what every registered solver must do. Adding a
// solver means registering it and passing this test.
func TestConformance(t *testing.T) {
	for _, name := range solvers.Names() {
		t.Run(name, func(t *testing.T) {
			needRunnable(t, name)
			t.Run("decides and counts", func(t *testing.T) { conformDecisions(t, name) })
			t.Run("stops when cancelled", func(t *testing.T) { conformCancel(t, name) })
		})
	}
}

// needRunnable fails the test of a solver that cannot run here (an external
// solver whose binary is missing: scripts/test installs the shipped ones),
// unless NASHBENCH_NO_EXTERNAL=1, which skips it (testtool.Missing).
func needRunnable(t *testing.T, name string) {
	s, err := solvers.New(name)
	require.NoError(t, err)
	d, ok := s.(solvers.Describer)
	if !ok {
		return
	}
	if m := d.Describe(t.Context()).Missing; m != "" {
		testtool.Missing(t, fmt.Sprintf("%s: %s: install it (scripts/test does)", name, m))
	}
}

// problems draws small games and formulas, each with its truth from the
// exhaustive search of package verify.
func problems(t *testing.T) []*solvers.Problem {
	rng := rand.New(rand.NewPCG(11, 12))
	var ps []*solvers.Problem
	for _, r := range []int64{1, 3, 1000} {
		for range 4 {
			ps = append(ps, &solvers.Problem{Game: testgen.Game(rng, 2+rng.IntN(4), r)})
		}
	}
	for range 8 {
		n := 2 + rng.IntN(2)
		p, err := solvers.FromFormula(testgen.Formula(rng, n, 1+rng.IntN(2*n)), reduction.Corrected)
		require.NoError(t, err)
		ps = append(ps, p)
	}
	return ps
}

func conformDecisions(t *testing.T, name string) {
	ctx := context.Background()
	decided := 0
	defer func() { assert.Positive(t, decided, "the solver refused every problem") }()
	for i, p := range problems(t) {
		if testing.Short() && i%2 == 1 {
			continue // -short: every other problem, of each kind
		}
		truth, err := verify.Exhaustive(ctx, p)
		require.NoError(t, err)
		for _, count := range []bool{false, true} {
			s, err := solvers.New(name)
			require.NoError(t, err)
			r, err := s.Solve(ctx, p, solvers.Options{Count: count})
			if c, ok := s.(io.Closer); ok {
				require.NoError(t, c.Close())
			}
			if err != nil {
				// The one failure allowed is a refusal, with a reason.
				require.True(t, solvers.IsRefused(err), "problem %d: %v", i, err)
				assert.NotEmpty(t, err.Error())
				continue
			}
			want := solvers.None
			if truth.Count > 0 {
				want = solvers.Found
			}
			decided++
			require.Equal(t, want, r.Answer, "problem %d (count=%v)", i, count)
			require.NoError(t, verify.Result(p, r), "problem %d", i)
			switch {
			case count && solvers.IsExternal(name):
				// External solvers decide only: they must say that they
				// counted nothing.
				assert.False(t, r.Counted, "problem %d: an external solver claims a count", i)
			case count:
				require.True(t, r.Counted, "problem %d: asked to count, it did not", i)
				require.Equal(t, truth.Count, r.Count, "problem %d: count", i)
			default:
				assert.False(t, r.Counted, "problem %d: counted unasked", i)
			}
		}
	}
}

func conformCancel(t *testing.T, name string) {
	// A formula too large for enumeration, a hard-ish MIP, an easy SAT
	// problem: every solver answers or stops soon after the cancel.
	f, _, err := instances.Spec{N: 36, M: instances.ClausesForRatio(36, 4.26), K: 3, Seed: 1}.Generate()
	require.NoError(t, err)
	p, err := solvers.FromFormula(f, reduction.Corrected)
	require.NoError(t, err)
	s, err := solvers.New(name)
	require.NoError(t, err)
	if c, ok := s.(io.Closer); ok {
		defer c.Close()
	}
	ctx, cancel := context.WithCancel(context.Background())
	const after = 300 * time.Millisecond
	time.AfterFunc(after, cancel)
	start := time.Now()
	r, err := s.Solve(ctx, p, solvers.Options{})
	took := time.Since(start)
	// The test's own cancel and the stop allowance: a stop takes well
	// under a second, but a loaded machine may be slow to kill and reap an
	// external solver's process.
	assert.Less(t, took, after+testtool.StopAllowance, "took %v", took)
	if err != nil {
		require.True(t, solvers.IsRefused(err), "%v", err)
		return
	}
	require.NoError(t, verify.Result(p, r))
}

// Every solver takes a reduction game of 30,000 players (a structured game
// of 9,000 variables, far beyond a matrix game) without building its
// matrix: it refuses, or works on the formula, and in either case returns
// within its deadline with its memory in proportion to the formula.
func TestHugeReductionGame(t *testing.T) {
	f, _, err := instances.Spec{N: 9000, M: 21000, K: 3, Seed: 5}.Generate()
	require.NoError(t, err)
	p, err := solvers.FromFormula(f, reduction.Corrected)
	require.NoError(t, err)
	require.Equal(t, 30001, p.Game.Players())
	for _, name := range solvers.Names() {
		t.Run(name, func(t *testing.T) {
			s, err := solvers.New(name)
			require.NoError(t, err)
			if c, ok := s.(io.Closer); ok {
				defer c.Close()
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			r, err := s.Solve(ctx, p, solvers.Options{})
			runtime.ReadMemStats(&after)
			if err != nil {
				assert.True(t, solvers.IsRefused(err), "an error that is not a refusal: %v", err)
			} else if r.Answer != solvers.Unknown {
				_, verr := verify.Answer(context.Background(), p, r, -1)
				assert.NoError(t, verr)
			}
			// A 30,001-player matrix is 7.2 GB; the formula a few MB.
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(2<<30), "allocated")
		})
	}
}
