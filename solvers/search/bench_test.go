package search

import (
	"context"
	"fmt"
	"testing"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/solvers"
)

// BenchmarkSearch decides seeded games of a family and size, one op
// solving five games with one worker; nodes/op and conflicts/op are the
// search's counters summed over them (exact: one worker is
// deterministic). "tight0" are AI-race games with d = 0, where games
// without a non-trivial equilibrium are common.
func BenchmarkSearch(b *testing.B) {
	for _, c := range []struct {
		family string
		k      int
	}{{"race", 24}, {"race", 40}, {"race", 60}, {"uniform", 24}, {"uniform", 40}, {"tight0", 36}, {"tight0", 48}} {
		b.Run(fmt.Sprintf("%s/k=%d", c.family, c.k), func(b *testing.B) {
			var games []*game.Game
			for i := range 5 {
				games = append(games, seeded(c.family, c.k, i))
			}
			var nodes, conflicts float64
			for b.Loop() {
				nodes, conflicts = 0, 0
				for _, g := range games {
					r, err := Solver{}.Solve(context.Background(), &solvers.Problem{Game: g}, solvers.Options{})
					if err != nil || r.Answer == solvers.Unknown {
						b.Fatal(err, r.Answer)
					}
					nodes += r.Stats["nodes"]
					conflicts += r.Stats["conflicts"]
				}
			}
			b.ReportMetric(nodes, "nodes/op")
			b.ReportMetric(conflicts, "conflicts/op")
		})
	}
}
