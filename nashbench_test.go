package nashbench_test

import (
	"context"
	"testing"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	_ "github.com/nashbench/nashbench/solvers/enum"
	"github.com/nashbench/nashbench/verify"
)

// BenchmarkEnum decides the reduction game of one uniform random 3-SAT
// formula with 14 variables at ratio 4.26 by enumeration, after checking
// its answer. The full suite, every solver at several sizes, is
// `go test -bench . ./bench`.
func BenchmarkEnum(b *testing.B) {
	f, _, err := instances.Spec{N: 14, M: instances.ClausesForRatio(14, 4.26), K: 3, Seed: 1}.Generate()
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
	r, err := s.Solve(ctx, p, solvers.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := verify.Answer(ctx, p, r, verify.DefaultCheckLimit); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.Solve(ctx, p, solvers.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(r.Stats["profiles"], "profiles/op")
}
