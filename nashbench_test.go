package nashbench_test

import (
	"context"
	"testing"
	"time"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/history"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	_ "github.com/nashbench/nashbench/solvers/all"
	"github.com/nashbench/nashbench/verify"
)

// BenchmarkSuite/bench/<solver>/n=<n> are the tracking suite's headline
// benchmarks (history.Tracking's solvers at its quick sizes), every answer
// verified before timing, with each solver's work counters per op. They
// are what `go test -bench ./bench` runs when typed in the repository
// root: Go splits the pattern at "/", so "." selects every benchmark of
// this package and "bench" this one's sub-benchmark. The whole suite
// with its history is `nashbench track`.
func BenchmarkSuite(b *testing.B) {
	b.Run("bench", func(b *testing.B) {
		bench.SolveBenchmarks(b, history.Tracking.Solvers, func(string) []int { return history.Tracking.QuickNs })
	})
}

// BenchmarkEnum counts, by enumeration and after checking the count, the
// equilibria of the reduction game of one uniform random 3-SAT formula with
// 16 variables at ratio 4.26 (2^16 profiles): on one goroutine, and on two
// (workers=2 reports its speed-up over the run before it). The full suite,
// every solver at several sizes, is `go test -bench . ./bench`.
func BenchmarkEnum(b *testing.B) {
	f, _, err := instances.Spec{N: 16, M: instances.ClausesForRatio(16, 4.26), K: 3, Seed: 1}.Generate()
	if err != nil {
		b.Fatal(err)
	}
	p, err := solvers.FromFormula(f, reduction.Corrected)
	if err != nil {
		b.Fatal(err)
	}
	s, err := solvers.New("enum")
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var one time.Duration
	for _, workers := range []int{1, 2} {
		b.Run("workers="+string(rune('0'+workers)), func(b *testing.B) {
			opt := solvers.Options{Count: true, Workers: workers}
			r, err := s.Solve(ctx, p, opt)
			if err != nil {
				b.Fatal(err)
			}
			if out, err := verify.Answer(ctx, p, r, 10*verify.DefaultCheckLimit); err != nil || out.CountCheck != record.CheckExhaustive {
				b.Fatalf("count %d not verified: %v", r.Count, err)
			}
			for b.Loop() {
				if _, err := s.Solve(ctx, p, opt); err != nil {
					b.Fatal(err)
				}
			}
			perOp := b.Elapsed() / time.Duration(b.N)
			b.ReportMetric(r.Stats["profiles"], "profiles/op")
			b.ReportMetric(float64(perOp.Nanoseconds())/r.Stats["profiles"], "ns/profile")
			if workers == 1 {
				one = perOp
			} else if one > 0 {
				b.ReportMetric(float64(one)/float64(perOp), "speedup")
			}
		})
	}
}
