// Package mip decides non-trivial pure equilibria with mixed-integer programs
// solved by HiGHS (package highs): the paper's Theorem 2 with constraint (N)
// corrected ("paper"), as printed ("paper-printed", for tests only: it is
// wrong), and a much smaller and stronger formulation ("compact"). It also
// writes any of them in CPLEX LP format for external solvers.
//
// Every formulation is built from the game alone (never from a formula), has
// integer coefficients only, and refuses games whose numbers cannot be
// represented exactly in float64 (see maxExact).
//
// Before building, the game is normalized exactly: every d_j is moved by a
// common constant (which changes no u_i) so that progress is centred on 0,
// and every entry is divided by the gcd of the payoffs (which divides every
// u_i by the same positive number). Neither changes which profiles are
// equilibria.
//
// Exact coefficients are not enough: HiGHS works in floating point with
// absolute tolerances (1e-6 on integrality, 1e-7 on rows), so once the
// numbers are large against the unit step of integer payoffs it calls
// feasible models infeasible (a wrong no-pne) or accepts profiles that are
// not equilibria (an error, since every witness is checked). Measured on
// random games against exhaustive checking, the first failures came at a
// progress spread (Spread: max mu - min mu over all profiles, after
// normalizing) of about 2^23 for both formulations; tighter HiGHS
// tolerances and presolve off moved that by less than a factor of two. So
// the solvers refuse (solvers.RefusedError) games whose normalized spread
// exceeds CompactRange (highs-compact) or PaperRange (highs-paper), 2^18
// each: highs-compact and highs-paper decide exactly or not at all. A game
// beyond the limit is first tried with each column's median subtracted
// (shiftColumns), which is exact too. ExportLP applies no such limit.
package mip

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/highs"
	"github.com/nashbench/nashbench/solvers"
)

// maxExact is the largest magnitude a coefficient, bound or row activity of
// a model may reach: every integer up to 2^53 is exact in float64, so HiGHS
// compares the game's integer payoffs exactly. Larger games are refused.
const maxExact = int64(1) << 53

// ErrTooLarge is wrapped by the error returned for games whose numbers
// exceed maxExact.
var ErrTooLarge error = &solvers.RefusedError{Reason: "payoffs too large for exact float64 arithmetic (beyond 2^53)"}

// Formulation is a MIP whose feasible points are the game's non-trivial pure
// equilibria (projected on the action columns), with names for LP export and
// what is needed to map a solution back to a profile.
type Formulation struct {
	Name  string // "paper", "paper-printed" or "compact"
	Model *highs.Model
	// Cols and Rows name every column and row (valid CPLEX LP names).
	Cols, Rows []string

	k      int
	action []int  // per player: the column of a_i, or -1 when fixed
	fixed  []bool // per player: the action of a player with no column
	// free lists the null players with delta = 0 that the model fixes
	// closed: either action of theirs is a best response and changes no
	// one's payoff, so the decoded witness opens one of them when it would
	// otherwise be all-closed.
	free     []int
	anyFixed bool // some player is fixed open
}

// Players returns the number of players of the game the model was built for.
func (f *Formulation) Players() int { return f.k }

// Decode maps column values (HiGHS's ColValues) to a profile of the game:
// a column's action is open when its value exceeds 1/2, fixed players take
// their fixed action, and when that profile is all-closed a free player (a
// null player with delta = 0) is opened, if there is one.
func (f *Formulation) Decode(x []float64) []bool {
	a := f.raw(x)
	if !game.NonTrivial(a) && len(f.free) > 0 {
		a[f.free[0]] = true
	}
	return a
}

func (f *Formulation) raw(x []float64) []bool {
	a := make([]bool, f.k)
	for i, c := range f.action {
		if c < 0 {
			a[i] = f.fixed[i]
		} else {
			a[i] = x[c] > 0.5
		}
	}
	return a
}

// exclude adds the no-good row that cuts off the action columns' values of
// a (the fixed and free players are not columns): at least one action
// column must differ from a.
func (f *Formulation) exclude(a []bool) {
	m := f.Model
	r := len(m.RowLower)
	lo := 1.0
	for i, c := range f.action {
		if c < 0 {
			continue
		}
		if a[i] {
			m.ConstMatrix = append(m.ConstMatrix, highs.Nonzero{Row: r, Col: c, Val: -1})
			lo--
		} else {
			m.ConstMatrix = append(m.ConstMatrix, highs.Nonzero{Row: r, Col: c, Val: 1})
		}
	}
	m.RowLower = append(m.RowLower, lo)
	m.RowUpper = append(m.RowUpper, math.Inf(1))
	f.Rows = append(f.Rows, fmt.Sprintf("nogood%d", r))
}

// actionColumns reports how many players have a column.
func (f *Formulation) actionColumns() int {
	n := 0
	for _, c := range f.action {
		if c >= 0 {
			n++
		}
	}
	return n
}

// modelCounts counts a model's integer columns, rows and constraint nonzeros.
func modelCounts(m *highs.Model) (binaries, rows, nonzeros int) {
	for _, t := range m.VarTypes {
		if t == highs.Integer {
			binaries++
		}
	}
	for _, e := range m.ConstMatrix {
		if e.Val != 0 {
			nonzeros++
		}
	}
	return binaries, len(m.RowLower), nonzeros
}

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

// Ranges of exact decisions: HiGHS works in floating point with absolute
// tolerances, so once the numbers of a model are large against the unit
// step of integer payoffs it can call a feasible model infeasible or accept
// a profile that is not an equilibrium, long before 2^53. The limits below
// are on Spread of the normalized game and were chosen from a differential
// test against exhaustive checking (TestMeasureRange, over thousands of
// scaled random games; TestDecidesExactlyOrRefuses keeps checking them)
// with a margin of 2^5 below the least spread at which any wrong answer or
// rejected witness was seen.
const (
	// CompactRange bounds the progress spread highs-compact accepts: the
	// least spread at which it ever failed was in [2^22, 2^23) (scaled
	// random games of 2 to 8 players), at least 2^5 above.
	CompactRange = int64(1) << 17
	// PaperRange bounds the progress spread highs-paper accepts: it failed
	// from [2^20, 2^21) on games with large column offsets (before
	// shiftColumns removed those) and from 2^24 on others (2 to 6 players),
	// at least 2^5 above.
	PaperRange = int64(1) << 15
)

// fit returns the game a solver builds its model from, and that game's
// progress spread: g normalized, or, when its spread exceeds limit, g with
// each column's median subtracted and normalized again, if that brings the
// spread within limit (see shiftColumns). Only games beyond the limit are
// shifted, because a shift can hide structure the compact model uses, such
// as null players and players whose progress no one moves.
func fit(g *game.Game, limit int64) (*game.Game, int64, error) {
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

// inRange returns the game to build solver's model from (see fit), or a
// refusal when its progress spread exceeds limit.
func inRange(g *game.Game, solver string, limit int64) (*game.Game, error) {
	if err := matrixSized(g); err != nil {
		return nil, err
	}
	n, s, err := fit(g, limit)
	if errors.Is(err, ErrTooLarge) {
		// Far beyond the limit: say so in its terms.
		s = Spread(g)
		if m, err := normalize(g); err == nil {
			s = Spread(m)
		}
	} else if err != nil {
		return nil, err
	}
	if s > limit {
		return nil, solvers.Refuse("%s decides exactly only while the progress spread (max mu - min mu over all profiles, after dividing out the gcd of the payoffs) stays within 2^%d (this game: %d, about 2^%.1f); use enum or gophersat-pb",
			solver, bits.Len64(uint64(limit))-1, s, math.Log2(float64(s)))
	}
	return n, nil
}
