package rundir

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/record"
)

// Options say how a sweep takes its shard of a run directory.
type Options struct {
	// Resume continues the run, keeping the rows it has. Without it the
	// shard must have no rows and, unless sharded, the directory no run.
	Resume bool
	// RetryFailed (with Resume) moves the retryable rows to the history
	// file, so that their jobs run again.
	RetryFailed bool
	// Warn receives warnings (a run.json of an older nashbench, other
	// versions); nil discards them.
	Warn io.Writer
}

// Shard is a shard of a run directory held by a sweep: locked against
// other writers, its run.json checked or written, its rows read.
type Shard struct {
	dir           string
	shard, shards int
	lock          *fileLock
	rows          string // the rows file
	file          *os.File
	out           io.Writer // file; tests inject failing writers
	size          int64     // the bytes of whole rows in file
	done          []record.Row
	history       string
	attempts      map[string]int // job key -> attempts in history
}

// Open takes shard (0-based) of shards of the run directory dir for a
// sweep of e, creating the directory if need be. When the directory holds
// the experiment with its lists in another order, e takes the run's order
// (which decides how instances fall into shards).
func Open(dir string, e *Experiment, shard, shards int, opt Options) (_ *Shard, err error) {
	switch {
	case shards < 1 || shard < 0 || shard >= shards:
		return nil, fmt.Errorf("shard %d of %d: want 1 <= i <= N", shard+1, shards)
	case opt.RetryFailed && !opt.Resume:
		return nil, errors.New("retrying failed jobs needs resuming")
	}
	*e = *e.normalized()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	l, err := lockShard(dir, shard, shards)
	if err != nil {
		return nil, err
	}
	s := &Shard{dir: dir, shard: shard, shards: shards, lock: l, rows: RowsFile(dir, shard, shards),
		history: HistoryFile(dir, shard, shards), attempts: map[string]int{}}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	if err := s.record(e, opt); err != nil {
		return nil, err
	}
	hist, err := record.ReadFile(s.history, true)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for i := range hist {
		s.attempts[hist[i].Key()] = max(s.attempts[hist[i].Key()], hist[i].Attempt)
	}
	done, err := record.ReadFile(s.rows, opt.Resume)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	// One rule for a job met twice (a duplicated line): record.Merge's.
	if s.done, err = record.Merge(done); err != nil {
		return nil, fmt.Errorf("%s: %w", s.rows, err)
	}
	if opt.RetryFailed {
		if err := s.retire(); err != nil {
			return nil, err
		}
	}
	if s.file, err = os.OpenFile(s.rows, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644); err != nil {
		return nil, err
	}
	st, err := s.file.Stat()
	if err != nil {
		return nil, err
	}
	s.out, s.size = s.file, st.Size()
	return s, nil
}

// record checks run.json against the sweep, or writes it, and records
// this shard's machine in it. Shards may start side by side, so it holds
// the lock of run.json while it does.
func (s *Shard) record(e *Experiment, opt Options) error {
	l, err := lock(filepath.Join(s.dir, infoLock), true)
	if err != nil {
		return err
	}
	defer l.unlock()
	if !opt.Resume {
		if st, err := os.Stat(s.rows); err == nil && st.Size() > 0 {
			return fmt.Errorf("%s already has rows: pass --resume to continue that run, or choose another --out", s.rows)
		}
	}
	cur := CurrentVersions()
	builds := externalBuilds(e.Solvers, true)
	shard := fmt.Sprintf("%d/%d", s.shard+1, s.shards)
	ri, err := ReadInfo(s.dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		has, err := HasRows(s.dir)
		switch {
		case err != nil:
			return err
		case has && !opt.Resume:
			return fmt.Errorf("%s holds rows of an earlier run and no %s: pass --resume to continue that run, or choose another --out", s.dir, InfoFile)
		case !has && opt.Resume && opt.Warn != nil:
			// A mistyped --out would start the whole experiment: say so.
			fmt.Fprintf(opt.Warn, "sweep: warning: --resume: %s holds no run to continue: starting this sweep's experiment there\n", s.dir)
		}
		ri = &Info{Format: infoFormat, Experiment: *e, Shards: s.shards, Versions: cur, ExternalSolvers: builds}
	case err != nil:
		return err
	default:
		if d := ri.Experiment.Diff(e); len(d) > 0 {
			return fmt.Errorf("%s holds another experiment: its %s has %s %s, this sweep %s", s.dir, InfoFile, d[0].Field, orNone(d[0].A), orNone(d[0].B))
		}
		if ri.Shards != s.shards {
			return fmt.Errorf("%s holds a run in %s; this sweep is shard %s", s.dir, plural.Count(ri.Shards, "shard", "shards"), shard)
		}
		// The same lists in another order: take the run's, so that every
		// shard splits the instances the same way.
		e.Solvers = slices.Clone(ri.Experiment.Solvers)
		if e.Corpus == "" {
			e.Sizes, e.Ratios = slices.Clone(ri.Experiment.Sizes), slices.Clone(ri.Experiment.Ratios)
		}
		if !opt.Resume && s.shards == 1 {
			return fmt.Errorf("%s already holds a run (%s): pass --resume to continue it, or choose another --out", s.dir, InfoFile)
		}
		if ri.ExternalSolvers == nil && builds != nil {
			// Written by a nashbench that did not record builds: what
			// ran before cannot be checked; from now on it can.
			ri.ExternalSolvers = builds
			if opt.Warn != nil {
				fmt.Fprintf(opt.Warn, "sweep: warning: %s records no external solver builds (an older nashbench wrote it): cannot check that the earlier rows ran the same solvers\n", InfoFile)
			}
		}
		if d := diffBuilds(ri.ExternalSolvers, builds, "the run's "+InfoFile, "this sweep"); d != "" {
			return fmt.Errorf("%s holds a run of other solvers: %s", s.dir, d)
		}
		// A submitted run records definitions only: the first shard to
		// run records the programs, which the others must then match.
		for i := range ri.ExternalSolvers {
			rb := &ri.ExternalSolvers[i]
			for _, b := range builds {
				if b.Definition.Name == rb.Definition.Name && !rb.ProgramRecorded() {
					rb.Program = b.Program
				}
			}
		}
	}
	m := ThisMachine()
	m.Shard, m.Started = shard, time.Now().UTC().Format(time.RFC3339)
	if m.Governor != "" && m.Governor != "performance" && opt.Warn != nil {
		fmt.Fprintf(opt.Warn, "sweep: warning: the CPU frequency governor is %s, not performance: times vary with the clock (run.json records it)\n", m.Governor)
	}
	if cur != ri.Versions {
		m.Versions = &cur
		if opt.Warn != nil {
			fmt.Fprintf(opt.Warn, "sweep: warning: this build's versions %+v differ from the run's %+v\n", cur, ri.Versions)
		}
	}
	ri.Machines = slices.DeleteFunc(ri.Machines, func(old Machine) bool { return old.Shard == shard && old.Source == "" })
	ri.Machines = append(ri.Machines, m)
	slices.SortStableFunc(ri.Machines, func(a, b Machine) int { return strings.Compare(a.Source+"\x00"+a.Shard, b.Source+"\x00"+b.Shard) })
	return WriteInfo(s.dir, ri)
}

// Init records experiment e in the run.json of dir as the sweeps of its
// shards expect it, without running a job: for batch systems that run the
// shards later, each with `--resume --shard i/N`. Without resume, dir must
// hold no run; with it, its run.json (if any) must describe e in as many
// shards. With dryRun it only checks, and writes nothing.
func Init(dir string, e *Experiment, shards int, resume, dryRun bool) error {
	*e = *e.normalized()
	if !dryRun {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		l, err := lock(filepath.Join(dir, infoLock), true)
		if err != nil {
			return err
		}
		defer l.unlock()
	}
	ri, err := ReadInfo(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// An older nashbench's rows have no sharding to continue.
		if has, err := HasRows(dir); err != nil {
			return err
		} else if has {
			return fmt.Errorf("%s holds rows of an earlier run and no %s: continue that run with a sweep of its own, or choose another --out", dir, InfoFile)
		}
		if dryRun {
			return nil
		}
		// The definitions only: the tasks may run elsewhere, and the
		// first of them records the programs it finds.
		builds := externalBuilds(e.Solvers, false)
		return WriteInfo(dir, &Info{Format: infoFormat, Experiment: *e, Shards: shards, Versions: CurrentVersions(), Machines: []Machine{},
			ExternalSolvers: builds})
	case err != nil:
		return err
	case !resume:
		return fmt.Errorf("%s already holds a run (%s): pass --resume to continue it, or choose another --out", dir, InfoFile)
	}
	if d := ri.Experiment.Diff(e); len(d) > 0 {
		return fmt.Errorf("%s holds another experiment: its %s has %s %s, this sweep %s", dir, InfoFile, d[0].Field, orNone(d[0].A), orNone(d[0].B))
	}
	if ri.Shards != shards {
		return fmt.Errorf("%s holds a run in %s, not %d", dir, plural.Count(ri.Shards, "shard", "shards"), shards)
	}
	return nil
}

// Done returns the rows the shard had when opened (after RetryFailed
// moved the retryable ones away), one per job.
func (s *Shard) Done() []record.Row { return s.done }

// RowsFile returns the shard's rows file.
func (s *Shard) RowsFile() string { return s.rows }

// Append writes a finished job's row, numbering its attempt. One write per
// row; a write that fails leaves the file as it was (cut back to its last
// whole row), so that a disk that fills and frees again cannot glue the
// next row to a partial one. Append is not safe for concurrent use.
func (s *Shard) Append(row *record.Row) error {
	row.Attempt = s.attempts[row.Key()] + 1
	line, err := json.Marshal(row)
	if err != nil {
		return err
	}
	line = append(line, '\n')
	n, err := s.out.Write(line)
	if err == nil && n < len(line) {
		err = io.ErrShortWrite
	}
	if err != nil {
		if terr := s.file.Truncate(s.size); terr != nil {
			return fmt.Errorf("%s: %w; and cutting off the partial row failed: %v (resume cuts it off)", s.rows, err, terr)
		}
		return fmt.Errorf("%s: %w", s.rows, err)
	}
	s.size += int64(n)
	return nil
}

// Close releases the shard.
func (s *Shard) Close() error {
	var err error
	if s.file != nil {
		err = s.file.Close()
	}
	s.lock.unlock()
	return err
}

// retire moves the retryable rows of the rows file to the shard's history
// file. History is written first: a sweep killed between the two steps
// leaves a row in both files, and the next retry does not copy it again.
func (s *Shard) retire() error {
	var keep, old []record.Row
	for _, r := range s.done {
		if r.Retryable() {
			old = append(old, r)
		} else {
			keep = append(keep, r)
		}
	}
	if len(old) == 0 {
		return nil
	}
	hist, err := record.ReadFile(s.history, true)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	seen := map[string]bool{}
	for i := range hist {
		seen[hist[i].Key()+"\x00"+strconv.Itoa(hist[i].Attempt)] = true
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range old {
		r := &old[i]
		s.attempts[r.Key()] = max(s.attempts[r.Key()], r.Attempt)
		if seen[r.Key()+"\x00"+strconv.Itoa(r.Attempt)] {
			continue
		}
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(s.history, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	s.done = keep
	return WriteRows(s.rows, keep)
}
