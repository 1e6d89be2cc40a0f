package mip

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/encodings/lp"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/verify"
)

func init() {
	// TestMeasureRange measures these formulations too, with
	// -range.forms pairwise,top2.
	limits["pairwise"] = PairwiseRange
	limits["top2"] = Top2Range
}

// newForms are the formulations of pairwise.go and top2.go.
var newForms = []string{"pairwise", "top2"}

// familyGame draws a generated game (race, uniform or ring) of 3 to 9
// players.
func familyGame(t testing.TB, rng *rand.Rand) *game.Game {
	fams := instances.GameFamilies()
	g, err := instances.GameSpec{Family: fams[rng.IntN(len(fams))], Players: 3 + rng.IntN(7), Seed: rng.Uint64(), Index: rng.IntN(100)}.Generate()
	require.NoError(t, err)
	return g
}

// highs-pairwise and highs-top2 decide and count what enumeration does,
// on random small games of every kind of this package's tests and of the
// generated families (-short: a quarter).
func TestPairwiseMatchesEnum(t *testing.T) {
	t.Parallel()
	games := 60
	if testing.Short() {
		games = 15
	}
	all := append(testgen.Kinds[:len(testgen.Kinds):len(testgen.Kinds)], testgen.Kind{Name: "families", Draw: func(rng *rand.Rand) *game.Game { return familyGame(t, rng) }})
	for _, form := range newForms {
		s := solver(form)
		for q, kind := range all {
			t.Run(form+"/"+kind.Name, func(t *testing.T) {
				rng := rand.New(rand.NewPCG(uint64(q), 41))
				for n := range games {
					g := kind.Draw(rng)
					check(t, s, &solvers.Problem{Game: g}, n%3 == 0, fmt.Sprintf("game %d: %v", n, g))
				}
			})
		}
	}
}

// On reduction games the pairwise and top-two models are the compact one
// (every player's condition is left to the cap rows), and their answers
// agree with enum under both reductions.
func TestPairwiseReductionGames(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(42, 1))
	for n := range 20 {
		vars := 1 + rng.IntN(8)
		f := testgen.Formula(rng, vars, 1+rng.IntN(4*vars))
		for _, v := range []reduction.Variant{reduction.Corrected, reduction.Literal} {
			p, err := solvers.FromFormula(f, v)
			require.NoError(t, err)
			for _, form := range newForms {
				if v == reduction.Corrected {
					a, err := builders["compact"](p.Game)
					require.NoError(t, err)
					b, err := builders[form](p.Game)
					require.NoError(t, err)
					assert.Equal(t, a.Model, b.Model, "%s formula %d", form, n)
					assert.Equal(t, a.Rows, b.Rows)
				}
				if n < 8 {
					check(t, solver(form), p, n%2 == 0, fmt.Sprintf("%s formula %d %v", form, n, v))
				}
			}
		}
	}
}

// The pairwise and top-two models decide exactly within their ranges and
// refuse beyond them, on the scaled games of TestDecidesExactlyOrRefuses.
func TestPairwiseDecidesExactlyOrRefuses(t *testing.T) {
	t.Parallel()
	games := 2
	if testing.Short() {
		games = 1
	}
	for _, form := range newForms {
		t.Run(form, func(t *testing.T) {
			s, limit := solver(form), limits[form]
			m := uint(log2(limit))
			var near, beyond int
			for b := m - 8; b <= m+2; b++ {
				for q := range testgen.ScaledKinds {
					for n := range games {
						g, what := testgen.DrawScaled(q, 2000+n, b, 7)
						spread := normSpread(t, g, limit)
						p := &solvers.Problem{Game: g}
						r, err := s.Solve(context.Background(), p, solvers.Options{})
						if spread > limit {
							require.True(t, solvers.IsRefused(err), "spread %d beyond the limit not refused: %v (%s)", spread, err, what)
							assert.Contains(t, err.Error(), "highs-"+form, what)
							beyond++
							continue
						}
						require.NoError(t, err, what)
						require.Equal(t, bruteForce(t, g), r.Answer, "spread %d (%s)", spread, what)
						require.NoError(t, verify.Result(p, r), what)
						if spread > limit>>4 {
							near++
						}
					}
				}
			}
			assert.Positive(t, near)
			assert.Positive(t, beyond)
		})
	}
}

// The pairwise model of an AI-race game has one binary per action and per
// witness and no continuous column; the top-two one adds T, S and the
// leaders. Both export as LP text and are registered.
func TestPairwiseModel(t *testing.T) {
	g, err := instances.GameSpec{Family: instances.FamilyRace, Players: 12, Seed: 1}.Generate()
	require.NoError(t, err)
	c, err := builders["compact"](g)
	require.NoError(t, err)
	cb, crows, cnz := modelCounts(c.Model)
	t.Logf("race k=12: compact %d binaries, %d columns, %d rows, %d nonzeros", cb, len(c.Model.ColCosts), crows, cnz)
	for _, form := range newForms {
		f, err := builders[form](g)
		require.NoError(t, err)
		assert.Equal(t, form, f.Name)
		bin, rows, nz := modelCounts(f.Model)
		t.Logf("race k=12: %s %d binaries, %d columns, %d rows, %d nonzeros", form, bin, len(f.Model.ColCosts), rows, nz)
		if form == "pairwise" {
			assert.Equal(t, len(f.Model.ColCosts), bin, "binaries only")
		} else {
			assert.Equal(t, len(f.Model.ColCosts), bin+2, "binaries, T and S")
			assert.Contains(t, f.Cols, "T")
			assert.Contains(t, f.Cols, "S")
		}
		var buf bytes.Buffer
		require.NoError(t, lp.Export(&buf, g, form))
		assert.Contains(t, buf.String(), " s1_")
		r, err := solvers.New("highs-" + form)
		require.NoError(t, err)
		assert.IsType(t, &Solver{}, r)
	}
}
