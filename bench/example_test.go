package bench_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/rundir"
	"github.com/nashbench/nashbench/solvers"
)

// Export writes a formula's question for an external solver: here the
// pseudo-Boolean encoding of the game of the formula (x1), which a PB
// solver such as minisat+ decides. bench.Load reads such inputs from
// files.
func ExampleExport() {
	p, err := solvers.FromFormula(&instances.CNF{Vars: 1, Clauses: [][]int{{1}}}, reduction.Corrected)
	if err != nil {
		panic(err)
	}
	in := &bench.Input{Path: "one.cnf", Problem: p, IsCNF: true}
	if err := bench.Export(os.Stdout, in, "pb"); err != nil {
		panic(err)
	}
	// Output:
	// * #variable= 1 #constraint= 1
	// * instance: one.cnf
	// * the corrected Theorem 1 reduction of a formula with 1 variable and 1 clause: player 1 is its variable
	// * the formula is satisfiable iff this instance is, or all-false satisfies it (it does: false)
	// * non-trivial pure Nash equilibria of an open-or-closed-source game (Lemma 1), nashbench gophersat-pb encoding
	// * x1: action of player 1 (x1), 1 = open
	// * player 2 (C1) is null and plays 0 (free: false)
	// * player 3 (switch) is null and plays 0 (free: false)
	// +1 x1 >= 1 ;
}

func ExampleFormulations() {
	for _, f := range bench.Formulations() {
		fmt.Println(f.Name)
	}
	// Output:
	// cnf
	// compact
	// nfg
	// paper
	// paper-printed
	// pb
	// pb-pairwise
	// pb-pairwise-cnf
	// pb-pairwise-lp
	// top2
}

// A sweep that resumes a run takes the run's experiment, and refuses the
// settings given that contradict it.
func ExampleSweep_Reconcile() {
	dir, err := os.MkdirTemp("", "nashbench-run-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	// A run prepared for its shards to run later, as sweep --slurm does.
	e := rundir.Experiment{Sizes: []int{6}, Ratios: []float64{4.26}, Count: 2, K: 3, Seed: 1,
		Solvers: []string{"enum"}, Timeout: rundir.Duration(time.Minute)}
	if err := rundir.Init(dir, &e, 1, false, false); err != nil {
		panic(err)
	}

	s := &bench.Sweep{Out: dir, Resume: true, Shards: 1}
	s.Count = 3 // as --count 3 would
	err = s.Reconcile(map[string]bool{"count": true}, false)
	fmt.Println(strings.ReplaceAll(err.Error(), dir, "DIR"))

	s = &bench.Sweep{Out: dir, Resume: true, Shards: 1}
	err = s.Reconcile(nil, false)
	fmt.Println(err, s.Sizes, s.Count, s.Solvers, s.Timeout)
	// Output:
	// --count 3 contradicts the run in DIR: its run.json has count 2
	// <nil> [6] 2 [enum] 1m0s
}
