package encodings_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/crillab/gophersat/solver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/encodings"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/enum"
	"github.com/nashbench/nashbench/solvers/gophersat"
	"github.com/nashbench/nashbench/verify"
)

// checkOPB writes g as OPB, reads it back with gophersat's own parser and
// solves it: satisfiable iff enum and the in-process gophersat-pb find a
// non-trivial equilibrium, and a model's action variables form one.
func checkOPB(t *testing.T, g *game.Game) {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, encodings.WriteOPB(&buf, g))
	text := buf.String()

	// The header counts what follows.
	var nv, nc int
	_, err := fmt.Sscanf(text, "* #variable= %d #constraint= %d", &nv, &nc)
	require.NoError(t, err, text)
	lines := 0
	for _, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if !strings.HasPrefix(l, "*") {
			lines++
			assert.True(t, strings.HasSuffix(l, " ;"), l)
			assert.NotContains(t, l, "~", "positive variables only")
		}
	}
	if nv > 0 {
		assert.Equal(t, nc, lines)
	}

	p := &solvers.Problem{Game: g}
	want, err := enum.Solver{}.Solve(context.Background(), p, solvers.Options{})
	require.NoError(t, err)
	got, err := gophersat.PB{}.Solve(context.Background(), p, solvers.Options{})
	require.NoError(t, err)
	require.Equal(t, want.Answer, got.Answer)

	pb, err := solver.ParseOPB(strings.NewReader(text))
	require.NoError(t, err)
	s := solver.New(pb)
	status := s.Solve()
	var model []bool
	if status == solver.Sat {
		model = s.Model()
	}
	require.Equal(t, want.Answer == solvers.Found, status == solver.Sat, "game %v\n%s", g, text)
	if status == solver.Sat {
		// EncodeOPB writes the same text, and maps the model (in which
		// variables no constraint mentions are absent) to an equilibrium.
		write, profile, err := encodings.EncodeOPB(context.Background(), g)
		require.NoError(t, err)
		var again bytes.Buffer
		require.NoError(t, write(&again))
		require.Equal(t, text, again.String())
		require.NoError(t, verify.Profile(p, profile(model)), "the OPB model %v", model)
	}
}

func TestOPBRandomGames(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 2))
	for range 400 {
		checkOPB(t, randomGame(rng, 2+rng.IntN(7), 3))
	}
}

func TestOPBBinary(t *testing.T) {
	encodings.WithVariant(t, 0, true, true, 12, 1<<16, false)
	rng := rand.New(rand.NewPCG(22, 2))
	for range 100 {
		checkOPB(t, randomGame(rng, 2+rng.IntN(7), 3))
	}
}

func TestOPBReductionGames(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 2))
	for range 100 {
		n := 1 + rng.IntN(10)
		f := testgen.Formula(rng, n, rng.IntN(5*n))
		checkOPB(t, problemOf(t, f).Game)
	}
	for i := range 10 {
		f, _, err := instances.Spec{N: 12, M: 51, K: 3, Seed: 9, Index: i}.Generate()
		require.NoError(t, err)
		checkOPB(t, problemOf(t, f).Game)
	}
}

func TestOPBSmallCases(t *testing.T) {
	for _, tt := range []struct {
		name string
		D    [][]int64
		d    []int64
	}{
		{"all null closing", [][]int64{{-1, 0}, {0, -2}}, []int64{0, 0}},
		{"all null free", [][]int64{{0, 0}, {0, -2}}, []int64{0, 0}},
		{"all null opening", [][]int64{{1, 0}, {0, -2}}, []int64{0, 0}},
		{"two players", [][]int64{{1, 2}, {-1, 1}}, []int64{0, 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g, err := game.New(nil, tt.D, tt.d)
			require.NoError(t, err)
			checkOPB(t, g)
		})
	}
}

// TestOPBWideGames checks the OPB export of games with large payoffs: it
// decides like enum, and every weight in it is at most encodings.MaxDegree().
func TestOPBWideGames(t *testing.T) {
	rng := rand.New(rand.NewPCG(24, 2))
	for _, b := range []int{30, 50} {
		for range 30 {
			g := wideGame(rng, 2+rng.IntN(6), b)
			checkOPB(t, g)
			var buf bytes.Buffer
			require.NoError(t, encodings.WriteOPB(&buf, g))
			for _, l := range strings.Split(buf.String(), "\n") {
				if l == "" || strings.HasPrefix(l, "*") {
					continue
				}
				f := strings.Fields(l)
				for q := 0; q+1 < len(f) && f[q] != ">="; q += 2 {
					w, err := strconv.ParseInt(f[q], 10, 64)
					require.NoError(t, err, l)
					require.LessOrEqual(t, encodings.Abs64(w), encodings.MaxDegree(), l)
				}
			}
		}
	}
}
