// rundir.go keeps a run directory to one experiment: its run.json, the
// locks that keep a second sweep out, and the history of retried jobs.

package bench

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nashbench/nashbench/internal/atomicfile"
	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/external"
)

// RunInfoName is the name of the file that describes a run directory.
const RunInfoName = "run.json"

// runInfoFormat is the version of run.json's layout.
const runInfoFormat = 1

// Experiment is what defines a sweep's rows: the fields of Sweep that are
// not runtime plumbing. Two sweeps with equal Experiments (and the same
// code) give the same answers. For a corpus sweep the fields of generated
// instances are zero.
type Experiment struct {
	Sizes          []int     `json:"sizes"`
	Ratios         []float64 `json:"ratios"`
	Count          int       `json:"count"`
	K              int       `json:"k"`
	Seed           uint64    `json:"seed"`
	Planted        bool      `json:"planted"`
	Corpus         string    `json:"corpus"`
	Solvers        []string  `json:"solvers"`
	TimeoutSeconds float64   `json:"timeout_seconds"` // per job; 0 for none
	Reduction      string    `json:"reduction"`       // corrected or literal
	// MemoryBytes caps each job's memory; 0 (absent) for none.
	MemoryBytes int64 `json:"memory_bytes,omitempty"`
	// Certify says that solvers were asked for proofs of negative answers
	// (--certify); absent in older run.json files, which did not.
	Certify bool `json:"certify,omitempty"`
}

// RunInfo is the content of run.json.
type RunInfo struct {
	Format     int        `json:"format"`
	Experiment Experiment `json:"experiment"`
	// Shards is how many shards the experiment is split into in this
	// directory (1: unsharded; a merged run is unsharded).
	Shards int `json:"shards"`
	// Versions are those of the sweep that created the directory; a shard
	// run by another build records its own in its Machines entry.
	Versions Versions `json:"versions"`
	// Machines has one entry per shard (per input shard for a merge).
	Machines []Machine `json:"machines"`
	// MergedFrom lists the inputs of `nashbench merge`.
	MergedFrom []string `json:"merged_from,omitempty"`
	// ExternalSolvers are the builds of the experiment's external
	// solvers, by name; absent in run.json files of older nashbench
	// versions, which did not record them.
	ExternalSolvers []external.Build `json:"external_solvers,omitempty"`
}

// externalBuilds returns the builds of the named solvers that are
// external, ordered by name; with program false, their definitions alone.
func externalBuilds(names []string, program bool) []external.Build {
	var out []external.Build
	for _, name := range slices.Sorted(slices.Values(names)) {
		if sv, err := solvers.New(name); err == nil {
			if b, ok := external.BuildOf(context.Background(), sv, program); ok {
				out = append(out, b)
			}
		}
	}
	return out
}

// diffBuilds says how the external solver builds b differ from a, naming
// the first solver that differs and the runs by aName and bName ("" when
// none differs). A solver recorded in one list only differs: the other
// run did not say what it ran.
func diffBuilds(a, b []external.Build, aName, bName string) string {
	byName := func(bs []external.Build) map[string]*external.Build {
		m := map[string]*external.Build{}
		for i := range bs {
			m[bs[i].Definition.Name] = &bs[i]
		}
		return m
	}
	am, bm := byName(a), byName(b)
	names := slices.Collect(maps.Keys(am))
	for n := range bm {
		if am[n] == nil {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		x, y := am[n], bm[n]
		switch {
		case x == nil:
			return fmt.Sprintf("external solver %s: %s records no build of it, %s does", n, aName, bName)
		case y == nil:
			return fmt.Sprintf("external solver %s: %s records a build of it, %s does not", n, aName, bName)
		}
		if field, mine, theirs := x.Diff(y); field != "" {
			return fmt.Sprintf("external solver %s: %s %s in %s, %s in %s", n, field, mine, aName, theirs, bName)
		}
	}
	return ""
}

// Experiment returns what defines the sweep's rows.
func (s *Sweep) Experiment() Experiment {
	e := Experiment{Solvers: slices.Clone(s.Solvers), TimeoutSeconds: s.Timeout.Seconds(), Reduction: s.Reduction.String(), MemoryBytes: s.Memory, Certify: s.Certify}
	if s.Corpus != "" {
		e.Corpus = filepath.Clean(s.Corpus)
		return e
	}
	e.Sizes, e.Ratios = slices.Clone(s.Ns), slices.Clone(s.Ratios)
	e.Count, e.K, e.Seed, e.Planted = s.Count, s.K, s.Seed, s.Planted
	return e
}

// SetExperiment makes the sweep run experiment e.
func (s *Sweep) SetExperiment(e Experiment) error {
	v, err := reduction.ParseVariant(e.Reduction)
	if err != nil {
		return err
	}
	if math.IsNaN(e.TimeoutSeconds) || e.TimeoutSeconds < 0 || e.TimeoutSeconds > math.MaxInt64/1e9 {
		return fmt.Errorf("timeout_seconds %v: want a duration", e.TimeoutSeconds)
	}
	s.Ns, s.Ratios, s.Count, s.K, s.Seed, s.Planted = slices.Clone(e.Sizes), slices.Clone(e.Ratios), e.Count, e.K, e.Seed, e.Planted
	s.Corpus, s.Solvers, s.Reduction, s.Certify = e.Corpus, slices.Clone(e.Solvers), v, e.Certify
	s.Timeout = time.Duration(math.Round(e.TimeoutSeconds * 1e9))
	if e.MemoryBytes < 0 {
		return fmt.Errorf("memory_bytes %d: want a size", e.MemoryBytes)
	}
	s.Memory = e.MemoryBytes
	return nil
}

// Difference is a parameter in which two experiments differ, with both
// values formatted as on the command line.
type Difference struct {
	Field string // the run.json field
	A, B  string // the receiver's value and the other's
}

// Diff lists the parameters in which e and o differ, in the order of
// run.json. The order of the sizes, ratios and solvers does not matter:
// the jobs are the same set (a sweep that matches a run.json takes the
// run's order, which decides how its instances fall into shards).
func (e *Experiment) Diff(o *Experiment) []Difference {
	ints := func(xs []int) string {
		parts := make([]string, len(xs))
		for i, x := range xs {
			parts[i] = strconv.Itoa(x)
		}
		return strings.Join(parts, ",")
	}
	floats := func(xs []float64) string {
		parts := make([]string, len(xs))
		for i, x := range xs {
			parts[i] = strconv.FormatFloat(x, 'g', -1, 64)
		}
		return strings.Join(parts, ",")
	}
	secs := func(x float64) string { return time.Duration(math.Round(x * 1e9)).String() }
	fields := []struct {
		name string
		a, b string
		same bool
	}{
		{name: "sizes", a: ints(e.Sizes), b: ints(o.Sizes), same: sameSorted(e.Sizes, o.Sizes)},
		{name: "ratios", a: floats(e.Ratios), b: floats(o.Ratios), same: sameSorted(e.Ratios, o.Ratios)},
		{name: "count", a: strconv.Itoa(e.Count), b: strconv.Itoa(o.Count)},
		{name: "k", a: strconv.Itoa(e.K), b: strconv.Itoa(o.K)},
		{name: "seed", a: strconv.FormatUint(e.Seed, 10), b: strconv.FormatUint(o.Seed, 10)},
		{name: "planted", a: strconv.FormatBool(e.Planted), b: strconv.FormatBool(o.Planted)},
		{name: "corpus", a: e.Corpus, b: o.Corpus},
		{name: "solvers", a: strings.Join(e.Solvers, ","), b: strings.Join(o.Solvers, ","),
			same: sameSorted(e.Solvers, o.Solvers)},
		{name: "timeout_seconds", a: secs(e.TimeoutSeconds), b: secs(o.TimeoutSeconds)},
		{name: "reduction", a: e.Reduction, b: o.Reduction},
		{name: "memory_bytes", a: strconv.FormatInt(e.MemoryBytes, 10), b: strconv.FormatInt(o.MemoryBytes, 10)},
		{name: "certify", a: strconv.FormatBool(e.Certify), b: strconv.FormatBool(o.Certify)},
	}
	var out []Difference
	for _, f := range fields {
		if !f.same && f.a != f.b {
			out = append(out, Difference{f.name, f.a, f.b})
		}
	}
	return out
}

// sameSorted says whether a and b hold the same values, in any order.
func sameSorted[T cmp.Ordered](a, b []T) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

// ReadRunInfo reads the run.json of a run directory. Its error wraps
// fs.ErrNotExist when there is none.
func ReadRunInfo(dir string) (*RunInfo, error) {
	path := filepath.Join(dir, RunInfoName)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ri RunInfo
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&ri); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if ri.Format != runInfoFormat {
		return nil, fmt.Errorf("%s: format %d, this nashbench reads %d", path, ri.Format, runInfoFormat)
	}
	if ri.Shards < 1 {
		return nil, fmt.Errorf("%s: shards %d: want at least 1", path, ri.Shards)
	}
	return &ri, nil
}

// WriteRunInfo writes run.json into dir, atomically.
func WriteRunInfo(dir string, ri *RunInfo) error {
	b, err := json.MarshalIndent(ri, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, RunInfoName), append(b, '\n'))
}

// MergeRunInfo describes the merge of runs of one experiment: infos[i] is
// the run.json of sources[i]. It fails, naming the parameter, when two of
// them are different experiments.
func MergeRunInfo(infos []*RunInfo, sources []string) (*RunInfo, error) {
	if len(infos) == 0 || len(infos) != len(sources) {
		return nil, errors.New("merge: no runs")
	}
	first := infos[0]
	out := &RunInfo{Format: runInfoFormat, Experiment: first.Experiment, Shards: 1, Versions: first.Versions, MergedFrom: sources,
		ExternalSolvers: first.ExternalSolvers}
	for i, ri := range infos {
		if d := first.Experiment.Diff(&ri.Experiment); len(d) > 0 {
			return nil, fmt.Errorf("%s and %s are different experiments: %s %s in the first, %s in the second",
				sources[0], sources[i], d[0].Field, orNone(d[0].A), orNone(d[0].B))
		}
		if d := diffBuilds(first.ExternalSolvers, ri.ExternalSolvers, sources[0], sources[i]); d != "" {
			return nil, fmt.Errorf("%s and %s ran different solvers: %s", sources[0], sources[i], d)
		}
		for _, m := range ri.Machines {
			if m.Source == "" {
				m.Source = sources[i]
			}
			if m.Versions == nil && ri.Versions != first.Versions {
				v := ri.Versions
				m.Versions = &v
			}
			out.Machines = append(out.Machines, m)
		}
	}
	return out, nil
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// HistoryFile names the file of a shard that keeps the rows replaced by
// retries (see Sweep.RetryFailed).
func HistoryFile(dir string, shard, shards int) string {
	if shards <= 1 {
		return filepath.Join(dir, "history.jsonl")
	}
	return filepath.Join(dir, fmt.Sprintf("history-%d-of-%d.jsonl", shard+1, shards))
}

// ReadHistory reads the rows of every history file of a run directory:
// the earlier attempts of retried jobs.
func ReadHistory(dir string) ([]Row, error) {
	files, err := filepath.Glob(filepath.Join(dir, "history*.jsonl"))
	if err != nil {
		return nil, err
	}
	return readAll(files)
}

// HasRows reports whether a run directory holds any rows.
func HasRows(dir string) (bool, error) {
	files, err := filepath.Glob(filepath.Join(dir, "rows*.jsonl"))
	if err != nil {
		return false, err
	}
	for _, f := range files {
		if st, err := os.Stat(f); err == nil && st.Size() > 0 {
			return true, nil
		}
	}
	return false, nil
}

// retryable reports whether a job's row is one that --retry-failed runs
// again: it timed out, ran out of memory, or failed. Refusals and
// verification failures are answers, not accidents, and stay. Rows
// without a status (older versions) count as failed when they have an
// error other than a verification failure, and as timed out when
// undecided without one.
func retryable(r *Row) bool {
	switch r.Status {
	case StatusError, StatusTimeout, StatusMemout:
		return true
	case "":
		return !r.Failed() && (r.Error != "" || !decided(r.Answer))
	}
	return false
}

// ErrInUse is the error of a sweep whose run directory (shard) another
// sweep is running.
var ErrInUse = errors.New("in use by another sweep")

var errLocked = errors.New("locked")

// runDir is a run directory held by a sweep of one of its shards.
type runDir struct {
	lock     *os.File
	history  string         // this shard's history file
	attempts map[string]int // job key -> attempts in history
}

// lockFile names the lock file of a shard.
func lockFile(dir string, shard, shards int) string {
	if shards <= 1 {
		return filepath.Join(dir, "sweep.lock")
	}
	return filepath.Join(dir, fmt.Sprintf("sweep-%d-of-%d.lock", shard+1, shards))
}

// openRunDir takes the sweep's shard of its run directory: it locks it
// against other sweeps, checks that the directory holds this experiment
// (or nothing), and records the experiment and this machine in run.json.
func (s *Sweep) openRunDir() (_ *runDir, err error) {
	path := lockFile(s.Out, s.Shard, s.Shards)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	err = flock(f, false)
	if errors.Is(err, errLocked) {
		// A sweep killed while starting a worker leaves the lock to the
		// child until its exec closes the inherited descriptor: when the
		// recorded holder is gone, wait for that moment.
		holder, _ := os.ReadFile(path)
		for deadline := time.Now().Add(5 * time.Second); errors.Is(err, errLocked) && holderGone(string(holder)) && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
			err = flock(f, false)
		}
	}
	if err != nil {
		if !errors.Is(err, errLocked) {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		holder, _ := os.ReadFile(path)
		who := ""
		if h := strings.TrimSpace(string(holder)); h != "" {
			who = " (" + h + ")"
		}
		return nil, fmt.Errorf("%s: %w%s; lock file %s", s.Out, ErrInUse, who, path)
	}
	host, _ := os.Hostname()
	if err := f.Truncate(0); err != nil {
		return nil, err
	}
	if _, err := f.WriteAt(fmt.Appendf(nil, "pid %d on %s\n", os.Getpid(), host), 0); err != nil {
		return nil, err
	}
	if err := s.recordRun(); err != nil {
		return nil, err
	}
	d := &runDir{lock: f, history: HistoryFile(s.Out, s.Shard, s.Shards), attempts: map[string]int{}}
	hist, err := ReadRows(d.history, true)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for i := range hist {
		d.attempts[hist[i].Key()] = max(d.attempts[hist[i].Key()], hist[i].Attempt)
	}
	return d, nil
}

// recordRun checks run.json against the sweep, or writes it, and records
// this shard's machine in it. Shards may start side by side, so it holds
// a lock of the whole directory while it does.
func (s *Sweep) recordRun() error {
	meta, err := os.OpenFile(filepath.Join(s.Out, RunInfoName+".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	defer meta.Close()
	if err := flock(meta, true); err != nil {
		return err
	}
	if rows := RowsFile(s.Out, s.Shard, s.Shards); !s.Resume {
		if st, err := os.Stat(rows); err == nil && st.Size() > 0 {
			return fmt.Errorf("%s already has rows: pass --resume to continue that run, or choose another --out", rows)
		}
	}
	exp := s.Experiment()
	cur := currentVersions()
	builds := externalBuilds(exp.Solvers, true)
	shard := fmt.Sprintf("%d/%d", s.Shard+1, s.Shards)
	ri, err := ReadRunInfo(s.Out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if !s.Resume {
			if has, err := HasRows(s.Out); err != nil {
				return err
			} else if has {
				return fmt.Errorf("%s holds rows of an earlier run and no %s: pass --resume to continue that run, or choose another --out", s.Out, RunInfoName)
			}
		}
		ri = &RunInfo{Format: runInfoFormat, Experiment: exp, Shards: s.Shards, Versions: cur, ExternalSolvers: builds}
	case err != nil:
		return err
	default:
		if d := ri.Experiment.Diff(&exp); len(d) > 0 {
			return fmt.Errorf("%s holds another experiment: its %s has %s %s, this sweep %s", s.Out, RunInfoName, d[0].Field, orNone(d[0].A), orNone(d[0].B))
		}
		if ri.Shards != s.Shards {
			return fmt.Errorf("%s holds a run in %s; this sweep is shard %s", s.Out, plural.Count(ri.Shards, "shard", "shards"), shard)
		}
		// The same lists in another order: take the run's, so that every
		// shard splits the instances the same way.
		s.Solvers = slices.Clone(ri.Experiment.Solvers)
		if s.Corpus == "" {
			s.Ns, s.Ratios = slices.Clone(ri.Experiment.Sizes), slices.Clone(ri.Experiment.Ratios)
		}
		if !s.Resume && s.Shards == 1 {
			return fmt.Errorf("%s already holds a run (%s): pass --resume to continue it, or choose another --out", s.Out, RunInfoName)
		}
		if ri.ExternalSolvers == nil && builds != nil {
			// Written by a nashbench that did not record builds: what
			// ran before cannot be checked; from now on it can.
			ri.ExternalSolvers = builds
			if s.Progress != nil {
				fmt.Fprintf(s.Progress, "sweep: warning: %s records no external solver builds (an older nashbench wrote it): cannot check that the earlier rows ran the same solvers\n", RunInfoName)
			}
		}
		if d := diffBuilds(ri.ExternalSolvers, builds, "the run's "+RunInfoName, "this sweep"); d != "" {
			return fmt.Errorf("%s holds a run of other solvers: %s", s.Out, d)
		}
		// A submitted run records definitions only: the first shard to
		// run records the programs, which the others must then match.
		for i := range ri.ExternalSolvers {
			rb := &ri.ExternalSolvers[i]
			if j := slices.IndexFunc(builds, func(b external.Build) bool { return b.Definition.Name == rb.Definition.Name }); j >= 0 && !rb.ProgramRecorded() {
				rb.Program = builds[j].Program
			}
		}
	}
	m := machine()
	m.Shard, m.Started = shard, time.Now().UTC().Format(time.RFC3339)
	if cur != ri.Versions {
		m.Versions = &cur
		if s.Progress != nil {
			fmt.Fprintf(s.Progress, "sweep: warning: this build's versions %+v differ from the run's %+v\n", cur, ri.Versions)
		}
	}
	ri.Machines = slices.DeleteFunc(ri.Machines, func(old Machine) bool { return old.Shard == shard && old.Source == "" })
	ri.Machines = append(ri.Machines, m)
	slices.SortStableFunc(ri.Machines, func(a, b Machine) int { return strings.Compare(a.Source+"\x00"+a.Shard, b.Source+"\x00"+b.Shard) })
	return WriteRunInfo(s.Out, ri)
}

// close releases the directory.
func (d *runDir) close() { d.lock.Close() }

// attempt returns the attempt number of a new row for a job.
func (d *runDir) attempt(key string) int { return d.attempts[key] + 1 }

// retire moves the retryable rows of a rows file to the shard's history
// file, and returns the rows that stay. History is written first: a sweep
// killed between the two steps leaves a row in both files, and the next
// retry does not copy it again.
func (d *runDir) retire(rowsPath string, rows []Row) ([]Row, error) {
	var keep, old []Row
	for _, r := range rows {
		if retryable(&r) {
			old = append(old, r)
		} else {
			keep = append(keep, r)
		}
	}
	if len(old) == 0 {
		return rows, nil
	}
	hist, err := ReadRows(d.history, true)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	seen := map[string]bool{}
	for i := range hist {
		seen[hist[i].Key()+"\x00"+strconv.Itoa(hist[i].Attempt)] = true
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range old {
		r := &old[i]
		d.attempts[r.Key()] = max(d.attempts[r.Key()], r.Attempt)
		if seen[r.Key()+"\x00"+strconv.Itoa(r.Attempt)] {
			continue
		}
		if err := enc.Encode(r); err != nil {
			return nil, err
		}
	}
	f, err := os.OpenFile(d.history, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return keep, WriteRows(rowsPath, keep)
}
