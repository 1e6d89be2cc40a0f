package slurm_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/rundir"
	"github.com/nashbench/nashbench/slurm"
	_ "github.com/nashbench/nashbench/solvers/all"
	"github.com/nashbench/nashbench/solvers/external"
)

// dryRunSweep is a small experiment, as `sweep --n 6,8 --ratio 3,5 --count
// 2 --solvers enum,gophersat --timeout 20s` parses it: 8 instances, 16 jobs.
func dryRunSweep(out string) *bench.Sweep {
	return &bench.Sweep{Experiment: rundir.Experiment{Sizes: []int{6, 8}, Ratios: []float64{3, 5}, Count: 2, K: 3, Seed: 1,
		Solvers: []string{"enum", "gophersat"}, Timeout: rundir.Duration(20 * time.Second), Certify: true}, Out: out, Shards: 1}
}

// A dry run prints the two scripts and the sbatch commands, and writes
// nothing. (Moved from cmd/nashbench, which keeps the flags' test.)
func TestSubmitDryRun(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	sdir := filepath.Join(run, "slurm")
	// The tasks load the external solvers that the submission loaded.
	defs := filepath.Join(dir, "solvers.json")
	require.NoError(t, os.WriteFile(defs, []byte(`{"solvers": [
  {"name": "test-missing", "input": "cnf", "command": ["nashbench-no-such-binary", "{input}"], "output": "sat"}
]}`), 0o644))
	loaded, err := external.Load(defs)
	require.NoError(t, err)
	tests := []struct {
		name     string
		sweep    func(s *bench.Sweep)
		opts     slurm.Options
		want     []string
		wantNot  []string
		oneMemEq bool
	}{
		{"options", func(s *bench.Sweep) { s.Memory = 1 << 30 },
			slurm.Options{Shards: 3, Jobs: 2, CheckLimit: "2s", SbatchOpts: "-p long --time=1:00:00 --comment='two words'", Given: map[string]bool{"shards": true}},
			[]string{
				"# " + filepath.Join(sdir, "sweep.sbatch") + "\n#!/bin/bash\n",
				"in 3 shards: array task i runs shard i/3",
				"# A task runs up to 6 jobs, 2 at a time, each within --timeout 20s and its check:\n# at most about 1m6s.",
				"#SBATCH --job-name=nashbench-sweep\n#SBATCH --array=1-3\n#SBATCH --cpus-per-task=2\n#SBATCH --mem=2560M\n" +
					"#SBATCH --output=" + filepath.Join(sdir, "sweep-%A_%a.out") + "\n#SBATCH --chdir=",
				"#SBATCH -p long\n#SBATCH --time=1:00:00\n#SBATCH --comment=\"two words\"\n",
				"exec " + filepath.Join(sdir, "nashbench") + " sweep --resume --out " + run + ` --shard "$SLURM_ARRAY_TASK_ID/3" --jobs 2 --check-limit 2s` + "\n",
				"# " + filepath.Join(sdir, "merge.sbatch") + "\n#!/bin/bash\n",
				"#SBATCH --job-name=nashbench-merge\n#SBATCH --cpus-per-task=1\n#SBATCH --output=" + filepath.Join(sdir, "merge-%j.out"),
				"exec " + filepath.Join(sdir, "nashbench") + " merge --out " + filepath.Join(run, "merged") + " " + run + "\n",
				"sbatch --parsable --array=1-3 " + filepath.Join(sdir, "sweep.sbatch") + "\n",
				"sbatch --parsable --dependency=afterany:<array job> " + filepath.Join(sdir, "merge.sbatch") + "\n",
			},
			[]string{"NASHBENCH_HIGHS_WASM"}, true},
		// The user's options replace nashbench's; HiGHS comes along with
		// its solvers; by default a shard per instance, at most 16.
		{"user options", func(s *bench.Sweep) {
			s.Sizes, s.Ratios, s.Count, s.Solvers, s.Timeout = []int{6}, []float64{3}, 20, []string{"highs-compact"}, 0
		}, slurm.Options{SbatchOpts: "-c 3 --mem-per-cpu=1G -J mine"},
			[]string{"#SBATCH --array=1-16\n", "export NASHBENCH_HIGHS_WASM=" + filepath.Join(sdir, "highs.wasm") + "\n",
				"#SBATCH -c 3\n#SBATCH --mem-per-cpu=1G\n#SBATCH -J mine\n"},
			[]string{"--cpus-per-task", "--job-name", "at most about"}, false},
		{"no empty shards", func(s *bench.Sweep) {
			s.Sizes, s.Ratios, s.Count, s.Solvers = []int{6}, []float64{3}, 5, []string{"enum"}
		},
			slurm.Options{}, []string{"#SBATCH --array=1-5\n"}, nil, false},
		{"external solvers", func(s *bench.Sweep) {
			s.Sizes, s.Ratios, s.Solvers = []int{6}, []float64{3}, []string{"enum", "test-missing"}
		},
			slurm.Options{SolversFile: loaded},
			[]string{" --jobs 1 --solvers-file " + filepath.Join(sdir, "solvers.json") + "\n", " and " + defs + " to " + filepath.Join(sdir, "solvers.json")},
			nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := dryRunSweep(run)
			tt.sweep(s)
			tt.opts.DryRun = true
			var out bytes.Buffer
			require.NoError(t, slurm.Submit(s, tt.opts, &out))
			for _, want := range tt.want {
				assert.Contains(t, out.String(), want)
			}
			for _, not := range tt.wantNot {
				assert.NotContains(t, out.String(), not)
			}
			if tt.oneMemEq {
				assert.Equal(t, 1, strings.Count(out.String(), "--mem="), "the merge needs no more memory than the cluster gives")
			}
			assert.NoDirExists(t, run)
		})
	}
}
