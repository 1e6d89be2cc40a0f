package bench

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/nashbench/nashbench/internal/highs"
	"github.com/nashbench/nashbench/isolate"
	"github.com/nashbench/nashbench/solvers"
	_ "github.com/nashbench/nashbench/solvers/all"
	"github.com/nashbench/nashbench/solvers/external"
)

func TestMain(m *testing.M) {
	isolate.Serve() // the sweep tests run jobs in children: this binary
	sweepProcess()  // and whole sweeps, to kill them
	flag.Parse()
	// External solver definitions of $NASHBENCH_SOLVERS_FILE (or the
	// user's configuration), for NASHBENCH_BENCH_SOLVERS to name.
	if _, err := external.Load(""); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if f := flag.Lookup("test.bench"); f != nil && f.Value.String() != "" {
		// Configuration lines, which benchstat and nashbench compare carry
		// along with the results.
		fmt.Printf("highs: %s\n", highs.Version)
		// Test binaries carry no module versions; go.mod has them.
		if mod, err := os.ReadFile("../go.mod"); err == nil {
			for _, line := range strings.Split(string(mod), "\n") {
				f := strings.Fields(line)
				if len(f) >= 2 && (f[0] == "github.com/crillab/gophersat" || f[0] == "github.com/tetratelabs/wazero") {
					fmt.Printf("%s: %s\n", f[0][strings.LastIndexByte(f[0], '/')+1:], f[1])
				}
			}
		}
		// The external solvers benchmarked, with their versions, so that
		// comparisons show a changed binary.
		if v := os.Getenv("NASHBENCH_BENCH_SOLVERS"); v != "" {
			for _, name := range strings.Split(v, ",") {
				if s, err := solvers.New(name); err == nil && solvers.IsExternal(name) {
					if d, ok := s.(solvers.Describer); ok {
						fmt.Printf("%s: %s\n", name, orUnknown(d.Describe(context.Background()).Version))
					}
				}
			}
		}
	}
	os.Exit(m.Run())
}

func orUnknown(v string) string {
	if v == "" {
		return "unknown"
	}
	return v
}

// The default benchmark set: each built-in solver up to the size where one solve
// still takes well under a second, so that `go test -bench . ./bench`
// finishes in about three minutes. NASHBENCH_BENCH_SOLVERS (a,b) and
// NASHBENCH_BENCH_N (6,8,10) choose others; external solvers (shipped, or
// defined in $NASHBENCH_SOLVERS_FILE) run only when named there.
var (
	defaultNs = []int{6, 8, 10, 12, 16, 20}
	// highs-paper takes 2-20 s per game already at n=6: BenchmarkMIP
	// compares it with highs-compact on single games instead.
	defaultMax = map[string]int{"highs-paper": 0, "highs-compact": 20}
)

func benchConfig(b *testing.B) (names []string, ns []int) {
	names = solvers.BuiltinNames()
	if v := os.Getenv("NASHBENCH_BENCH_SOLVERS"); v != "" {
		names = strings.Split(v, ",")
		for _, n := range names {
			if _, err := solvers.New(n); err != nil {
				b.Fatalf("NASHBENCH_BENCH_SOLVERS: %v", err)
			}
		}
	}
	ns = defaultNs
	if v := os.Getenv("NASHBENCH_BENCH_N"); v != "" {
		ns = nil
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 3 {
				b.Fatalf("NASHBENCH_BENCH_N: %q is not a size >= 3", f)
			}
			ns = append(ns, n)
		}
	}
	return names, ns
}

// benchCorpus returns the fixed, seeded instances of size n at ratio 4.26.
func benchCorpus(b testing.TB, n int) []*solvers.Problem {
	ps, err := Corpus(n)
	if err != nil {
		b.Fatal(err)
	}
	return ps
}

// BenchmarkSolve decides the reduction games of a fixed corpus with every
// solver: BenchmarkSolve/<solver>/n=<n>, one op solving CorpusSize games,
// every answer verified first (SolveBenchmarks). Its sizes below 20 are
// the tracking suite (history.Tracking).
func BenchmarkSolve(b *testing.B) {
	names, ns := benchConfig(b)
	explicit := os.Getenv("NASHBENCH_BENCH_SOLVERS") != "" || os.Getenv("NASHBENCH_BENCH_N") != ""
	SolveBenchmarks(b, names, func(name string) []int {
		var sizes []int
		for _, n := range ns {
			if m, capped := defaultMax[name]; capped && n > m && !explicit || name == "enum" && n > 40 {
				continue
			}
			sizes = append(sizes, n)
		}
		return sizes
	})
}
