//go:build linux

package isolate

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// pinAll binds every thread of this process to the cores cpus. Threads
// the Go runtime starts later are cloned from these and inherit the
// binding, as do processes the solver starts.
func pinAll(cpus []int) error {
	var set unix.CPUSet
	for _, c := range cpus {
		set.Set(c)
	}
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return err
	}
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		if err := unix.SchedSetaffinity(tid, &set); err != nil && !errors.Is(err, unix.ESRCH) {
			return fmt.Errorf("pinning thread %d to cores %v: %w", tid, cpus, err)
		}
	}
	return nil
}

// allowedCPUs lists the cores in this process's affinity mask.
func allowedCPUs() []int {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		return nil
	}
	var out []int
	for c := 0; len(out) < set.Count(); c++ {
		if set.IsSet(c) {
			out = append(out, c)
		}
	}
	return out
}

// memLimit caps a worker's memory, with its descendants: a memory cgroup
// of its own where this process may make one (cgroup v2, or v1's memory
// controller), else an rlimit on the worker's address space.
type memLimit struct {
	bytes int64
	dir   string // the cgroup, or "" for the rlimit
	v2    bool
}

var cgroupSeq atomic.Int64

// noCgroup makes newMemLimit use the rlimit, for tests of the fallback.
var noCgroup atomic.Bool

// staleSweep removes, at the first memory limit of the process, the
// cgroups that processes no longer running left behind (see
// removeStaleCgroups).
var staleSweep sync.Once

// newMemLimit prepares a limit of n bytes; apply puts the started worker
// under it, and close removes its cgroup.
func newMemLimit(n int64) *memLimit {
	m := &memLimit{bytes: n}
	if dir, v2, ok := ownMemoryCgroup(); ok && !noCgroup.Load() {
		staleSweep.Do(func() { removeStaleCgroups(dir) })
		sub := filepath.Join(dir, cgroupName(os.Getpid(), cgroupSeq.Add(1)))
		limitFile, value := "memory.limit_in_bytes", strconv.FormatInt(n, 10)
		if v2 {
			limitFile = "memory.max"
		}
		if err := os.Mkdir(sub, 0o755); err == nil {
			if err := os.WriteFile(filepath.Join(sub, limitFile), []byte(value), 0); err == nil {
				if !v2 { // no swapping around the limit, where the kernel allows setting it
					_ = os.WriteFile(filepath.Join(sub, "memory.memsw.limit_in_bytes"), []byte(value), 0)
				} else {
					_ = os.WriteFile(filepath.Join(sub, "memory.swap.max"), []byte("0"), 0)
				}
				m.dir, m.v2 = sub, v2
			} else {
				_ = os.Remove(sub)
			}
		}
	}
	return m
}

// Mechanism names how the limit is enforced, for the run's records.
func (m *memLimit) mechanism() string {
	switch {
	case m.dir != "" && m.v2:
		return "cgroup v2"
	case m.dir != "":
		return "cgroup v1"
	}
	return "rlimit"
}

// apply puts process pid under the limit: into the cgroup, before the
// worker reads its job. The rlimit the worker sets on itself (env), once its
// runtime has started, so that what the runtime reserves at start-up is
// not counted.
func (m *memLimit) apply(pid int) error {
	if m.dir != "" {
		return os.WriteFile(filepath.Join(m.dir, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0)
	}
	return nil
}

// env is what the worker needs in its environment to apply the limit.
func (m *memLimit) env() []string {
	if m.dir != "" {
		return nil
	}
	return []string{rlimitEnv + "=" + strconv.FormatInt(m.bytes, 10)}
}

// limitSelf caps this process's address space at n bytes beyond what it
// has mapped now.
func limitSelf(n int64) error {
	reserved, err := addressSpace(os.Getpid())
	if err != nil {
		return err
	}
	lim := unix.Rlimit{Cur: uint64(reserved + n), Max: uint64(reserved + n)}
	return unix.Setrlimit(unix.RLIMIT_AS, &lim)
}

// addressSpace is the size of process pid's address space, in bytes.
func addressSpace(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/statm", pid))
	if err != nil {
		return 0, err
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0, fmt.Errorf("/proc/%d/statm: empty", pid)
	}
	pages, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("/proc/%d/statm: %w", pid, err)
	}
	return pages * int64(os.Getpagesize()), nil
}

// hit reports whether the cgroup's out-of-memory killer acted (always
// false under the rlimit, where the worker's allocation fails instead and
// its error says so).
func (m *memLimit) hit() bool {
	if m.dir == "" {
		return false
	}
	if m.v2 {
		return counter(filepath.Join(m.dir, "memory.events"), "oom_kill") > 0
	}
	if counter(filepath.Join(m.dir, "memory.oom_control"), "oom_kill") > 0 {
		return true
	}
	b, err := os.ReadFile(filepath.Join(m.dir, "memory.failcnt"))
	n, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return err == nil && n > 0
}

// outOfMemory reports whether a worker that failed with stderr ran out
// of the memory m allows. A cgroup's own counters say so; its members'
// allocations do not fail (the OOM killer acts instead), so a message
// about memory there means some other limit. Under the rlimit the failed
// allocation is the only sign.
func (m *memLimit) outOfMemory(stderr string) bool {
	if m.dir != "" {
		return m.hit()
	}
	return allocationFailed(stderr)
}

// cgroupDrain bounds how long close waits for a job's cgroup to empty:
// a killed process leaves it only once its memory is freed, which takes
// a moment for gigabytes.
const cgroupDrain = 10 * time.Second

// close removes the cgroup once the job is over and the worker reaped
// (see removeCgroup). A cgroup that cannot be removed is left for the
// next run's removeStaleCgroups.
func (m *memLimit) close() {
	if m.dir != "" {
		_ = removeCgroup(m.dir, cgroupDrain)
	}
}

// removeCgroup removes the cgroup dir of a job that is over. The worker
// has been reaped by then, but the kill of its process group does not
// empty the cgroup at once: a solver's program dies on its own time
// (freeing its memory first), as a child of init, and a program that left
// the group was not killed at all. What is still in the cgroup is the
// job's and is killed; then removeCgroup waits, for up to wait, for the
// cgroup to empty (cgroup.procs empty and, under v2, cgroup.events
// "populated 0"), and removes it, retrying while the kernel says busy.
func removeCgroup(dir string, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	delay := time.Millisecond
	for {
		procs, err := cgroupProcs(dir)
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if len(procs) > 0 {
			// Again while any are left: one may have forked meanwhile.
			killCgroup(dir, procs)
		}
		if len(procs) == 0 && !populated(dir) {
			err := unix.Rmdir(dir)
			if err == nil || errors.Is(err, unix.ENOENT) {
				return nil
			}
			if !errors.Is(err, unix.EBUSY) {
				return fmt.Errorf("removing cgroup %s: %w", dir, err)
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("removing cgroup %s: still in use after %v (processes %v)", dir, wait, procs)
		}
		time.Sleep(delay)
		delay = min(2*delay, 20*time.Millisecond)
	}
}

// cgroupProcs lists the processes in the cgroup dir.
func cgroupProcs(dir string) ([]int, error) {
	b, err := os.ReadFile(filepath.Join(dir, "cgroup.procs"))
	if err != nil {
		return nil, err
	}
	var pids []int
	for f := range strings.FieldsSeq(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil && pid > 0 {
			pids = append(pids, pid)
		}
	}
	return pids, nil
}

// populated reports whether a v2 cgroup still counts processes (its
// cgroup.events; a process that has left cgroup.procs may still be
// exiting); v1 has no such file, and says no.
func populated(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "cgroup.events"))
	return err == nil && counter(filepath.Join(dir, "cgroup.events"), "populated") > 0
}

// killCgroup kills every process in the cgroup dir: at once by its
// cgroup.kill (v2, Linux 5.14 on), else one by one.
func killCgroup(dir string, procs []int) {
	if f, err := os.OpenFile(filepath.Join(dir, "cgroup.kill"), os.O_WRONLY, 0); err == nil {
		_, err = f.WriteString("1")
		if cerr := f.Close(); err == nil && cerr == nil {
			return
		}
	}
	for _, pid := range procs {
		_ = unix.Kill(pid, unix.SIGKILL)
	}
}

// cgroupName is the name of the cgroup of a memory limit: the process that
// made it and a sequence number.
func cgroupName(pid int, seq int64) string { return fmt.Sprintf("nashbench-%d-%d", pid, seq) }

// cgroupOwner reads the process id out of a cgroupName.
func cgroupOwner(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, "nashbench-")
	if !ok {
		return 0, false
	}
	p, seq, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, false
	}
	pid, err := strconv.Atoi(p)
	if _, err2 := strconv.ParseInt(seq, 10, 64); err != nil || err2 != nil || pid <= 0 {
		return 0, false
	}
	return pid, true
}

// removeStaleCgroups removes the memory limits' cgroups in dir whose
// process is no longer running on this machine: those of a sweep that
// was killed (kill -9, a crash) before it could remove them, which
// otherwise stay until the machine reboots. Only empty ones go (the
// kernel refuses to remove any other); a process that cannot be
// signalled for want of permission is running.
func removeStaleCgroups(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		pid, ok := cgroupOwner(e.Name())
		if !ok || !e.IsDir() || pid == os.Getpid() || running(pid) {
			continue
		}
		_ = unix.Rmdir(filepath.Join(dir, e.Name()))
	}
}

// running reports whether process pid exists (in this process's PID
// namespace) and has not exited: a zombie, which its parent has yet to
// reap (a sweep killed with its parent's shell waits for init, which
// may take its time), is no longer running.
func running(pid int) bool {
	if err := unix.Kill(pid, 0); err != nil && !errors.Is(err, unix.EPERM) {
		return false
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return !errors.Is(err, os.ErrNotExist) // no /proc: say running
	}
	// The state follows the command, which is in parentheses.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	return len(f) == 0 || f[0] != "Z" && f[0] != "X"
}

// counter reads "name value" from a flat-keyed cgroup file, or 0.
func counter(file, name string) int64 {
	f, err := os.Open(file)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), " ")
		if ok && k == name {
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n
		}
	}
	return 0
}

// ownMemoryCgroup finds the directory of this process's memory cgroup, if
// it can make sub-groups there: the v1 memory hierarchy, or v2 with the
// memory controller enabled for its children.
func ownMemoryCgroup() (dir string, v2 bool, ok bool) {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return "", false, false
	}
	var v1Path, v2Path string
	haveV2 := false
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		if parts[0] == "0" && parts[1] == "" {
			v2Path, haveV2 = parts[2], true
		}
		for _, c := range strings.Split(parts[1], ",") {
			if c == "memory" {
				v1Path = parts[2]
			}
		}
	}
	if v1Path != "" {
		for _, root := range []string{"/sys/fs/cgroup/memory", "/sys/fs/cgroup/memory,cpu"} {
			d := filepath.Join(root, v1Path)
			if writable(d) {
				return d, false, true
			}
		}
	}
	if haveV2 {
		for _, root := range []string{"/sys/fs/cgroup", "/sys/fs/cgroup/unified"} {
			d := filepath.Join(root, v2Path)
			ctl, err := os.ReadFile(filepath.Join(d, "cgroup.subtree_control"))
			if err == nil && strings.Contains(" "+string(ctl)+" ", " memory ") && writable(d) {
				return d, true, true
			}
		}
	}
	return "", false, false
}

func writable(dir string) bool { return unix.Access(dir, unix.W_OK) == nil }
