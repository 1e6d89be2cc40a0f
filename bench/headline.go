package bench

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/verify"
)

// CorpusSize is how many instances of each size a solve benchmark solves
// per op: enough that both satisfiable and unsatisfiable ones occur.
const CorpusSize = 4

// Corpus returns the fixed, seeded benchmark instances of size n: uniform
// random 3-SAT at ratio 4.26 (seed 1, instances 0 to CorpusSize-1),
// reduced by the corrected reduction.
func Corpus(n int) ([]*solvers.Problem, error) {
	var ps []*solvers.Problem
	for i := range CorpusSize {
		f, _, err := instances.Spec{N: n, M: instances.ClausesForRatio(n, 4.26), K: 3, Seed: 1, Index: i}.Generate()
		if err != nil {
			return nil, err
		}
		p, err := solvers.FromFormula(f, reduction.Corrected)
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// SolveBenchmarks runs the solve benchmarks as sub-benchmarks of b:
// <solver>/n=<n> for each solver and each of sizes(solver), one op solving
// the Corpus of n. Before timing, each answer is verified (a witness, or a
// "no" by an exhaustive search where that takes under
// verify.DefaultCheckLimit) and checked against the record.Reference solver; a
// failure fails the benchmark. Each op reports the solver's work counters
// (Result.Stats summed over the corpus) as <counter>/op: they are exact,
// the signal `nashbench regress` gates on.
func SolveBenchmarks(b *testing.B, names []string, sizes func(solver string) []int) {
	ctx := context.Background()
	ref, err := solvers.New(record.Reference)
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range names {
		ns := sizes(name)
		if len(ns) == 0 {
			// A b.Run without sub-benchmarks would be reported as a
			// benchmark of its own: a junk line in the output.
			continue
		}
		b.Run(name, func(b *testing.B) {
			s, err := solvers.New(name)
			if err != nil {
				b.Fatal(err)
			}
			for _, n := range ns {
				ps, err := Corpus(n)
				if err != nil {
					b.Fatal(err)
				}
				for _, p := range ps {
					want, err := ref.Solve(ctx, p, solvers.Options{})
					if err != nil {
						b.Fatal(err)
					}
					if _, err := verify.Answer(ctx, p, want, verify.DefaultCheckLimit); err != nil {
						b.Fatalf("%s on n=%d: %v", record.Reference, n, err)
					}
					got, err := s.Solve(ctx, p, solvers.Options{})
					if err != nil {
						b.Fatalf("%s: %v", name, err)
					}
					if _, err := verify.Answer(ctx, p, got, verify.DefaultCheckLimit); err != nil {
						b.Fatalf("%s on n=%d: %v", name, n, err)
					}
					if got.Answer != want.Answer {
						b.Fatalf("%s answers %s where %s answers %s on a formula with n=%d", name, got.Answer, record.Reference, want.Answer, n)
					}
				}
				b.Run("n="+strconv.Itoa(n), func(b *testing.B) {
					stats := map[string]float64{}
					for b.Loop() {
						clear(stats)
						for _, p := range ps {
							r, err := s.Solve(ctx, p, solvers.Options{})
							if err != nil {
								b.Fatal(err)
							}
							for k, v := range r.Stats {
								stats[k] += v
							}
						}
					}
					keys := make([]string, 0, len(stats))
					for k := range stats {
						keys = append(keys, k)
					}
					slices.Sort(keys)
					for _, k := range keys {
						b.ReportMetric(stats[k], k+"/op")
					}
				})
			}
		})
	}
}
