package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/internal/testtool"
	"github.com/nashbench/nashbench/isolate"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/results"
	"github.com/nashbench/nashbench/rundir"
	"github.com/nashbench/nashbench/solvers"
)

// sweepEnv makes the test binary run one sweep, described in JSON, and exit:
// the tests kill such processes and run shards side by side.
const sweepEnv = "NASHBENCH_TEST_SWEEP"

func sweepProcess() {
	spec := os.Getenv(sweepEnv)
	if spec == "" {
		return
	}
	var s Sweep
	if err := json.Unmarshal([]byte(spec), &s); err != nil {
		panic(err)
	}
	if _, err := s.Execute(context.Background()); err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(1)
	}
	os.Exit(0)
}

func startSweep(t *testing.T, s Sweep) *exec.Cmd {
	t.Helper()
	spec, err := json.Marshal(&s)
	require.NoError(t, err)
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), sweepEnv+"="+string(spec))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return cmd
}

func tiny(out string) Sweep {
	return Sweep{Experiment: rundir.Experiment{Sizes: []int{5, 7}, Ratios: []float64{3, 4.26, 6}, Count: 2, K: 3, Seed: 7, Solvers: []string{"enum", "gophersat", "gophersat-pb", "highs-compact"}, Timeout: rundir.Duration(2 * time.Minute)}, Out: out, Shards: 1, Jobs: 2}
}

// triples reduces rows to what must not depend on timing or sharding.
func triples(rows []record.Row) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Instance+" "+r.Solver+" "+string(r.Answer))
	}
	sort.Strings(out)
	return out
}

func TestSweepTiny(t *testing.T) {
	dir := t.TempDir()
	s := tiny(dir)
	rows, err := s.Execute(context.Background())
	require.NoError(t, err)
	require.Len(t, rows, 2*3*2*4)
	for _, r := range rows {
		assert.Empty(t, r.Error, r.Instance)
		require.Contains(t, []record.Answer{record.SAT, record.UNSAT}, r.Answer, r.Instance)
		assert.Equal(t, record.Solved, r.Status)
		// Every answer is checked: a model, or an exhaustive search.
		require.NotNil(t, r.Verified)
		assert.True(t, *r.Verified)
		if r.Answer == "sat" {
			assert.Equal(t, record.CheckWitness, r.Check)
		} else {
			assert.Equal(t, record.CheckExhaustive, r.Check)
		}
		assert.Equal(t, uint64(7), *r.Seed)
		assert.Equal(t, time.Duration(s.Timeout).Seconds(), r.Timeout)
		// Measured by the operating system, two jobs at a time.
		assert.Equal(t, 2, r.Jobs)
		assert.Equal(t, 1, r.Workers, "a core per job")
		assert.Greater(t, r.WallSeconds, r.Seconds, "the process outlives the solve")
		assert.Positive(t, r.CPUSeconds)
		assert.Greater(t, r.MaxRSSBytes, int64(1<<20))
		cpus := isolate.CPUs()
		assert.Contains(t, [][]int{isolate.SlotCPUs(cpus, 2, 0), isolate.SlotCPUs(cpus, 2, 1)}, r.CPUs, "a slot's cores")
	}
	assert.Empty(t, results.Disagreements(rows))
	stored, err := record.ReadFile(rundir.RowsFile(dir, 0, 1), false)
	require.NoError(t, err)
	assert.Equal(t, triples(rows), triples(stored))

	// The phase transition shows: more satisfiable at ratio 3 than at 6.
	pts := results.PhaseTransition(rows)
	require.Len(t, pts, 6)

	// Running again without --resume refuses instead of mixing runs.
	_, err = s.Execute(context.Background())
	assert.ErrorContains(t, err, "pass --resume")
	// With it, there is nothing left to do.
	s.Resume = true
	again, err := s.Execute(context.Background())
	require.NoError(t, err)
	assert.Equal(t, triples(rows), triples(again))
}

func TestCheckFindsDisagreement(t *testing.T) {
	yes := true
	no := false
	rows := []record.Row{
		{Record: record.Record{Instance: "a", Solver: "x", Answer: "sat", Verified: &yes}},
		{Record: record.Record{Instance: "a", Solver: "y", Answer: "unsat"}},
		{Record: record.Record{Instance: "b", Solver: "x", Answer: "unsat"}, Planted: true},
		{Record: record.Record{Instance: "c", Solver: "x", Answer: "sat", Verified: &no, Error: "verification failed: boom"}},
		{Record: record.Record{Instance: "d", Solver: "x", Answer: "unknown"}},
		{Record: record.Record{Instance: "d", Solver: "y", Answer: "sat", Verified: &yes}},
	}
	d := results.Disagreements(rows)
	require.Len(t, d, 3)
	assert.Contains(t, d[0].Detail, "solvers disagree: x=sat, y=unsat")
	assert.Contains(t, d[1].Detail, "planted")
	assert.Contains(t, d[2].Detail, "boom")
}

// A sweep killed with SIGKILL keeps every finished row, and --resume runs
// each remaining job exactly once.
func TestSweepResumeAfterKill(t *testing.T) {
	dir := t.TempDir()
	s := tiny(dir)
	s.Sizes, s.Ratios, s.Count = []int{6}, []float64{4.26}, 30
	s.Solvers = []string{"enum", "gophersat"}
	total := 30 * 2
	cmd := startSweep(t, s)
	path := rundir.RowsFile(dir, 0, 1)
	deadline := time.Now().Add(30 * time.Second)
	for {
		b, _ := os.ReadFile(path)
		if bytes.Count(b, []byte{'\n'}) >= 5 {
			break
		}
		require.True(t, time.Now().Before(deadline), "the sweep wrote no rows")
		time.Sleep(2 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	before, err := record.ReadFile(path, true)
	require.NoError(t, err)
	require.Less(t, len(before), total, "the sweep finished before it was killed; make it longer")
	// A kill in the middle of a write leaves a partial line: resume cuts it.
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(`{"instance":"instances/half`)
	require.NoError(t, err)
	require.NoError(t, f.Close())

	s.Resume = true
	after, err := s.Execute(context.Background())
	require.NoError(t, err)
	require.Len(t, after, total)
	assert.Equal(t, triples(before), triples(after[:len(before)]), "finished rows were lost or changed")
	seen := map[string]bool{}
	for _, r := range after {
		require.False(t, seen[r.Key()], "job repeated: %s %s", r.Instance, r.Solver)
		seen[r.Key()] = true
	}
	assert.Empty(t, results.Disagreements(after))
}

// A job past its timeout is a row with answer unknown, soon after the
// deadline, and its process is gone.
func TestSweepTimeout(t *testing.T) {
	dir := t.TempDir()
	s := tiny(dir)
	// At ratio 8, n=34 is unsatisfiable: enum would walk 2^34 profiles.
	s.Sizes, s.Ratios, s.Count, s.Solvers = []int{34}, []float64{8}, 1, []string{"enum"}
	s.Timeout = rundir.Duration(300 * time.Millisecond)
	before := children(t) // idle pooled workers of earlier tests' solves
	start := time.Now()
	rows, err := s.Execute(context.Background())
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, record.Unknown, rows[0].Answer)
	assert.Equal(t, record.Timeout, rows[0].Status)
	assert.Empty(t, rows[0].Error)
	// The job's own timeout and the stop allowance for a loaded machine
	// (enum would take minutes).
	assert.Less(t, time.Since(start), time.Duration(s.Timeout)+testtool.StopAllowance)
	assert.Subset(t, before, children(t), "a worker outlived its job")
}

// children lists the processes whose parent is this one.
func children(t *testing.T) []int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	require.NoError(t, err)
	var out []int
	me := strconv.Itoa(os.Getpid())
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// Fields after the command name, which is in parentheses: state ppid.
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(f) > 1 && f[1] == me {
			out = append(out, pid)
		}
	}
	return out
}

// Shards run as separate processes and merged give the unsharded answers.
func TestShardsMerge(t *testing.T) {
	whole := tiny(t.TempDir())
	want, err := whole.Execute(context.Background())
	require.NoError(t, err)

	dir := t.TempDir()
	var cmds []*exec.Cmd
	for i := range 3 {
		s := tiny(dir)
		s.Shard, s.Shards = i, 3
		cmds = append(cmds, startSweep(t, s))
	}
	for _, c := range cmds {
		require.NoError(t, c.Wait(), "shard failed: %v", c.Stderr)
	}
	var all []record.Row
	for i := range 3 {
		rows, err := record.ReadFile(rundir.RowsFile(dir, i, 3), false)
		require.NoError(t, err)
		require.NotEmpty(t, rows)
		all = append(all, rows...)
	}
	merged, err := record.Merge(all)
	require.NoError(t, err)
	assert.Equal(t, triples(want), triples(merged))
	// Merging is idempotent: shards overlapping in a row merge to one.
	again, err := record.Merge(append(all, all[0]))
	require.NoError(t, err)
	assert.Len(t, again, len(merged))
	bad := append([]record.Row(nil), all...)
	bad = append(bad, all[0])
	bad[len(bad)-1].Answer = "flipped"
	_, err = record.Merge(bad)
	assert.ErrorContains(t, err, "disagree")
}

func TestSweepRejectsDuplicatePoints(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(*Sweep)
		want string
	}{
		{"ratios giving one m", func(s *Sweep) { s.Sizes, s.Ratios = []int{6}, []float64{4.0, 4.05} }, "both give 24 clauses"},
		{"a size twice", func(s *Sweep) { s.Sizes = []int{5, 6, 5} }, "size n=5 is given twice"},
		{"a ratio twice", func(s *Sweep) { s.Ratios = []float64{4, 3, 4} }, "ratio 4 is given twice"},
		{"a solver twice", func(s *Sweep) { s.Solvers = []string{"enum", "gophersat", "enum"} }, "solver enum is given twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := tiny(dir)
			tc.set(&s)
			_, err := s.Execute(context.Background())
			assert.ErrorContains(t, err, tc.want)
			assert.NoFileExists(t, filepath.Join(dir, "rows.jsonl"))
		})
	}
}

// A runner that returns a malformed witness gives a failed row, not a panic.
func TestSolveBadWitness(t *testing.T) {
	in, err := Load(writeCNF(t, "p cnf 3 1\n1 2 3 0\n"), 0)
	require.NoError(t, err)
	bad := func(context.Context, string, *solvers.Problem, solvers.Options) (*solvers.Result, error) {
		return &solvers.Result{Answer: solvers.Found, Witness: []bool{true}}, nil
	}
	rec, err := Solve(context.Background(), bad, "enum", in, solvers.Options{}, Limits{})
	require.NoError(t, err)
	assert.True(t, rec.Failed())
	assert.Contains(t, rec.Error, "profile has 1 action,")
}

func writeCNF(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f.cnf")
	require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	return p
}
