// Package solvers defines the interface every equilibrium solver implements
// and the registry the CLI and benchmarks pick solvers from. Their answers
// are checked by package verify.
package solvers

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/reduction"
)

// Problem is the question every solver answers: does Game have a non-trivial
// pure Nash equilibrium, one in which some player opens?
type Problem struct {
	Game *game.Game
	// Formula is set when Game is the reduction of Formula by Variant, laid out
	// as Layout. Solvers that work on the formula need it; game solvers must
	// not use it.
	Formula *instances.CNF
	Variant reduction.Variant
	Layout  reduction.Layout
}

// FromFormula reduces f and returns the problem about its game.
func FromFormula(f *instances.CNF, v reduction.Variant) (*Problem, error) {
	g, l, err := reduction.Reduce(f, v)
	if err != nil {
		return nil, err
	}
	return &Problem{Game: g, Formula: f, Variant: v, Layout: l}, nil
}

// Answer is a solver's verdict on a Problem.
type Answer int

const (
	Unknown Answer = iota // a time or size limit stopped the solver
	Found                 // a non-trivial equilibrium exists; Result.Witness is one
	None                  // no non-trivial equilibrium exists
)

func (a Answer) String() string {
	switch a {
	case Found:
		return "found"
	case None:
		return "none"
	}
	return "unknown"
}

// Options tune a solve. Time limits come from the context's deadline.
type Options struct {
	// Count asks for the number of non-trivial equilibria (for a reduction
	// game under the corrected variant: the models other than all-false).
	Count bool
	// List keeps up to this many equilibria in Result.Listed when counting.
	List int
	// Workers is the number of goroutines a solver may use; 0 or 1 means one.
	// Answers, counts and listed equilibria do not depend on it.
	Workers int
	// MaxPlayers caps the players an exhaustive solver enumerates; 0 means
	// the solver's default.
	MaxPlayers int
	// Shard, when not Whole, asks a Sharder to search only its part of the
	// space, so that machines can split one game. Only Sharders take it
	// (bench.Solve refuses it for others, which would search everything).
	Shard Shard
}

// Shard is part Index (0-based) of Count equal parts of a solver's search
// space; the zero Shard is the whole space.
//
// A sharded result answers for its part only: Found with a witness (which
// is an equilibrium of the whole game), or Unknown when the part has none
// (never None: other parts may have one). When counting, Count is the
// part's count of non-trivial equilibria, and the counts of the Count parts
// sum to the whole game's. Part 0 holds the all-closed profile.
type Shard struct{ Index, Count int }

// Whole reports whether s is the whole space.
func (s Shard) Whole() bool { return s.Count <= 1 }

// Check reports a shard that is not one of its Count parts.
func (s Shard) Check() error {
	if s.Count < 0 || s.Index < 0 || s.Count > 0 && s.Index >= s.Count || s.Count == 0 && s.Index != 0 {
		return fmt.Errorf("shard %d of %d: want 0 <= index < count", s.Index, s.Count)
	}
	return nil
}

// String formats s as on the command line, 1-based: "i/N".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index+1, max(s.Count, 1)) }

// Sharder is implemented by solvers that honour Options.Shard.
type Sharder interface {
	Solver
	// Shardable marks the solver as one that searches only the part of
	// its space that Options.Shard names.
	Shardable()
}

// Result is a solver's answer.
type Result struct {
	Answer  Answer
	Witness []bool // a non-trivial equilibrium profile when Answer is Found
	// Counted says that Count holds the number of non-trivial equilibria:
	// Options.Count was set and the solver finished counting. The zero
	// Result has counted nothing.
	Counted bool
	Count   int64
	Listed  [][]bool
	// Stats are solver-specific counts (profiles, nodes, conflicts, ...),
	// reported by benchmarks per op.
	Stats map[string]float64
	// Elapsed is the wall time of the solve alone, set by a runner that
	// measures it where the solver ran (a child process's start-up is not
	// the solver's time); zero when the caller measures it itself.
	Elapsed time.Duration
	// Usage is what the operating system measured of the process that
	// solved (package isolate's child, with its descendants); nil when the
	// solve ran in the caller's process.
	Usage *Usage
}

// Usage is the resource use of a solve's process and its descendants.
type Usage struct {
	Wall   time.Duration // from start to exit, process start-up included
	CPU    time.Duration // user and system time
	MaxRSS int64         // peak resident set of the largest process, in bytes
}

// Solver decides a Problem. Solve honours ctx: when ctx ends first it
// returns a Result with Answer Unknown and no error; an error means the
// solver could not work on the problem at all.
type Solver interface {
	Solve(ctx context.Context, p *Problem, opt Options) (*Result, error)
}

// Preparer is implemented by solvers with a set-up cost of their own (HiGHS
// loads its WebAssembly module): runners that time a single solve, such as
// the sweep's workers, call Prepare first so that the time is the solve's.
type Preparer interface {
	Prepare(ctx context.Context) error
}

var (
	mu       sync.Mutex
	registry = map[string]func() Solver{}
)

// Register makes a solver available by name. It panics on a duplicate name,
// a programming error caught at start-up.
func Register(name string, newSolver func() Solver) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := registry[name]; dup {
		panic("solvers: Register called twice for " + name)
	}
	registry[name] = newSolver
}

// New returns a fresh solver registered under name.
func New(name string) (Solver, error) {
	mu.Lock()
	f, ok := registry[name]
	mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("unknown solver %q (have %s)", name, strings.Join(Names(), ", "))
	}
	return f(), nil
}

// Names lists the registered solvers, sorted.
func Names() []string {
	mu.Lock()
	defer mu.Unlock()
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ErrNotFormula is returned by solvers that work on the formula when the
// problem has none, or is the literal reduction, whose game question is not
// the formula's satisfiability. It is a refusal (IsRefused reports true).
var ErrNotFormula error = &RefusedError{Reason: "this solver works on a CNF formula under the corrected reduction; give a .cnf input"}

// RefusedError is a solver's statement that it cannot take this input
// (too large, outside the range in which it decides exactly, the wrong kind
// of input), as opposed to a failure while solving. Runners record it as
// status "refused" with Reason as the error.
type RefusedError struct{ Reason string }

func (e *RefusedError) Error() string { return e.Reason }

// Is makes refusals with the same reason match, so that errors.Is holds for
// one that crossed a process boundary (package isolate).
func (e *RefusedError) Is(target error) bool {
	t, ok := target.(*RefusedError)
	return ok && t.Reason == e.Reason
}

// Refuse returns a RefusedError with a formatted reason.
func Refuse(format string, args ...any) error {
	return &RefusedError{Reason: fmt.Sprintf(format, args...)}
}

// IsRefused reports whether err is, or wraps, a RefusedError.
func IsRefused(err error) bool {
	var r *RefusedError
	return errors.As(err, &r)
}
