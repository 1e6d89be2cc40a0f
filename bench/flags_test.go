package bench_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/rundir"
)

// sweepFlags are the flags' defaults as nashbench sweep sets them.
func sweepFlags(given ...string) bench.SweepFlags {
	f := bench.SweepFlags{Ns: "8,12", Ratios: "4.26", Players: "8,12", Count: 8, K: 3, Seed: 1, Solvers: "enum",
		Timeout: 30 * time.Second, CheckLimit: time.Second, Reduction: "corrected", Out: "run", Shard: "1/1", Certify: true,
		Given: map[string]bool{}}
	for _, g := range given {
		f.Given[g] = true
	}
	return f
}

func TestNewSweepRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*bench.SweepFlags)
		want string
	}{
		{"slurm flag alone", func(f *bench.SweepFlags) { f.Given["shards"] = true }, "sweep: --shards needs --slurm"},
		{"negative timeout", func(f *bench.SweepFlags) { f.Timeout = -time.Second }, "sweep: --timeout -1s: must not be negative (0: no limit)"},
		{"negative check limit", func(f *bench.SweepFlags) { f.CheckLimit = -time.Second }, "sweep: --check-limit -1s: must not be negative (0: never check)"},
		{"formula flag in a game sweep", func(f *bench.SweepFlags) { f.Game, f.Given["game"], f.Given["n"] = "race", true, true }, "sweep: --n is for formulas"},
		{"players without a game", func(f *bench.SweepFlags) { f.Given["players"] = true }, "sweep: --players needs --game FAMILY"},
		{"game without a family", func(f *bench.SweepFlags) { f.Given["game"] = true }, "sweep: --game: give a family"},
		{"bad size", func(f *bench.SweepFlags) { f.Ns = "8,x" }, `sweep: --n: "x" is not a number`},
		{"empty ratios", func(f *bench.SweepFlags) { f.Ratios = " , " }, "sweep: --ratio: empty list"},
		{"decimal comma", func(f *bench.SweepFlags) { f.Ratios, f.Given["ratio"] = "4,26", true }, "sweep: --ratio 4,26: the ratio 26 is above 20"},
		{"formula solver in a game sweep", func(f *bench.SweepFlags) {
			f.Game, f.Solvers, f.Given["game"], f.Given["solvers"] = "race", "gophersat", true, true
		}, "sweep: --solvers: gophersat reads formulas, not games"},
		{"bad reduction", func(f *bench.SweepFlags) { f.Reduction = "x" }, "sweep: "},
		{"bad shard", func(f *bench.SweepFlags) { f.Shard = "3/2" }, `sweep --shard "3/2": want i/N with 1 <= i <= N`},
		{"negative jobs", func(f *bench.SweepFlags) { f.Jobs = -1 }, "sweep: --jobs -1: want 0 (one per core) or more"},
		{"bad memory", func(f *bench.SweepFlags) { f.Mem = "1K" }, `sweep: --mem: "1K": want a size from 1M to 1P`},
		{"retry without resume", func(f *bench.SweepFlags) { f.RetryFailed = true }, "sweep: --retry-failed needs --resume"},
		{"resume without out", func(f *bench.SweepFlags) { f.Resume, f.Out = true, "" }, "sweep: --resume needs the --out of the run to continue"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := sweepFlags()
			tc.edit(&f)
			_, err := bench.NewSweep(f)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), tc.want), "%v", err)
		})
	}
}

func TestNewSweepDefaults(t *testing.T) {
	for _, tc := range []struct {
		name     string
		edit     func(*bench.SweepFlags)
		check    func(*testing.T, *bench.Sweep)
		leaveOut bool
	}{
		{"formulas", func(*bench.SweepFlags) {}, func(t *testing.T, s *bench.Sweep) {
			assert.Equal(t, []int{8, 12}, s.Sizes)
			assert.Equal(t, []float64{4.26}, s.Ratios)
			assert.Equal(t, 8, s.Count)
			assert.Equal(t, 3, s.K)
			assert.Zero(t, s.CheckLimit, "a check limit not given is the default")
		}, false},
		{"game defaults", func(f *bench.SweepFlags) { f.Game, f.Given["game"] = "race", true }, func(t *testing.T, s *bench.Sweep) {
			assert.Equal(t, []int{8, 12}, s.Players)
			assert.Nil(t, s.Sizes)
			assert.Equal(t, bench.DefaultGameCount, s.Count)
			assert.Equal(t, strings.Split(bench.DefaultGameSolvers, ","), s.Solvers)
			assert.Zero(t, s.K)
		}, false},
		{"game given count", func(f *bench.SweepFlags) { f.Game, f.Given["game"], f.Given["count"] = "race", true, true }, func(t *testing.T, s *bench.Sweep) {
			assert.Equal(t, 8, s.Count)
		}, false},
		{"check limit 0: never", func(f *bench.SweepFlags) { f.CheckLimit, f.Given["check-limit"] = 0, true }, func(t *testing.T, s *bench.Sweep) {
			assert.Equal(t, rundir.Duration(-1), s.CheckLimit)
		}, false},
		{"shard and memory", func(f *bench.SweepFlags) { f.Shard, f.Mem = "2/3", "1G" }, func(t *testing.T, s *bench.Sweep) {
			assert.Equal(t, 1, s.Shard)
			assert.Equal(t, 3, s.Shards)
			assert.Equal(t, int64(1<<30), s.Memory)
		}, false},
		{"default out", func(f *bench.SweepFlags) { f.Out = "" }, func(t *testing.T, s *bench.Sweep) {
			assert.True(t, strings.HasPrefix(s.Out, "results/sweep-"), s.Out)
		}, true},
		{"forced ratio", func(f *bench.SweepFlags) { f.Ratios, f.Force, f.Given["ratio"] = "4,26", true, true }, func(t *testing.T, s *bench.Sweep) {
			assert.Equal(t, []float64{4, 26}, s.Ratios)
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := sweepFlags()
			tc.edit(&f)
			s, err := bench.NewSweep(f)
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
		i, n, err := bench.ParseShard("x --shard", tc.in)
		if !tc.ok {
			assert.EqualError(t, err, `x --shard "`+tc.in+`": want i/N with 1 <= i <= N`)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, []int{tc.i, tc.n}, []int{i, n}, tc.in)
	}
}
