package bench_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/rundir"
	"github.com/nashbench/nashbench/solvers"
)

// SolveFile reads an input, runs a solver on it and checks the answer:
// here gophersat on a formula (x1 or x2) and (not x1), which Load reduces
// to its Theorem 1 game. The record says what was answered and how the
// answer was checked: a model by substitution, a "no" here by gophersat's
// own proof of unsatisfiability, checked (Certify), else exhaustively
// while that is cheap.
func ExampleSolveFile() {
	dir, err := os.MkdirTemp("", "nashbench-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	for name, dimacs := range map[string]string{"sat.cnf": "p cnf 2 2\n1 2 0\n-1 0\n", "unsat.cnf": "p cnf 1 2\n1 0\n-1 0\n"} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(dimacs), 0o644); err != nil {
			panic(err)
		}
		rec, err := bench.SolveFile(context.Background(), bench.InProcess, "gophersat", path, reduction.Corrected,
			solvers.Options{Certify: true}, bench.Limits{Timeout: time.Minute})
		if err != nil {
			panic(err)
		}
		fmt.Println(name, rec.Answer, rec.Status, rec.Check)
	}
	// Unordered output:
	// sat.cnf sat solved witness
	// unsat.cnf unsat solved proof
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
