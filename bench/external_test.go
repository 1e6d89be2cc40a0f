package bench

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/internal/testtool"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/results"
	"github.com/nashbench/nashbench/rundir"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/external"
)

// alive reports whether a process exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	return !strings.HasPrefix(strings.TrimSpace(s[strings.LastIndexByte(s, ')')+1:]), "Z")
}

// An external solver in a sweep runs like a built-in one, in a worker
// process bound to a core (made there from its definition, which the
// worker has not read): its answers are verified, its use measured, and
// one that runs past the deadline is killed with the children it started
// (the worker's process group) and recorded as a timeout.
func TestSweepExternal(t *testing.T) {
	dir := t.TempDir()
	pids := filepath.Join(dir, "pids")
	script := filepath.Join(dir, "sleeper.sh")
	require.NoError(t, os.WriteFile(script, []byte("#!/bin/sh\nsleep 600 &\necho $$ $! > \""+pids+"\"\nwait\n"), 0o755))
	defs := filepath.Join(dir, "solvers.json")
	require.NoError(t, os.WriteFile(defs, []byte(`{"solvers": [
		{"name": "test-sleeper", "input": "cnf", "command": ["`+script+`", "{input}"], "output": "sat"}
	]}`), 0o644))
	_, err := external.Load(defs)
	require.NoError(t, err)

	// The timeout ends the sleeper's jobs; the other solvers answer at
	// n = 10 in milliseconds, and 2 s leaves them room on a loaded machine
	// (a job past it would be a timeout row, and fail the test).
	s := Sweep{Experiment: rundir.Experiment{Sizes: []int{10}, Ratios: []float64{4.26}, Count: 2, K: 3, Seed: 1, Solvers: []string{"test-sleeper", "cadical", "minisat+", "glpsol-compact", "gophersat"}, Timeout: rundir.Duration(2 * time.Second)}, Out: filepath.Join(dir, "run"), Shards: 1, Jobs: 2}
	start := time.Now()
	rows, err := s.Execute(context.Background())
	require.NoError(t, err)
	require.Len(t, rows, 10)
	assert.Empty(t, results.Disagreements(rows))
	for _, r := range rows {
		if r.Solver == "test-sleeper" {
			assert.Equal(t, record.Timeout, r.Status)
			assert.Equal(t, record.Unknown, r.Answer)
			assert.Empty(t, r.Error)
			continue
		}
		assert.Equal(t, record.Solved, r.Status, "%s: %s", r.Solver, r.Error)
		// Measured by the operating system like any job: the worker with
		// the program it ran.
		assert.Positive(t, r.WallSeconds, r.Solver)
		assert.Positive(t, r.MaxRSSBytes, r.Solver)
		require.NotNil(t, r.Verified, r.Solver)
		assert.True(t, *r.Verified, r.Solver)
		assert.NotEqual(t, record.CheckNone, r.Check)
	}
	// The sweep's own timeouts bound it: two jobs run at a time, the
	// sleepers' two jobs end at their timeout, and each other job's answer
	// is quick; each of the ten jobs gets the stop allowance for a loaded
	// machine (a sleeper not stopped would take 600 s).
	jobs := len(s.Solvers) * s.Count
	assert.Less(t, time.Since(start), 2*time.Duration(s.Timeout)+time.Duration(jobs)*testtool.StopAllowance)
	b, err := os.ReadFile(pids)
	require.NoError(t, err)
	var sh, child int
	_, err = fmt.Sscan(string(b), &sh, &child)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return !alive(sh) && !alive(child) }, testtool.StopAllowance, 20*time.Millisecond,
		"the sleeper (%d) or its child (%d) outlived its job", sh, child)
	assert.Empty(t, children(t), "a process outlived its job")
}

// run.json records the build of each external solver a run uses, and a
// shard, resume or merge that would mix builds is refused, naming the
// solver and what differs; a run.json from before builds were recorded
// still resumes, and records them from then on.
func TestRunInfoExternalBuilds(t *testing.T) {
	dir := t.TempDir()
	prog := filepath.Join(dir, "prog.sh")
	script := []byte("#!/bin/sh\necho 's UNKNOWN'\n")
	require.NoError(t, os.WriteFile(prog, script, 0o755))
	defs := filepath.Join(dir, "solvers.json")
	writeDefs := func(extra string) {
		require.NoError(t, os.WriteFile(defs, []byte(`{"solvers": [
			{"name": "test-prog", "input": "cnf", "command": ["`+prog+`", "{input}"`+extra+`], "output": "sat"}
		]}`), 0o644))
		_, err := external.Load(defs)
		require.NoError(t, err)
	}
	writeDefs("")
	t.Cleanup(func() { require.NoError(t, external.Register(external.Shipped())) })
	out := filepath.Join(dir, "run")
	shard := func(i int) error {
		s := quick(out)
		s.Solvers, s.Shards, s.Shard = []string{"enum", "test-prog", "cadical"}, 2, i
		_, err := s.Execute(context.Background())
		return err
	}
	require.NoError(t, shard(0))
	ri, err := rundir.ReadInfo(out)
	require.NoError(t, err)
	require.Len(t, ri.ExternalSolvers, 2, "cadical and test-prog, not the built-in enum")
	b := ri.ExternalSolvers[1]
	assert.Equal(t, "cadical", ri.ExternalSolvers[0].Definition.Name)
	assert.Equal(t, solvers.ShippedSource, ri.ExternalSolvers[0].Source)
	assert.NotEmpty(t, ri.ExternalSolvers[0].Version)
	assert.Equal(t, "test-prog", b.Definition.Name)
	assert.Equal(t, []string{prog, "{input}"}, b.Definition.Command)
	assert.Equal(t, defs, b.Source)
	assert.Equal(t, prog, b.Path)
	assert.Equal(t, fmt.Sprintf("%x", sha256.Sum256(script)), b.SHA256)
	assert.Empty(t, b.Missing)

	// Another binary under the same path.
	require.NoError(t, os.WriteFile(prog, append(script, "# patched\n"...), 0o755))
	err = shard(1)
	require.ErrorContains(t, err, "external solver test-prog: program sha256 "+b.SHA256+" in the run's run.json, ")
	require.NoError(t, os.WriteFile(prog, script, 0o755))

	// Another definition of the same binary.
	writeDefs(`, "--flag"`)
	require.ErrorContains(t, shard(1), `external solver test-prog: definition field command ["`+prog+`","{input}"] in the run's run.json, ["`+prog+`","{input}","--flag"] in this sweep`)
	writeDefs("")
	require.NoError(t, shard(1))

	// A run.json of an older nashbench, without builds.
	raw, err := os.ReadFile(filepath.Join(out, rundir.InfoFile))
	require.NoError(t, err)
	var old map[string]any
	require.NoError(t, json.Unmarshal(raw, &old))
	delete(old, "external_solvers")
	raw, err = json.Marshal(old)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(out, rundir.InfoFile), raw, 0o644))
	ri, err = rundir.ReadInfo(out)
	require.NoError(t, err)
	assert.Nil(t, ri.ExternalSolvers)
	s := quick(out)
	s.Solvers, s.Shards, s.Shard, s.Resume = []string{"enum", "test-prog", "cadical"}, 2, 0, true
	_, err = s.Execute(context.Background())
	require.NoError(t, err)
	ri, err = rundir.ReadInfo(out)
	require.NoError(t, err)
	assert.Len(t, ri.ExternalSolvers, 2, "recorded on resume")

	// Merge compares the runs' builds.
	other := *ri
	other.ExternalSolvers = slices.Clone(ri.ExternalSolvers)
	other.ExternalSolvers[1].SHA256 = "feed"
	_, err = rundir.MergeInfo([]*rundir.Info{ri, &other}, []string{"a", "b"})
	require.ErrorContains(t, err, "a and b ran different solvers: external solver test-prog: program sha256 "+b.SHA256+" in a, feed in b")
	other.ExternalSolvers = other.ExternalSolvers[:1]
	_, err = rundir.MergeInfo([]*rundir.Info{ri, &other}, []string{"a", "b"})
	require.ErrorContains(t, err, "external solver test-prog: a records a build of it, b does not")
	merged, err := rundir.MergeInfo([]*rundir.Info{ri, ri}, []string{"a", "b"})
	require.NoError(t, err)
	assert.Equal(t, ri.ExternalSolvers, merged.ExternalSolvers)
}
