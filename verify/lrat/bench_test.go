package lrat_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testtool"
	"github.com/nashbench/nashbench/verify/drat"
	"github.com/nashbench/nashbench/verify/lrat"
)

// BenchmarkCheck compares checking the same refutations as LRAT and as
// DRAT, on the corpus's formulas at n = 150 and 200 (plain and with the
// non-triviality clause), an op checking one proof, the formulas taken in
// turn:
//
//   - lrat: cadical's binary LRAT proof, as it wrote it;
//   - lrat-text: the same steps as text LRAT;
//   - drat-stripped: the same steps without their hints, as text DRAT,
//     checked by package verify/drat (which must find the propagations
//     that the hints give);
//   - drat-cadical: the binary DRAT proof that the cadical in PATH (the
//     Debian package's) writes for the formula, checked by verify/drat:
//     what --certify checks with that cadical. A missing cadical fails
//     the benchmark, unless NASHBENCH_NO_EXTERNAL=1, which leaves this
//     one out (testtool.Have).
func BenchmarkCheck(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{150, 200} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			type pair struct {
				f                           *instances.CNF
				lrat, text, stripped, dratC []byte
			}
			var items []pair
			for _, it := range corpus(b) {
				if it.n == n {
					items = append(items, pair{f: it.f, lrat: it.binary, text: it.text, stripped: toDRAT(it.f, it.steps)})
				}
			}
			if len(items) == 0 {
				b.Fatalf("no corpus formulas at n = %d", n)
			}
			if bin := testtool.Have(b, "cadical"); bin != "" {
				dir := b.TempDir()
				for i := range items {
					var buf bytes.Buffer
					if err := instances.WriteDIMACS(&buf, items[i].f); err != nil {
						b.Fatal(err)
					}
					cnf, proof := filepath.Join(dir, "f.cnf"), filepath.Join(dir, "f.drat")
					if err := os.WriteFile(cnf, buf.Bytes(), 0o644); err != nil {
						b.Fatal(err)
					}
					if err := exec.Command(bin, "-q", cnf, proof).Run(); err != nil && err.Error() != "exit status 20" {
						b.Fatalf("cadical: %v", err)
					}
					var err error
					if items[i].dratC, err = os.ReadFile(proof); err != nil {
						b.Fatal(err)
					}
				}
			}
			run := func(name string, proof func(pair) []byte, check func(context.Context, *instances.CNF, []byte) (float64, error)) {
				if proof(items[0]) == nil {
					return
				}
				b.Run(name, func(b *testing.B) {
					var work, bytes, ops float64
					for b.Loop() {
						p := items[int(ops)%len(items)]
						w, err := check(ctx, p.f, proof(p))
						if err != nil {
							b.Fatal(err)
						}
						work += w
						bytes += float64(len(proof(p)))
						ops++
					}
					b.ReportMetric(work/ops, "work/op")
					b.ReportMetric(bytes/ops, "proof-bytes/op")
				})
			}
			checkLRAT := func(ctx context.Context, f *instances.CNF, proof []byte) (float64, error) {
				st, err := lrat.Check(ctx, f, bytes.NewReader(proof))
				return float64(st.Hints), err // hints checked
			}
			checkDRAT := func(ctx context.Context, f *instances.CNF, proof []byte) (float64, error) {
				st, err := drat.Check(ctx, f, bytes.NewReader(proof))
				return float64(st.Propagations), err // literals propagated
			}
			run("lrat", func(p pair) []byte { return p.lrat }, checkLRAT)
			run("lrat-text", func(p pair) []byte { return p.text }, checkLRAT)
			run("drat-stripped", func(p pair) []byte { return p.stripped }, checkDRAT)
			run("drat-cadical", func(p pair) []byte { return p.dratC }, checkDRAT)
		})
	}
}
