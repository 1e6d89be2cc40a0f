package main

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/rundir"
)

// testSweepFlags are sweep's flags as the command line sets them, with
// given naming the flags given.
func testSweepFlags(given ...string) sweepFlags {
	f := sweepFlags{ns: "8,12", ratios: "4.26", players: "8,12", count: 8, k: 3, seed: 1, solvers: "enum",
		timeout: 30 * time.Second, checkLimit: time.Second, reduction: "corrected", out: "run", shard: "1/1", certify: true,
		set: map[string]bool{}}
	for _, g := range given {
		f.set[g] = true
	}
	return f
}

func TestNewSweepRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*sweepFlags)
		want string
	}{
		{"slurm flag alone", func(f *sweepFlags) { f.set["shards"] = true }, "sweep: --shards needs --slurm"},
		{"formula flag in a game sweep", func(f *sweepFlags) { f.game, f.set["game"], f.set["n"] = "race", true, true }, "sweep: --n is for formulas"},
		{"players without a game", func(f *sweepFlags) { f.set["players"] = true }, "sweep: --players needs --game FAMILY"},
		{"game without a family", func(f *sweepFlags) { f.set["game"] = true }, "sweep: --game: give a family"},
		{"bad size", func(f *sweepFlags) { f.ns = "8,x" }, `sweep: --n: "x" is not a number`},
		{"empty ratios", func(f *sweepFlags) { f.ratios = " , " }, "sweep: --ratio: empty list"},
		{"decimal comma", func(f *sweepFlags) { f.ratios, f.set["ratio"] = "4,26", true }, "sweep: --ratio 4,26: the ratio 26 is above 20"},
		{"bad reduction", func(f *sweepFlags) { f.reduction = "x" }, "sweep: "},
		{"bad shard", func(f *sweepFlags) { f.shard = "3/2" }, `sweep --shard "3/2": want i/N with 1 <= i <= N`},
		{"negative jobs", func(f *sweepFlags) { f.jobs = -1 }, "sweep: --jobs -1: want 0 (one per core) or more"},
		{"bad memory", func(f *sweepFlags) { f.mem = "1K" }, `sweep: --mem: "1K": want a size from 1M to 1P`},
		{"retry without resume", func(f *sweepFlags) { f.retry = true }, "sweep: --retry-failed needs --resume"},
		{"resume without out", func(f *sweepFlags) { f.resume, f.out = true, "" }, "sweep: --resume needs the --out of the run to continue"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := testSweepFlags()
			tc.edit(&f)
			_, err := newSweep(f)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), tc.want), "%v", err)
		})
	}
}

func TestNewSweepDefaults(t *testing.T) {
	for _, tc := range []struct {
		name     string
		edit     func(*sweepFlags)
		check    func(*testing.T, *bench.Sweep)
		leaveOut bool
	}{
		{"formulas", func(*sweepFlags) {}, func(t *testing.T, s *bench.Sweep) {
			assert.Equal(t, []int{8, 12}, s.Sizes)
			assert.Equal(t, []float64{4.26}, s.Ratios)
			assert.Equal(t, 8, s.Count)
			assert.Equal(t, 3, s.K)
			assert.Zero(t, s.CheckLimit, "a check limit not given is the default")
		}, false},
		{"game defaults", func(f *sweepFlags) { f.game, f.set["game"] = "race", true }, func(t *testing.T, s *bench.Sweep) {
			assert.Equal(t, []int{8, 12}, s.Players)
			assert.Nil(t, s.Sizes)
			assert.Equal(t, defaultGameCount, s.Count)
			assert.Equal(t, strings.Split(defaultGameSolvers, ","), s.Solvers)
			assert.Zero(t, s.K)
		}, false},
		{"game given count", func(f *sweepFlags) { f.game, f.set["game"], f.set["count"] = "race", true, true }, func(t *testing.T, s *bench.Sweep) {
			assert.Equal(t, 8, s.Count)
		}, false},
		{"check limit 0: never", func(f *sweepFlags) { f.checkLimit, f.set["check-limit"] = 0, true }, func(t *testing.T, s *bench.Sweep) {
			assert.Equal(t, rundir.Duration(-1), s.CheckLimit)
		}, false},
		{"shard and memory", func(f *sweepFlags) { f.shard, f.mem = "2/3", "1G" }, func(t *testing.T, s *bench.Sweep) {
			assert.Equal(t, 1, s.Shard)
			assert.Equal(t, 3, s.Shards)
			assert.Equal(t, int64(1<<30), s.Memory)
		}, false},
		{"default out", func(f *sweepFlags) { f.out = "" }, func(t *testing.T, s *bench.Sweep) {
			assert.True(t, strings.HasPrefix(s.Out, "results/sweep-"), s.Out)
		}, true},
		{"forced ratio", func(f *sweepFlags) { f.ratios, f.force, f.set["ratio"] = "4,26", true, true }, func(t *testing.T, s *bench.Sweep) {
			assert.Equal(t, []float64{4, 26}, s.Ratios)
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := testSweepFlags()
			tc.edit(&f)
			s, err := newSweep(f)
			require.NoError(t, err)
			tc.check(t, s)
			if !tc.leaveOut {
				assert.Equal(t, "run", s.Out)
			}
		})
	}
}

func TestParseShard(t *testing.T) {
	for _, tc := range []struct {
		in   string
		i, n int
		ok   bool
	}{
		{"1/1", 0, 1, true}, {"2/3", 1, 3, true}, {"3/3", 2, 3, true},
		{"0/3", 0, 0, false}, {"4/3", 0, 0, false}, {"1/0", 0, 0, false}, {"1", 0, 0, false}, {"a/b", 0, 0, false}, {"", 0, 0, false},
	} {
		i, n, err := parseShard("x --shard", tc.in)
		if !tc.ok {
			assert.EqualError(t, err, `x --shard "`+tc.in+`": want i/N with 1 <= i <= N`)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, []int{tc.i, tc.n}, []int{i, n}, tc.in)
	}
}

func TestParseMemory(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
		err  bool
	}{
		{"512M", 512 << 20, false}, {"4G", 4 << 30, false}, {"1.5GiB", 3 << 29, false}, {"2g", 2 << 30, false},
		{" 1tb ", 1 << 40, false}, {"1048576", 1 << 20, false}, {"1536K", 3 << 19, false},
		{"abc", 0, true}, {"10K", 0, true}, {"2000T", 0, true}, {"-1G", 0, true}, {"NaN", 0, true}, {"", 0, true}, {"B", 0, true},
	} {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseMemory(tt.in)
			if tt.err {
				assert.ErrorContains(t, err, "want a size from 1M to 1P")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// failingWriter fails every write, as a closed pipe does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("closed") }

// solve prints a record per input as it is made: one it cannot write to
// standard output exits 1.
func TestSolveOutputFails(t *testing.T) {
	sat := writeFile(t, t.TempDir(), "sat.cnf", "p cnf 1 1\n1 0\n")
	for _, args := range [][]string{{"solve", sat}, {"solve", "--json", sat}} {
		var errb bytes.Buffer
		assert.Equal(t, 1, run(args, failingWriter{}, &errb), args)
		assert.Contains(t, errb.String(), "closed")
	}
	code, out, _ := runCmd("solve", "--json", filepath.Join(t.TempDir(), "missing.cnf"), sat)
	assert.Equal(t, 2, code, "a missing input among good ones is bad input")
	assert.Equal(t, 2, strings.Count(out, "\n"), "a record for each input:\n%s", out)
}
