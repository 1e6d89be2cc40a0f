package bench

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/rundir"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The plan matches what the shards' sweeps run: every job once, in the
// shard that runs it.
func TestExperimentProgress(t *testing.T) {
	dir := t.TempDir()
	s := quick(dir) // 4 instances, 2 solvers
	s.Shards = 3
	var all []record.Row
	for i := range 3 {
		sh := s
		sh.Shard = i
		rows, err := sh.Execute(context.Background())
		require.NoError(t, err)
		p, err := rundir.ExperimentProgress(&s.Experiment, 3, rows)
		require.NoError(t, err)
		assert.Equal(t, 0, p.Shards[i].Missing, "shard %d ran what the plan gives it", i+1)
		all = append(all, rows...)
	}
	keys := map[string]bool{}
	for _, r := range all {
		keys[r.Key()] = true
	}
	require.Len(t, keys, 8, "each job once")

	failed := all[0]
	failed.Status = record.Timeout
	tests := []struct {
		name       string
		rows       []record.Row
		missing    []int // per shard
		retryable  []int
		unfinished []int
		retry      []int // unfinished with retryFailed
	}{
		{"none", nil, []int{4, 2, 2}, []int{0, 0, 0}, []int{1, 2, 3}, []int{1, 2, 3}},
		{"all", all, []int{0, 0, 0}, []int{0, 0, 0}, nil, nil},
		{"shard 2 lost", append(append([]record.Row{}, all[:4]...), all[6:]...), []int{0, 2, 0}, []int{0, 0, 0}, []int{2}, []int{2}},
		{"one timeout", append([]record.Row{failed}, all[1:]...), []int{0, 0, 0}, []int{1, 0, 0}, nil, []int{1}},
		{"a job too many", append(append([]record.Row{}, all...), record.Row{Record: record.Record{Instance: "elsewhere.cnf", Solver: "enum"}}), []int{0, 0, 0}, []int{0, 0, 0}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := rundir.ExperimentProgress(&s.Experiment, 3, tt.rows)
			require.NoError(t, err)
			assert.Equal(t, 8, p.Planned)
			require.Len(t, p.Shards, 3)
			for i, sh := range p.Shards {
				assert.Equal(t, []int{4, 2, 2}[i], sh.Planned, "shard %d: instances 0 and 3 go to shard 1", i+1)
				assert.Equal(t, tt.missing[i], sh.Missing, "shard %d", i+1)
				assert.Equal(t, tt.retryable[i], sh.Retryable, "shard %d", i+1)
			}
			assert.Equal(t, tt.unfinished, p.Unfinished(false))
			assert.Equal(t, tt.retry, p.Unfinished(true))
			m := p.Missing()
			sum := 0
			for _, x := range tt.missing {
				sum += x
			}
			assert.Equal(t, sum, m.Jobs)
			assert.Equal(t, 3, m.Of)
			assert.NotNil(t, m.Shards)
		})
	}

	// A corpus is listed, not read.
	corpus := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(corpus, "a.cnf"), []byte("not dimacs"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(corpus, "b.cnf"), []byte("p cnf 1 1\n1 0\n"), 0o644))
	e := &rundir.Experiment{Corpus: corpus, Solvers: []string{"enum"}}
	p, err := rundir.ExperimentProgress(e, 2, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, p.Planned)
	assert.Equal(t, []int{1, 2}, p.Unfinished(false))
	_, err = rundir.ExperimentProgress(&rundir.Experiment{Corpus: filepath.Join(corpus, "none"), Solvers: []string{"enum"}}, 1, nil)
	assert.Error(t, err)
	_, err = rundir.ExperimentProgress(e, 0, nil)
	assert.ErrorContains(t, err, "0 shards")
}

// A task killed while writing leaves a partial last line: the rows before
// it count, and the file is left for the shard's resumed sweep to repair.
func TestReadShardRows(t *testing.T) {
	dir := t.TempDir()
	s := quick(dir)
	s.Shards = 2
	rows, err := s.Execute(context.Background())
	require.NoError(t, err)
	require.Len(t, rows, 4)
	path := rundir.RowsFile(dir, 0, 2)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	cut := data[:len(data)-10]
	require.NoError(t, os.WriteFile(path, cut, 0o644))

	got, err := rundir.ReadShardRows(dir, 2)
	require.NoError(t, err)
	assert.Len(t, got, 3, "the whole rows; shard 2 has no file yet")
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, cut, after, "not repaired here")

	require.NoError(t, os.WriteFile(path, []byte("{\"instance\": 1}\n"), 0o644))
	_, err = rundir.ReadShardRows(dir, 2)
	assert.ErrorContains(t, err, "rows-1-of-2.jsonl:1")
}

// Init records the experiment for the shards' sweeps to resume, and
// refuses what a shard's sweep would refuse.
func TestInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	s := quick(dir)
	s.Shards = 2
	require.NoError(t, initRun(s, true))
	assert.NoDirExists(t, dir, "a dry run writes nothing")
	require.NoError(t, initRun(s, false))
	ri, err := rundir.ReadInfo(dir)
	require.NoError(t, err)
	assert.Equal(t, s.Experiment, ri.Experiment)
	assert.Equal(t, 2, ri.Shards)
	assert.Empty(t, ri.Machines, "no shard has run")

	// The shards' sweeps, as the batch tasks run them, take it.
	for i := range 2 {
		sh := Sweep{Out: dir, Shard: i, Shards: 2, Resume: true, Exec: InProcess}
		sh.Experiment = ri.Experiment
		_, err := sh.Execute(context.Background())
		require.NoError(t, err)
	}
	ri, err = rundir.ReadInfo(dir)
	require.NoError(t, err)
	assert.Len(t, ri.Machines, 2)

	tests := []struct {
		name string
		edit func(s *Sweep)
		msg  string
	}{
		{"again", func(s *Sweep) {}, "already holds a run"},
		{"other seed", func(s *Sweep) { s.Resume, s.Seed = true, 9 }, "holds another experiment: its run.json has seed 3, this sweep 9"},
		{"other shards", func(s *Sweep) { s.Resume, s.Shards = true, 3 }, "holds a run in 2 shards, not 3"},
		{"bad solver", func(s *Sweep) { s.Resume, s.Solvers = true, []string{"nope"} }, "nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := s
			tt.edit(&c)
			assert.ErrorContains(t, initRun(c, true), tt.msg)
			assert.ErrorContains(t, initRun(c, false), tt.msg)
		})
	}
	resumed := s
	resumed.Resume = true
	require.NoError(t, initRun(resumed, false))

	// Rows without run.json (an older nashbench's) have no sharding.
	old := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(old, "rows.jsonl"), []byte(`{"instance":"a","solver":"enum"}`+"\n"), 0o644))
	o := quick(old)
	o.Resume = true
	assert.ErrorContains(t, initRun(o, false), "holds rows of an earlier run and no run.json")
}

// initRun records s's experiment as `sweep --slurm` does before it
// submits the shards.
func initRun(s Sweep, dryRun bool) error {
	if err := s.Experiment.Validate(); err != nil {
		return err
	}
	return rundir.Init(s.Out, &s.Experiment, s.Shards, s.Resume, dryRun)
}
