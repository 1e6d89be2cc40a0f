// Package lp holds the mixed-integer formulations of the question whether
// an open-or-closed-source game has a non-trivial pure equilibrium (Lemma
// 1 as a MIP), and writes them in CPLEX LP format: the paper's Theorem 2
// with constraint (N) corrected ("paper"), as printed ("paper-printed",
// for tests and comparison only: it is wrong), nashbench's much smaller
// and stronger "compact" model, the pairwise encoding of package
// encodings as a MIP ("pairwise") and the top-two model ("top2"). Package
// solvers/mip solves them with HiGHS, solvers/external hands them to cbc
// and glpsol, and `nashbench export` writes them (Export).
//
// Every formulation is built from the game alone (never from a formula), has
// integer coefficients only, and refuses games whose numbers cannot be
// represented exactly in float64 (ErrTooLarge).
//
// Before building, the game is normalized exactly: every d_j is moved by a
// common constant (which changes no u_i) so that progress is centred on 0,
// and every entry is divided by the gcd of the payoffs (which divides every
// u_i by the same positive number). Neither changes which profiles are
// equilibria. Fit may also subtract each column's median (shiftColumns),
// which is exact too.
//
// Build and Export apply no range limit beyond exactness: how far a
// floating-point solver decides a model exactly is the solver's matter
// (see solvers/mip's CompactRange and PaperRange).
package lp

import (
	"context"
	"fmt"
	"io"
	"math"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/highs"
	"github.com/nashbench/nashbench/solvers"
)

// maxExact is the largest magnitude a coefficient, bound or row activity of
// a model may reach: every integer up to 2^53 is exact in float64, so a
// solver compares the game's integer payoffs exactly. Larger games are
// refused.
const maxExact = int64(1) << 53

// ErrTooLarge is wrapped by the error returned for games whose numbers
// exceed 2^53.
var ErrTooLarge error = &solvers.RefusedError{Reason: "payoffs too large for exact float64 arithmetic (beyond 2^53)"}

// Formulation is a MIP whose feasible points are the game's non-trivial pure
// equilibria (projected on the action columns), with names for LP export and
// what is needed to map a solution back to a profile.
type Formulation struct {
	Name  string // "paper", "paper-printed", "compact", "pairwise" or "top2"
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
	a := f.Raw(x)
	if !game.NonTrivial(a) && len(f.free) > 0 {
		a[f.free[0]] = true
	}
	return a
}

// Raw is Decode without opening a free player: the profile of the action
// columns' values and the fixed players' actions.
func (f *Formulation) Raw(x []float64) []bool {
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

// Free returns the free players: the null players with delta = 0, which
// the model fixes closed (either action is a best response and changes no
// one's payoff). The caller must not modify the slice.
func (f *Formulation) Free() []int { return f.free }

// AnyFixed reports whether some null player is fixed open, so that every
// profile of the model is non-trivial.
func (f *Formulation) AnyFixed() bool { return f.anyFixed }

// ActionColumns reports how many players have a column.
func (f *Formulation) ActionColumns() int {
	n := 0
	for _, c := range f.action {
		if c >= 0 {
			n++
		}
	}
	return n
}

// Exclude adds the no-good row that cuts off the action columns' values of
// a (the fixed and free players are not columns): at least one action
// column must differ from a. Counting solvers call it after each
// equilibrium found.
func (f *Formulation) Exclude(a []bool) {
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

// Check is called every so often while a model is being built, with the
// formulation's name and the size of its model so far; an error stops the
// build and is returned by Build. Solvers use it to refuse models that
// outgrow their memory.
type Check func(name string, columns, rows, nonzeros int) error

// Build builds the named formulation ("compact", "paper",
// "paper-printed", "pairwise" or "top2") of g, normalized as the package
// says, with no range check but exactness (ErrTooLarge). It stops early
// when ctx ends, returning ctx.Err(), or when check (if not nil) returns
// an error, returning that error.
func Build(ctx context.Context, g *game.Game, name string, check Check) (*Formulation, error) {
	var build func(context.Context, *game.Game) (*Formulation, error)
	switch name {
	case "compact":
		build = func(ctx context.Context, g *game.Game) (*Formulation, error) {
			return compact(ctx, g, CompactOptions{})
		}
	case "paper":
		build = func(ctx context.Context, g *game.Game) (*Formulation, error) { return paper(ctx, g, false) }
	case "paper-printed":
		build = func(ctx context.Context, g *game.Game) (*Formulation, error) { return paper(ctx, g, true) }
	case "pairwise":
		build = pairwise
	case "top2":
		build = top2
	default:
		return nil, fmt.Errorf("mip: unknown formulation %q (have compact, paper, paper-printed)", name)
	}
	return buildWithin(ctx, check, build, g)
}

// BuildCompact builds the compact model of g with some of its parts
// switched off (see CompactOptions), stopping as Build does; with the zero
// CompactOptions it is Build's "compact".
func BuildCompact(ctx context.Context, g *game.Game, opt CompactOptions, check Check) (*Formulation, error) {
	return buildWithin(ctx, check, func(ctx context.Context, g *game.Game) (*Formulation, error) { return compact(ctx, g, opt) }, g)
}

// Export builds the named formulation of g as Build does and writes it in
// CPLEX LP format. Its feasible points are the game's non-trivial pure
// equilibria (for "compact": up to the null players it fixes). This is
// the writer behind `nashbench export --formulation NAME` (NAME
// pb-pairwise-lp for "pairwise"). Unlike solvers/mip, it writes models of
// games beyond that package's ranges too: the numbers are exact, and how
// far another solver decides them exactly is its own matter.
func Export(w io.Writer, g *game.Game, formulation string) error {
	f, err := Build(context.Background(), g, formulation, nil)
	if err != nil {
		return err
	}
	return f.WriteLP(w)
}

// errStopped is panicked by a stopper and recovered by buildWithin.
type errStopped struct{ err error }

// stopper lets a builder stop early: when its context ends, or when the
// Check that buildWithin put in it fails. The builders call tick often
// (per row, per pairwise comparison); it looks at the context and the
// size only every so often.
type stopper struct {
	ctx   context.Context
	name  string
	check Check
	calls uint32
}

type checkKey struct{}

func newStopper(ctx context.Context, name string) stopper {
	if ctx == nil {
		ctx = context.Background()
	}
	check, _ := ctx.Value(checkKey{}).(Check)
	return stopper{ctx: ctx, name: name, check: check}
}

// tick is called with the size of the model so far.
func (s *stopper) tick(cols, rows, nonzeros int) {
	s.calls++
	if s.calls%256 != 0 {
		return
	}
	if err := s.ctx.Err(); err != nil {
		panic(errStopped{err})
	}
	if s.check != nil {
		if err := s.check(s.name, cols, rows, nonzeros); err != nil {
			panic(errStopped{err})
		}
	}
}

// buildWithin runs a builder that stops when ctx ends (returning
// ctx.Err()) or check fails (returning its error).
func buildWithin(ctx context.Context, check Check, build func(context.Context, *game.Game) (*Formulation, error), g *game.Game) (f *Formulation, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, ok := r.(errStopped)
			if !ok {
				panic(r)
			}
			f, err = nil, s.err
		}
	}()
	if check != nil {
		ctx = context.WithValue(ctx, checkKey{}, check)
	}
	return build(ctx, g)
}

// PaperSize is the size of the paper model of g (either sign of (N)), from
// the game alone in O(players²) time: k + 2k + 2k(k-1) columns, 4k(k-1) +
// 3k + 1 rows, and per pair i != j four rows over mu_j's nonzeros plus
// their z, z~ and selector entries (a zero big-M or delta drops an entry,
// so nonzeros is exact up to those).
func PaperSize(g *game.Game) (columns, rows, nonzeros int64) {
	k := int64(g.Players())
	var S int64 // nonzeros of D
	var row []int64
	for i := range g.Players() {
		row = g.Row(i, row)
		for _, v := range row {
			if v != 0 {
				S++
			}
		}
	}
	return 3*k + 2*k*(k-1), 4*k*(k-1) + 3*k + 1, 4*(k-1)*S + 8*k*(k-1) + 4*k
}
