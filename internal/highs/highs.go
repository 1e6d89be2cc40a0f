// Package highs solves LPs and MIPs with HiGHS 1.15.1 compiled to WebAssembly
// (npm highs@1.15.3), run in-process by wazero, so no cgo or native library.
//
// The wasm is fetched once with `npm pack` into the user cache directory (or
// taken from $NASHBENCH_HIGHS_WASM) and pinned by SHA-256; wazero's compiled
// code is cached next to it, so only the first run pays the compile.
package highs

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// Version is the HiGHS release inside the pinned wasm build, for reports
// that must not load the wasm to name it; a test checks it against the
// version the build reports.
const Version = "1.15.1"

// VarType says whether a column must take integer values.
type VarType int8

const (
	Continuous VarType = iota
	Integer
)

// Nonzero is one entry of the constraint matrix.
type Nonzero struct {
	Row, Col int
	Val      float64
}

// Model is an LP or MIP: optimise ColCosts·x + Offset subject to
// RowLower <= A·x <= RowUpper and ColLower <= x <= ColUpper. Infinite bounds
// are math.Inf(±1).
type Model struct {
	Maximize bool
	Offset   float64
	ColCosts []float64
	// ColLower and ColUpper may be nil, meaning 0 and +Inf for every column.
	ColLower, ColUpper []float64
	// RowLower and RowUpper have one entry per row and equal lengths.
	RowLower, RowUpper []float64
	// ConstMatrix holds A as triplets in any order; duplicates are summed.
	ConstMatrix []Nonzero
	// VarTypes may be nil, meaning all continuous (an LP).
	VarTypes []VarType
}

// Presolve settings accepted by Options.Presolve.
const (
	PresolveChoose = "choose"
	PresolveOn     = "on"
	PresolveOff    = "off"
)

// Options are the HiGHS settings a caller may change; threads=1 and
// parallel=off are always set because the wasm build is single-threaded.
type Options struct {
	// TimeLimit bounds HiGHS's run time; zero means none. A sooner context
	// deadline takes precedence.
	TimeLimit time.Duration
	// MIPRelGap, if non-nil, sets mip_rel_gap (HiGHS default 1e-4).
	MIPRelGap *float64
	// RandomSeed sets random_seed (HiGHS default 0).
	RandomSeed int
	// Presolve is "", "choose", "on" or "off"; "" keeps HiGHS's default.
	Presolve string
	// Log receives HiGHS's console log; nil turns logging off (output_flag=false).
	Log io.Writer
	// NoFeasibilityJump sets mip_heuristic_run_feasibility_jump=false. That
	// primal heuristic costs about 13 ms on every MIP that reaches branch and
	// bound, however small, which dominates small models; it rarely pays on
	// feasibility problems whose first incumbent ends the search.
	NoFeasibilityJump bool
	// Doubles sets other double options by their HiGHS names, such as
	// mip_feasibility_tolerance or primal_feasibility_tolerance; HiGHS
	// rejects unknown names and values outside an option's range, and
	// Solve then fails.
	Doubles map[string]float64
	// Ints and Bools set integer and boolean options by their HiGHS names,
	// checked like Doubles.
	Ints  map[string]int
	Bools map[string]bool
}

// ModelStatus is HiGHS's HighsModelStatus, with the same numeric values.
type ModelStatus int32

const (
	NotSet                ModelStatus = 0
	LoadError             ModelStatus = 1
	ModelError            ModelStatus = 2
	PresolveError         ModelStatus = 3
	SolveError            ModelStatus = 4
	PostsolveError        ModelStatus = 5
	ModelEmpty            ModelStatus = 6
	Optimal               ModelStatus = 7
	Infeasible            ModelStatus = 8
	UnboundedOrInfeasible ModelStatus = 9
	Unbounded             ModelStatus = 10
	ObjectiveBound        ModelStatus = 11
	ObjectiveTarget       ModelStatus = 12
	TimeLimit             ModelStatus = 13
	IterationLimit        ModelStatus = 14
	Unknown               ModelStatus = 15
	SolutionLimit         ModelStatus = 16
	Interrupt             ModelStatus = 17
	MemoryLimit           ModelStatus = 18
)

var statusNames = [...]string{
	"NotSet", "LoadError", "ModelError", "PresolveError", "SolveError", "PostsolveError",
	"ModelEmpty", "Optimal", "Infeasible", "UnboundedOrInfeasible", "Unbounded",
	"ObjectiveBound", "ObjectiveTarget", "TimeLimit", "IterationLimit", "Unknown",
	"SolutionLimit", "Interrupt", "MemoryLimit",
}

func (s ModelStatus) String() string {
	if s >= 0 && int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("ModelStatus(%d)", int32(s))
}

// Solution is what HiGHS reports after a run.
type Solution struct {
	Status ModelStatus
	// Objective is HiGHS's objective_function_value (including Offset).
	Objective float64
	// ColValues and RowValues (A·x) are nil when HiGHS has no primal
	// solution, e.g. for an infeasible model or a MIP stopped before its
	// first incumbent.
	ColValues, RowValues []float64
	// Nodes and MIPGap are HiGHS's mip_node_count and mip_gap; zero for LPs.
	Nodes  int64
	MIPGap float64
	// LPIterations is HiGHS's simplex_iteration_count: for an LP the
	// simplex iterations, for a MIP the LP iterations of the whole branch
	// and bound (the root, its cuts and heuristics, every node; HiGHS's
	// total_lp_iterations, the "LP iterations" of its log). Zero when
	// presolve alone decided the model; -1 when the count overflowed the
	// 32-bit HighsInt. With threads=1 and a given random_seed it is
	// deterministic, like Nodes, unless a time limit cuts the run short.
	LPIterations int64
	// RunTime is HiGHS's own run time.
	RunTime time.Duration
	// Version is HiGHS's version string ("1.15.1").
	Version string
}

// ErrClosed is returned by Solve after Close.
var ErrClosed = errors.New("highs: solver is closed")

// validate checks the model in Go, since HiGHS's reaction to bad input in
// the wasm (a log line, or an abort) is far less useful than an error.
func (m *Model) validate() error {
	if m == nil {
		return errors.New("highs: nil model")
	}
	n := len(m.ColCosts)
	nr := len(m.RowLower)
	const maxInt32 = math.MaxInt32 - 1
	if n > maxInt32 || nr > maxInt32 || len(m.ConstMatrix) > maxInt32 {
		return errors.New("highs: model too large for 32-bit HiGHS")
	}
	if m.ColLower != nil && len(m.ColLower) != n {
		return fmt.Errorf("highs: len(ColLower)=%d, want len(ColCosts)=%d", len(m.ColLower), n)
	}
	if m.ColUpper != nil && len(m.ColUpper) != n {
		return fmt.Errorf("highs: len(ColUpper)=%d, want len(ColCosts)=%d", len(m.ColUpper), n)
	}
	if len(m.RowUpper) != nr {
		return fmt.Errorf("highs: len(RowUpper)=%d, want len(RowLower)=%d", len(m.RowUpper), nr)
	}
	if m.VarTypes != nil && len(m.VarTypes) != n {
		return fmt.Errorf("highs: len(VarTypes)=%d, want len(ColCosts)=%d", len(m.VarTypes), n)
	}
	if isBad(m.Offset) {
		return fmt.Errorf("highs: Offset is %v", m.Offset)
	}
	for j, c := range m.ColCosts {
		if isBad(c) {
			return fmt.Errorf("highs: ColCosts[%d] is %v", j, c)
		}
	}
	if err := checkBounds("Col", m.ColLower, m.ColUpper); err != nil {
		return err
	}
	if err := checkBounds("Row", m.RowLower, m.RowUpper); err != nil {
		return err
	}
	for j, t := range m.VarTypes {
		if t != Continuous && t != Integer {
			return fmt.Errorf("highs: VarTypes[%d] is %d", j, t)
		}
	}
	for k, e := range m.ConstMatrix {
		if e.Row < 0 || e.Row >= nr || e.Col < 0 || e.Col >= n {
			return fmt.Errorf("highs: ConstMatrix[%d] at (%d,%d) is outside %dx%d", k, e.Row, e.Col, nr, n)
		}
		if isBad(e.Val) {
			return fmt.Errorf("highs: ConstMatrix[%d] is %v", k, e.Val)
		}
	}
	return nil
}

func isBad(x float64) bool { return math.IsNaN(x) || math.IsInf(x, 0) }

func checkBounds(what string, lo, up []float64) error {
	for i, l := range lo {
		if math.IsNaN(l) || math.IsInf(l, 1) {
			return fmt.Errorf("highs: %sLower[%d] is %v", what, i, l)
		}
	}
	for i, u := range up {
		if math.IsNaN(u) || math.IsInf(u, -1) {
			return fmt.Errorf("highs: %sUpper[%d] is %v", what, i, u)
		}
	}
	return nil
}

func (o *Options) validate() error {
	switch o.Presolve {
	case "", PresolveChoose, PresolveOn, PresolveOff:
	default:
		return fmt.Errorf("highs: Presolve is %q, want \"choose\", \"on\" or \"off\"", o.Presolve)
	}
	if o.TimeLimit < 0 {
		return fmt.Errorf("highs: negative TimeLimit %v", o.TimeLimit)
	}
	if o.MIPRelGap != nil && (math.IsNaN(*o.MIPRelGap) || *o.MIPRelGap < 0) {
		return fmt.Errorf("highs: MIPRelGap is %v", *o.MIPRelGap)
	}
	for name, v := range o.Doubles {
		if name == "" || strings.IndexByte(name, 0) >= 0 || math.IsNaN(v) {
			return fmt.Errorf("highs: double option %q = %v", name, v)
		}
	}
	for name, v := range o.Ints {
		if name == "" || strings.IndexByte(name, 0) >= 0 || v < math.MinInt32 || v > math.MaxInt32 {
			return fmt.Errorf("highs: int option %q = %v", name, v)
		}
	}
	for name := range o.Bools {
		if name == "" || strings.IndexByte(name, 0) >= 0 {
			return fmt.Errorf("highs: bool option %q", name)
		}
	}
	if o.RandomSeed < 0 || o.RandomSeed > math.MaxInt32 {
		return fmt.Errorf("highs: RandomSeed %d outside [0, 2^31)", o.RandomSeed)
	}
	return nil
}
