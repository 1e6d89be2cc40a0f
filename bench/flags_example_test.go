package bench_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
)

// NewSweep makes a sweep from its command line: here a game sweep, which
// takes the game defaults for the count and the solvers not given.
func ExampleNewSweep() {
	s, err := bench.NewSweep(bench.SweepFlags{Game: "race", Players: "8,12", Count: 8, Solvers: "enum",
		Reduction: "corrected", Out: "run", Shard: "1/1", Given: map[string]bool{"game": true, "players": true}})
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Players, s.Count, s.Solvers)
	// A mistake is told as the command line's: by its flag.
	_, err = bench.NewSweep(bench.SweepFlags{Jobs: -1, Ns: "8", Ratios: "4", Reduction: "corrected", Shard: "1/1"})
	fmt.Println(err)
	// Output:
	// [8 12] 4 [enum gophersat-pb gophersat-pairwise highs-compact search]
	// sweep: --jobs -1: want 0 (one per core) or more
}

// ParseShard reads the 1-based i/N of the command line into 0-based i.
func ExampleParseShard() {
	fmt.Println(bench.ParseShard("sweep --shard", "2/3"))
	fmt.Println(bench.ParseShard("sweep --shard", "4/3"))
	// Output:
	// 1 3 <nil>
	// 0 0 sweep --shard "4/3": want i/N with 1 <= i <= N
}

// SolveFiles hands over a record per input, one that cannot be read
// included, and says the exit status: 2, for the bad input.
func ExampleSolveFiles() {
	dir, err := os.MkdirTemp("", "solve")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	sat := filepath.Join(dir, "sat.cnf")
	if err := os.WriteFile(sat, []byte("p cnf 1 1\n1 0\n"), 0o644); err != nil {
		panic(err)
	}
	code, err := bench.SolveFiles(context.Background(), "enum", []string{filepath.Join(dir, "missing.cnf"), sat},
		reduction.Corrected, solvers.Options{Workers: 1}, bench.Limits{}, func(rec record.Record) error {
			fmt.Println(filepath.Base(rec.Instance), rec.Status, rec.Answer)
			return nil
		})
	fmt.Println(code, err)
	// Output:
	// missing.cnf bad-input unknown
	// sat.cnf solved sat
	// 2 <nil>
}
