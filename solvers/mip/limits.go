package mip

import (
	"fmt"

	"github.com/nashbench/nashbench/encodings/lp"
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

// paperSize is the size of the paper model of g (lp.PaperSize).
func paperSize(g *game.Game) modelSize {
	c, r, nz := lp.PaperSize(g)
	return modelSize{Columns: c, Rows: r, Nonzeros: nz}
}

// budget returns the lp.Check that stops a build with a refusal once its
// model needs more than limit bytes (see modelSize.over), or nil for no
// limit.
func budget(limit int64) lp.Check {
	if limit <= 0 {
		return nil
	}
	return func(name string, cols, rows, nonzeros int) error {
		sz := modelSize{Columns: int64(cols), Rows: int64(rows), Nonzeros: int64(nonzeros)}
		return sz.over("the "+name+" model, still being built, has", limit)
	}
}
