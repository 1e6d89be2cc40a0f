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
	"github.com/nashbench/nashbench/solvers/gophersat"
	"github.com/nashbench/nashbench/verify"
)

// gophersatInstances is how many corpus instances each size runs.
const gophersatInstances = 10

// BenchmarkGophersat times "gophersat" on random 3-SAT formulas at ratio 4.26
// and "gophersat-pb" on their corrected reduction games, given as games
// only, in-process (no deadline, so no worker process). One op decides each
// of the instances of a size once; worst-ms is the slowest of them. The
// answers are cross-checked first, against enum as well for n <= 20. The
// last size, n=50/m=218, is the target of gophersat-pb: within 60 s each.
func BenchmarkGophersat(b *testing.B) {
	type size struct {
		n, m int
		name string
	}
	var sizes []size
	for _, n := range []int{10, 20, 30, 40, 50} {
		sizes = append(sizes, size{n, instances.ClausesForRatio(n, 4.26), fmt.Sprintf("n=%d", n)})
	}
	sizes = append(sizes, size{50, 218, "n=50/m=218"})
	for _, sz := range sizes {
		var cnf, games []*solvers.Problem
		for i := range gophersatInstances {
			f, _, err := instances.Spec{N: sz.n, M: sz.m, K: 3, Seed: 1, Index: i}.Generate()
			if err != nil {
				b.Fatal(err)
			}
			p, err := solvers.FromFormula(f, reduction.Corrected)
			if err != nil {
				b.Fatal(err)
			}
			cnf = append(cnf, p)
			games = append(games, &solvers.Problem{Game: p.Game})
		}
		sat := 0
		for i := range cnf {
			a := solveOrFatal(b, gophersat.CNF{}, cnf[i]).Answer
			if c := solveOrFatal(b, gophersat.PB{}, games[i]).Answer; c != a {
				b.Fatalf("%s instance %d: gophersat says %v, gophersat-pb %v", sz.name, i, a, c)
			}
			if sz.n <= 20 {
				if c := solveOrFatal(b, enum.Solver{}, games[i]).Answer; c != a {
					b.Fatalf("%s instance %d: gophersat says %v, enum %v", sz.name, i, a, c)
				}
			}
			if a == solvers.Found {
				sat++
			}
		}
		for _, s := range []struct {
			name string
			s    solvers.Solver
			ps   []*solvers.Problem
		}{
			{gophersat.NameCNF, gophersat.CNF{}, cnf},
			{gophersat.NamePB, gophersat.PB{}, games},
		} {
			b.Run(s.name+"/"+sz.name, func(b *testing.B) {
				var conflicts float64
				var worst time.Duration
				for b.Loop() {
					conflicts = 0
					for _, p := range s.ps {
						start := time.Now()
						conflicts += solveOrFatal(b, s.s, p).Stats["conflicts"]
						worst = max(worst, time.Since(start))
					}
				}
				b.ReportMetric(conflicts, "conflicts/op")
				b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
				b.ReportMetric(float64(sat), "sat/op")
			})
		}
	}
}

func solveOrFatal(b *testing.B, s solvers.Solver, p *solvers.Problem) *solvers.Result {
	b.Helper()
	r, err := s.Solve(context.Background(), p, solvers.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if r.Answer == solvers.Unknown {
		b.Fatal("no answer without a deadline")
	}
	if err := verify.Result(p, r); err != nil {
		b.Fatal(err)
	}
	return r
}
