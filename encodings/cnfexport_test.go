package encodings_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/crillab/gophersat/solver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/encodings"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testtool"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/enum"
	"github.com/nashbench/nashbench/solvers/gophersat"
	"github.com/nashbench/nashbench/verify"
)

// mixedGame draws a k-player game whose entries mix magnitudes up to a
// scale of 1, 2^10, 2^20 or 2^30: zeros, small values, values repeated
// across the game (ties), exactly plus or minus the scale, and uniform
// ones; some players null, some deltas zero.
func mixedGame(rng *rand.Rand, k int) *game.Game {
	scale := []int64{1, 1 << 10, 1 << 20, 1 << 30}[rng.IntN(4)]
	pool := []int64{0, scale, -scale, rng.Int64N(2*scale+1) - scale, rng.Int64N(7) - 3}
	draw := func() int64 {
		switch rng.IntN(6) {
		case 0:
			return 0
		case 1:
			return rng.Int64N(7) - 3
		case 2, 3:
			return pool[rng.IntN(len(pool))]
		default:
			return rng.Int64N(2*scale+1) - scale
		}
	}
	return drawGame(rng, k, draw)
}

// anyGame draws a game of 2..8 players from one of the generators.
func anyGame(rng *rand.Rand) *game.Game {
	k := 2 + rng.IntN(7)
	switch rng.IntN(4) {
	case 0:
		return randomGame(rng, k, 3)
	case 1:
		return wideGame(rng, k, []int{10, 20, 30, 40, 50}[rng.IntN(5)])
	default:
		return mixedGame(rng, k)
	}
}

// actionCount is the number of action variables of g's CNF: its non-null
// players.
func actionCount(g *game.Game) int {
	n := 0
	for i := range g.Players() {
		if !g.Null(i) {
			n++
		}
	}
	return n
}

// cnfModels solves f with gophersat and returns its models, one per
// assignment of variables 1..n (each blocked once found), or only the
// first when all is false.
func cnfModels(f *instances.CNF, n int, all bool) [][]bool {
	if f.Vars == 0 && len(f.Clauses) == 0 {
		return [][]bool{{}}
	}
	s := solver.New(solver.ParseSliceNb(f.Clauses, f.Vars))
	var models [][]bool
	gophersat.Enumerate(s, func(m []bool) bool {
		models = append(models, m)
		return !all
	}, n)
	return models
}

func profileKey(a []bool) string { return string(bitsOf(a)) }

// checkCNFGame encodes g as CNF and compares with enum: satisfiable iff
// enum finds a non-trivial equilibrium, and every model's profile is one
// (verify.Profile); it returns the answer. With count, it enumerates the models projected onto
// the action variables and compares the equilibria they stand for (free
// players in every combination) with enum's list.
func checkCNFGame(t *testing.T, p *solvers.Problem, count bool) (found bool) {
	t.Helper()
	g := p.Game
	f, profile, err := encodings.EncodeCNF(context.Background(), g)
	require.NoError(t, err)
	require.NoError(t, f.Validate())
	k := g.Players()
	require.True(t, !count || k <= 16, "listing up to 2^%d equilibria", k)
	opt := solvers.Options{Count: count}
	if count {
		opt.List = 1 << k
	}
	want, err := enum.Solver{}.Solve(context.Background(), p, opt)
	require.NoError(t, err)
	n := actionCount(g)
	models := cnfModels(f, n, count)
	require.Equal(t, want.Answer == solvers.Found, len(models) > 0, "game %v", g)
	got := map[string]bool{}
	for _, m := range models {
		a := profile(m)
		require.NoError(t, verify.Profile(p, a), "model %v, game %v", m, g)
		if count {
			for _, b := range solvers.ExpandFree([][]bool{a}, solvers.FreePlayers(g), 1<<k) {
				got[profileKey(b)] = true
			}
		}
	}
	if !count {
		return len(models) > 0
	}
	wantSet := map[string]bool{}
	for _, a := range want.Listed {
		wantSet[profileKey(a)] = true
	}
	require.Len(t, want.Listed, int(want.Count))
	require.Equal(t, wantSet, got, "game %v", g)
	return len(models) > 0
}

// TestEncodeCNFAgainstEnum decides thousands of random games of 2..8
// players (small entries, mixed magnitudes up to 2^30, wide ones up to
// 2^50; null players, zero deltas, ties) through the CNF and compares
// with enum (a fifth under the race detector or with -short).
// NASHBENCH_CNF_GAMES=N runs N games instead.
func TestEncodeCNFAgainstEnum(t *testing.T) {
	n := envInt(t, "NASHBENCH_CNF_GAMES", games(3000))
	rng := rand.New(rand.NewPCG(31, 1))
	none := 0
	for range n {
		g := anyGame(rng)
		p := &solvers.Problem{Game: g}
		if !checkCNFGame(t, p, false) {
			none++
		}
	}
	t.Logf("%d games, %d without a non-trivial equilibrium", n, none)
	assert.Greater(t, none, n/40, "both answers occur")
}

// TestEncodeCNFCounts compares the set of equilibria the CNF's models
// stand for with enum's list, on a few hundred games.
func TestEncodeCNFCounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(32, 1))
	for range games(400) {
		checkCNFGame(t, &solvers.Problem{Game: anyGame(rng)}, true)
	}
}

// TestEncodeCNFEncodings checks that the choice of encoding changes no
// answer and no count: every constraint as a BDD, a totalizer or an
// adder network when it can be, and the unary integers not read.
func TestEncodeCNFEncodings(t *testing.T) {
	for _, tt := range []struct {
		force  string
		chains bool
	}{{"bdd", true}, {"totalizer", true}, {"adder", true}, {"", false}, {"adder", false}} {
		t.Run(fmt.Sprintf("%s/chains=%v", tt.force, tt.chains), func(t *testing.T) {
			encodings.WithEncoding(t, tt.force, tt.chains)
			rng := rand.New(rand.NewPCG(33, uint64(len(tt.force))))
			for it := range games(150) {
				var g *game.Game
				switch tt.force {
				case "bdd":
					g = randomGame(rng, 2+rng.IntN(6), 3) // BDDs of wide games are huge
				case "adder":
					g = mixedGame(rng, 2+rng.IntN(5)) // gophersat is slow on adders
				default:
					g = anyGame(rng)
				}
				checkCNFGame(t, &solvers.Problem{Game: g}, it%3 == 0)
			}
		})
	}
}

// TestEncodeCNFReductionGames encodes the games of random formulas: the
// CNF's models, projected onto the actions, are the formula's models
// other than all-false, and each maps to a profile that verify accepts
// against the formula too.
func TestEncodeCNFReductionGames(t *testing.T) {
	rng := rand.New(rand.NewPCG(34, 1))
	for n := 5; n <= 12; n++ {
		for _, ratio := range []float64{2, 3.5, 4.26, 5} {
			for i := range 3 {
				f, err := instances.RandomKSAT(rng, n, instances.ClausesForRatio(n, ratio), 3)
				require.NoError(t, err)
				p := problemOf(t, f)
				t.Run(fmt.Sprintf("n=%d/r=%v/%d", n, ratio, i), func(t *testing.T) {
					cnf, profile, err := encodings.EncodeCNF(context.Background(), p.Game)
					require.NoError(t, err)
					models := cnfModels(cnf, n, true)
					assert.Equal(t, bruteNonTrivial(f), int64(len(models)))
					seen := map[string]bool{}
					for _, m := range models {
						a := profile(m)
						require.NoError(t, verify.Profile(p, a))
						assert.Equal(t, m[:n], p.Layout.Assignment(a), "variable t is variable player t")
						seen[profileKey(a)] = true
					}
					assert.Len(t, seen, len(models))
				})
			}
		}
	}
	// Literal reductions have non-trivial equilibria, for every formula
	// (too many to list: each clause player is free).
	f, err := instances.RandomKSAT(rng, 6, 40, 3)
	require.NoError(t, err)
	g, _, err := reduction.Reduce(f, reduction.Literal)
	require.NoError(t, err)
	checkCNFGame(t, &solvers.Problem{Game: g}, false)
}

func TestEncodeCNFSmallCases(t *testing.T) {
	for _, tt := range []struct {
		name string
		D    [][]int64
		d    []int64
		sat  bool
	}{
		{"all null closing", [][]int64{{-1, 0}, {0, -2}}, []int64{0, 0}, false},
		{"all null free", [][]int64{{0, 0}, {0, -2}}, []int64{0, 0}, true},
		{"all null opening", [][]int64{{1, 0}, {0, -2}}, []int64{0, 0}, true},
		{"all zero", [][]int64{{0, 0, 0}, {0, 0, 0}, {0, 0, 0}}, []int64{0, 0, 0}, true},
		{"two players", [][]int64{{1, 2}, {-1, 1}}, []int64{0, 1}, true},
		// Opening costs each player more than it takes from the other.
		{"nobody opens", [][]int64{{-3, 1}, {1, -3}}, []int64{0, 0}, false},
		{"fixed by propagation", [][]int64{{5, 1, 0}, {1, 5, 0}, {0, 0, -1}}, []int64{0, 0, 0}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g, err := game.New(nil, tt.D, tt.d)
			require.NoError(t, err)
			p := &solvers.Problem{Game: g}
			f, _, err := encodings.EncodeCNF(context.Background(), g)
			require.NoError(t, err)
			assert.Equal(t, tt.sat, len(cnfModels(f, actionCount(g), false)) > 0)
			checkCNFGame(t, p, true)
			checkWriteCNF(t, g)
		})
	}
}

// checkWriteCNF writes g's CNF in DIMACS and reads it back: the same
// formula, with comments naming the action variables.
func checkWriteCNF(t *testing.T, g *game.Game) {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, encodings.WriteCNF(&buf, g))
	text := buf.String()
	back, err := instances.ReadDIMACS(strings.NewReader(text), "cnf", instances.Limits{})
	require.NoError(t, err, text)
	f, _, err := encodings.EncodeCNF(context.Background(), g)
	require.NoError(t, err)
	assert.Equal(t, f.Vars, back.Vars)
	assert.Equal(t, len(f.Clauses), len(back.Clauses))
	for q := range f.Clauses {
		require.Equal(t, f.Clauses[q], back.Clauses[q])
	}
	assert.True(t, strings.HasPrefix(text, "c non-trivial pure Nash equilibria"), text)
	trivial := strings.Contains(text, "c every player is null") || strings.Contains(text, "refutes the encoding")
	n := 0
	for i := range g.Players() {
		if !g.Null(i) {
			n++
			if !trivial {
				assert.Contains(t, text, fmt.Sprintf("c variable %d: action of player %d (%s), true = open\n", n, i+1, g.Name(i)))
			}
		}
	}
}

func TestWriteCNF(t *testing.T) {
	rng := rand.New(rand.NewPCG(35, 1))
	for range games(100) {
		checkWriteCNF(t, anyGame(rng))
	}
	f, err := instances.RandomKSAT(rng, 10, 42, 3)
	require.NoError(t, err)
	g := problemOf(t, f).Game
	var buf bytes.Buffer
	require.NoError(t, encodings.WriteCNF(&buf, g))
	assert.Contains(t, buf.String(), "c variable 10: action of player 10 (x10), true = open\n")
	assert.Contains(t, buf.String(), "is null and plays 0 (free: false)\n")
	assert.Regexp(t, `c from \d+ PB constraints \(\d+ reading a unary integer\): \d+ clauses, \d+ BDDs, \d+ totalizers, \d+ adder networks`, buf.String())
}

// TestWriteCNFPicosat solves written CNFs with picosat, an external SAT
// solver, and maps the models it prints back to equilibria.
func TestWriteCNFPicosat(t *testing.T) {
	picosat := testtool.Need(t, "picosat")
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(36, 1))
	sat := 0
	for i := range 40 {
		g := anyGame(rng)
		p := &solvers.Problem{Game: g}
		path := filepath.Join(dir, fmt.Sprintf("g%d.cnf", i))
		var buf bytes.Buffer
		require.NoError(t, encodings.WriteCNF(&buf, g))
		require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
		out, err := exec.Command(picosat, path).Output()
		var ee *exec.ExitError
		require.True(t, errors.As(err, &ee), "picosat: %v\n%s", err, out)
		want, err := enum.Solver{}.Solve(context.Background(), p, solvers.Options{})
		require.NoError(t, err)
		require.Equal(t, map[bool]int{true: 10, false: 20}[want.Answer == solvers.Found], ee.ExitCode(), "%s", out)
		if ee.ExitCode() != 10 {
			continue
		}
		sat++
		var model []bool
		for _, line := range strings.Split(string(out), "\n") {
			if rest, ok := strings.CutPrefix(line, "v "); ok {
				for _, f := range strings.Fields(rest) {
					l, err := strconv.Atoi(f)
					require.NoError(t, err)
					if l == 0 {
						continue
					}
					for len(model) < encodings.Abs(l) {
						model = append(model, false)
					}
					model[encodings.Abs(l)-1] = l > 0
				}
			}
		}
		_, profile, err := encodings.EncodeCNF(context.Background(), g)
		require.NoError(t, err)
		require.NoError(t, verify.Profile(p, profile(model)), "picosat's model %v", model)
	}
	assert.Positive(t, sat)
	assert.Less(t, sat, 40)
}

func TestEncodeCNFRefuses(t *testing.T) {
	b := game.Bound / 2
	g, err := game.New(nil, [][]int64{{b, -b}, {b, 1}}, []int64{0, 0})
	require.NoError(t, err)
	_, _, err = encodings.EncodeCNF(context.Background(), g)
	require.Error(t, err)
	assert.True(t, solvers.IsRefused(err), "%v", err)
	assert.True(t, solvers.IsRefused(encodings.WriteCNF(&discard{}, g)))
	_, _, err = encodings.EncodeOPB(context.Background(), g)
	assert.True(t, solvers.IsRefused(err), "%v", err)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err = encodings.EncodeCNF(ctx, randomGame(rand.New(rand.NewPCG(1, 1)), 4, 3))
	assert.ErrorIs(t, err, context.Canceled)
	_, _, err = encodings.EncodeOPB(ctx, randomGame(rand.New(rand.NewPCG(1, 1)), 4, 3))
	assert.ErrorIs(t, err, context.Canceled)
}

// games returns n, or a fifth of it under the race detector, which makes
// these sequential tests ten times slower.
// games is how many random games a long randomized test decides: n, a
// fifth under the race detector or with -short.
func games(n int) int {
	if raceEnabled || testing.Short() {
		return n / 5
	}
	return n
}

func envInt(t *testing.T, name string, def int) int {
	if v := os.Getenv(name); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(t, err, name)
		return n
	}
	return def
}

// BenchmarkEncodeCNF encodes the game of a random 3-SAT formula with 50
// variables at ratio 4.26 as CNF.
func BenchmarkEncodeCNF(b *testing.B) {
	f, _, err := instances.Spec{N: 50, M: instances.ClausesForRatio(50, 4.26), K: 3, Seed: 1}.Generate()
	require.NoError(b, err)
	g := problemOf(b, f).Game
	var cnf *instances.CNF
	for b.Loop() {
		cnf, _, err = encodings.EncodeCNF(context.Background(), g)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(cnf.Clauses)), "clauses/op")
	b.ReportMetric(float64(cnf.Vars), "vars/op")
}
