// environment.go describes what ran a sweep: the versions of the code and
// the machine, as recorded in run.json.

package rundir

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"github.com/nashbench/nashbench/internal/filehash"
	"github.com/nashbench/nashbench/internal/highs"
)

// Versions are the versions of the code that ran a sweep. A module version
// is empty when the binary does not carry it (test binaries carry none).
type Versions struct {
	Go        string `json:"go"`                  // runtime.Version()
	Nashbench string `json:"nashbench,omitempty"` // VCS revision, or module version
	// NashbenchModified says the build had uncommitted changes.
	NashbenchModified bool   `json:"nashbench_modified,omitempty"`
	Gophersat         string `json:"gophersat,omitempty"`
	HiGHS             string `json:"highs"` // the release inside the pinned wasm
	Wazero            string `json:"wazero,omitempty"`
	// BinarySHA256 is the SHA-256 of the running nashbench executable:
	// builds without VCS information (go run, -buildvcs=false) are told
	// apart too. Empty when it cannot be read.
	BinarySHA256 string `json:"binary_sha256,omitempty"`
}

// WriteText writes v a line per component, as nashbench version prints
// it: a build without VCS information or with uncommitted changes says so.
func (v Versions) WriteText(w io.Writer) error {
	rev := v.Nashbench
	if rev == "" {
		rev = "(devel: built without VCS information, e.g. -buildvcs=false)"
	}
	if v.NashbenchModified {
		rev += " (with uncommitted changes)"
	}
	none := func(s string) string {
		if s == "" {
			return "(none)"
		}
		return s
	}
	_, err := fmt.Fprintf(w, "nashbench  %s\nbinary     sha256 %s\ngo         %s\nhighs      %s\ngophersat  %s\nwazero     %s\n",
		rev, none(v.BinarySHA256), v.Go, v.HiGHS, none(v.Gophersat), none(v.Wazero))
	return err
}

// Machine describes the machine a shard of a sweep ran on.
type Machine struct {
	Shard    string `json:"shard"`   // i/N of the shard, 1/1 when unsharded
	Started  string `json:"started"` // RFC 3339, UTC: when the shard last started or resumed
	Hostname string `json:"hostname"`
	CPU      string `json:"cpu"`   // model name from /proc/cpuinfo; empty when unknown
	Cores    int    `json:"cores"` // logical CPUs the process may use
	// MemoryBytes is MemTotal of /proc/meminfo; 0 when unknown.
	MemoryBytes int64  `json:"memory_bytes"`
	OS          string `json:"os"`     // GOOS/GOARCH
	Kernel      string `json:"kernel"` // /proc/sys/kernel/osrelease; empty when unknown
	// Governor is cpu0's frequency governor (performance, powersave,
	// ...) and Turbo whether turbo boost is on ("on", "off"); both empty
	// where the kernel does not say (virtual machines, other systems).
	// Times are comparable only under the performance governor.
	Governor string `json:"governor,omitempty"`
	Turbo    string `json:"turbo,omitempty"`
	// Versions, when set, are this shard's versions, which differ from
	// the run's (a resume or a shard with another build).
	Versions *Versions `json:"versions,omitempty"`
	// Source is, in a merged run.json, the input directory the entry
	// comes from.
	Source string `json:"source,omitempty"`
}

// CurrentVersions returns the versions of this binary.
var CurrentVersions = sync.OnceValue(func() Versions {
	v := Versions{Go: runtime.Version(), HiGHS: highs.Version}
	if exe, err := os.Executable(); err == nil {
		v.BinarySHA256, _ = filehash.SHA256(exe) // "" when unreadable
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if mv := info.Main.Version; mv != "" && mv != "(devel)" {
		v.Nashbench = mv
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Nashbench = s.Value
		case "vcs.modified":
			v.NashbenchModified = s.Value == "true"
		}
	}
	for _, d := range info.Deps {
		ver := d.Version
		if d.Replace != nil {
			ver += " => " + d.Replace.Path + " " + d.Replace.Version
		}
		switch d.Path {
		case "github.com/crillab/gophersat":
			v.Gophersat = ver
		case "github.com/tetratelabs/wazero":
			v.Wazero = ver
		}
	}
	return v
})

// ThisMachine describes this machine (Shard and Started left empty).
var ThisMachine = sync.OnceValue(func() Machine {
	m := Machine{Cores: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	m.Hostname, _ = os.Hostname()
	m.CPU = procField("/proc/cpuinfo", "model name")
	if kb, err := strconv.ParseInt(strings.TrimSuffix(procField("/proc/meminfo", "MemTotal"), " kB"), 10, 64); err == nil {
		m.MemoryBytes = kb << 10
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"); err == nil {
		m.Governor = strings.TrimSpace(string(b))
	}
	// intel_pstate says no_turbo; acpi-cpufreq (and AMD) say boost.
	if b, err := os.ReadFile("/sys/devices/system/cpu/intel_pstate/no_turbo"); err == nil {
		m.Turbo = map[string]string{"0": "on", "1": "off"}[strings.TrimSpace(string(b))]
	} else if b, err := os.ReadFile("/sys/devices/system/cpu/cpufreq/boost"); err == nil {
		m.Turbo = map[string]string{"1": "on", "0": "off"}[strings.TrimSpace(string(b))]
	}
	return m
})

// procField returns the value of the first "key: value" line of a /proc
// file, or "".
func procField(path, key string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
