package bench

import (
	"context"
	"fmt"
	"io"
	"maps"
	"runtime"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testtool"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/solvers"
)

// The counter suite: the built-in solvers and sizes of the tracking
// suite's counter half (history.Tracking's Solvers and QuickNs), on
// BenchmarkSolve's corpus, each solve with solvers.Options{} as
// BenchmarkSolve does.
var (
	counterSolvers = []string{"enum", "gophersat", "gophersat-pb", "highs-compact", "search"}
	counterNs      = []int{6, 8, 10, 12, 16}
	// The game solvers on BenchmarkGames's corpus (gameCorpus) at its
	// smaller sizes, under its caps (gameSizes).
	counterKs = []int{8, 12}
	// External solvers, on the corpus of a few of the sizes, and their
	// program.
	counterExternal = []struct{ name, program string }{
		{"cadical", "cadical"},
		{"minisat", "minisat"},
		{"cbc-compact", "cbc"},
	}
	counterExternalNs = []int{8, 12}
)

// counterRun is what one run of the counter suite reports.
type counterRun struct {
	// stats are Result.Stats summed per sub-benchmark, exactly what
	// BenchmarkSolve reports as <key>/op: "<solver>/n=<n>".
	stats map[string]map[string]float64
	// enum2 are enum's counters with Options{Workers: 2}, per instance
	// ("n=<n>/i=<i>"), with its answers.
	enum2 map[string]map[string]float64
	ans2  map[string]solvers.Answer
	// proof are the stats of a `nashbench solve --certify` record of
	// cadical on an unsatisfiable instance: cadical's counters and the
	// proof checker's; nil without cadical.
	proof map[string]float64
}

// TestCountersDeterministic: the work counters that BenchmarkSolve
// reports, and so the tracking suite (`nashbench track --quick`), are
// deterministic. The counter suite is run with GOMAXPROCS 1, then 2, then
// 1 again, and each run must report the same counters: gophersat's
// (conflicts, decisions, restarts, learned, ...), HiGHS's (nodes,
// lp-iterations) with the model's size, enum's (profiles, checks), the
// external solvers' (conflicts, decisions, propagations, restarts; cbc's
// nodes and lp-iterations) and the DRAT checker's on a cadical proof
// (proof-lemmas, proof-core, proof-propagations, ...).
//
// enum with several workers is deterministic too: each block of its walk
// starts without a watched deviator, whichever worker takes it after
// whichever block, and the blocks after the witness's, which a worker may
// have begun before it learned of the witness, are not counted. Its
// profiles are then one worker's; its checks may differ from one worker's
// (a block's start watches nobody). Before, checks varied from run to run
// (seen: 4173 or 4174 at n=12), and so did profiles with an equilibrium.
//
// The tracking suite is not affected: BenchmarkSolve passes Options{}, one
// worker, whose counters are exact.
//
// External solvers missing from PATH fail the test, saying how to install
// them, unless NASHBENCH_NO_EXTERNAL=1, which leaves them out
// (testtool.Have).
func TestCountersDeterministic(t *testing.T) {
	var external []string
	for _, e := range counterExternal {
		if testtool.Have(t, e.program) != "" {
			external = append(external, e.name)
		}
	}
	corpus := map[int][]*solvers.Problem{}
	for _, n := range counterNs {
		corpus[n] = benchCorpus(t, n)
	}

	prev := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
	var runs []counterRun
	for _, procs := range []int{1, 2, 1} {
		runtime.GOMAXPROCS(procs)
		runs = append(runs, runCounterSuite(t, corpus, external))
	}
	runtime.GOMAXPROCS(prev)

	first := runs[0]
	for i, r := range runs[1:] {
		require.Equal(t, first.stats, r.stats, "run %d (GOMAXPROCS %d) against run 1 (GOMAXPROCS 1)", i+2, []int{1, 2, 1}[i+1])
		require.Equal(t, first.ans2, r.ans2)
		require.Equal(t, first.enum2, r.enum2, "enum with 2 workers, run %d", i+2)
		require.Equal(t, first.proof, r.proof)
	}

	// The counters are there, and plausible.
	for _, n := range counterNs {
		at := func(solver string) map[string]float64 { return first.stats[solver+"/n="+strconv.Itoa(n)] }
		assert.Positive(t, at("enum")["profiles"], n)
		assert.Positive(t, at("enum")["checks"], n)
		for _, s := range []string{"gophersat", "gophersat-pb"} {
			for _, k := range []string{"conflicts", "decisions", "restarts", "learned", "learned-binary", "learned-units", "deleted", "solves"} {
				assert.Contains(t, at(s), k, "%s n=%d", s, n)
			}
			assert.Positive(t, at(s)["decisions"], "%s n=%d", s, n)
			assert.NotContains(t, at(s), "propagations", "gophersat counts none")
		}
		for _, k := range []string{"nodes", "lp-iterations", "columns", "rows", "nonzeros", "binaries", "solves"} {
			assert.Contains(t, at("highs-compact"), k, n)
		}
		assert.Equal(t, float64(corpusSize), at("highs-compact")["solves"], n)
		assert.Contains(t, at("search"), "propagations", n)
	}
	for _, name := range gameSolvers {
		for _, f := range instances.GameFamilies() {
			for _, k := range gameSizes(name, f, counterKs) {
				assert.NotEmpty(t, first.stats[name+"/"+f+"/k="+strconv.Itoa(k)], "%s %s k=%d reports counters", name, f, k)
			}
		}
	}
	lp := 0.0
	for _, n := range counterNs {
		lp += first.stats["highs-compact/n="+strconv.Itoa(n)]["lp-iterations"]
	}
	assert.Positive(t, lp, "HiGHS needs the simplex on some of these MIPs")
	for _, name := range external {
		for _, n := range counterExternalNs {
			st := first.stats[name+"/n="+strconv.Itoa(n)]
			if name == "cbc-compact" {
				assert.Contains(t, st, "nodes", n)
				assert.Contains(t, st, "lp-iterations", n)
				continue
			}
			for _, k := range []string{"conflicts", "decisions", "propagations"} {
				assert.Contains(t, st, k, "%s n=%d", name, n)
			}
			assert.Positive(t, st["propagations"], "%s n=%d", name, n)
		}
	}
	if first.proof != nil {
		assert.Positive(t, first.proof["proof-lemmas"])
		assert.Positive(t, first.proof["proof-core"])
		assert.LessOrEqual(t, first.proof["proof-core"], first.proof["proof-lemmas"])
		assert.Positive(t, first.proof["proof-propagations"])
		assert.Positive(t, first.proof["propagations"], "cadical's own counters are kept")
	}

	// enum with 2 workers: the same answers and profiles as with one.
	for _, n := range counterNs {
		one, err := solvers.New("enum")
		require.NoError(t, err)
		for i, p := range corpus[n] {
			key := fmt.Sprintf("n=%d/i=%d", n, i)
			r, err := one.Solve(context.Background(), p, solvers.Options{})
			require.NoError(t, err)
			require.Equal(t, r.Answer, first.ans2[key], key)
			assert.Equal(t, r.Stats["profiles"], first.enum2[key]["profiles"], key)
		}
	}
}

// runCounterSuite runs the counter suite once, in this process.
func runCounterSuite(t *testing.T, corpus map[int][]*solvers.Problem, external []string) counterRun {
	t.Helper()
	// Not t.Context(): a context that can end sends gophersat's solves
	// to a child process (package isolate); BenchmarkSolve's never ends.
	ctx := context.Background()
	run := counterRun{stats: map[string]map[string]float64{}, enum2: map[string]map[string]float64{}, ans2: map[string]solvers.Answer{}}
	suite := func(name string, ns []int) {
		s, err := solvers.New(name)
		require.NoError(t, err)
		if c, ok := s.(io.Closer); ok {
			defer c.Close()
		}
		for _, n := range ns {
			sum := map[string]float64{}
			for i, p := range corpus[n] {
				r, err := s.Solve(ctx, p, solvers.Options{})
				require.NoError(t, err, "%s n=%d i=%d", name, n, i)
				require.NotEqual(t, solvers.Unknown, r.Answer, "%s n=%d i=%d", name, n, i)
				for k, v := range r.Stats {
					sum[k] += v
				}
			}
			run.stats[name+"/n="+strconv.Itoa(n)] = sum
		}
	}
	for _, name := range counterSolvers {
		suite(name, counterNs)
	}
	for _, name := range gameSolvers {
		s, err := solvers.New(name)
		require.NoError(t, err)
		for _, f := range instances.GameFamilies() {
			for _, k := range gameSizes(name, f, counterKs) {
				ps, err := gameCorpus(f, k)
				require.NoError(t, err)
				sum := map[string]float64{}
				for i, p := range ps {
					r, err := s.Solve(ctx, p, solvers.Options{})
					require.NoError(t, err, "%s %s k=%d i=%d", name, f, k, i)
					require.NotEqual(t, solvers.Unknown, r.Answer, "%s %s k=%d i=%d", name, f, k, i)
					for key, v := range r.Stats {
						sum[key] += v
					}
				}
				run.stats[name+"/"+f+"/k="+strconv.Itoa(k)] = sum
			}
		}
		if c, ok := s.(io.Closer); ok {
			c.Close()
		}
	}
	for _, name := range external {
		suite(name, counterExternalNs)
	}

	enum, err := solvers.New("enum")
	require.NoError(t, err)
	for _, n := range counterNs {
		for i, p := range corpus[n] {
			r, err := enum.Solve(ctx, p, solvers.Options{Workers: 2})
			require.NoError(t, err)
			key := fmt.Sprintf("n=%d/i=%d", n, i)
			run.enum2[key], run.ans2[key] = maps.Clone(r.Stats), r.Answer
		}
	}

	if len(external) > 0 && external[0] == "cadical" {
		// The first unsatisfiable instance of the largest size, solved
		// and checked as `nashbench solve --certify` does.
		n := counterNs[len(counterNs)-1]
		for _, p := range corpus[n] {
			in := &Input{Path: "corpus", Problem: p, IsCNF: true}
			rec, err := Solve(ctx, InProcess, "cadical", in, solvers.Options{Certify: true}, Limits{CheckLimit: -1})
			require.NoError(t, err)
			require.Equal(t, record.Solved, rec.Status, rec.Error)
			if rec.Answer != "unsat" {
				continue
			}
			require.Equal(t, record.CheckProof, rec.Check, "cadical's proof is checked")
			run.proof = rec.Stats
			break
		}
		require.NotNil(t, run.proof, "no unsatisfiable instance at n=%d", n)
	}
	return run
}
