package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/results"
	"github.com/nashbench/nashbench/rundir"
	"github.com/nashbench/nashbench/solvers"
)

// quick is a sweep of 4 instances and 2 solvers, run in this process.
func quick(out string) Sweep {
	return Sweep{Experiment: rundir.Experiment{Sizes: []int{5}, Ratios: []float64{3, 6}, Count: 2, K: 3, Seed: 3, Solvers: []string{"enum", "gophersat"}, Timeout: rundir.Duration(20 * time.Second)}, Out: out, Shards: 1, Exec: InProcess}
}

func TestRunInfoWrittenAndRead(t *testing.T) {
	dir := t.TempDir()
	s := quick(dir)
	s.Planted, s.Reduction = true, reduction.Corrected
	_, err := s.Execute(context.Background())
	require.NoError(t, err)
	ri, err := rundir.ReadInfo(dir)
	require.NoError(t, err)
	assert.Equal(t, s.Experiment, ri.Experiment)
	assert.Equal(t, rundir.Experiment{Sizes: []int{5}, Ratios: []float64{3, 6}, Count: 2, K: 3, Seed: 3, Planted: true,
		Solvers: []string{"enum", "gophersat"}, Timeout: rundir.Duration(20 * time.Second), Reduction: reduction.Corrected}, ri.Experiment)
	assert.Equal(t, 1, ri.Shards)
	assert.Equal(t, runtime.Version(), ri.Versions.Go)
	assert.NotEmpty(t, ri.Versions.HiGHS)
	require.Len(t, ri.Machines, 1)
	m := ri.Machines[0]
	assert.Equal(t, "1/1", m.Shard)
	assert.Equal(t, runtime.NumCPU(), m.Cores)
	assert.NotEmpty(t, m.Started)
	assert.Nil(t, m.Versions, "same build: no versions of its own")
	if runtime.GOOS == "linux" {
		assert.Positive(t, m.MemoryBytes)
		assert.NotEmpty(t, m.Kernel)
	}
	// The field names are snake_case, as documented.
	raw, err := os.ReadFile(filepath.Join(dir, rundir.InfoFile))
	require.NoError(t, err)
	for _, name := range []string{`"timeout_seconds"`, `"memory_bytes"`, `"experiment"`, `"machines"`, `"sizes"`} {
		assert.Contains(t, string(raw), name)
	}

	// The experiment round-trips through JSON.
	back, err := json.Marshal(&ri.Experiment)
	require.NoError(t, err)
	var e rundir.Experiment
	require.NoError(t, json.Unmarshal(back, &e))
	assert.Equal(t, s.Experiment, e)

	// Resuming records the shard's machine again, not a second entry.
	s.Resume = true
	_, err = s.Execute(context.Background())
	require.NoError(t, err)
	ri, err = rundir.ReadInfo(dir)
	require.NoError(t, err)
	assert.Len(t, ri.Machines, 1)
}

func TestExperimentDiff(t *testing.T) {
	q := quick("x")
	base := q.Experiment
	tests := []struct {
		name  string
		edit  func(s *Sweep)
		field string
		a, b  string
	}{
		{"sizes", func(s *Sweep) { s.Sizes = []int{5, 7} }, "sizes", "5", "5,7"},
		{"ratios", func(s *Sweep) { s.Ratios = []float64{3, 6.5} }, "ratios", "3,6", "3,6.5"},
		{"count", func(s *Sweep) { s.Count = 3 }, "count", "2", "3"},
		{"seed", func(s *Sweep) { s.Seed = 4 }, "seed", "3", "4"},
		{"planted", func(s *Sweep) { s.Planted = true }, "planted", "false", "true"},
		{"solvers", func(s *Sweep) { s.Solvers = []string{"enum"} }, "solvers", "enum,gophersat", "enum"},
		{"timeout", func(s *Sweep) { s.Timeout = rundir.Duration(time.Minute) }, "timeout_seconds", "20s", "1m0s"},
		{"reduction", func(s *Sweep) { s.Reduction = reduction.Literal }, "reduction", "corrected", "literal"},
		{"corpus", func(s *Sweep) { s.Corpus = "sat/uf20" }, "sizes", "5", ""},
		{"solver order", func(s *Sweep) { s.Solvers = []string{"gophersat", "enum"} }, "", "", ""},
		{"ratio order", func(s *Sweep) { s.Ratios = []float64{6, 3} }, "", "", ""},
		{"ratio repeated", func(s *Sweep) { s.Ratios = []float64{6, 3, 3} }, "ratios", "3,6", "6,3,3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := quick("x")
			tt.edit(&s)
			d := base.Diff(&s.Experiment)
			if tt.field == "" {
				assert.Empty(t, d)
				return
			}
			require.NotEmpty(t, d)
			assert.Equal(t, rundir.Difference{Field: tt.field, A: tt.a, B: tt.b}, d[0])
		})
	}
}

// A directory holds one experiment: a second sweep of another one, or of
// the same one without resuming, is refused; so is another sharding.
func TestRunDirOneExperiment(t *testing.T) {
	dir := t.TempDir()
	s := quick(dir)
	_, err := s.Execute(context.Background())
	require.NoError(t, err)
	tests := []struct {
		name string
		edit func(s *Sweep)
		msg  string
	}{
		{"no resume", func(s *Sweep) {}, "pass --resume"},
		{"other sizes", func(s *Sweep) { s.Resume, s.Sizes = true, []int{6} }, "its run.json has sizes 5, this sweep 6"},
		{"other timeout", func(s *Sweep) { s.Resume, s.Timeout = true, rundir.Duration(time.Second) }, "timeout_seconds 20s, this sweep 1s"},
		{"other shards", func(s *Sweep) { s.Resume, s.Shard, s.Shards = true, 1, 2 }, "a run in 1 shard; this sweep is shard 2/2"},
		{"retry without resume", func(s *Sweep) { s.RetryFailed = true }, "needs resuming"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := quick(dir)
			tt.edit(&o)
			_, err := o.Execute(context.Background())
			assert.ErrorContains(t, err, tt.msg)
		})
	}
	ri, err := rundir.ReadInfo(dir)
	require.NoError(t, err)
	assert.Equal(t, s.Experiment, ri.Experiment, "a refused sweep changed run.json")

	// A directory of an older version (rows, no run.json) is refused
	// without --resume and adopted with it.
	require.NoError(t, os.Remove(filepath.Join(dir, rundir.InfoFile)))
	_, err = s.Execute(context.Background())
	assert.ErrorContains(t, err, "pass --resume")
	s.Resume = true
	_, err = s.Execute(context.Background())
	require.NoError(t, err)
	_, err = rundir.ReadInfo(dir)
	assert.NoError(t, err)
}

// blockingRunner blocks each solve until release is closed; started gets
// a value when the first solve begins.
func blockingRunner(started chan<- struct{}, release <-chan struct{}) Executor {
	var once atomic.Bool
	return func(ctx context.Context, solver string, p *solvers.Problem, opt solvers.Options) (*solvers.Result, error) {
		if once.CompareAndSwap(false, true) {
			started <- struct{}{}
		}
		select {
		case <-release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return InProcess(ctx, solver, p, opt)
	}
}

// While a sweep runs, a second one on the same directory and shard is
// refused, naming the directory and the holder; another shard of the
// experiment runs side by side.
func TestRunDirLock(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no flock")
	}
	dir := t.TempDir()
	started, release := make(chan struct{}, 1), make(chan struct{})
	first := quick(dir)
	first.Shards = 2
	first.Exec = blockingRunner(started, release)
	errc := make(chan error, 1)
	go func() {
		_, err := first.Execute(context.Background())
		errc <- err
	}()
	select {
	case <-started:
	case err := <-errc:
		t.Fatalf("the first sweep ended early: %v", err)
	}

	for _, resume := range []bool{false, true} {
		second := quick(dir)
		second.Shards, second.Resume = 2, resume
		_, err := second.Execute(context.Background())
		require.Error(t, err)
		assert.True(t, errors.Is(err, rundir.ErrInUse), err)
		assert.Contains(t, err.Error(), dir)
		assert.Contains(t, err.Error(), fmt.Sprintf("pid %d", os.Getpid()))
	}
	other := quick(dir)
	other.Shard, other.Shards = 1, 2
	rows, err := other.Execute(context.Background())
	require.NoError(t, err, "shard 2 must run beside shard 1")
	assert.Len(t, rows, 2*2)

	close(release)
	require.NoError(t, <-errc)
	// Released: the shard can be resumed.
	again := quick(dir)
	again.Shards, again.Resume = 2, true
	_, err = again.Execute(context.Background())
	require.NoError(t, err)
	ri, err := rundir.ReadInfo(dir)
	require.NoError(t, err)
	assert.Equal(t, 2, ri.Shards)
	var shards []string
	for _, m := range ri.Machines {
		shards = append(shards, m.Shard)
	}
	assert.Equal(t, []string{"1/2", "2/2"}, shards)
}

func TestRetryable(t *testing.T) {
	no := false
	tests := []struct {
		rec  record.Record
		want bool
	}{
		{record.Record{Status: record.Solved, Answer: "sat"}, false},
		{record.Record{Status: record.Timeout, Answer: "unknown"}, true},
		{record.Record{Status: record.Memout, Answer: "unknown"}, true},
		{record.Record{Status: record.Error, Answer: "unknown", Error: "boom"}, true},
		{record.Record{Status: record.Refused, Answer: "unknown", Error: "too many players"}, false},
		{record.Record{Status: record.Solved, Answer: "sat", Verified: &no, Error: "verification failed: x"}, false},
		// Rows of older versions, without a status.
		{record.Record{Answer: "unknown"}, true},
		{record.Record{Answer: "unknown", Error: "boom"}, true},
		{record.Record{Answer: "unsat"}, false},
		{record.Record{Answer: "sat", Verified: &no, Error: "verification failed: x"}, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.rec.Status)+"/"+string(tt.rec.Answer)+"/"+tt.rec.Error, func(t *testing.T) {
			assert.Equal(t, tt.want, (&record.Row{Record: tt.rec}).Retryable())
		})
	}
}

// --retry-failed runs again exactly the jobs whose rows say error,
// timeout or memout, numbers the new rows' attempts, and keeps the old
// rows in the history file.
func TestRetryFailed(t *testing.T) {
	dir := t.TempDir()
	s := quick(dir)
	rows, err := s.Execute(context.Background())
	require.NoError(t, err)
	require.Len(t, rows, 8)
	path := rundir.RowsFile(dir, 0, 1)

	// Mark some rows as an older run would have left them.
	statuses := []record.Status{record.Error, record.Timeout, record.Refused, record.Memout, record.Solved, record.Solved, record.Solved, record.Solved}
	want := map[string]bool{}
	for i := range rows {
		rows[i].Status = statuses[i]
		if statuses[i] != record.Solved {
			rows[i].Answer, rows[i].Verified, rows[i].Witness = "unknown", nil, nil
		}
		if statuses[i] == record.Error || statuses[i] == record.Refused {
			rows[i].Error = "boom"
		}
		if rows[i].Retryable() {
			want[rows[i].Key()] = true
		}
	}
	require.Len(t, want, 3)
	require.NoError(t, rundir.WriteRows(path, rows))

	var calls atomic.Int32
	counting := func(ctx context.Context, solver string, p *solvers.Problem, opt solvers.Options) (*solvers.Result, error) {
		calls.Add(1)
		return InProcess(ctx, solver, p, opt)
	}
	// Resuming alone runs nothing: every job has a row.
	s.Resume, s.Exec = true, counting
	_, err = s.Execute(context.Background())
	require.NoError(t, err)
	assert.Zero(t, calls.Load())

	s.RetryFailed = true
	after, err := s.Execute(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 3, calls.Load())
	require.Len(t, after, 8, "one row per job")
	for _, r := range after {
		if want[r.Key()] {
			assert.Equal(t, 2, r.Attempt, r.Key())
			assert.Contains(t, []record.Answer{record.SAT, record.UNSAT}, r.Answer)
		} else {
			assert.Equal(t, 1, r.Attempt, r.Key())
		}
	}
	stored, err := record.ReadFile(path, false)
	require.NoError(t, err)
	assert.ElementsMatch(t, triples(after), triples(stored))
	hist, err := rundir.ReadHistory(dir)
	require.NoError(t, err)
	require.Len(t, hist, 3)
	for _, r := range hist {
		assert.True(t, want[r.Key()], r.Key())
		assert.Equal(t, 1, r.Attempt)
		assert.Equal(t, record.Unknown, r.Answer)
	}

	// A job failing again gets attempt 3, and both earlier rows stay.
	for i := range after {
		if want[after[i].Key()] {
			after[i].Status, after[i].Answer = record.Timeout, "unknown"
			break
		}
	}
	require.NoError(t, rundir.WriteRows(path, after))
	calls.Store(0)
	final, err := s.Execute(context.Background())
	require.NoError(t, err)
	assert.EqualValues(t, 1, calls.Load())
	attempts := map[int]int{}
	for _, r := range final {
		attempts[r.Attempt]++
	}
	assert.Equal(t, map[int]int{1: 5, 2: 2, 3: 1}, attempts)
	hist, err = rundir.ReadHistory(dir)
	require.NoError(t, err)
	assert.Len(t, hist, 4)
	assert.Empty(t, results.Disagreements(final))
}

// Merge keeps each job's latest attempt.
func TestMergeLatestAttempt(t *testing.T) {
	rows := []record.Row{
		{Record: record.Record{Instance: "a", Solver: "x", Answer: "unknown", Status: record.Timeout}, Attempt: 1},
		{Record: record.Record{Instance: "a", Solver: "x", Answer: "sat", Status: record.Solved}, Attempt: 2},
		{Record: record.Record{Instance: "b", Solver: "x", Answer: "unsat", Status: record.Solved}, Attempt: 3},
		{Record: record.Record{Instance: "b", Solver: "x", Answer: "unknown", Status: record.Error}, Attempt: 2},
	}
	merged, err := record.Merge(rows)
	require.NoError(t, err)
	assert.Equal(t, []string{"a x sat", "b x unsat"}, triples(merged))
}

func TestMergeRunInfo(t *testing.T) {
	q := quick("x")
	exp := q.Experiment
	one := &rundir.Info{Format: 1, Experiment: exp, Shards: 2,
		Versions: rundir.Versions{Go: "go1", HiGHS: "1"}, Machines: []rundir.Machine{{Shard: "1/2", Hostname: "a"}, {Shard: "2/2", Hostname: "b"}}}
	other := *one
	other.Shards, other.Machines = 1, []rundir.Machine{{Shard: "1/1", Hostname: "c"}}
	other.Versions.Go = "go2"
	merged, err := rundir.MergeInfo([]*rundir.Info{one, &other}, []string{"r1", "r2"})
	require.NoError(t, err)
	assert.Equal(t, 1, merged.Shards)
	assert.Equal(t, one.Experiment, merged.Experiment)
	assert.Equal(t, []string{"r1", "r2"}, merged.MergedFrom)
	require.Len(t, merged.Machines, 3)
	assert.Equal(t, "r1", merged.Machines[0].Source)
	assert.Nil(t, merged.Machines[0].Versions)
	require.NotNil(t, merged.Machines[2].Versions)
	assert.Equal(t, "go2", merged.Machines[2].Versions.Go)

	diff := other
	diff.Experiment.Seed = 9
	_, err = rundir.MergeInfo([]*rundir.Info{one, &diff}, []string{"r1", "r3"})
	assert.ErrorContains(t, err, "r1 and r3 are different experiments: seed 3 in the first, 9 in the second")

	b, err := json.Marshal(merged)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"merged_from"`)
}

// Shards given the experiment's lists in another order take the run's
// order, so that together they run every job once.
func TestRunDirTakesRunOrder(t *testing.T) {
	dir := t.TempDir()
	first := quick(dir)
	first.Sizes, first.Count, first.Solvers, first.Shards = []int{5, 6}, 1, []string{"enum"}, 2
	a, err := first.Execute(context.Background())
	require.NoError(t, err)
	second := first
	second.Sizes, second.Ratios, second.Shard = []int{6, 5}, []float64{6, 3}, 1
	b, err := second.Execute(context.Background())
	require.NoError(t, err)
	keys := map[string]int{}
	for _, r := range append(a, b...) {
		keys[r.Key()]++
	}
	assert.Len(t, keys, 4, "sizes 5 and 6 at ratios 3 and 6, one instance each")
	for k, n := range keys {
		assert.Equal(t, 1, n, k)
	}
	ri, err := rundir.ReadInfo(dir)
	require.NoError(t, err)
	assert.Equal(t, []int{5, 6}, ri.Experiment.Sizes)
	assert.Equal(t, []float64{3, 6}, ri.Experiment.Ratios)
}

// A sweep that fails on its corpus before running anything leaves no
// run.json behind, so the retry with the corpus fixed is not refused.
func TestBadCorpusLeavesNoRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	corpusDir := filepath.Join(t.TempDir(), "corpus")
	s := quick(dir)
	s.Corpus, s.Solvers = corpusDir, []string{"enum"}
	_, err := s.Execute(context.Background())
	require.ErrorContains(t, err, corpusDir)
	_, err = os.Stat(filepath.Join(dir, rundir.InfoFile))
	assert.ErrorIs(t, err, os.ErrNotExist)

	require.NoError(t, os.MkdirAll(corpusDir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(corpusDir, "a.cnf"), []byte("p cnf 2 1\n1 2 0\n"), 0o644))
	rows, err := s.Execute(context.Background())
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, record.SAT, rows[0].Answer)
}
