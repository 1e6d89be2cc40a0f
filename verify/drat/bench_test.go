package drat_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/nashbench/nashbench/verify/drat"
)

// BenchmarkCheck checks cadical's (binary) proofs of unsatisfiable uniform
// random 3-SAT formulas at n = 50, m = 218 and n = 100, m = 430, made once
// per size; an op checks one proof, the formulas taken in turn. The cadical
// sub-benchmark times cadical solving the same formulas (wall time of the
// process, proof written), so the ratio of check to solve time shows; the
// set-up logs (-v) the median and maximum of both over the formulas.
func BenchmarkCheck(b *testing.B) {
	ctx := context.Background()
	for _, size := range []struct{ n, m, count int }{{50, 218, 20}, {100, 430, 20}} {
		b.Run(fmt.Sprintf("n=%d/m=%d", size.n, size.m), func(b *testing.B) {
			bin := needCadical(b)
			dir := b.TempDir()
			items := unsatCorpus(b, dir, 3, size.count, func(*rand.Rand) (int, int) { return size.n, size.m })

			var checks, solves []time.Duration
			for _, p := range items {
				start := time.Now()
				if _, err := drat.Check(ctx, p.f, bytes.NewReader(p.binary)); err != nil {
					b.Fatal(err)
				}
				checks = append(checks, time.Since(start))
				solves = append(solves, p.solve)
			}
			slices.Sort(checks)
			slices.Sort(solves)
			b.Logf("%d unsatisfiable formulas: check median %v max %v; cadical median %v max %v; median ratio %.2f",
				len(items), checks[len(checks)/2], checks[len(checks)-1], solves[len(solves)/2], solves[len(solves)-1],
				float64(checks[len(checks)/2])/float64(solves[len(solves)/2]))

			b.Run("drat", func(b *testing.B) {
				// The check's counters (exact: with -benchtime Nx, the
				// same on every run), as package verify reports them
				// as proof-lemmas, ... in records.
				var lemmas, deletions, core, coreClauses, rat, props, ops float64
				for b.Loop() {
					p := items[int(ops)%len(items)]
					st, err := drat.Check(ctx, p.f, bytes.NewReader(p.binary))
					if err != nil {
						b.Fatal(err)
					}
					lemmas += float64(st.Lemmas)
					deletions += float64(st.Deletions)
					core += float64(st.Core)
					coreClauses += float64(st.CoreClauses)
					rat += float64(st.RAT)
					props += float64(st.Propagations)
					ops++
				}
				b.ReportMetric(lemmas/ops, "lemmas/op")
				b.ReportMetric(deletions/ops, "deletions/op")
				b.ReportMetric(core/ops, "core/op")
				b.ReportMetric(coreClauses/ops, "core-clauses/op")
				b.ReportMetric(rat/ops, "rat/op")
				b.ReportMetric(props/ops, "props/op")
			})
			b.Run("cadical", func(b *testing.B) {
				proof := filepath.Join(dir, "bench.drat")
				i := 0
				for b.Loop() {
					cadical(b, bin, items[i%len(items)].cnf, proof, true)
					i++
				}
			})
		})
	}
}
