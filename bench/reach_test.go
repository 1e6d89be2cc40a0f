package bench

import (
	"context"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/verify"
)

// reachInstances is how many instances of each size BenchmarkReach solves:
// its verdict is on their median time.
const reachInstances = 10

// BenchmarkReach measures how far each solver reaches on random 3-SAT at
// ratio 4.26: BenchmarkReach/<solver>/n=<n> decides reachInstances seeded
// instances (their reduction games, or the formulas for gophersat), each
// with a time limit (NASHBENCH_BENCH_TIMEOUT, default 60s), and reports the
// median time (median-s, unsolved instances counting as slower than the
// limit, which a median on one reads as), solved instances, and the
// medians of the solver's counts over the solved instances (nodes,
// conflicts, the model's columns and rows, ...). A solver stops at the first size whose median is beyond
// the limit: the size before it is the largest it decides. Every answer is
// checked against gophersat on the formula, and witnesses are verified.
//
// It runs only with NASHBENCH_BENCH_REACH=1, since a run takes many
// minutes: sizes from NASHBENCH_BENCH_N (default 50,100,150,200,250,300),
// solvers from NASHBENCH_BENCH_SOLVERS (default gophersat, gophersat-pb,
// highs-compact).
func BenchmarkReach(b *testing.B) {
	if os.Getenv("NASHBENCH_BENCH_REACH") != "1" {
		b.Skip("NASHBENCH_BENCH_REACH=1 runs it")
	}
	names := []string{record.Reference, "gophersat-pb", "highs-compact"}
	if v := os.Getenv("NASHBENCH_BENCH_SOLVERS"); v != "" {
		names = strings.Split(v, ",")
	}
	ns := []int{50, 100, 150, 200, 250, 300}
	if v := os.Getenv("NASHBENCH_BENCH_N"); v != "" {
		_, ns = benchConfig(b)
	}
	limit := 60 * time.Second
	if v := os.Getenv("NASHBENCH_BENCH_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			b.Fatalf("NASHBENCH_BENCH_TIMEOUT: %q is not a positive duration", v)
		}
		limit = d
	}
	ref, err := solvers.New(record.Reference)
	if err != nil {
		b.Fatal(err)
	}
	want := map[int][]solvers.Answer{} // per size, gophersat's answers
	for _, name := range names {
		s, err := solvers.New(name)
		if err != nil {
			b.Fatal(err)
		}
		if p, ok := s.(solvers.Preparer); ok {
			if err := p.Prepare(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
		for _, n := range ns {
			ps := reachCorpus(b, n)
			if want[n] == nil {
				for _, p := range ps {
					r, err := ref.Solve(context.Background(), p, solvers.Options{})
					if err != nil {
						b.Fatal(err)
					}
					want[n] = append(want[n], r.Answer)
				}
			}
			beyond := false
			b.Run(name+"/n="+strconv.Itoa(n), func(b *testing.B) {
				var times []float64
				counts := map[string][]float64{}
				for b.Loop() {
					times = times[:0]
					clear(counts)
					for q, p := range ps {
						if name != record.Reference {
							p = &solvers.Problem{Game: p.Game} // the game alone
						}
						ctx, cancel := context.WithTimeout(context.Background(), limit)
						start := time.Now()
						r, err := s.Solve(ctx, p, solvers.Options{})
						took := time.Since(start)
						cancel()
						if err != nil {
							b.Fatalf("%s on n=%d instance %d: %v", name, n, q, err)
						}
						if r.Answer == solvers.Unknown {
							times = append(times, math.Inf(1))
							continue
						}
						if r.Answer != want[n][q] {
							b.Fatalf("%s answers %s on n=%d instance %d, %s %s", name, r.Answer, n, q, record.Reference, want[n][q])
						}
						if err := verify.Result(p, r); err != nil {
							b.Fatalf("%s on n=%d instance %d: %v", name, n, q, err)
						}
						times = append(times, took.Seconds())
						for k, v := range r.Stats {
							counts[k] = append(counts[k], v)
						}
					}
				}
				med := median(times)
				beyond = med > limit.Seconds()
				b.ReportMetric(min(med, limit.Seconds()), "median-s")
				solved := 0
				for _, t := range times {
					if !math.IsInf(t, 1) {
						solved++
					}
				}
				b.ReportMetric(float64(solved), "solved")
				for _, k := range slices.Sorted(maps.Keys(counts)) {
					b.ReportMetric(median(counts[k]), k+"/op")
				}
			})
			if beyond {
				b.Logf("%s: median beyond %v at n=%d", name, limit, n)
				break
			}
		}
		if c, ok := s.(interface{ Close() error }); ok {
			c.Close()
		}
	}
}

// reachCorpus returns BenchmarkReach's instances of size n.
func reachCorpus(b *testing.B, n int) []*solvers.Problem {
	var ps []*solvers.Problem
	for i := range reachInstances {
		f, _, err := instances.Spec{N: n, M: instances.ClausesForRatio(n, 4.26), K: 3, Seed: 1, Index: i}.Generate()
		if err != nil {
			b.Fatal(err)
		}
		p, err := solvers.FromFormula(f, reduction.Corrected)
		if err != nil {
			b.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}

// median returns the median of xs (the mean of the middle two for an even
// count), +Inf standing for unsolved.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}
