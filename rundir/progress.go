package rundir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/nashbench/nashbench/record"
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

// Missing sums up the jobs without a row.
func (p *Progress) Missing() record.Missing {
	m := record.Missing{Planned: p.Planned, Shards: []int{}, Of: len(p.Shards)}
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
func ExperimentProgress(e *Experiment, shards int, rows []record.Row) (*Progress, error) {
	if shards < 1 {
		return nil, fmt.Errorf("%d shards: want at least 1", shards)
	}
	insts, err := e.Instances(false)
	if err != nil {
		return nil, err
	}
	have := map[string]*record.Row{}
	for i := range rows {
		have[rows[i].Key()] = &rows[i]
	}
	p := &Progress{Shards: make([]ShardProgress, shards)}
	for shard := range shards {
		sh := &p.Shards[shard]
		for _, j := range e.Plan(insts, shard, shards) {
			p.Planned++
			sh.Planned++
			switch got := have[j.Key()]; {
			case got == nil:
				sh.Missing++
			case got.Retryable():
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
func ReadShardRows(dir string, shards int) ([]record.Row, error) {
	var rows []record.Row
	for i := range shards {
		path := RowsFile(dir, i, shards)
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		rs, err := record.Parse(record.Complete(data), path)
		if err != nil {
			return nil, err
		}
		rows = append(rows, rs...)
	}
	return rows, nil
}
