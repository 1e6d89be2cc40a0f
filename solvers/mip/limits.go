package mip

import (
	"context"
	"fmt"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/solvers"
)

// DefaultMaxModelBytes is the default Solver.MaxModelBytes: 4 GiB, twice the
// 2 GiB that HiGHS's wasm heap can ever hold, so that a few solves can run
// side by side on a machine with tens of GiB. It admits the paper model of a
// 3-SAT formula with 40 variables at ratio 4.26 (6.2 million nonzeros, about
// 1.5 GiB) and refuses it at 120 variables (156 million nonzeros, about 37
// GiB; building it alone took 15.5 GB before the OOM killer).
const DefaultMaxModelBytes = 4 << 30

// wasmHeapBytes is the most the HiGHS wasm heap can hold (package highs).
const wasmHeapBytes = 2 << 30

// Bytes per nonzero and per column or row of a model, measured on paper
// models of reduction games (0.8 and 2.7 million nonzeros) with some room:
// Go holds the triplets while building (24 bytes, up to twice that while
// slices grow), then the CSC copy and the block passed to the wasm (about 40
// more), with names and bounds per column and row; HiGHS held 100-110 bytes
// per nonzero in presolve, and more in branch and bound (LP copies,
// row-wise matrices).
const (
	goPerNonzero   = 96
	goPerLine      = 128
	wasmPerNonzero = 160
	wasmPerLine    = 256
)

// modelSize is the size of a formulation's model and the memory it is
// estimated to need.
type modelSize struct {
	Columns, Rows, Nonzeros int64
}

// GoBytes estimates the Go heap that building and passing the model takes.
func (s modelSize) GoBytes() int64 { return s.Nonzeros*goPerNonzero + (s.Columns+s.Rows)*goPerLine }

// WasmBytes estimates the HiGHS heap that solving the model takes.
func (s modelSize) WasmBytes() int64 {
	return s.Nonzeros*wasmPerNonzero + (s.Columns+s.Rows)*wasmPerLine
}

// Bytes is GoBytes plus WasmBytes.
func (s modelSize) Bytes() int64 { return s.GoBytes() + s.WasmBytes() }

func (s modelSize) String() string {
	return fmt.Sprintf("%d columns, %d rows and %d nonzeros, needing about %s (%s in Go, %s in the wasm heap)",
		s.Columns, s.Rows, s.Nonzeros, gib(s.Bytes()), gib(s.GoBytes()), gib(s.WasmBytes()))
}

func gib(b int64) string { return fmt.Sprintf("%.2f GiB", float64(b)/(1<<30)) }

// over returns a refusal when s needs more than limit bytes, or more than
// the wasm heap can hold; what says whose size s is ("the paper model would
// have").
func (s modelSize) over(what string, limit int64) error {
	switch {
	case limit > 0 && s.Bytes() > limit:
		return solvers.Refuse("mip: %s %s: over the limit of %s (mip.Solver.MaxModelBytes)", what, s, gib(limit))
	case s.WasmBytes() > wasmHeapBytes:
		return solvers.Refuse("mip: %s %s: more than the 2 GiB HiGHS wasm heap holds", what, s)
	}
	return nil
}

// paperSize is the size of Paper(g)'s model, from the game alone in
// O(players²) time: k + 2k + 2k(k-1) columns, 4k(k-1) + 3k + 1 rows, and per
// pair i != j four rows over mu_j's nonzeros plus their z, z~ and selector
// entries (a zero big-M or delta drops an entry, so nonzeros is exact up to
// those).
func paperSize(g *game.Game) modelSize {
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
	return modelSize{
		Columns:  3*k + 2*k*(k-1),
		Rows:     4*k*(k-1) + 3*k + 1,
		Nonzeros: 4*(k-1)*S + 8*k*(k-1) + 4*k,
	}
}

// errStopped is panicked by a stopper and recovered by buildWithin.
type errStopped struct{ err error }

// stopper lets a builder stop early: when its context ends, or when the
// model it is building grows past its byte budget. The builders call tick
// often (per row, per pairwise comparison); it looks at the context and the
// size only every so often.
type stopper struct {
	ctx    context.Context
	name   string
	budget int64 // bytes; 0 means none
	calls  uint32
}

type budgetKey struct{}

// withBudget makes builders stop with a refusal once their model needs more
// than limit bytes (see modelSize.over).
func withBudget(ctx context.Context, limit int64) context.Context {
	return context.WithValue(ctx, budgetKey{}, limit)
}

func newStopper(ctx context.Context, name string) stopper {
	if ctx == nil {
		ctx = context.Background()
	}
	limit, _ := ctx.Value(budgetKey{}).(int64)
	return stopper{ctx: ctx, name: name, budget: limit}
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
	if s.budget > 0 {
		sz := modelSize{Columns: int64(cols), Rows: int64(rows), Nonzeros: int64(nonzeros)}
		if err := sz.over("the "+s.name+" model, still being built, has", s.budget); err != nil {
			panic(errStopped{err})
		}
	}
}

// buildWithin runs a builder that stops when ctx ends (returning ctx.Err())
// or its model outgrows the budget set by withBudget (a refusal).
func buildWithin(ctx context.Context, build func(context.Context, *game.Game) (*Formulation, error), g *game.Game) (f *Formulation, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, ok := r.(errStopped)
			if !ok {
				panic(r)
			}
			f, err = nil, s.err
		}
	}()
	return build(ctx, g)
}
