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

	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testtool"
	"github.com/nashbench/nashbench/verify/drat"
)

// BenchmarkCheck checks cadical's (binary) proofs of unsatisfiable uniform
// random 3-SAT formulas at n = 50, m = 218, n = 100, m = 430 and n = 200,
// m = 852, made once per size; an op checks one proof, the formulas taken
// in turn. The cadical sub-benchmark times cadical solving the same
// formulas (wall time of the process, proof written), so the ratio of
// check to solve time shows; the set-up logs (-v) the median and maximum
// of both over the formulas. The drat-broken sub-benchmark checks a broken
// proof of each formula instead (see breakProofs), which Check decides by
// its forward fallback; the set-up logs the median ratio of its check time
// to the valid proof's.
func BenchmarkCheck(b *testing.B) {
	ctx := context.Background()
	for _, size := range []struct{ n, m, count int }{{50, 218, 20}, {100, 430, 20}, {200, 852, 8}} {
		b.Run(fmt.Sprintf("n=%d/m=%d", size.n, size.m), func(b *testing.B) {
			bin := testtool.Need(b, "cadical")
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
			sortedChecks := slices.Sorted(slices.Values(checks)) // checks stays by formula
			slices.Sort(solves)
			b.Logf("%d unsatisfiable formulas: check median %v max %v; cadical median %v max %v; median ratio %.2f",
				len(items), sortedChecks[len(checks)/2], sortedChecks[len(checks)-1], solves[len(solves)/2], solves[len(solves)-1],
				float64(sortedChecks[len(checks)/2])/float64(solves[len(solves)/2]))

			bad := breakProofs(b, items)
			var badChecks []time.Duration
			var ratios []float64
			for i, p := range bad {
				start := time.Now()
				if _, err := drat.Check(ctx, p.f, bytes.NewReader(p.proof)); (err != nil) != p.rejected {
					b.Fatalf("formula %d, %s: %v", i, p.kind, err)
				}
				took := time.Since(start)
				badChecks = append(badChecks, took)
				ratios = append(ratios, float64(took)/float64(checks[i]))
			}
			slices.Sort(badChecks)
			slices.Sort(ratios)
			b.Logf("broken proofs (%d rejected): check median %v max %v; median ratio to the valid proof's check %.2f, max %.2f",
				rejected(bad), badChecks[len(badChecks)/2], badChecks[len(badChecks)-1], ratios[len(ratios)/2], ratios[len(ratios)-1])

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
			b.Run("drat-broken", func(b *testing.B) {
				var lemmas, discarded, rejects, props, ops float64
				for b.Loop() {
					p := bad[int(ops)%len(bad)]
					st, err := drat.Check(ctx, p.f, bytes.NewReader(p.proof))
					if (err != nil) != p.rejected {
						b.Fatalf("%s: %v", p.kind, err)
					}
					if err != nil {
						rejects++
					}
					lemmas += float64(st.Lemmas)
					discarded += float64(st.Discarded)
					props += float64(st.Propagations)
					ops++
				}
				b.ReportMetric(lemmas/ops, "lemmas/op")
				b.ReportMetric(discarded/ops, "discarded/op")
				b.ReportMetric(rejects/ops, "rejected/op")
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

// brokenProof is a proof that reaches Check's forward fallback: a lemma the
// backward pass checks is invalid.
type brokenProof struct {
	kind     string
	f        *instances.CNF
	proof    []byte // binary
	rejected bool   // Check rejects it (else it accepts it, invalid lemmas discarded)
}

// breakProofs breaks the proof of each formula once, in turn by flipping a
// literal of a lemma, deleting a lemma, cutting a lemma to its first
// literal, and deleting a clause of the formula, drawing the lemma or
// clause (deterministically) until Check discards a lemma.
func breakProofs(b *testing.B, items []proved) []brokenProof {
	b.Helper()
	rng := rand.New(rand.NewPCG(4, 5))
	kinds := []string{"a literal flipped", "a lemma deleted", "a lemma cut to its first literal", "a formula clause deleted"}
	var out []brokenProof
	for i, p := range items {
		steps, err := parseText(string(p.text))
		require.NoError(b, err)
		ls := lemmaSteps(steps, firstEmpty(steps))
		kind := i % len(kinds)
		for try := 0; ; try++ {
			require.Less(b, try, 200, "formula %d: no proof with %s reaches the fallback", i, kinds[kind])
			f, mutated := p.f, steps
			switch j := ls[rng.IntN(len(ls))]; kind {
			case 0:
				mutated = flip(rng, steps, j)
			case 1:
				mutated = slices.Delete(slices.Clone(steps), j, j+1)
			case 2:
				mutated = slices.Clone(steps)
				mutated[j].lits = mutated[j].lits[:1]
			case 3:
				c := rng.IntN(len(p.f.Clauses))
				f = &instances.CNF{Vars: p.f.Vars, Clauses: slices.Delete(slices.Clone(p.f.Clauses), c, c+1)}
			}
			proof := writeBinary(mutated)
			st, err := drat.Check(context.Background(), f, bytes.NewReader(proof))
			if st.Discarded > 0 {
				out = append(out, brokenProof{kinds[kind], f, proof, err != nil})
				break
			}
		}
	}
	return out
}

func rejected(ps []brokenProof) int {
	n := 0
	for _, p := range ps {
		if p.rejected {
			n++
		}
	}
	return n
}
