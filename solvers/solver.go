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
	// Certify asks solvers that can for a proof of a negative answer
	// (Result.Proof), which package verify checks. Solvers that cannot
	// prove answer as usual.
	Certify bool
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
	// Proof, with Answer None and Options.Certify, is the solver's proof
	// that no non-trivial equilibrium exists; nil when it has none.
	Proof *Proof
}

// Usage is the resource use of a solve's process and its descendants.
type Usage struct {
	Wall   time.Duration // from start to exit, process start-up included
	CPU    time.Duration // user and system time
	MaxRSS int64         // peak resident set of the largest process, in bytes
	CPUs   []int         // the cores it was bound to; none when it was free
}

// Proof is a certificate of a None answer: a refutation of the formula the
// solver decided, for a corrected reduction problem the problem's formula
// with the clause (x1 ∨ … ∨ xn) added, whose models are the game's
// non-trivial equilibria (for other games, their CNF encoding). The formula
// is not part of the proof: package verify builds it from the problem
// itself, so a proof of some other formula fails.
//
// A proof is in one format, which says which field holds it: DRAT (the
// zero Proof's format, for code that knows only DRAT) or LRAT, whose hints
// number the formula's clauses 1..m in the order the solver was given, or
// the native search's certificate (ProofSearch), which is checked against
// the game rather than a formula.
type Proof struct {
	// DRAT is a DRAT refutation as the solver wrote it (text or binary),
	// nil for a proof in another format.
	DRAT []byte `json:"drat"`
	// LRAT is an LRAT refutation as the solver wrote it (text or binary),
	// nil for a proof in another format.
	LRAT []byte `json:"lrat"`
	// Search is a certificate of the native search (package
	// solvers/search): theory lemmas that package verify/searchcert
	// checks on the game, and an LRAT refutation of them; nil for a
	// proof in another format.
	Search []byte `json:"search,omitempty"`
}

// The proof formats: the values of Proof.Format, and of an external
// solver definition's proof_format.
const (
	ProofDRAT   = "drat"
	ProofLRAT   = "lrat"
	ProofSearch = "search-lrat"
)

// NewProof returns a proof in format (ProofDRAT, ProofLRAT or
// ProofSearch; "" is DRAT) with data as the solver wrote it; nil for an
// unknown format.
func NewProof(format string, data []byte) *Proof {
	switch format {
	case ProofDRAT, "":
		return &Proof{DRAT: data}
	case ProofLRAT:
		return &Proof{LRAT: data}
	case ProofSearch:
		return &Proof{Search: data}
	}
	return nil
}

// Format is the proof's format: ProofLRAT when LRAT is set, ProofSearch
// when Search is, else ProofDRAT.
func (p *Proof) Format() string {
	if p.LRAT != nil {
		return ProofLRAT
	}
	if p.Search != nil {
		return ProofSearch
	}
	return ProofDRAT
}

// Data is the proof as the solver wrote it, in its Format.
func (p *Proof) Data() []byte {
	if p.LRAT != nil {
		return p.LRAT
	}
	if p.Search != nil {
		return p.Search
	}
	return p.DRAT
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

// Portable is implemented by solvers that a child process cannot make from
// their name alone, such as external solvers defined in a file at run time
// (the child has not read it, or has another definition under that name):
// Spec says how to make one there, with FromSpec. Package isolate sends
// it along with a job.
type Portable interface {
	Spec() (kind string, data []byte, err error)
}

var kinds = map[string]func(data []byte) (Solver, error){}

// RegisterKind makes FromSpec build solvers of a kind. It panics on a
// duplicate kind, a programming error caught at start-up.
func RegisterKind(kind string, build func(data []byte) (Solver, error)) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := kinds[kind]; dup {
		panic("solvers: RegisterKind called twice for " + kind)
	}
	kinds[kind] = build
}

// FromSpec makes the solver that a Portable solver's Spec describes.
func FromSpec(kind string, data []byte) (Solver, error) {
	mu.Lock()
	build, ok := kinds[kind]
	mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("unknown kind of solver %q", kind)
	}
	return build(data)
}

// Description says what a solver is, for listings (`nashbench solvers`).
type Description struct {
	// Input is what the solver reads: "formula" (the formula behind a
	// corrected reduction game), "game", or an external solver's file
	// format ("cnf", "opb", "lp compact", ...).
	Input string
	// Version is the solver's version, "" when unknown.
	Version string
	// Missing says why the solver cannot run here ("missing: cadical not
	// in PATH"); "" when it can.
	Missing string
	// Certifies says that the solver proves negative answers when asked
	// (Options.Certify).
	Certifies bool
	// Source is the definitions file of an external solver ("shipped" for
	// the definitions built into nashbench); "" for built-in solvers.
	Source string
}

// Certifier is implemented by solvers that prove their negative answers
// when Options.Certify asks, as they solve (Description.Certifies says
// the same); it costs nothing to ask, unlike Describe, which may run a
// version command.
type Certifier interface {
	Certifies() bool
}

// Describer is implemented by solvers that describe themselves.
type Describer interface {
	Describe(ctx context.Context) Description
}

// entry is a registered solver.
type entry struct {
	newSolver func() Solver
	external  bool
}

var (
	mu       sync.Mutex
	registry = map[string]entry{}
)

// Register makes a built-in solver available by name. It panics on a
// duplicate name, a programming error caught at start-up.
func Register(name string, newSolver func() Solver) {
	mu.Lock()
	defer mu.Unlock()
	if _, dup := registry[name]; dup {
		panic("solvers: Register called twice for " + name)
	}
	registry[name] = entry{newSolver: newSolver}
}

// RegisterExternal makes a solver that runs an external program (package
// solvers/external) available by name, replacing an external solver
// registered earlier under that name (a user's definition of a shipped
// one). A name taken by a built-in solver is an error: built-in names
// always mean the built-in solvers, so that rows and benchmarks stay
// comparable.
func RegisterExternal(name string, newSolver func() Solver) error {
	mu.Lock()
	defer mu.Unlock()
	if e, ok := registry[name]; ok && !e.external {
		return fmt.Errorf("solver %q: the name of a built-in solver; give the external solver another name", name)
	}
	registry[name] = entry{newSolver: newSolver, external: true}
	return nil
}

// IsExternal reports whether name is a registered external solver.
func IsExternal(name string) bool {
	mu.Lock()
	defer mu.Unlock()
	return registry[name].external
}

// New returns a fresh solver registered under name.
func New(name string) (Solver, error) {
	mu.Lock()
	e, ok := registry[name]
	mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("unknown solver %q (have %s)", name, strings.Join(Names(), ", "))
	}
	return e.newSolver(), nil
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

// BuiltinNames lists the built-in solvers, sorted.
func BuiltinNames() []string {
	var out []string
	for _, n := range Names() {
		if !IsExternal(n) {
			out = append(out, n)
		}
	}
	return out
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
