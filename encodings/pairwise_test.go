package encodings_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/crillab/gophersat/solver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/encodings"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/enum"
	"github.com/nashbench/nashbench/solvers/gophersat"
	"github.com/nashbench/nashbench/verify"
)

// familyGame draws a game of one of the generated families (race,
// uniform, ring) with 3..10 players, from rng.
func familyGame(t testing.TB, rng *rand.Rand) *game.Game {
	fams := instances.GameFamilies()
	spec := instances.GameSpec{Family: fams[rng.IntN(len(fams))], Players: 3 + rng.IntN(8), Seed: rng.Uint64(), Index: rng.IntN(1000)}
	g, err := spec.Generate()
	require.NoError(t, err)
	return g
}

// pairwiseGame draws a game for the pairwise tests: the generated families
// half of the time, else anyGame's (small, wide and mixed entries, null
// players, zero deltas, ties).
func pairwiseGame(t testing.TB, rng *rand.Rand) *game.Game {
	if rng.IntN(2) == 0 {
		return familyGame(t, rng)
	}
	return anyGame(rng)
}

// checkPairwise solves p with gophersat-pairwise in-process and compares
// with enum, deciding and (with count) counting and listing.
func checkPairwise(t *testing.T, p *solvers.Problem, count bool) solvers.Answer {
	t.Helper()
	opt := solvers.Options{Count: count, List: 4}
	want, err := enum.Solver{}.Solve(context.Background(), p, opt)
	require.NoError(t, err)
	got, err := gophersat.Pairwise{}.Solve(context.Background(), p, opt)
	require.NoError(t, err)
	require.Equal(t, want.Answer, got.Answer, "game %v", p.Game)
	require.NoError(t, verify.Result(p, got), "game %v", p.Game)
	if count {
		require.True(t, got.Counted)
		require.Equal(t, want.Count, got.Count, "game %v", p.Game)
		assert.Len(t, got.Listed, int(min(want.Count, 4)))
	}
	return got.Answer
}

// TestPairwiseAgainstEnum decides and counts random games of every kind
// with gophersat-pairwise and compares with enum, with the encoding's
// variants: the witness-bound rows, and weights split into digits (a
// degree limit of 16).
func TestPairwiseAgainstEnum(t *testing.T) {
	for _, v := range []struct {
		name   string
		ub     bool
		degree int64
		n      int
	}{{"default", false, 1 << 16, 5000}, {"ub-rows", true, 1 << 16, 1000}, {"digits", false, 16, 1000}} {
		t.Run(v.name, func(t *testing.T) {
			encodings.WithPairwise(t, v.ub, true, 0)
			encodings.WithVariant(t, 1024, true, true, 12, v.degree, false)
			rng := rand.New(rand.NewPCG(71, uint64(len(v.name))))
			var answers [3]int
			for it := range games(v.n) {
				g := pairwiseGame(t, rng)
				answers[checkPairwise(t, &solvers.Problem{Game: g}, it%3 == 0)]++
			}
			t.Logf("answers (unknown, found, none): %v", answers)
			assert.Positive(t, answers[solvers.Found])
			assert.Positive(t, answers[solvers.None])
		})
	}
}

// TestPairwiseReductionGames: on reduction games (corrected: every
// player's condition is left to the cap rows) the pairwise encoding is
// gophersat-pb's, constraint for constraint, and so are its OPB and CNF
// files, byte for byte; on literal ones (free players) answers agree with
// enum.
func TestPairwiseReductionGames(t *testing.T) {
	rng := rand.New(rand.NewPCG(72, 1))
	for n := 3; n <= 16; n++ {
		f, err := instances.RandomKSAT(rng, n, instances.ClausesForRatio(n, 4.26), 3)
		require.NoError(t, err)
		p := problemOf(t, f)
		x, err := encodings.EncodePB(p.Game)
		require.NoError(t, err)
		y, err := encodings.EncodePBPairwise(p.Game)
		require.NoError(t, err)
		assert.Equal(t, x.Problem(), y.Problem(), "n=%d", n)
		v1, c1, s1 := x.Size()
		v2, c2, s2 := y.Size()
		assert.Equal(t, [3]int{v1, c1, s1}, [3]int{v2, c2, s2})
		var a, b bytes.Buffer
		require.NoError(t, encodings.WriteOPB(&a, p.Game))
		require.NoError(t, encodings.WriteOPBPairwise(&b, p.Game))
		assert.Equal(t, a.String(), b.String())
		a.Reset()
		b.Reset()
		require.NoError(t, encodings.WriteCNF(&a, p.Game))
		require.NoError(t, encodings.WriteCNFPairwise(&b, p.Game))
		assert.Equal(t, a.String(), b.String())
		if n <= 10 {
			checkPairwise(t, p, true)
			g, _, err := reduction.Reduce(f, reduction.Literal)
			require.NoError(t, err)
			checkPairwise(t, &solvers.Problem{Game: g}, false)
		}
	}
}

// checkPairwiseCNF encodes g as the pairwise CNF and compares its models,
// projected onto the actions and mapped to profiles, with enum's list of
// equilibria (every free player's action in both ways).
func checkPairwiseCNF(t *testing.T, g *game.Game) bool {
	t.Helper()
	p := &solvers.Problem{Game: g}
	f, profile, err := encodings.EncodeCNFPairwise(context.Background(), g)
	require.NoError(t, err)
	require.NoError(t, f.Validate())
	k := g.Players()
	want, err := enum.Solver{}.Solve(context.Background(), p, solvers.Options{Count: true, List: 1 << k})
	require.NoError(t, err)
	models := cnfModels(f, actionCount(g), true)
	got := map[string]bool{}
	for _, m := range models {
		a := profile(m)
		require.NoError(t, verify.Profile(p, a), "model %v, game %v", m, g)
		for _, b := range solvers.ExpandFree([][]bool{a}, solvers.FreePlayers(g), 1<<k) {
			got[profileKey(b)] = true
		}
	}
	wantSet := map[string]bool{}
	for _, a := range want.Listed {
		wantSet[profileKey(a)] = true
	}
	require.Equal(t, wantSet, got, "game %v", g)
	return len(models) > 0
}

// TestPairwiseCNF: the pairwise CNF's models are exactly the non-trivial
// equilibria, with each pair's comparisons translated together or each on
// its own, and with every translation forced.
func TestPairwiseCNF(t *testing.T) {
	for _, tt := range []struct {
		group bool
		force string
		n     int
	}{{true, "", 1500}, {false, "", 500}, {true, "bdd", 300}, {true, "adder", 300}, {true, "totalizer", 300}} {
		t.Run(fmt.Sprintf("group=%v/%s", tt.group, tt.force), func(t *testing.T) {
			encodings.WithPairwise(t, false, tt.group, 0)
			if tt.force != "" {
				encodings.WithEncoding(t, tt.force, true)
			}
			rng := rand.New(rand.NewPCG(73, uint64(len(tt.force))))
			sat := 0
			for range games(tt.n) {
				g := pairwiseGame(t, rng)
				if g.Players() > 9 {
					continue // listing 2^k profiles from the models
				}
				if checkPairwiseCNF(t, g) {
					sat++
				}
			}
			assert.Positive(t, sat)
		})
	}
}

// TestPairwiseOPB writes the pairwise OPB, reads it back with gophersat's
// parser and solves it: satisfiable iff enum finds a non-trivial
// equilibrium, a model mapping to one; the header counts the lines.
func TestPairwiseOPB(t *testing.T) {
	rng := rand.New(rand.NewPCG(74, 1))
	for range games(1000) {
		g := pairwiseGame(t, rng)
		write, profile, err := encodings.EncodeOPBPairwise(context.Background(), g)
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, write(&buf))
		text := buf.String()
		var nv, nc int
		_, err = fmt.Sscanf(text, "* #variable= %d #constraint= %d", &nv, &nc)
		require.NoError(t, err, text)
		lines := 0
		for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
			if !strings.HasPrefix(l, "*") {
				lines++
			}
		}
		if nv > 0 {
			assert.Equal(t, nc, lines)
		}
		p := &solvers.Problem{Game: g}
		want, err := enum.Solver{}.Solve(context.Background(), p, solvers.Options{})
		require.NoError(t, err)
		pb, err := solver.ParseOPB(strings.NewReader(text))
		if err != nil {
			// gophersat's parser panics or errs on some trivial files (see
			// docs): those are the ones propagation decided.
			require.Contains(t, text, "#variable= 1 #constraint= 1", "%v", err)
			require.Equal(t, solvers.None, want.Answer)
			continue
		}
		s := solver.New(pb)
		status := s.Solve()
		require.Equal(t, want.Answer == solvers.Found, status == solver.Sat, "game %v\n%s", g, text)
		if status == solver.Sat {
			require.NoError(t, verify.Profile(p, profile(s.Model())))
		}
	}
}

// TestPairwiseRefusesLarge: beyond maxPairwiseTerms the encoding refuses,
// naming gophersat-pb, and gophersat-pairwise passes the refusal on.
func TestPairwiseRefusesLarge(t *testing.T) {
	encodings.WithPairwise(t, false, true, 100)
	g, err := instances.GameSpec{Family: instances.FamilyUniform, Players: 12, Seed: 1}.Generate()
	require.NoError(t, err)
	_, err = encodings.EncodePBPairwise(g)
	require.Error(t, err)
	assert.True(t, solvers.IsRefused(err), "%v", err)
	assert.Contains(t, err.Error(), "gophersat-pb")
	_, _, err = encodings.EncodeCNFPairwise(context.Background(), g)
	assert.True(t, solvers.IsRefused(err), "%v", err)
	_, err = gophersat.Pairwise{}.Solve(context.Background(), &solvers.Problem{Game: g}, solvers.Options{})
	assert.True(t, solvers.IsRefused(err), "%v", err)
}

// TestPairwiseHasNoIntegers: on race games, where gophersat-pb's encoding
// holds unary integers of hundreds of variables, the pairwise one has the
// actions and one selector per witness, and every weight is at most
// twice the largest entry.
func TestPairwiseHasNoIntegers(t *testing.T) {
	for i := range 3 {
		g, err := instances.GameSpec{Family: instances.FamilyRace, Players: 16, Seed: 1, Index: i}.Generate()
		require.NoError(t, err)
		x, err := encodings.EncodePB(g)
		require.NoError(t, err)
		y, err := encodings.EncodePBPairwise(g)
		require.NoError(t, err)
		v1, _, _ := x.Size()
		v2, _, _ := y.Size()
		assert.Less(t, v2, 16+16*16, "actions and selectors only")
		assert.Less(t, v2*4, v1)
		pr := y.Problem()
		for _, c := range pr.Constraints {
			for _, w := range c.W {
				assert.LessOrEqual(t, w, int64(2*1000))
			}
		}
	}
}
