package search

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/enum"
	"github.com/nashbench/nashbench/verify"
)

// The measurements are tests that run only when their flag is set, e.g.
//
//	go test -run TestMeasure -v ./solvers/search -search.measure "race:40,60 tight0:36"
var (
	measureSpec    = flag.String("search.measure", "", "TestMeasure: families and sizes, as \"race:20,24 uniform:16\"; the test runs only when set")
	measureCerts   = flag.String("search.certs", "", "TestMeasureCertificates: families and sizes, as \"tight0:36,40\"; the test runs only when set")
	measureGames   = flag.Int("search.games", 10, "games per family and size")
	measureLimit   = flag.Duration("search.limit", 60*time.Second, "time limit per game")
	measureWorkers = flag.Int("search.workers", 0, "workers (0: 2 for TestMeasure, 1 for TestMeasureCertificates)")
	measureCfg     = flag.String("search.cfg", "", "search settings, as vsids=0,phase=1,order=2,restart=100,cube=3,pair=0")
	measureCertify = flag.Bool("search.certify", false, "TestMeasure: write certificates")
	measureCount   = flag.Bool("search.count", false, "TestMeasure: count rather than decide")
	measureSolver  = flag.String("search.solver", "search", "TestMeasure: search or enum")
)

// TestMeasure prints a table of the search on seeded games (see
// -search.measure).
func TestMeasure(t *testing.T) {
	spec := *measureSpec
	if spec == "" {
		t.Skip("a measurement: set -search.measure to run it")
	}
	games := *measureGames
	limit := *measureLimit
	workers := cmp.Or(*measureWorkers, 2)
	cfg := defaultConfig()
	if v := *measureCfg; v != "" {
		for _, kv := range strings.Split(v, ",") {
			k, val, _ := strings.Cut(kv, "=")
			n, _ := strconv.Atoi(val)
			switch k {
			case "vsids":
				cfg.vsids = n != 0
			case "phase":
				cfg.phase = n
			case "order":
				cfg.order = n
			case "restart":
				cfg.restartBase = n
			case "cube":
				cfg.cubeBits = n
			case "pair":
				cfg.pair = n != 0
			}
		}
	}
	certify := *measureCertify
	count := *measureCount
	for _, fam := range strings.Fields(spec) {
		name, sizes, _ := strings.Cut(fam, ":")
		for _, ks := range strings.Split(sizes, ",") {
			k, _ := strconv.Atoi(ks)
			var times []float64
			var nodes []float64
			decided, found := 0, 0
			for i := range games {
				g := seeded(name, k, i)
				ctx, cancel := context.WithTimeout(context.Background(), limit)
				start := time.Now()
				var s solvers.Solver = Solver{cfg: &cfg}
				if *measureSolver == "enum" {
					s = enum.Solver{}
				}
				r, err := s.Solve(ctx, &solvers.Problem{Game: g}, solvers.Options{Workers: workers, Certify: certify, Count: count, MaxPlayers: 62})
				el := time.Since(start).Seconds()
				cancel()
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := r.Stats["profiles"]; ok {
					r.Stats["nodes"] = r.Stats["profiles"] // enum's work
				}
				extra := ""
				if r.Proof != nil {
					extra = fmt.Sprintf(" proof %d bytes", len(r.Proof.Data()))
				}
				if r.Counted {
					extra += fmt.Sprintf(" count %d", r.Count)
				}
				if r.Answer != solvers.Unknown {
					if err := verify.Result(&solvers.Problem{Game: g}, r); err != nil {
						t.Fatal(err)
					}
				}
				t.Logf("%s k=%d #%d: %s %.2fs nodes %.0f conflicts %.0f expl %.0f learned-len %.1f misses %.0f%s", name, k, i, r.Answer, el, r.Stats["nodes"], r.Stats["conflicts"], r.Stats["explanations"], r.Stats["learned-lits"]/max(r.Stats["learned"], 1), r.Stats["row-misses"], extra)
				if r.Answer != solvers.Unknown {
					decided++
					times = append(times, el)
					nodes = append(nodes, r.Stats["nodes"])
					if r.Answer == solvers.Found {
						found++
					}
				} else {
					times = append(times, limit.Seconds()*10)
					nodes = append(nodes, r.Stats["nodes"])
				}
			}
			var tt, tn float64
			for q := range times {
				tt += min(times[q], limit.Seconds())
				tn += nodes[q]
			}
			t.Logf("SUMMARY %s k=%d: decided %d/%d (found %d), median time %.2fs, median nodes %.0f; total %.2fs, %.0f nodes", name, k, decided, games, found, median(times), median(nodes), tt, tn)
		}
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// TestMeasureCertificates prints, for the games without a non-trivial
// equilibrium among -search.certs, the certificate's size and the time to
// check it against the time to solve.
func TestMeasureCertificates(t *testing.T) {
	spec := *measureCerts
	if spec == "" {
		t.Skip("a measurement: set -search.certs to run it")
	}
	games := *measureGames
	workers := cmp.Or(*measureWorkers, 1)
	for _, fam := range strings.Fields(spec) {
		name, sizes, _ := strings.Cut(fam, ":")
		for _, ks := range strings.Split(sizes, ",") {
			k, _ := strconv.Atoi(ks)
			for i := range games {
				g := seeded(name, k, i)
				p := &solvers.Problem{Game: g}
				start := time.Now()
				plain, err := Solver{}.Solve(context.Background(), p, solvers.Options{Workers: workers})
				if err != nil {
					t.Fatal(err)
				}
				solve := time.Since(start)
				if plain.Answer != solvers.None {
					continue
				}
				start = time.Now()
				r, err := Solver{}.Solve(context.Background(), p, solvers.Options{Workers: workers, Certify: true})
				if err != nil {
					t.Fatal(err)
				}
				certified := time.Since(start)
				start = time.Now()
				out, err := verify.Answer(context.Background(), p, r, -1)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%s k=%d #%d: solve %.2fs, with certificate %.2fs, %d bytes (%.0f theory lemmas, %.0f LRAT lemmas), check %s %.2fs",
					name, k, i, solve.Seconds(), certified.Seconds(), len(r.Proof.Data()), out.Stats()["proof-theory-lemmas"], out.Stats()["proof-lemmas"], out.Check, time.Since(start).Seconds())
			}
		}
	}
}
