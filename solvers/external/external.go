// Package external runs solver programs outside nashbench (SAT solvers such
// as CaDiCaL, PB solvers such as MiniSat+, MIP solvers such as cbc and
// glpsol) as solvers.Solver, from definitions in JSON files (see
// Definition). Each solve writes the question to a file in a directory of
// its own (DIMACS for "cnf", OPB for "opb", CPLEX LP for "lp"), runs the
// command in a process group of its own, kills the whole group when the
// context ends, reads the answer by the definition's output convention and
// maps the solver's model back to a profile of the game, which package
// verify then checks like any solver's. In a sweep, the solve runs in a
// worker process (package isolate), which makes the solver from its
// definition (solvers.Portable): the program then shares the worker's
// process group, core and memory limit, the parent kills the group at the
// deadline, and the operating system's measures of the job include it.
//
// What each input answers:
//
//   - "cnf": for a corrected reduction of a formula F, the formula F ∧ (x1
//     ∨ … ∨ xn), whose models are the game's non-trivial equilibria, as the
//     built-in gophersat solver does; the witness comes from the
//     reduction's layout. Other games (and the literal reduction's) are
//     encoded by encodings.EncodeCNF, the gophersat-pb encoding in clauses.
//   - "opb": the PB encoding of Lemma 1 that gophersat-pb solves, for any
//     game within its range (encodings.WriteOPB).
//   - "lp": a MIP formulation of highs-compact or highs-paper
//     (mip.ForSolver), with the same exact ranges: games beyond them are
//     refused, since a floating-point solver may decide them wrongly.
//
// External solvers do not count (Options.Count): their results have
// Counted false. With Options.Certify, a "cnf" solver with a
// certify_command proves negative answers: the proof it writes comes back
// in Result.Proof, in the definition's proof_format (DRAT unless it says
// LRAT).
package external

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nashbench/nashbench/encodings"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/isolate"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/mip"
)

// Solver runs one definition's program.
type Solver struct {
	def Definition
}

// New returns a solver for d (which must have been checked, as
// ParseDefinitions does).
func New(d Definition) *Solver { return &Solver{def: d} }

// Spec implements solvers.Portable: a sweep's worker process makes the
// solver from its definition, which it may not have read.
func (s *Solver) Spec() (string, []byte, error) {
	b, err := json.Marshal(portable{Definition: s.def, Source: s.def.source, Line: s.def.line})
	return specKind, b, err
}

// specKind is the kind of Spec of external solvers.
const specKind = "external"

// portable is a definition with where it came from.
type portable struct {
	Definition
	Source string `json:"source"`
	Line   int    `json:"line"`
}

func init() {
	solvers.RegisterKind(specKind, func(data []byte) (solvers.Solver, error) {
		var p portable
		if err := json.Unmarshal(data, &p); err != nil {
			return nil, fmt.Errorf("external: a solver's spec: %w", err)
		}
		p.Definition.source, p.Definition.line = p.Source, p.Line
		if err := p.Definition.check(); err != nil {
			return nil, fmt.Errorf("external: a solver's spec: %w", err)
		}
		return New(p.Definition), nil
	})
}

// Definition returns the solver's definition.
func (s *Solver) Definition() Definition { return s.def }

// Limits on what is read back from a solver.
const (
	// stderrTail is how much of the solver's standard error an error
	// message carries.
	stderrTail = 2048
	// maxProofBytes bounds a proof read into memory; a larger one is left
	// out of the result (the answer is then checked as without a proof).
	maxProofBytes = 1 << 30
	// noDeadline is {timeout} for a solve without a deadline: a year.
	noDeadline = 365 * 24 * 3600
	// killDelay bounds how long Solve waits for the process group once it
	// has been killed.
	killDelay = 5 * time.Second
)

// task is one solve's input and how to map the answer back.
type task struct {
	input []byte
	ext   string // of the input file
	vars  int    // variables a model may name (cnf, opb)
	// decode maps the parsed answer (Found) to a profile of the game.
	decode func(parsed) ([]bool, error)
	// formula is set on the formula path of "cnf": the only path with
	// proofs.
	formula bool
	stats   map[string]float64
}

// Solve implements solvers.Solver.
func (s *Solver) Solve(ctx context.Context, p *solvers.Problem, opt solvers.Options) (*solvers.Result, error) {
	d := &s.def
	if ctx.Err() != nil {
		return &solvers.Result{}, nil
	}
	prog, err := lookProgram(d.Command[0])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.Name, err)
	}
	t, res, err := s.prepare(ctx, p)
	if res != nil || err != nil {
		if err != nil && ctx.Err() != nil {
			return &solvers.Result{}, nil // a builder stopped at the deadline
		}
		return res, err
	}
	dir, err := os.MkdirTemp("", "nashbench-"+d.Name+"-")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.Name, err)
	}
	defer os.RemoveAll(dir)
	files := map[string]string{
		phInput:  filepath.Join(dir, "input."+t.ext),
		phOutput: filepath.Join(dir, "output"),
		phProof:  filepath.Join(dir, "proof."+d.proofFormat()),
	}
	if err := os.WriteFile(files[phInput], t.input, 0o644); err != nil {
		return nil, fmt.Errorf("%s: writing the input: %w", d.Name, err)
	}
	argv := d.Command
	certify := opt.Certify && t.formula && d.CertifyCommand != nil
	if certify {
		argv = d.CertifyCommand
	}
	timeout := noDeadline
	if dl, ok := isolate.Deadline(ctx); ok {
		timeout = max(1, int(math.Ceil(time.Until(dl).Seconds())))
	}
	args := substitute(argv[1:], files, strconv.Itoa(timeout))
	run, err := execute(ctx, prog, args, dir)
	if ctx.Err() != nil {
		return &solvers.Result{Stats: t.stats}, nil // killed at the deadline
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.Name, err)
	}
	if mentions(argv, phOutput) {
		if run.output, err = os.ReadFile(files[phOutput]); err != nil {
			return nil, fmt.Errorf("%s: no answer file (exit status %d): %w%s", d.Name, run.exit, err, run.stderrNote())
		}
	}
	ans, err := parse(d.Output, &run.result, t.vars)
	if err != nil {
		return nil, fmt.Errorf("%s: reading its answer (%s convention): %w%s", d.Name, d.Output, err, run.stderrNote())
	}
	r := &solvers.Result{Answer: ans.answer, Stats: t.stats}
	for k, v := range parseStats(d.Output, run.stdout) {
		r.Stats[k] = v
	}
	switch ans.answer {
	case solvers.Found:
		if r.Witness, err = t.decode(ans); err != nil {
			return nil, fmt.Errorf("%s: %w", d.Name, err)
		}
	case solvers.None:
		if certify {
			r.Proof = readProof(files[phProof], d.proofFormat())
		}
	}
	return r, nil
}

// prepare writes the question for the definition's input. It returns a
// result instead when the answer needs no solver.
func (s *Solver) prepare(ctx context.Context, p *solvers.Problem) (*task, *solvers.Result, error) {
	d := &s.def
	switch d.Input {
	case "cnf":
		if p.Formula != nil && p.Variant == reduction.Corrected {
			return formulaTask(p)
		}
		if p.Game == nil {
			return nil, nil, fmt.Errorf("%s: the problem has no game", d.Name)
		}
		// The game's own CNF, whose proofs package verify checks against
		// the same encoding (package encodings).
		f, decode, err := encodings.EncodeCNF(ctx, p.Game)
		if err != nil {
			return nil, nil, err
		}
		return cnfTask(f, func(model []bool) ([]bool, error) { return decode(model), nil }, true)
	case "opb":
		if p.Game == nil {
			return nil, nil, fmt.Errorf("%s: the problem has no game", d.Name)
		}
		return opbTask(ctx, p.Game)
	case "lp":
		if p.Game == nil {
			return nil, nil, fmt.Errorf("%s: the problem has no game", d.Name)
		}
		return lpTask(ctx, p.Game, d)
	}
	return nil, nil, fmt.Errorf("%s: unknown input %q", d.Name, d.Input)
}

// formulaTask asks a SAT solver for a model of F ∧ (x1 ∨ … ∨ xn): the
// models of F other than all-false, which are the corrected reduction
// game's non-trivial equilibria (Theorem 1 as fixed in the errata; package
// reduction checks it by brute force).
func formulaTask(p *solvers.Problem) (*task, *solvers.Result, error) {
	f := p.Formula
	if err := f.Validate(); err != nil {
		return nil, nil, err
	}
	n := f.Vars
	if n == 0 {
		return nil, &solvers.Result{Answer: solvers.None}, nil // only the all-false assignment
	}
	layout := p.Layout
	if layout.Vars != n || layout.Clauses != len(f.Clauses) { // a problem not made by FromFormula
		layout = reduction.Layout{Vars: n, Clauses: len(f.Clauses)}
	}
	return cnfTask(NonTrivial(f), func(model []bool) ([]bool, error) { return layout.Profile(model), nil }, true)
}

// NonTrivial returns f ∧ (x1 ∨ … ∨ xn), the formula a SAT solver decides
// for a corrected reduction problem, and which a proof must refute: its
// clauses are f's followed by the one new clause.
func NonTrivial(f *instances.CNF) *instances.CNF {
	all := make([]int, f.Vars)
	for v := range all {
		all[v] = v + 1
	}
	return &instances.CNF{Vars: f.Vars, Clauses: append(f.Clauses[:len(f.Clauses):len(f.Clauses)], all)}
}

func cnfTask(f *instances.CNF, decode func([]bool) ([]bool, error), formula bool) (*task, *solvers.Result, error) {
	var buf bytes.Buffer
	if err := instances.WriteDIMACS(&buf, f); err != nil {
		return nil, nil, err
	}
	return &task{input: buf.Bytes(), ext: "cnf", vars: f.Vars, formula: formula, stats: map[string]float64{},
		decode: func(a parsed) ([]bool, error) {
			model := make([]bool, f.Vars)
			for v, val := range a.model {
				model[v-1] = val
			}
			return decode(model)
		}}, nil, nil
}

func opbTask(ctx context.Context, g *game.Game) (*task, *solvers.Result, error) {
	write, profile, err := encodings.EncodeOPB(ctx, g)
	if err != nil {
		return nil, nil, err
	}
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		return nil, nil, err
	}
	vars, cons := opbHeader(buf.Bytes())
	return &task{input: buf.Bytes(), ext: "opb", vars: vars,
		stats: map[string]float64{"vars": float64(vars), "constraints": float64(cons)},
		decode: func(a parsed) ([]bool, error) {
			model := make([]bool, vars)
			for v, val := range a.model {
				model[v-1] = val
			}
			return profile(model), nil
		}}, nil, nil
}

// opbHeader reads "* #variable= N #constraint= M" from an OPB file's
// first line.
func opbHeader(b []byte) (vars, cons int) {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := strings.Fields(string(line))
	for i := 0; i+1 < len(f); i++ {
		switch f[i] {
		case "#variable=":
			vars, _ = strconv.Atoi(f[i+1])
		case "#constraint=":
			cons, _ = strconv.Atoi(f[i+1])
		}
	}
	return vars, cons
}

func lpTask(ctx context.Context, g *game.Game, d *Definition) (*task, *solvers.Result, error) {
	f, err := mip.ForSolver(ctx, g, d.Formulation, d.Name)
	if err != nil {
		return nil, nil, err
	}
	var buf bytes.Buffer
	if err := f.WriteLP(&buf); err != nil {
		return nil, nil, err
	}
	order := lpColumnOrder(buf.Bytes())
	return &task{input: buf.Bytes(), ext: "lp",
		stats: map[string]float64{"rows": float64(len(f.Rows)), "columns": float64(len(f.Cols))},
		decode: func(a parsed) ([]bool, error) {
			byName := a.columns
			if a.byIndex != nil {
				// GLPK numbers columns in the order the LP file first
				// names them.
				byName = make(map[string]float64, len(a.byIndex))
				for j, v := range a.byIndex {
					if j > len(order) {
						return nil, fmt.Errorf("column %d in the answer: the LP file has %d", j, len(order))
					}
					byName[order[j-1]] = v
				}
			}
			x := make([]float64, len(f.Cols))
			for c, name := range f.Cols {
				x[c] = byName[name]
			}
			return f.Decode(x), nil
		}}, nil, nil
}

// lpColumnOrder lists the columns of an LP file written by lp.Formulation.WriteLP (encodings/lp) in
// the order in which its objective and constraints first name them, which
// is how LP readers (GLPK's among them) number columns. WriteLP names
// every column there, so the list is complete.
func lpColumnOrder(lp []byte) []string {
	var order []string
	seen := map[string]bool{}
	in := false
	for line := range strings.Lines(string(lp)) {
		t := strings.TrimSpace(line)
		switch strings.ToLower(t) {
		case "minimize", "maximize", "subject to":
			in = true
			continue
		case "bounds", "binary", "general", "end":
			in = false
			continue
		}
		if !in || strings.HasPrefix(t, "\\") {
			continue
		}
		for _, tok := range strings.Fields(t) {
			if strings.HasSuffix(tok, ":") || !nameStart(tok[0]) {
				continue // a label, a sign, a number or a sense
			}
			if !seen[tok] {
				seen[tok] = true
				order = append(order, tok)
			}
		}
	}
	return order
}

func nameStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }

// substitute replaces the placeholders in args.
func substitute(args []string, files map[string]string, timeout string) []string {
	r := strings.NewReplacer(phInput, files[phInput], phOutput, files[phOutput], phProof, files[phProof], phTimeout, timeout)
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = r.Replace(a)
	}
	return out
}

// lookProgram finds a command's program: in PATH unless it has a slash.
// Its error is the "missing: ..." of listings.
func lookProgram(name string) (string, error) {
	path, err := exec.LookPath(name)
	if err == nil {
		return path, nil
	}
	if strings.Contains(name, "/") {
		if _, serr := os.Stat(name); serr != nil {
			return "", fmt.Errorf("missing: %s not found", name)
		}
		return "", fmt.Errorf("missing: %s is not an executable file", name)
	}
	return "", fmt.Errorf("missing: %s not in PATH", name)
}

// readProof reads the proof file, in format, or returns nil when there is
// none or it is too large to hold.
func readProof(path, format string) *solvers.Proof {
	st, err := os.Stat(path)
	if err != nil || st.Size() > maxProofBytes {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	return solvers.NewProof(format, b)
}

// execution is a finished run.
type execution struct {
	result
	stderr []byte // its tail
}

func (e *execution) stderrNote() string {
	s := strings.TrimSpace(string(e.stderr))
	if s == "" {
		return ""
	}
	return "; its stderr ends: " + s
}

// execute runs prog in dir, standard output and error going to files
// there, and returns its exit status and output. A run that ends by a
// signal other than the kill at the end of ctx is an error; any exit
// status is returned for the convention to judge.
//
// The program gets a process group of its own, which is killed when ctx
// ends and once the program has exited (whatever it left running goes
// too). In a sweep's worker process (isolate.InWorker), it stays in the
// worker's group instead, which the parent kills at the deadline, and it
// dies with the worker (see startInWorker).
func execute(ctx context.Context, prog string, args []string, dir string) (*execution, error) {
	stdout, err := os.Create(filepath.Join(dir, "stdout"))
	if err != nil {
		return nil, err
	}
	defer stdout.Close()
	stderr, err := os.Create(filepath.Join(dir, "stderr"))
	if err != nil {
		return nil, err
	}
	defer stderr.Close()
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.WaitDelay = killDelay
	var waitErr error
	if isolate.InWorker() {
		waitErr = runInWorker(cmd)
	} else {
		isolate.NewGroup(cmd)
		if err := cmd.Start(); err != nil {
			return nil, fmt.Errorf("starting %s: %w", prog, err)
		}
		waitErr = cmd.Wait()
		_ = isolate.KillGroup(cmd)
	}
	e := &execution{}
	e.stderr = tail(stderr.Name(), stderrTail)
	if ctx.Err() != nil {
		return e, nil
	}
	var ee *exec.ExitError
	switch {
	case waitErr == nil:
	case errors.As(waitErr, &ee) && ee.ExitCode() >= 0:
		e.exit = ee.ExitCode()
	case ee == nil:
		return nil, fmt.Errorf("starting %s: %w", prog, waitErr)
	default:
		return nil, fmt.Errorf("%s: %v%s", filepath.Base(prog), waitErr, e.stderrNote())
	}
	if e.stdout, err = os.ReadFile(stdout.Name()); err != nil {
		return nil, err
	}
	return e, nil
}

// tail returns the last n bytes of a file.
func tail(path string, n int64) []byte {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil
	}
	off := max(st.Size()-n, 0)
	b := make([]byte, st.Size()-off)
	if _, err := f.ReadAt(b, off); err != nil {
		return nil
	}
	return b
}
