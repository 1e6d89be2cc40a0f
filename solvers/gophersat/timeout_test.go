package gophersat

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testtool"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/verify"
)

// children lists the processes whose parent is this one (Linux /proc).
func children(t *testing.T) []int {
	t.Helper()
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc: cannot list child processes")
	}
	self := os.Getpid()
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var out []int
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // gone meanwhile
		}
		// pid (comm) state ppid ...: comm may hold spaces, so cut at the last ')'.
		s := string(b)
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(fields) > 1 {
			if ppid, _ := strconv.Atoi(fields[1]); ppid == self {
				pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(f)))
				out = append(out, pid)
			}
		}
	}
	return out
}

// manyModels has about 3/4 of 2^40 models: counting them never ends.
func manyModels() *instances.CNF {
	return &instances.CNF{Vars: 40, Clauses: [][]int{{1, 2}}}
}

func TestDeadlineEndsSolve(t *testing.T) {
	p := problemOf(t, manyModels())
	for _, tt := range []struct {
		name string
		s    solvers.Solver
		p    *solvers.Problem
	}{
		{NameCNF, CNF{}, p},
		{NamePB, PB{}, &solvers.Problem{Game: p.Game}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := children(t)
			const limit = 300 * time.Millisecond
			ctx, cancel := context.WithTimeout(context.Background(), limit)
			defer cancel()
			start := time.Now()
			r, err := tt.s.Solve(ctx, tt.p, solvers.Options{Count: true})
			late := time.Since(start) - limit
			require.NoError(t, err)
			assert.Equal(t, solvers.Unknown, r.Answer)
			assert.False(t, r.Counted)
			// Past the test's own deadline by the stop allowance at most:
			// the worker is killed at the deadline, but a loaded machine
			// may be slow to run the kill and reap it (a count of these
			// models never ends).
			assert.Less(t, late, testtool.StopAllowance, "the solve ended %v after its deadline", late)
			t.Logf("ended %v after the deadline", late)
			// The worker that overran was killed; idle pooled workers
			// from before may remain, and nothing new.
			after := children(t)
			assert.Subset(t, before, after, "a worker outlived the solve")
			assert.LessOrEqual(t, len(after), len(before))
		})
	}
}

func TestCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := PB{}.Solve(ctx, problemOf(t, manyModels()), solvers.Options{})
	require.NoError(t, err)
	assert.Equal(t, solvers.Unknown, r.Answer)
}

// With a deadline that leaves time, the worker answers like the in-process
// solve.
func TestDeadlineInTime(t *testing.T) {
	f, _, err := instances.Spec{N: 20, M: 85, K: 3, Seed: 1}.Generate()
	require.NoError(t, err)
	p := problemOf(t, f)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, s := range []solvers.Solver{CNF{}, PB{}} {
		opt := solvers.Options{Count: true, List: 2}
		want, err := s.Solve(context.Background(), p, opt)
		require.NoError(t, err)
		got, err := s.Solve(ctx, p, opt)
		require.NoError(t, err)
		assert.Equal(t, want.Answer, got.Answer)
		assert.Equal(t, want.Count, got.Count)
		assert.Equal(t, want.Listed, got.Listed)
		require.NoError(t, verify.Result(p, got))
	}
	// One pooled worker served the solves one after another.
	assert.LessOrEqual(t, len(children(t)), 1)
}
