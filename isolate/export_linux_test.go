//go:build linux

package isolate

import (
	"path/filepath"
	"sync"
)

// CgroupParent is the directory in which memory limits make their
// cgroups (this process's memory cgroup), or "" where they use the
// rlimit.
func CgroupParent() string {
	m := newMemLimit(1 << 30)
	defer m.close()
	if m.dir == "" {
		return ""
	}
	return filepath.Dir(m.dir)
}

// SweepStaleCgroupsAgain makes the next memory limit remove stale
// cgroups again, as the first of a process does.
func SweepStaleCgroupsAgain() { staleSweep = sync.Once{} }
