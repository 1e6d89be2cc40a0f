package encodings_test

import (
	"context"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/encodings"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/gophersat"
	"github.com/nashbench/nashbench/verify"
)

// bruteForce returns the non-trivial equilibria of g, as bit masks, by
// checking all 2^k profiles with Lemma 1 (game.Check).
func bruteForce(t *testing.T, g *game.Game) map[uint64]bool {
	t.Helper()
	k := g.Players()
	eqs := map[uint64]bool{}
	for bits := uint64(1); bits < 1<<k; bits++ {
		_, ok, err := g.Check(testgen.Profile(bits, k))
		require.NoError(t, err)
		if ok {
			eqs[bits] = true
		}
	}
	return eqs
}

// wideGame draws a k-player game at magnitude 2^b, in one of several
// styles: uniform entries in [-2^b, 2^b]; mixed (each entry small or
// large); ties (entries drawn from a few large values, some nudged by 1);
// and a small game scaled by 2^b plus small noise. Some players are made
// null and some deltas zero, as in randomGame.
func wideGame(rng *rand.Rand, k, b int) *game.Game {
	big := int64(1) << b
	uniform := func() int64 { return rng.Int64N(2*big+1) - big }
	small := func() int64 { return rng.Int64N(7) - 3 }
	pool := []int64{uniform(), uniform(), uniform(), 0}
	style := rng.IntN(4)
	draw := func() int64 {
		switch style {
		case 0:
			return uniform()
		case 1:
			if rng.IntN(2) == 0 {
				return small()
			}
			return uniform()
		case 2:
			v := pool[rng.IntN(len(pool))]
			if rng.IntN(4) == 0 {
				v += rng.Int64N(3) - 1
			}
			return v
		default:
			return (rng.Int64N(7)-3)*(big/4) + rng.Int64N(3) - 1
		}
	}
	return drawGame(rng, k, draw)
}

// drawGame makes a k-player game whose entries draw draws, row by row
// (each player's row, then its base), then makes about one player in five
// null and one delta in six zero (see nullSome): the generators' common
// part.
func drawGame(rng *rand.Rand, k int, draw func() int64) *game.Game {
	D := make([][]int64, k)
	base := make([]int64, k)
	for i := range D {
		D[i] = make([]int64, k)
		for j := range D[i] {
			D[i][j] = draw()
		}
		base[i] = draw()
	}
	return nullSome(rng, D, base, 5, 6)
}

// nullSome makes each player null (its column zero off the diagonal) with
// chance 1/nulls and its delta zero with chance 1/zeros, and returns the
// game of D and base.
func nullSome(rng *rand.Rand, D [][]int64, base []int64, nulls, zeros int) *game.Game {
	for i := range D {
		if rng.IntN(nulls) == 0 {
			for j := range D {
				if j != i {
					D[j][i] = 0
				}
			}
		}
		if rng.IntN(zeros) == 0 {
			D[i][i] = 0
		}
	}
	g, err := game.New(nil, D, base)
	if err != nil {
		panic(err)
	}
	return g
}

// wrongAnswers tallies gophersat-pb's failures on a set of games.
type wrongAnswers struct {
	games, errors, answer, count, witness int
	first                                 string
}

func (w *wrongAnswers) total() int { return w.errors + w.answer + w.count + w.witness }

func (w *wrongAnswers) fail(kind *int, g *game.Game, format string, args ...any) {
	*kind++
	if w.first == "" {
		w.first = fmt.Sprintf(format, args...) + fmt.Sprintf(" (game %v)", g)
	}
}

// differential solves g with gophersat-pb, deciding and counting, and
// compares with the brute force: existence, count, and every witness and
// listed profile an equilibrium.
func (w *wrongAnswers) differential(t *testing.T, g *game.Game) {
	t.Helper()
	w.games++
	want := bruteForce(t, g)
	p := &solvers.Problem{Game: g}
	for _, count := range []bool{false, true} {
		opt := solvers.Options{Count: count, List: 1 << g.Players()}
		r, err := gophersat.PB{}.Solve(context.Background(), p, opt)
		if err != nil {
			w.fail(&w.errors, g, "count=%v: %v", count, err)
			return
		}
		if (r.Answer == solvers.Found) != (len(want) > 0) {
			w.fail(&w.answer, g, "count=%v: answer %v, brute force finds %d", count, r.Answer, len(want))
			return
		}
		if r.Answer == solvers.Found && !want[encodings.MaskOf(r.Witness)] {
			w.fail(&w.witness, g, "witness %v is no non-trivial equilibrium", r.Witness)
			return
		}
		if !count {
			continue
		}
		if r.Count != int64(len(want)) {
			w.fail(&w.count, g, "count %d, brute force %d", r.Count, len(want))
			return
		}
		for _, a := range r.Listed {
			if !want[encodings.MaskOf(a)] {
				w.fail(&w.witness, g, "listed %v is no non-trivial equilibrium", a)
				return
			}
		}
	}
}

// exactMagnitudes are the payoff magnitudes (log2) of the differential test.
var exactMagnitudes = []int{10, 20, 26, 30, 35, 40, 45, 50}

// TestPBExactWideRange compares gophersat-pb with a brute force on random
// games at payoffs up to 2^50: existence, counts and witnesses. The
// default size fits CI; NASHBENCH_PB_EXACT=N runs N games per magnitude.
func TestPBExactWideRange(t *testing.T) {
	n := 30
	if v := os.Getenv("NASHBENCH_PB_EXACT"); v != "" {
		var err error
		n, err = strconv.Atoi(v)
		require.NoError(t, err)
	}
	for _, b := range exactMagnitudes {
		t.Run(fmt.Sprintf("2^%d", b), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(b), 77))
			var w wrongAnswers
			for range n {
				w.differential(t, wideGame(rng, 2+rng.IntN(7), b))
			}
			t.Logf("2^%d: %d games, wrong: %d errors, %d answers, %d counts, %d witnesses", b, w.games, w.errors, w.answer, w.count, w.witness)
			assert.Zero(t, w.total(), "first: %s", w.first)
		})
	}
}

// TestPBMagnitudeBoundary solves games just inside the stated range
// exactly, and refuses those beyond it with a reason that states the
// range and the game's magnitude.
func TestPBMagnitudeBoundary(t *testing.T) {
	rng := rand.New(rand.NewPCG(57, 57))
	var w wrongAnswers
	for range 40 {
		// T <= (2k+5) 2^53 < 2^57 for k <= 5.
		w.differential(t, wideGame(rng, 2+rng.IntN(4), 53))
	}
	assert.Zero(t, w.total(), "first: %s", w.first)

	refused := 0
	for range 40 {
		g := wideGame(rng, 3+rng.IntN(4), 56)
		T, _ := encodings.Magnitude(g)
		_, err := gophersat.PB{}.Solve(context.Background(), &solvers.Problem{Game: g}, solvers.Options{})
		if T > encodings.MaxMagnitude && encodings.CheckRange(g) != nil {
			refused++
			require.Error(t, err)
			assert.True(t, solvers.IsRefused(err))
			assert.Contains(t, err.Error(), "up to 2^57")
			assert.Regexp(t, `magnitude is about 2\^5[7-9]\.\d`, err.Error())
			continue
		}
		w.differential(t, g)
	}
	assert.Positive(t, refused)
	assert.Zero(t, w.total(), "first: %s", w.first)
}

// TestPBNormalize checks games brought into range by normalization: a
// common factor, and a common offset of d.
func TestPBNormalize(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 58))
	for _, tt := range []struct {
		name          string
		factor, shift int64
	}{
		{"factor 2^55", 1 << 55, 0},
		{"factor 3 * 2^50", 3 << 50, 0},
		{"shift 2^60", 1, 1 << 60},
		{"shift -2^60 and factor 2^40", 1 << 40, -(1 << 60)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var w wrongAnswers
			for range 30 {
				k := 2 + rng.IntN(5)
				small := randomGame(rng, k, 3)
				D := make([][]int64, k)
				base := make([]int64, k)
				for i := range k {
					D[i] = make([]int64, k)
					for j := range k {
						D[i][j] = small.Entry(i, j) * tt.factor
					}
					base[i] = small.Base(i)*tt.factor + tt.shift
				}
				g, err := game.New(nil, D, base)
				require.NoError(t, err)
				w.differential(t, g)
			}
			assert.Zero(t, w.total(), "first: %s", w.first)
		})
	}
}

// TestPBExactManyPlayers compares gophersat-pb with enum (exact, and
// checked against brute force in its own package) on games of 9 to 12
// players at payoffs of 2^50 (random games of more players take seconds:
// for gophersat-pb they are hard at any magnitude above the unary range). Then 61 players at 2^50, the end of the
// stated range: random such games are within the range, and a reduction
// game scaled to 2^50 (with a null player that keeps the gcd at 1) has as
// many non-trivial equilibria as its formula has models.
func TestPBExactManyPlayers(t *testing.T) {
	rng := rand.New(rand.NewPCG(61, 50))
	for range 4 {
		g := wideGame(rng, 9+rng.IntN(4), 50)
		checkPB(t, &solvers.Problem{Game: g}, true)
	}
	for range 5 {
		require.NoError(t, encodings.CheckRange(wideGame(rng, 61, 50)))
	}

	f := testgen.Formula(rng, 12, 48)
	r := problemOf(t, f).Game
	k := r.Players() + 1
	require.Equal(t, 62, k)
	var top int64
	for l := range r.Players() {
		top = max(top, encodings.Abs64(r.Base(l)))
		for _, v := range r.Row(l, nil) {
			top = max(top, encodings.Abs64(v))
		}
	}
	scale := int64(1) << (50 - bits.Len64(uint64(top)))
	D := make([][]int64, k)
	base := make([]int64, k)
	for i := range k {
		D[i] = make([]int64, k)
		if i == k-1 {
			D[i][i] = -1
			base[i] = -(1 << 50) + 1
			continue
		}
		for j := range k - 1 {
			D[i][j] = r.Entry(i, j) * scale
		}
		base[i] = r.Base(i) * scale
	}
	g, err := game.New(nil, D, base)
	require.NoError(t, err)
	T, log2 := encodings.Magnitude(g)
	require.LessOrEqual(t, T, encodings.MaxMagnitude, "2^%.1f", log2)
	require.Greater(t, log2, 50.0)
	p := &solvers.Problem{Game: g}
	res, err := gophersat.PB{}.Solve(context.Background(), p, solvers.Options{Count: true})
	require.NoError(t, err)
	require.NoError(t, verify.Result(p, res))
	assert.Equal(t, bruteNonTrivial(f), res.Count)
	// Its conditions come down to the cap rows, which at any scale are
	// the formula's clauses: no large weight is left to split.
	assert.Zero(t, res.Stats["splits"])
}
