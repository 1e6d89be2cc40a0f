package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/solvers/external"
	"github.com/nashbench/nashbench/verify"
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

	s := Sweep{Ns: []int{10}, Ratios: []float64{4.26}, Count: 2, K: 3, Seed: 1,
		Solvers: []string{"test-sleeper", "cadical", "minisat+", "glpsol-compact", "gophersat"},
		Timeout: 700 * time.Millisecond, Out: filepath.Join(dir, "run"), Shards: 1, Jobs: 2}
	start := time.Now()
	rows, err := s.Execute(context.Background())
	require.NoError(t, err)
	require.Len(t, rows, 10)
	assert.Empty(t, Check(rows))
	for _, r := range rows {
		if r.Solver == "test-sleeper" {
			assert.Equal(t, StatusTimeout, r.Status)
			assert.Equal(t, "unknown", r.Answer)
			assert.Empty(t, r.Error)
			continue
		}
		assert.Equal(t, StatusSolved, r.Status, "%s: %s", r.Solver, r.Error)
		// Measured by the operating system like any job: the worker with
		// the program it ran.
		assert.Positive(t, r.WallSeconds, r.Solver)
		assert.Positive(t, r.MaxRSSBytes, r.Solver)
		require.NotNil(t, r.Verified, r.Solver)
		assert.True(t, *r.Verified, r.Solver)
		assert.NotEqual(t, verify.CheckNone, r.Check)
	}
	// Two sleepers of 0.7 s and quick answers; the margin is for a loaded
	// machine.
	assert.Less(t, time.Since(start), 15*time.Second)
	b, err := os.ReadFile(pids)
	require.NoError(t, err)
	var sh, child int
	_, err = fmt.Sscan(string(b), &sh, &child)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return !alive(sh) && !alive(child) }, 3*time.Second, 20*time.Millisecond,
		"the sleeper (%d) or its child (%d) outlived its job", sh, child)
	assert.Empty(t, children(t), "a process outlived its job")
}
