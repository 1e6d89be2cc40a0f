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
	"sync/atomic"

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

// newMemLimit prepares a limit of n bytes; apply puts the started worker
// under it.
func newMemLimit(n int64) *memLimit {
	m := &memLimit{bytes: n}
	if dir, v2, ok := ownMemoryCgroup(); ok && !noCgroup.Load() {
		sub := filepath.Join(dir, fmt.Sprintf("nashbench-%d-%d", os.Getpid(), cgroupSeq.Add(1)))
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

// close removes the cgroup; its processes have exited by then.
func (m *memLimit) close() {
	if m.dir != "" {
		_ = os.Remove(m.dir)
	}
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
