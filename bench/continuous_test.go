package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/nashbench/nashbench/continuous"
	"github.com/nashbench/nashbench/internal/highs"
	"github.com/nashbench/nashbench/internal/testgen"
)

// BenchmarkContinuousMIP solves the corrected Theorem 4 MIP (`theorem4`) on
// one random game per size, entries in [-10, 10], with one HiGHS instance
// reused across iterations. Each size's answer is checked exactly before
// timing (Solve verifies every answer too, inside the timed loop, so the
// figure includes the exact check). k = 40 runs only with
// NASHBENCH_BENCH_LARGE=1.
func BenchmarkContinuousMIP(b *testing.B) {
	sizes := []int{5, 10, 20}
	if os.Getenv("NASHBENCH_BENCH_LARGE") == "1" {
		sizes = append(sizes, 40)
	}
	ctx := context.Background()
	s, err := highs.NewSolver(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for _, k := range sizes {
		g := testgen.Game(rand.New(rand.NewPCG(uint64(k), 1)), k, 10)
		opt := continuous.Options{Solver: s}
		r, err := continuous.Solve(ctx, g, continuous.Corrected, opt)
		if err != nil {
			b.Fatal(err)
		}
		if r.Status != continuous.Found {
			b.Fatalf("k=%d: status %v", k, r.Status)
		}
		if _, ok, err := g.CheckContinuous(r.Profile); err != nil || !ok {
			b.Fatalf("k=%d: answer fails the exact check (%v)", k, err)
		}
		b.Run(fmt.Sprintf("k=%d", k), func(b *testing.B) {
			var nodes int64
			for b.Loop() {
				r, err := continuous.Solve(ctx, g, continuous.Corrected, opt)
				if err != nil {
					b.Fatal(err)
				}
				if r.Status != continuous.Found {
					b.Fatalf("status %v", r.Status)
				}
				nodes = r.Nodes
			}
			b.ReportMetric(float64(nodes), "nodes/op")
		})
	}
}
