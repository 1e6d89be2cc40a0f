package lp

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/highs"
	"github.com/nashbench/nashbench/solvers"
)

// term is one coefficient of a row being built.
type term struct {
	col int
	val int64
}

// builder assembles a model from integer data, checking that every number
// and every row's largest possible activity stays within maxExact.
type builder struct {
	m          highs.Model
	cols, rows []string
	absMax     []int64 // per column: max |x| over its bounds
	err        error
	stop       stopper // see limits.go
}

func newBuilder(ctx context.Context, name string) *builder {
	return &builder{stop: newStopper(ctx, name)}
}

func (b *builder) fail(format string, args ...any) {
	if b.err == nil {
		b.err = fmt.Errorf("mip: "+format, args...)
	}
}

func exact(v int64) bool { return v <= maxExact && v >= -maxExact }

// col adds a column with integer bounds lo..hi.
func (b *builder) col(name string, lo, hi int64, integer bool) int {
	if !exact(lo) || !exact(hi) {
		b.fail("bounds %d..%d of %s: %w", lo, hi, name, ErrTooLarge)
	}
	j := len(b.cols)
	b.cols = append(b.cols, name)
	b.m.ColCosts = append(b.m.ColCosts, 0)
	b.m.ColLower = append(b.m.ColLower, float64(lo))
	b.m.ColUpper = append(b.m.ColUpper, float64(hi))
	t := highs.Continuous
	if integer {
		t = highs.Integer
	}
	b.m.VarTypes = append(b.m.VarTypes, t)
	b.absMax = append(b.absMax, max(abs(lo), abs(hi)))
	return j
}

// row adds lo <= sum terms <= hi; noLo and noHi drop a side.
func (b *builder) row(name string, lo, hi int64, noLo, noHi bool, terms []term) int {
	b.stop.tick(len(b.cols), len(b.rows), len(b.m.ConstMatrix))
	r := len(b.rows)
	b.rows = append(b.rows, name)
	fl, fh := float64(lo), float64(hi)
	if noLo {
		fl = math.Inf(-1)
	} else if !exact(lo) {
		b.fail("right-hand side %d of row %s: %w", lo, name, ErrTooLarge)
	}
	if noHi {
		fh = math.Inf(1)
	} else if !exact(hi) {
		b.fail("right-hand side %d of row %s: %w", hi, name, ErrTooLarge)
	}
	b.m.RowLower = append(b.m.RowLower, fl)
	b.m.RowUpper = append(b.m.RowUpper, fh)
	var act int64 // saturates at 2^62, well past maxExact
	for _, t := range terms {
		if t.val == 0 {
			continue
		}
		if !exact(t.val) {
			b.fail("coefficient %d in row %s: %w", t.val, name, ErrTooLarge)
			continue
		}
		act = satAdd(act, satMul(abs(t.val), b.absMax[t.col]))
		b.m.ConstMatrix = append(b.m.ConstMatrix, highs.Nonzero{Row: r, Col: t.col, Val: float64(t.val)})
	}
	if act > maxExact {
		b.fail("row %s can reach %d in magnitude: %w", name, act, ErrTooLarge)
	}
	return r
}

func (b *builder) le(name string, hi int64, terms ...term) int {
	return b.row(name, 0, hi, true, false, terms)
}
func (b *builder) ge(name string, lo int64, terms ...term) int {
	return b.row(name, lo, 0, false, true, terms)
}
func (b *builder) eq(name string, v int64, terms ...term) int {
	return b.row(name, v, v, false, false, terms)
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

const sat = int64(1) << 62

// satAdd adds two values in [-2^62, 2^62], saturating there.
func satAdd(x, y int64) int64 {
	return min(max(x+y, -sat), sat)
}

// satMul multiplies two non-negative values, saturating at 2^62.
func satMul(x, y int64) int64 {
	if x == 0 || y == 0 {
		return 0
	}
	if x > sat/y {
		return sat
	}
	return x * y
}

// checkGame returns the game every model is built from: g normalized (see
// normalize), after refusing games whose progress can leave ±maxExact,
// since every model built from one has coefficients and bounds derived
// from these numbers.
func checkGame(g *game.Game) (*game.Game, error) {
	if err := matrixSized(g); err != nil {
		return nil, err
	}
	n, err := normalize(g)
	if err != nil {
		return nil, err
	}
	lo, hi := n.MuBounds()
	for i := range lo {
		if !exact(lo[i]) || !exact(hi[i]) || !exact(n.Base(i)) {
			return nil, fmt.Errorf("mip: player %s's progress ranges over %d..%d: %w", g.Name(i), lo[i], hi[i], ErrTooLarge)
		}
		for j, v := range n.Row(i, nil) {
			if !exact(v) {
				return nil, fmt.Errorf("mip: D[%d][%d] = %d: %w", i, j, v, ErrTooLarge)
			}
		}
	}
	return n, nil
}

// normalize is game.Normalize, its failure stated as ErrTooLarge.
func normalize(g *game.Game) (*game.Game, error) {
	n, err := game.Normalize(g)
	if err != nil {
		return nil, fmt.Errorf("mip: normalizing: %v: %w", err, ErrTooLarge)
	}
	return n, nil
}

// Spread is the progress spread of g, max_j max mu_j - min_j min mu_j over
// all profiles: every number in the models is a difference of progress
// values, a progress value within ±Spread of the middle, or a big-M or
// selector weight bounded by a small multiple of it. It saturates at 2^62.
func Spread(g *game.Game) int64 {
	lo, hi := g.MuBounds()
	return min(slices.Max(hi)-slices.Min(lo), sat)
}

// Fit returns the game a solver with the given range limit builds its
// model from, and that game's progress spread (Spread): g normalized, or,
// when its spread exceeds limit, g with each column's median subtracted
// and normalized again, if that brings the spread down (see
// shiftColumns). Only games beyond the limit are shifted, because a shift
// can hide structure the compact model uses, such as null players and
// players whose progress no one moves. Its errors are those of Build:
// games of more than game.MaxPlayers players are refused, and games whose
// numbers exceed 2^53 give ErrTooLarge.
func Fit(g *game.Game, limit int64) (*game.Game, int64, error) {
	n, err := checkGame(g)
	if err != nil {
		return nil, 0, err
	}
	s := Spread(n)
	if s <= limit {
		return n, s, nil
	}
	if c, err := shiftColumns(n); err == nil {
		if m, err := checkGame(c); err == nil && Spread(m) < s {
			return m, Spread(m), nil
		}
	}
	return n, s, nil
}

// shiftColumns returns g with, for each player p that is not null, the
// median of column p of D subtracted from every entry of that column
// (D[p][p] included). That adds the same c_p a_p to every mu_j, which moves
// every max of progress by as much as each mu_i, so no u_i changes.
func shiftColumns(g *game.Game) (*game.Game, error) {
	k := g.Players()
	D, d := g.Matrix()
	col := make([]int64, k)
	for p := range k {
		if g.Null(p) {
			continue
		}
		for j := range k {
			col[j] = g.Entry(j, p)
		}
		slices.Sort(col)
		c := col[(k-1)/2]
		for j := range k {
			D[j][p] -= c
		}
	}
	return game.New(g.Names, D, d)
}

// matrixSized refuses games beyond a matrix game's size: both formulations
// read the k x k matrix and have O(k^2) rows, so building them would take
// the machine's memory before the time limit could stop it.
func matrixSized(g *game.Game) error {
	if k := g.Players(); k > game.MaxPlayers {
		return solvers.Refuse("mip: the game has %d players, more than %d, the most the MIP formulations take (they are built from its %d x %d matrix)", k, game.MaxPlayers, k, k)
	}
	return nil
}
