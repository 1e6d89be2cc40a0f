package slurm

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/solvers"
	_ "github.com/nashbench/nashbench/solvers/enum"
	"github.com/nashbench/nashbench/solvers/external"
	_ "github.com/nashbench/nashbench/solvers/mip"
)

func TestScripts(t *testing.T) {
	opts, err := parseSbatchOpts("-p long --comment='two words'")
	require.NoError(t, err)
	p := &scripts{out: "/runs/a", chdir: "/home/u", shards: 3, jobs: 2, memory: 1 << 30, timeout: 20 * time.Second, perShard: 6,
		check: "2s", solvers: "/runs/a/slurm/solvers.json", retry: true, opts: opts,
		files: []solvers.Need{{Name: "highs.wasm", Env: "NASHBENCH_HIGHS_WASM"}}}
	assert.Equal(t, `#!/bin/bash
# The sweep in /runs/a, in 3 shards: array task i runs shard i/3.
# Written by `+"`nashbench sweep --slurm`; `nashbench sweep --resume --slurm --out /runs/a`"+`
# resubmits the shards that lack rows.
# A task runs up to 6 jobs, 2 at a time, each within --timeout 20s and its check:
# at most about 1m6s. Give --time in --slurm-opts if the partition allows less.
#SBATCH --job-name=nashbench-sweep
#SBATCH --array=1-3
#SBATCH --cpus-per-task=2
#SBATCH --mem=2560M
#SBATCH --output=/runs/a/slurm/sweep-%A_%a.out
#SBATCH --chdir=/home/u
#SBATCH -p long
#SBATCH --comment="two words"
export NASHBENCH_HIGHS_WASM=/runs/a/slurm/highs.wasm
exec /runs/a/slurm/nashbench sweep --resume --out /runs/a --shard "$SLURM_ARRAY_TASK_ID/3" --jobs 2 --check-limit 2s --solvers-file /runs/a/slurm/solvers.json --retry-failed
`, p.sweepScript())
	assert.Equal(t, `#!/bin/bash
# Merges the shards of the sweep in /runs/a into /runs/a/merged: rows, summary (with
# the jobs missing, by shard) and plots. Written by `+"`nashbench sweep --slurm`"+`.
#SBATCH --job-name=nashbench-merge
#SBATCH --cpus-per-task=1
#SBATCH --output=/runs/a/slurm/merge-%j.out
#SBATCH --chdir=/home/u
#SBATCH -p long
#SBATCH --comment="two words"
exec /runs/a/slurm/nashbench merge --out /runs/a/merged /runs/a
`, p.mergeScript())

	// The user's options replace nashbench's defaults; no time limit, no
	// estimate; a solver without data files exports nothing.
	p.opts, err = parseSbatchOpts("-c 3 --mem-per-cpu=1G -J mine")
	require.NoError(t, err)
	p.timeout, p.files = 0, nil
	sweep := p.sweepScript()
	for _, s := range []string{sweep, p.mergeScript()} {
		assert.NotContains(t, s, "--cpus-per-task")
		assert.NotContains(t, s, "--job-name")
		assert.NotContains(t, s, "--mem=")
		assert.Contains(t, s, "#SBATCH -c 3\n#SBATCH --mem-per-cpu=1G\n#SBATCH -J mine\n")
	}
	assert.NotContains(t, sweep, "at most about")
	assert.NotContains(t, sweep, "export")
}

// The staged files: the binary, the definitions' copy, each data file
// (rewritten only when it changed) and the scripts.
func TestInstall(t *testing.T) {
	dir := t.TempDir()
	defs := filepath.Join(dir, "defs.json")
	require.NoError(t, os.WriteFile(defs, []byte("{}"), 0o644))
	data := []byte("wasm 1")
	out := filepath.Join(dir, "run")
	p := &scripts{out: out, chdir: dir, shards: 1, jobs: 1, solversSrc: defs,
		files: []solvers.Need{{Name: "x.wasm", Env: "X_WASM", Load: func(context.Context) ([]byte, error) { return data, nil }}}}
	p.solvers = p.solversFile()
	require.NoError(t, p.install(context.Background()))
	sdir := filepath.Join(out, "slurm")
	for name, want := range map[string]string{"solvers.json": "{}", "x.wasm": "wasm 1", "sweep.sbatch": p.sweepScript(), "merge.sbatch": p.mergeScript()} {
		got, err := os.ReadFile(filepath.Join(sdir, name))
		require.NoError(t, err)
		assert.Equal(t, want, string(got), name)
	}
	st, err := os.Stat(filepath.Join(sdir, "nashbench"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o755), st.Mode().Perm())
	assert.Contains(t, p.sweepScript(), "export X_WASM="+filepath.Join(sdir, "x.wasm")+"\n")

	data = []byte("wasm 2")
	require.NoError(t, p.install(context.Background()))
	got, err := os.ReadFile(filepath.Join(sdir, "x.wasm"))
	require.NoError(t, err)
	assert.Equal(t, "wasm 2", string(got))
}

// What Submit stages comes from the solvers' needs: HiGHS's wasm once for
// both HiGHS solvers, nothing for enum; external solvers need programs,
// which are not staged.
func TestNeeds(t *testing.T) {
	needs, err := solvers.NeedsOf([]string{"highs-compact", "enum", "highs-paper"})
	require.NoError(t, err)
	require.Len(t, needs, 1)
	assert.Equal(t, "highs.wasm", needs[0].Name)
	assert.Equal(t, "NASHBENCH_HIGHS_WASM", needs[0].Env)
	assert.False(t, needs[0].Program)
	assert.NotNil(t, needs[0].Load)
	needs, err = solvers.NeedsOf([]string{"enum"})
	require.NoError(t, err)
	assert.Empty(t, needs)
	_, err = solvers.NeedsOf([]string{"nope"})
	assert.ErrorContains(t, err, `unknown solver "nope"`)

	defs, err := external.ParseDefinitions("defs.json", []byte(`{"solvers": [
		{"name": "a", "input": "cnf", "command": ["solver-a", "{input}"], "output": "sat"},
		{"name": "b", "input": "cnf", "command": ["/opt/b", "{input}"], "certify_command": ["/opt/b-proof", "{input}", "{proof}"], "output": "sat"}]}`))
	require.NoError(t, err)
	assert.Equal(t, []solvers.Need{{Name: "solver-a", Program: true}}, external.New(defs[0]).Needs())
	assert.Equal(t, []solvers.Need{{Name: "/opt/b", Program: true}, {Name: "/opt/b-proof", Program: true}}, external.New(defs[1]).Needs())
}
