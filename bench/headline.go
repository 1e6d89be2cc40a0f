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

// corpusSize is how many instances of each size a solve benchmark solves
// per op: enough that both satisfiable and unsatisfiable ones occur.
const corpusSize = 4

// formulaCorpus returns the fixed, seeded benchmark instances of size n:
// uniform random 3-SAT at ratio 4.26 (seed 1, instances 0 to
// corpusSize-1), reduced by the corrected reduction.
func formulaCorpus(n int) ([]*solvers.Problem, error) {
	var ps []*solvers.Problem
	for i := range corpusSize {
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

// gameCorpus returns the fixed, seeded benchmark games of a family
// (instances.GameFamilies) with k players: seed 1, games 0 to
// corpusSize-1, as `nashbench gen --game` writes them.
func gameCorpus(family string, k int) ([]*solvers.Problem, error) {
	var ps []*solvers.Problem
	for i := range corpusSize {
		g, err := instances.GameSpec{Family: family, Players: k, Seed: 1, Index: i}.Generate()
		if err != nil {
			return nil, err
		}
		ps = append(ps, &solvers.Problem{Game: g})
	}
	return ps, nil
}

// SolveBenchmarks runs the solve benchmarks as sub-benchmarks of b:
// <solver>/n=<n> for each solver and each of sizes(solver), one op solving
// the corpus of n (corpusSize formulas at ratio 4.26). Before timing, each answer is verified (a witness, or a
// "no" by an exhaustive search where that takes under
// verify.DefaultCheckLimit) and checked against the record.Reference solver; a
// failure fails the benchmark. Each op reports the solver's work counters
// (Result.Stats summed over the corpus) as <counter>/op: they are exact,
// the signal `nashbench regress` gates on.
func SolveBenchmarks(b *testing.B, names []string, sizes func(solver string) []int) {
	for _, name := range names {
		ns := sizes(name)
		if len(ns) == 0 {
			// A b.Run without sub-benchmarks would be reported as a
			// benchmark of its own: a junk line in the output.
			continue
		}
		b.Run(name, func(b *testing.B) {
			s := newSolver(b, name)
			for _, n := range ns {
				runCorpus(b, s, name, "n="+strconv.Itoa(n), func() ([]*solvers.Problem, error) { return formulaCorpus(n) })
			}
		})
	}
}

// gameBenchmarks runs the game benchmarks as sub-benchmarks of b, as
// SolveBenchmarks does for formulas: <solver>/<family>/k=<k> for each
// solver, family and each of sizes(solver, family), one op solving the
// gameCorpus of the family with k players.
func gameBenchmarks(b *testing.B, names, families []string, sizes func(solver, family string) []int) {
	for _, name := range names {
		b.Run(name, func(b *testing.B) {
			s := newSolver(b, name)
			for _, f := range families {
				ks := sizes(name, f)
				if len(ks) == 0 {
					continue
				}
				b.Run(f, func(b *testing.B) {
					for _, k := range ks {
						runCorpus(b, s, name, "k="+strconv.Itoa(k), func() ([]*solvers.Problem, error) { return gameCorpus(f, k) })
					}
				})
			}
		})
	}
}

func newSolver(b *testing.B, name string) solvers.Solver {
	s, err := solvers.New(name)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// runCorpus runs the sub-benchmark sub of b: s solving the problems of
// corpus, each answer verified and compared with the reference solver's
// before timing; each op reports the counters summed over the corpus.
func runCorpus(b *testing.B, s solvers.Solver, name, sub string, corpus func() ([]*solvers.Problem, error)) {
	ctx := context.Background()
	ps, err := corpus()
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range ps {
		// The reference: the formula's own solver, or exhaustive search
		// on a game (search, whose every answer is checked, beyond
		// enumeration's reach).
		refName := record.Reference
		if p.Formula == nil {
			refName = "enum"
			if p.Game.Players() > 24 {
				refName = "search"
			}
		}
		ref := newSolver(b, refName)
		want, err := ref.Solve(ctx, p, solvers.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := verify.Answer(ctx, p, want, verify.DefaultCheckLimit); err != nil {
			b.Fatalf("%s on %s: %v", refName, sub, err)
		}
		got, err := s.Solve(ctx, p, solvers.Options{})
		if err != nil {
			b.Fatalf("%s: %v", name, err)
		}
		if _, err := verify.Answer(ctx, p, got, verify.DefaultCheckLimit); err != nil {
			b.Fatalf("%s on %s: %v", name, sub, err)
		}
		if got.Answer != want.Answer {
			b.Fatalf("%s answers %s where %s answers %s on %s", name, got.Answer, refName, want.Answer, describeProblem(sub, p))
		}
	}
	b.Run(sub, func(b *testing.B) {
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

func describeProblem(sub string, p *solvers.Problem) string {
	if p.Formula != nil {
		return "a formula with " + sub
	}
	return "a game with " + sub
}
