package bench

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/nashbench/nashbench/instances"
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
	// sameOnReductions are solvers whose model of a reduction game is
	// another's, byte for byte (the encodings tests pin it): run only
	// when NASHBENCH_BENCH_SOLVERS names them; BenchmarkGames measures them.
	sameOnReductions = map[string]bool{"gophersat-pairwise": true, "highs-pairwise": true, "highs-top2": true}
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
	ps, err := formulaCorpus(n)
	if err != nil {
		b.Fatal(err)
	}
	return ps
}

// BenchmarkSolve decides the reduction games of a fixed corpus with every
// solver: BenchmarkSolve/<solver>/n=<n>, one op solving corpusSize games,
// every answer verified first (SolveBenchmarks). Its sizes below 20 are
// the tracking suite (history.Tracking).
func BenchmarkSolve(b *testing.B) {
	names, ns := benchConfig(b)
	explicit := os.Getenv("NASHBENCH_BENCH_SOLVERS") != "" || os.Getenv("NASHBENCH_BENCH_N") != ""
	named := os.Getenv("NASHBENCH_BENCH_SOLVERS") != ""
	SolveBenchmarks(b, names, func(name string) []int {
		if sameOnReductions[name] && !named {
			return nil
		}
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

// The game benchmarks' default sizes and solvers: every built-in solver
// that reads the game, on each generated family (instances.GameFamilies).
// gameMax caps a solver (on a family, or on all) below the size where
// one op takes a second or more on this 2-core machine, so that the
// tracking suite stays quick: gophersat-pb's binary bounds and the MIPs
// on uniform games grow fastest (measured with -benchtime 1x at k = 8,
// 12, 16: gophersat-pb 0.4 s at k = 8 and 1.4 s at k = 12 on race games,
// 1.5 s at k = 8 on uniform ones; highs-top2 2.2 s at k = 12 uniform and
// 11 s at k = 12 ring; highs-pairwise 0.9 s at k = 12 uniform).
var (
	defaultKs   = []int{8, 12, 16, 20}
	gameSolvers = []string{"enum", "search", "gophersat-pb", "gophersat-pairwise", "highs-compact", "highs-pairwise", "highs-top2"}
	gameMax     = map[string]int{
		"gophersat-pb":           8,
		"gophersat-pairwise":     16,
		"highs-compact":          12,
		"highs-compact/uniform":  8,
		"highs-compact/ring":     8,
		"highs-pairwise":         12,
		"highs-pairwise/race":    16,
		"highs-pairwise/uniform": 8,
		"highs-top2":             8,
		"highs-top2/race":        12,
	}
)

// BenchmarkGames decides the generated games of a fixed corpus (gameCorpus:
// seed 1, corpusSize games per family and size) with every game solver:
// BenchmarkGames/<solver>/<family>/k=<k>, verified as BenchmarkSolve's.
// NASHBENCH_BENCH_GAME_SOLVERS (a,b) chooses the solvers, external ones
// included, and NASHBENCH_BENCH_K (8,12) the sizes; the tracking suite
// (history.Tracking) runs its GameSolvers at its Ks.
func BenchmarkGames(b *testing.B) {
	names := gameSolvers
	if v := os.Getenv("NASHBENCH_BENCH_GAME_SOLVERS"); v != "" {
		names = strings.Split(v, ",")
		for _, n := range names {
			if _, err := solvers.New(n); err != nil {
				b.Fatalf("NASHBENCH_BENCH_GAME_SOLVERS: %v", err)
			}
		}
	}
	ks := defaultKs
	if v := os.Getenv("NASHBENCH_BENCH_K"); v != "" {
		ks = nil
		for _, f := range strings.Split(v, ",") {
			k, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || k < 3 {
				b.Fatalf("NASHBENCH_BENCH_K: %q is not a number of players >= 3", f)
			}
			ks = append(ks, k)
		}
	}
	gameBenchmarks(b, names, instances.GameFamilies(), func(solver, family string) []int {
		return gameSizes(solver, family, ks)
	})
}

// gameSizes are the sizes of ks under solver's cap on family (gameMax).
func gameSizes(solver, family string, ks []int) []int {
	m, capped := gameMax[solver+"/"+family]
	if !capped {
		m, capped = gameMax[solver]
	}
	var sizes []int
	for _, k := range ks {
		if !capped || k <= m {
			sizes = append(sizes, k)
		}
	}
	return sizes
}
