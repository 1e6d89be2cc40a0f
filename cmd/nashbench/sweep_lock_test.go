//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A sweep refuses a run directory whose lock another process holds.
func TestSweepLocked(t *testing.T) {
	run := filepath.Join(t.TempDir(), "run")
	require.NoError(t, os.MkdirAll(run, 0o755))
	lock := filepath.Join(run, "sweep.lock")
	f, err := os.OpenFile(lock, os.O_CREATE|os.O_RDWR, 0o644)
	require.NoError(t, err)
	defer f.Close()
	require.NoError(t, syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB))
	_, err = f.WriteString("pid 4242 on elsewhere\n")
	require.NoError(t, err)

	for _, resume := range []string{"--resume=false", "--resume"} {
		code, _, errs := runCmd("sweep", resume, "--n", "5,6", "--ratio", "3", "--count", "1", "--solvers", "enum", "--out", run, "--quiet")
		assert.NotEqual(t, 0, code)
		assert.Contains(t, errs, run+": in use by another sweep (pid 4242 on elsewhere)")
	}
	assert.NoFileExists(t, filepath.Join(run, "rows.jsonl"))

	require.NoError(t, f.Close())
	code, _, errs := runCmd("sweep", "--n", "5,6", "--ratio", "3", "--count", "1", "--solvers", "enum", "--out", run, "--quiet")
	assert.Equal(t, 0, code, errs)
}
