package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/rundir"
)

func TestReconcile(t *testing.T) {
	recorded := rundir.Experiment{Sizes: []int{6, 8}, Ratios: []float64{4.26}, Count: 2, K: 3, Seed: 1,
		Solvers: []string{"enum"}, Timeout: rundir.Duration(time.Minute)}
	tests := []struct {
		name      string
		shards    int  // of the run's run.json; 0 for none
		oldRows   bool // rows without run.json, as an older nashbench left them
		sweep     func(s *Sweep)
		given     []string
		allShards bool
		msg       string // of the error, DIR for the run directory; "" for none
		adopts    bool   // s ends with the recorded experiment
	}{
		{name: "fresh run", given: []string{"count"}},
		{name: "old rows, flags missing", oldRows: true, given: []string{"n", "solvers"},
			msg: "DIR has rows but no run.json (an older nashbench wrote it), so its parameters are unknown: give every flag of that run to continue it (missing: --ratio --count --k --seed --planted --timeout --reduction)"},
		{name: "old rows of a corpus", oldRows: true, sweep: func(s *Sweep) { s.Corpus = "corpus" }, given: []string{"corpus", "timeout"},
			msg: "(missing: --solvers --reduction)"},
		{name: "old rows of games", oldRows: true, sweep: func(s *Sweep) { s.Game = "race" }, given: []string{"game", "players"},
			msg: "(missing: --count --seed --solvers --timeout)"},
		{name: "old rows, every flag", oldRows: true,
			given: []string{"n", "ratio", "count", "k", "seed", "planted", "solvers", "timeout", "reduction"}},
		{name: "contradiction", shards: 1, sweep: func(s *Sweep) { s.Count = 3 }, given: []string{"count"},
			msg: "--count 3 contradicts the run in DIR: its run.json has count 2"},
		{name: "difference not given", shards: 1, sweep: func(s *Sweep) { s.Count = 3 }, adopts: true},
		{name: "sizes in another order", shards: 1, sweep: func(s *Sweep) { s.Sizes = []int{8, 6} }, given: []string{"n"}, adopts: true},
		{name: "memory", shards: 1, sweep: func(s *Sweep) { s.Memory = 1 << 30 }, given: []string{"mem"},
			msg: "--mem 1G (1073741824 bytes) contradicts the run in DIR: its run.json has memory_bytes 0 (no memory limit)"},
		{name: "no time limit", shards: 1, sweep: func(s *Sweep) { s.Timeout = 0 }, given: []string{"timeout"},
			msg: "--timeout 0s (no time limit) contradicts the run in DIR: its run.json has timeout_seconds 1m0s"},
		{name: "corpus", shards: 1, sweep: func(s *Sweep) { s.Corpus = "corpus" }, given: []string{"corpus"},
			msg: "--corpus corpus contradicts the run in DIR: its run.json has corpus (none)"},
		{name: "shards", shards: 1, sweep: func(s *Sweep) { s.Shards = 2 }, given: []string{"shard"},
			msg: "--shard 1/2 contradicts the run in DIR, which is split into 1 shard"},
		{name: "shard missing", shards: 3,
			msg: "the run in DIR is split into 3 shards: give --shard i/3"},
		{name: "shard given", shards: 3, sweep: func(s *Sweep) { s.Shard, s.Shards = 2, 3 }, given: []string{"shard"}, adopts: true},
		{name: "every shard", shards: 3, allShards: true, adopts: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			require.NoError(t, os.MkdirAll(dir, 0o755))
			if tt.shards > 0 {
				e := recorded
				require.NoError(t, rundir.Init(dir, &e, tt.shards, false, false))
			}
			if tt.oldRows {
				require.NoError(t, rundir.WriteRows(rundir.RowsFile(dir, 0, 1), []record.Row{{Record: record.Record{Instance: "a.cnf", Solver: "enum"}}}))
			}
			s := &Sweep{Experiment: recorded, Out: dir, Resume: true, Shards: 1}
			s.Sizes = []int{6, 8}
			if tt.sweep != nil {
				tt.sweep(s)
			}
			before := s.Experiment
			given := map[string]bool{}
			for _, f := range tt.given {
				given[f] = true
			}
			err := s.Reconcile(given, tt.allShards)
			if tt.msg != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), strings.ReplaceAll(tt.msg, "DIR", dir))
				return
			}
			require.NoError(t, err)
			if tt.adopts {
				assert.Empty(t, recorded.Diff(&s.Experiment), "the run's experiment")
			} else {
				assert.Equal(t, before, s.Experiment, "left as it was")
			}
		})
	}
}
