//go:build linux

package isolate_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/isolate"
	"github.com/nashbench/nashbench/solvers"
)

// external runs a program of its own as solvers/external does in a
// worker (in the worker's process group, killed when the worker dies) and
// waits for it, which never ends: the job ends at its deadline. With
// daemon, the program leaves the worker's process group (a session of
// its own) and outlives the worker; it writes its process id to the file
// pidFileEnv names.
type external struct{ daemon bool }

const pidFileEnv = "ISOLATE_TEST_PIDFILE"

func (e external) Solve(_ context.Context, _ *solvers.Problem, opt solvers.Options) (*solvers.Result, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), isolate.WorkerEnv+"=0", sleeperEnv+"="+strconv.Itoa(opt.List))
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Stderr = os.Stderr
	if e.daemon {
		// Not holding the worker's standard error, which Run would wait
		// for (its WaitDelay).
		cmd.SysProcAttr, cmd.Stderr = &syscall.SysProcAttr{Setsid: true}, nil
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	if e.daemon {
		if err := os.WriteFile(os.Getenv(pidFileEnv), []byte(strconv.Itoa(cmd.Process.Pid)), 0o644); err != nil {
			return nil, err
		}
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	fmt.Fprintf(os.Stderr, "external program %d: %s", cmd.Process.Pid, line)
	return nil, fmt.Errorf("the program ended: %v", cmd.Wait())
}

func init() {
	solvers.Register("isolate-test-external", func() solvers.Solver { return external{} })
	solvers.Register("isolate-test-daemon", func() solvers.Solver { return external{daemon: true} })
}

// cgroupParent is where memory limits make their cgroups here; the test
// is skipped where they use the rlimit, which makes none.
func cgroupParent(t *testing.T) string {
	t.Helper()
	dir := isolate.CgroupParent()
	if dir == "" {
		require.Equal(t, "rlimit", isolate.MemoryMechanism())
		t.Skipf("memory limits use the rlimit here (uid %d; no writable memory cgroup of this process with the memory controller, see /proc/self/cgroup): no cgroup is made, so none can leak", os.Getuid())
	}
	return dir
}

// ownCgroups lists the cgroups of this process's memory limits in dir.
func ownCgroups(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, fmt.Sprintf("nashbench-%d-*", os.Getpid())))
	require.NoError(t, err)
	return m
}

// A job under a memory limit that times out, its external program
// included, leaves no cgroup behind.
func TestMemoryCgroupRemovedAfterTimeout(t *testing.T) {
	dir := cgroupParent(t)
	before := ownCgroups(t, dir)
	const jobs = 3
	for range jobs {
		ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
		r, err := isolate.Config{Memory: 1 << 30}.Run(ctx, "isolate-test-external", tiny(), solvers.Options{List: 300})
		cancel()
		require.NoError(t, err)
		assert.Equal(t, solvers.Unknown, r.Answer)
		require.NotNil(t, r.Usage)
		assert.Positive(t, r.Usage.Wall)
	}
	left := ownCgroups(t, dir)
	t.Logf("%s in %s: %d cgroups before, %d after %d timed-out jobs", isolate.MemoryMechanism(), dir, len(before), len(left), jobs)
	assert.Equal(t, before, left, "cgroups left behind")
	for _, d := range left {
		if !slices.Contains(before, d) {
			procs, _ := os.ReadFile(filepath.Join(d, "cgroup.procs"))
			t.Logf("%s holds: %q", d, strings.TrimSpace(string(procs)))
		}
	}
}

// A program that left the worker's process group, which the kill at the
// deadline does not reach, is killed with the job's cgroup, which is
// then removed.
func TestMemoryCgroupKillsWhatIsLeft(t *testing.T) {
	dir := cgroupParent(t)
	before := ownCgroups(t, dir)
	pidFile := filepath.Join(t.TempDir(), "pid")
	t.Setenv(pidFileEnv, pidFile)
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	r, err := isolate.Config{Memory: 1 << 30}.Run(ctx, "isolate-test-daemon", tiny(), solvers.Options{List: 50})
	require.NoError(t, err)
	assert.Equal(t, solvers.Unknown, r.Answer)
	b, err := os.ReadFile(pidFile)
	require.NoError(t, err, "the program did not start")
	pid, err := strconv.Atoi(string(b))
	require.NoError(t, err)
	alive := func() bool {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		// A zombie (state Z) is dead, waiting for init to reap it.
		return err == nil && !strings.HasPrefix(strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))[0], "Z")
	}
	if alive() {
		_ = syscall.Kill(pid, syscall.SIGKILL)
		t.Errorf("the job's program %d outlived it", pid)
	}
	assert.Equal(t, before, ownCgroups(t, dir), "cgroups left behind")
}

// The first memory limit of a process removes the cgroups that processes
// no longer running left behind (a sweep killed with kill -9), and keeps
// those of running ones.
func TestStaleMemoryCgroupsRemoved(t *testing.T) {
	dir := cgroupParent(t)
	exe, err := os.Executable()
	require.NoError(t, err)
	gone := exec.Command(exe, "-test.run=^$")
	require.NoError(t, gone.Run())
	dead := gone.ProcessState.Pid()
	require.ErrorIs(t, syscall.Kill(dead, 0), syscall.ESRCH)

	// A process that has exited but is not reaped yet (as a killed sweep
	// whose parent went too, until init reaps it).
	zombie := exec.Command(exe, "-test.run=^$")
	require.NoError(t, zombie.Start())
	defer func() { _ = zombie.Wait() }()
	require.Eventually(t, func() bool {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", zombie.Process.Pid))
		return err == nil && strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))[0] == "Z"
	}, 10*time.Second, time.Millisecond, "process %d did not exit", zombie.Process.Pid)

	stale := filepath.Join(dir, fmt.Sprintf("nashbench-%d-1", dead))
	staleZombie := filepath.Join(dir, fmt.Sprintf("nashbench-%d-3", zombie.Process.Pid))
	kept := []string{
		filepath.Join(dir, "nashbench-1-1"), // init's: running
		filepath.Join(dir, fmt.Sprintf("nashbench-%d-999999", os.Getpid())),
		filepath.Join(dir, fmt.Sprintf("nashbench-other-%d", dead)), // not a limit's name
	}
	for _, d := range append([]string{stale, staleZombie}, kept...) {
		if err := os.Mkdir(d, 0o755); err != nil {
			// The code makes cgroups here (MemoryMechanism is not the
			// rlimit), so the test must be able to as well.
			t.Fatalf("cannot make a cgroup in %s (memory limits by %s, uid %d): %v", dir, isolate.MemoryMechanism(), os.Getuid(), err)
		}
		t.Cleanup(func() { _ = syscall.Rmdir(d) })
	}
	isolate.SweepStaleCgroupsAgain()
	r, err := isolate.Config{Memory: 1 << 30}.Run(context.Background(), "test-where", tiny(), solvers.Options{})
	require.NoError(t, err)
	assert.Equal(t, solvers.None, r.Answer)
	assert.NoDirExists(t, stale, "the cgroup of process %d, which has exited", dead)
	assert.NoDirExists(t, staleZombie, "the cgroup of process %d, a zombie", zombie.Process.Pid)
	for _, d := range kept {
		assert.DirExists(t, d)
	}
}

// A program killed (kill -9) while its job runs under a memory limit
// cannot remove the job's cgroup; the next program's first memory limit
// does, once the worker has gone too.
func TestKilledProgramsCgroupRemoved(t *testing.T) {
	dir := cgroupParent(t)
	exe, err := os.Executable()
	require.NoError(t, err)
	prog := exec.Command(exe, "-test.run=^$")
	prog.Env = append(os.Environ(), parentEnv+"=1")
	var stderr strings.Builder
	prog.Stderr = &stderr
	require.NoError(t, prog.Start())
	pattern := filepath.Join(dir, fmt.Sprintf("nashbench-%d-*", prog.Process.Pid))
	// Its job's cgroup, once the worker is in it.
	var cg string
	require.Eventually(t, func() bool {
		m, _ := filepath.Glob(pattern)
		for _, d := range m {
			if procs, _ := os.ReadFile(filepath.Join(d, "cgroup.procs")); len(strings.TrimSpace(string(procs))) > 0 {
				cg = d
				return true
			}
		}
		return false
	}, 10*time.Second, 10*time.Millisecond, "no job cgroup with a worker in %s; the program says: %s", dir, &stderr)
	require.NoError(t, prog.Process.Kill())
	_ = prog.Wait()
	// The worker exits when its job pipe closes.
	require.Eventually(t, func() bool {
		procs, err := os.ReadFile(filepath.Join(cg, "cgroup.procs"))
		return err == nil && len(strings.TrimSpace(string(procs))) == 0
	}, 10*time.Second, 10*time.Millisecond, "the killed program's worker is still in %s", cg)
	require.DirExists(t, cg, "left behind by the killed program")

	isolate.SweepStaleCgroupsAgain()
	_, err = isolate.Config{Memory: 1 << 30}.Run(context.Background(), "test-where", tiny(), solvers.Options{})
	require.NoError(t, err)
	assert.NoDirExists(t, cg)
	m, _ := filepath.Glob(pattern)
	assert.Empty(t, m, "cgroups of the killed program")
}
