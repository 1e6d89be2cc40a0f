package bench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/enum"
)

// BenchmarkEnumCount counts every equilibrium of reduction games of random
// 3-SAT at ratio 4.26: the enumerator's cost per profile on one core, the
// figure its target (40 ns per profile) is about. At n = 20, a workers=2
// sub-benchmark counts with two goroutines and reports its speed-up over
// the one-goroutine run just before it.
func BenchmarkEnumCount(b *testing.B) {
	var specs []instances.Spec
	for n := 8; n <= 20; n += 2 {
		specs = append(specs, instances.Spec{N: n, M: instances.ClausesForRatio(n, 4.26), K: 3, Seed: 1})
	}
	// SATLIB's uf20-91 size, the one the target names.
	specs = append(specs, instances.Spec{N: 20, M: 91, K: 3, Seed: 1})
	for _, spec := range specs {
		f, _, err := spec.Generate()
		if err != nil {
			b.Fatal(err)
		}
		p, err := solvers.FromFormula(f, reduction.Corrected)
		if err != nil {
			b.Fatal(err)
		}
		name := fmt.Sprintf("n=%d/m=%d", spec.N, spec.M)
		var one time.Duration // per op with one worker, for the speed-up
		b.Run(name, func(b *testing.B) { one = benchCount(b, p, 1, 0) })
		if spec.N == 20 {
			b.Run(name+"/workers=2", func(b *testing.B) { benchCount(b, p, 2, one) })
		}
	}
}

// benchCount times counting p's equilibria with workers goroutines,
// reports ns/profile and, given the time per op of one worker, the
// speed-up, and returns its time per op.
func benchCount(b *testing.B, p *solvers.Problem, workers int, one time.Duration) time.Duration {
	var profiles float64
	for b.Loop() {
		r, err := enum.Solver{}.Solve(context.Background(), p, solvers.Options{Count: true, Workers: workers})
		if err != nil {
			b.Fatal(err)
		}
		profiles = r.Stats["profiles"]
	}
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(profiles, "profiles/op")
	b.ReportMetric(float64(perOp.Nanoseconds())/profiles, "ns/profile")
	if one > 0 {
		b.ReportMetric(float64(one)/float64(perOp), "speedup")
	}
	return perOp
}
