package bench_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/rundir"
)

func TestSweepString(t *testing.T) {
	tests := []struct {
		name string
		s    bench.Sweep
		what string
	}{
		{"formulas", bench.Sweep{Experiment: rundir.Experiment{Sizes: []int{6, 8}, Ratios: []float64{3, 4.26}, Count: 2, K: 3, Seed: 1,
			Solvers: []string{"enum"}, Timeout: rundir.Duration(time.Second)}, Out: "run", Shards: 1},
			"n = 6, 8; ratios 3, 4.26; 2 instances per point; solvers enum; 8 jobs; timeout 1s per job"},
		{"games in shards", bench.Sweep{Experiment: rundir.Experiment{Game: "ring", Players: []int{8, 12}, Count: 4, Seed: 1,
			Solvers: []string{"enum", "search"}}, Out: "run", Shard: 1, Shards: 2},
			"ring games; players 8, 12; 4 games per size; solvers enum, search; 8 jobs in shard 2/2; timeout 0s per job"},
		{"corpus not listed", bench.Sweep{Experiment: rundir.Experiment{Corpus: "/no/such/dir", Solvers: []string{"enum"}}, Out: "run", Shards: 1},
			"corpus /no/such/dir; solvers enum; timeout 0s per job"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.what, tt.s.String())
		})
	}
}

// What a sweep says before it starts: a decimal comma (--ratio 4,26) shows
// as two ratios.
func ExampleSweep_String() {
	s := &bench.Sweep{Experiment: rundir.Experiment{Sizes: []int{10}, Ratios: []float64{4, 26}, Count: 3, K: 3, Seed: 1,
		Solvers: []string{"enum", "gophersat"}, Timeout: rundir.Duration(30 * time.Second)}, Shards: 1}
	fmt.Println(s)
	// Output:
	// n = 10; ratios 4, 26; 3 instances per point; solvers enum, gophersat; 12 jobs; timeout 30s per job
}
