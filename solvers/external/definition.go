package external

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/nashbench/nashbench/solvers"
)

// Definition describes an external solver: how to write the question for
// it, how to run it, and how to read its answer. Definitions are read from
// JSON files (see ParseDefinitions); field names are a file format: extend,
// never rename.
type Definition struct {
	// Name is the solver's name in --solver, --solvers and rows: letters,
	// digits and . _ + - only, not the name of a built-in solver.
	Name string `json:"name"`
	// Description is free text for listings.
	Description string `json:"description,omitempty"`
	// Input is what the solver reads: "cnf" (DIMACS), "opb" (the OPB file
	// of `nashbench export --formulation pb`) or "lp" (a CPLEX LP file of
	// the MIP named by Formulation).
	Input string `json:"input"`
	// Formulation is, for "lp" input only, the MIP: "compact" or "paper".
	Formulation string `json:"formulation,omitempty"`
	// Command is the command line, program first, with the placeholders
	// {input} (the input file, required), {output} (a file for the
	// solver's answer; the answer is read from it when the command has it,
	// else from standard output) and {timeout} (whole seconds left before
	// the deadline). Placeholders may stand inside an argument
	// ("--model={input}"). The program is looked up in PATH unless it
	// has a slash.
	Command []string `json:"command"`
	// CertifyCommand, for "cnf" input only, is the command line used with
	// --certify: Command's placeholders and {proof}, a file the solver
	// writes a proof to when the formula is unsatisfiable, in ProofFormat.
	CertifyCommand []string `json:"certify_command,omitempty"`
	// ProofFormat is the format of the proofs CertifyCommand writes:
	// "drat" (the default when empty) or "lrat" (text or binary, either
	// format; LRAT hints number the clauses in the order of the input
	// file). Only with a CertifyCommand.
	ProofFormat string `json:"proof_format,omitempty"`
	// Output is the convention of the solver's answer (see conventions).
	Output string `json:"output"`
	// Version is a command line that prints the solver's version (no
	// placeholders); its standard output and error are searched with
	// VersionPattern, whose first group (or whole match) is the version,
	// or give their first non-empty line when there is no pattern.
	Version        []string `json:"version,omitempty"`
	VersionPattern string   `json:"version_pattern,omitempty"`

	// source is the file the definition came from, "shipped" for the
	// embedded ones, and line its line there.
	source string
	line   int
}

// A convention is how a solver writes its answer.
type convention struct {
	input string // the input it goes with
	// needsOutput says the answer is in the {output} file only.
	needsOutput bool
	about       string
}

// conventions are the values of Definition.Output.
var conventions = map[string]convention{
	"sat": {input: "cnf", about: "SAT competition: s SATISFIABLE / s UNSATISFIABLE / s UNKNOWN, v lines of literals ending in 0; exit status 10, 20 or 0"},
	"minisat": {input: "cnf", needsOutput: true,
		about: "MiniSat's result file: SAT and a line of literals ending in 0, UNSAT, or INDET; exit status 10, 20 or 0"},
	"pb": {input: "opb", about: "PB competition: s SATISFIABLE / s OPTIMUM FOUND / s UNSATISFIABLE / s UNKNOWN, v lines of x1 -x2 ...; exit status 0, 10, 20 or 30"},
	"glpk": {input: "lp", needsOutput: true,
		about: "glpsol -w: GLPK's plain-text solution (s mip ... / s bas ..., j lines by column number, e o f); exit status 0"},
	"cbc": {input: "lp", needsOutput: true,
		about: "cbc's solution file: a status line (Optimal, Infeasible, Integer infeasible, Stopped on ...) and one line per column; exit status 0"},
	"highs": {input: "lp", needsOutput: true,
		about: "HiGHS's solution file (--solution_file, raw style): Model status, # Primal solution values, # Columns; exit status 0"},
}

// Placeholders in command lines.
const (
	phInput   = "{input}"
	phOutput  = "{output}"
	phProof   = "{proof}"
	phTimeout = "{timeout}"
)

var (
	validName   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._+-]*$`)
	placeholder = regexp.MustCompile(`\{[A-Za-z_]*\}`)
)

// ParseDefinitions reads a definitions file: a JSON object with one field,
// "solvers", an array of definitions. Decoding is strict (unknown fields
// are errors), every definition is checked, and a name may occur once.
// Errors name file and, where known, the line.
func ParseDefinitions(file string, data []byte) ([]Definition, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	fail := func(off int64, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", file, lineAt(data, off), fmt.Sprintf(format, args...))
	}
	jsonErr := func(err error, at int64) error {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return fail(se.Offset, "%v", se)
		case errors.As(err, &te):
			// Only a definition's decoding gives these, with the offset
			// within the definition.
			if te.Field != "" {
				return fail(at+te.Offset, "field %s: want a JSON %s, not %s", te.Field, te.Type, te.Value)
			}
			return fail(at+te.Offset, "want a JSON %s, not %s", te.Type, te.Value)
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			return fail(int64(len(data)), "unexpected end of the file")
		}
		// Unknown fields come without an offset: the definition's line.
		return fail(at, "%s", strings.TrimPrefix(err.Error(), "json: "))
	}
	expect := func(want json.Delim) error {
		at := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return jsonErr(err, at)
		}
		if d, ok := tok.(json.Delim); !ok || d != want {
			return fail(at, "want %q, found %v", want, tokenString(tok))
		}
		return nil
	}
	if err := expect('{'); err != nil {
		return nil, fmt.Errorf("%w (a definitions file is an object {\"solvers\": [...]})", err)
	}
	var defs []Definition
	seenSolvers := false
	lines := map[string]int{}
	for dec.More() {
		at := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonErr(err, at)
		}
		if key, _ := tok.(string); key != "solvers" {
			return nil, fail(at, "unknown field %s (a definitions file has one field, \"solvers\")", tokenString(tok))
		}
		if seenSolvers {
			return nil, fail(at, "field \"solvers\" given twice")
		}
		seenSolvers = true
		if err := expect('['); err != nil {
			return nil, err
		}
		for dec.More() {
			// InputOffset is just after the previous token: skip to the
			// definition itself for its line.
			at := dec.InputOffset()
			for at < int64(len(data)) && strings.ContainsRune(" \t\r\n,", rune(data[at])) {
				at++
			}
			var d Definition
			if err := dec.Decode(&d); err != nil {
				return nil, jsonErr(err, at)
			}
			d.source, d.line = file, lineAt(data, at)
			if err := d.check(); err != nil {
				return nil, fail(at, "%v", err)
			}
			if l, dup := lines[d.Name]; dup {
				return nil, fail(at, "solver %q is defined twice (first at line %d)", d.Name, l)
			}
			lines[d.Name] = lineAt(data, at)
			defs = append(defs, d)
		}
		if err := expect(']'); err != nil {
			return nil, err
		}
	}
	if err := expect('}'); err != nil {
		return nil, err
	}
	if at := dec.InputOffset(); len(bytes.TrimSpace(data[at:])) > 0 {
		return nil, fail(at, "data after the definitions object")
	}
	if !seenSolvers {
		return nil, fail(0, "no \"solvers\" field")
	}
	return defs, nil
}

// ReadDefinitions reads and parses a definitions file.
func ReadDefinitions(path string) ([]Definition, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseDefinitions(path, data)
}

func tokenString(tok json.Token) string {
	switch t := tok.(type) {
	case json.Delim:
		return fmt.Sprintf("%q", string(t))
	case string:
		return fmt.Sprintf("%q", t)
	case nil:
		return "null"
	}
	return fmt.Sprint(tok)
}

// lineAt returns the 1-based line of byte offset off in data.
func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// check validates a definition; errors name the solver and the field.
func (d *Definition) check() error {
	if d.Name == "" {
		return errors.New("a solver without a name")
	}
	if !validName.MatchString(d.Name) {
		return fmt.Errorf("solver %q: name: use letters, digits and . _ + - only, starting with a letter or digit", d.Name)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("solver %q: %s", d.Name, fmt.Sprintf(format, args...))
	}
	switch d.Input {
	case "cnf", "opb":
		if d.Formulation != "" {
			return bad("formulation: only for input \"lp\"")
		}
	case "lp":
		if d.Formulation != "compact" && d.Formulation != "paper" {
			return bad("formulation %q: want \"compact\" or \"paper\" for input \"lp\"", d.Formulation)
		}
	case "":
		return bad("no input: want \"cnf\", \"opb\" or \"lp\"")
	default:
		return bad("unknown input %q: want \"cnf\", \"opb\" or \"lp\"", d.Input)
	}
	conv, ok := conventions[d.Output]
	switch {
	case d.Output == "":
		return bad("no output convention: want one of %s", conventionNames())
	case !ok:
		return bad("unknown output convention %q: want one of %s", d.Output, conventionNames())
	case conv.input != d.Input:
		return bad("output convention %q reads answers to %s input, not %s", d.Output, conv.input, d.Input)
	}
	if err := checkCommand("command", d.Command, false); err != nil {
		return bad("%v", err)
	}
	if conv.needsOutput && !mentions(d.Command, phOutput) {
		return bad("command: output convention %q reads the answer from a file: the command needs %s", d.Output, phOutput)
	}
	switch d.ProofFormat {
	case "", solvers.ProofDRAT, solvers.ProofLRAT:
	default:
		return bad("proof_format %q: want %q or %q", d.ProofFormat, solvers.ProofDRAT, solvers.ProofLRAT)
	}
	if d.ProofFormat != "" && d.CertifyCommand == nil {
		return bad("proof_format without a certify_command: it is the format of the proofs certify_command writes")
	}
	if d.CertifyCommand != nil {
		if d.Input != "cnf" {
			return bad("certify_command: only for input \"cnf\" (the proofs are DRAT or LRAT refutations of the CNF)")
		}
		if err := checkCommand("certify_command", d.CertifyCommand, true); err != nil {
			return bad("%v", err)
		}
		if mentions(d.Command, phOutput) != mentions(d.CertifyCommand, phOutput) {
			return bad("certify_command: has %s where command has not, or the other way round: both write their answer to the same place", phOutput)
		}
	}
	if len(d.Version) > 0 {
		if d.Version[0] == "" {
			return bad("version: an empty program name")
		}
		for _, a := range d.Version {
			if p := placeholder.FindString(a); p != "" {
				return bad("version: placeholder %s: the version command takes none", p)
			}
		}
	}
	if d.VersionPattern != "" {
		re, err := regexp.Compile(d.VersionPattern)
		if err != nil {
			return bad("version_pattern: %v", err)
		}
		if re.NumSubexp() > 1 {
			return bad("version_pattern: at most one group (the version)")
		}
		if len(d.Version) == 0 {
			return bad("version_pattern without a version command")
		}
	}
	return nil
}

// checkCommand checks a command line: a program, {input}, {proof} exactly
// when proof, and no unknown placeholders.
func checkCommand(field string, argv []string, proof bool) error {
	if len(argv) == 0 || argv[0] == "" {
		return fmt.Errorf("%s: want a command line, program first", field)
	}
	if placeholder.MatchString(argv[0]) {
		return fmt.Errorf("%s: the program %q is a placeholder", field, argv[0])
	}
	known := []string{phInput, phOutput, phTimeout}
	if proof {
		known = append(known, phProof)
	}
	for _, a := range argv {
		for _, p := range placeholder.FindAllString(a, -1) {
			if p == phProof && !proof {
				return fmt.Errorf("%s: %s belongs in certify_command", field, phProof)
			}
			if !slices.Contains(known, p) {
				return fmt.Errorf("%s: unknown placeholder %s (have %s)", field, p, strings.Join(known, " "))
			}
		}
	}
	if !mentions(argv, phInput) {
		return fmt.Errorf("%s: no %s: the solver must be given its input file", field, phInput)
	}
	if proof && !mentions(argv, phProof) {
		return fmt.Errorf("%s: no %s: where should the solver write its proof?", field, phProof)
	}
	return nil
}

// proofFormat is the format of the proofs of CertifyCommand.
func (d *Definition) proofFormat() string {
	if d.ProofFormat == "" {
		return solvers.ProofDRAT
	}
	return d.ProofFormat
}

func mentions(argv []string, ph string) bool {
	for _, a := range argv {
		if strings.Contains(a, ph) {
			return true
		}
	}
	return false
}

func conventionNames() string {
	names := make([]string, 0, len(conventions))
	for n := range conventions {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}
