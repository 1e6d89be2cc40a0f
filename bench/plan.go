// plan.go compares the jobs an experiment plans with the rows a run
// directory has, shard by shard, for batch systems that run shards as
// separate tasks (nashbench sweep --slurm): which tasks to resubmit, and
// what a merge lacks.

package bench

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/nashbench/nashbench/internal/plural"
)

// Progress is how far the jobs of an experiment split into shards got.
type Progress struct {
	Planned int             // jobs of the experiment
	Shards  []ShardProgress // shard i (1-based) at index i-1
}

// ShardProgress is how far one shard got.
type ShardProgress struct {
	Planned int // jobs of the shard
	Missing int // planned jobs without a row
	// Retryable counts the rows that --retry-failed would run again
	// (error, timeout, memout).
	Retryable int
}

// Missing is what rows lack of their experiment: the jobs without a row
// and the shards they belong to. A batch task that failed, timed out or
// was cancelled leaves its shard's jobs missing.
type Missing struct {
	Planned int   `json:"planned"` // jobs of the experiment
	Jobs    int   `json:"jobs"`    // planned jobs without a row
	Shards  []int `json:"shards"`  // 1-based shards with missing jobs
	Of      int   `json:"of"`      // the shards of the run
}

// Missing sums up the jobs without a row.
func (p *Progress) Missing() Missing {
	m := Missing{Planned: p.Planned, Shards: []int{}, Of: len(p.Shards)}
	for i, s := range p.Shards {
		if s.Missing > 0 {
			m.Jobs += s.Missing
			m.Shards = append(m.Shards, i+1)
		}
	}
	return m
}

// Unfinished lists the 1-based shards that a resumed sweep has jobs to
// run in: those with missing jobs, and with retryFailed those with
// retryable rows.
func (p *Progress) Unfinished(retryFailed bool) []int {
	var out []int
	for i, s := range p.Shards {
		if s.Missing > 0 || retryFailed && s.Retryable > 0 {
			out = append(out, i+1)
		}
	}
	return out
}

// ExperimentProgress compares the jobs of experiment e, split into shards
// as `sweep --shard i/N` splits them, with rows. It reads no instance: a
// corpus is only listed. Rows of jobs the experiment does not plan are
// ignored.
func ExperimentProgress(e Experiment, shards int, rows []Row) (*Progress, error) {
	if shards < 1 {
		return nil, fmt.Errorf("%d shards: want at least 1", shards)
	}
	s := &Sweep{Shards: shards}
	if err := s.SetExperiment(e); err != nil {
		return nil, err
	}
	var paths []string
	if s.Corpus != "" {
		var err error
		if paths, err = corpusFiles(s.Corpus); err != nil {
			return nil, err
		}
	} else {
		for _, spec := range s.specs() {
			paths = append(paths, filepath.Join("instances", spec.FileName()))
		}
	}
	have := map[string]*Row{}
	for i := range rows {
		have[rows[i].Key()] = &rows[i]
	}
	p := &Progress{Shards: make([]ShardProgress, shards)}
	for i, path := range paths {
		sh := &p.Shards[i%shards]
		for _, sv := range s.Solvers {
			r := Row{Record: Record{Instance: path, Solver: sv}}
			p.Planned++
			sh.Planned++
			switch got := have[r.Key()]; {
			case got == nil:
				sh.Missing++
			case retryable(got):
				sh.Retryable++
			}
		}
	}
	return p, nil
}

// ReadShardRows reads the rows files of the shards of a run directory in
// N shards, as they are: a missing file has no rows, and a partial last
// line (a task killed while writing) is skipped but not cut off, since a
// resumed sweep of the shard repairs it.
func ReadShardRows(dir string, shards int) ([]Row, error) {
	var rows []Row
	for i := range shards {
		path := RowsFile(dir, i, shards)
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		rs, err := parseRows(path, completeLines(data))
		if err != nil {
			return nil, err
		}
		rows = append(rows, rs...)
	}
	return rows, nil
}

// Validate checks the sweep's parameters without touching its run
// directory.
func (s *Sweep) Validate() error { return s.check() }

// Init checks the sweep and records its experiment in the run.json of Out
// as the sweeps of its shards expect it, without running a job: for batch
// systems that run the shards later, each with `--resume --shard i/N`.
// Without Resume, Out must hold no run; with it, its run.json (if any)
// must describe this experiment in as many shards. With dryRun it only
// checks, and writes nothing.
func (s *Sweep) Init(dryRun bool) error {
	if err := s.check(); err != nil {
		return err
	}
	if !dryRun {
		if err := os.MkdirAll(s.Out, 0o755); err != nil {
			return err
		}
		meta, err := os.OpenFile(filepath.Join(s.Out, RunInfoName+".lock"), os.O_CREATE|os.O_RDWR, 0o644)
		if err != nil {
			return err
		}
		defer meta.Close()
		if err := flock(meta, true); err != nil {
			return err
		}
	}
	exp := s.Experiment()
	ri, err := ReadRunInfo(s.Out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// An older nashbench's rows have no sharding to continue.
		if has, err := HasRows(s.Out); err != nil {
			return err
		} else if has {
			return fmt.Errorf("%s holds rows of an earlier run and no %s: continue that run with a sweep of its own, or choose another --out", s.Out, RunInfoName)
		}
		if dryRun {
			return nil
		}
		// The definitions only: the tasks may run elsewhere, and the
		// first of them records the programs it finds (recordRun).
		builds := externalBuilds(exp.Solvers, false)
		return WriteRunInfo(s.Out, &RunInfo{Format: runInfoFormat, Experiment: exp, Shards: s.Shards, Versions: currentVersions(), Machines: []Machine{},
			ExternalSolvers: builds})
	case err != nil:
		return err
	case !s.Resume:
		return fmt.Errorf("%s already holds a run (%s): pass --resume to continue it, or choose another --out", s.Out, RunInfoName)
	}
	if d := ri.Experiment.Diff(&exp); len(d) > 0 {
		return fmt.Errorf("%s holds another experiment: its %s has %s %s, this sweep %s", s.Out, RunInfoName, d[0].Field, orNone(d[0].A), orNone(d[0].B))
	}
	if ri.Shards != s.Shards {
		return fmt.Errorf("%s holds a run in %s, not %d", s.Out, plural.Count(ri.Shards, "shard", "shards"), s.Shards)
	}
	return nil
}
