package bench

import (
	"context"
	"fmt"
	"testing"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/enum"
)

// BenchmarkEnumCount counts every equilibrium of reduction games of random
// 3-SAT at ratio 4.26: the enumerator's cost per profile, the figure its
// target (100 ns per profile on one core) is about.
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
		b.Run(fmt.Sprintf("n=%d/m=%d", spec.N, spec.M), func(b *testing.B) {
			var profiles float64
			for b.Loop() {
				r, err := enum.Solver{}.Solve(context.Background(), p, solvers.Options{Count: true})
				if err != nil {
					b.Fatal(err)
				}
				profiles = r.Stats["profiles"]
			}
			b.ReportMetric(profiles, "profiles/op")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/profiles, "ns/profile")
		})
	}
}
