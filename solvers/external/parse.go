package external

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/nashbench/nashbench/solvers"
)

// parsed is what a solver's output says.
type parsed struct {
	answer solvers.Answer
	// model holds the variables a SAT or PB solver set true; the others
	// are false (cnf, opb; with Found).
	model map[int]bool
	// columns holds LP column values by name (cbc, highs) and byIndex by
	// 1-based column number (glpk), with Found; absent columns are 0.
	columns map[string]float64
	byIndex map[int]float64
}

// result is the raw outcome of a run: the solver's exit status and its
// standard output, and the content of the {output} file when the command
// has one.
type result struct {
	exit   int
	stdout []byte
	output []byte // nil without {output}
}

// answerText is where the answer is: the {output} file, or else standard
// output.
func (r *result) answerText() []byte {
	if r.output != nil {
		return r.output
	}
	return r.stdout
}

// parse reads a run's answer by convention. vars bounds the variable
// numbers a model may name (cnf, opb). Errors say what is wrong and where,
// without the solver's name (the caller adds it).
func parse(conv string, r *result, vars int) (parsed, error) {
	switch conv {
	case "sat":
		return parseSAT(r, vars)
	case "minisat":
		return parseMinisat(r, vars)
	case "pb":
		return parsePB(r, vars)
	case "glpk":
		return parseGLPK(r)
	case "cbc":
		return parseCBC(r)
	case "highs":
		return parseHiGHS(r)
	}
	return parsed{}, fmt.Errorf("unknown output convention %q", conv)
}

// exitAgrees checks a SAT or PB exit status against the answer: 10 is
// satisfiable, 20 unsatisfiable, 30 (PB) an optimum, 0 says nothing.
func exitAgrees(exit int, a solvers.Answer, allowed ...int) error {
	ok := exit == 0
	for _, c := range allowed {
		ok = ok || exit == c
	}
	if !ok {
		return fmt.Errorf("exit status %d", exit)
	}
	switch {
	case (exit == 10 || exit == 30) && a != solvers.Found,
		exit == 20 && a != solvers.None:
		return fmt.Errorf("exit status %d contradicts the answer %s", exit, a)
	}
	return nil
}

// lines calls f on each line of b with its 1-based number; f's error stops
// the scan and is prefixed with the line number.
func lines(b []byte, f func(n int, line string) error) error {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64<<10), 1<<30)
	n := 0
	for sc.Scan() {
		n++
		if err := f(n, strings.TrimRight(sc.Text(), "\r")); err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
	}
	return sc.Err()
}

// dimacsModel collects the literals of a DIMACS-style model (v lines of
// the SAT competition, the second line of MiniSat's file), ending in 0.
type dimacsModel struct {
	vars  int
	model map[int]bool
	seen  map[int]bool
	ended bool
}

func newDimacsModel(vars int) *dimacsModel {
	return &dimacsModel{vars: vars, model: map[int]bool{}, seen: map[int]bool{}}
}

func (m *dimacsModel) add(fields []string) error {
	for _, f := range fields {
		lit, err := strconv.Atoi(f)
		if err != nil {
			return fmt.Errorf("%q is not a literal", f)
		}
		if m.ended {
			return fmt.Errorf("literal %d after the 0 that ends the model", lit)
		}
		if lit == 0 {
			m.ended = true
			continue
		}
		v := max(lit, -lit)
		if v > m.vars {
			return fmt.Errorf("literal %d: the formula has variables 1..%d", lit, m.vars)
		}
		if m.seen[v] && m.model[v] != (lit > 0) {
			return fmt.Errorf("variable %d is both true and false", v)
		}
		m.seen[v], m.model[v] = true, lit > 0
	}
	return nil
}

// statusLine reads a competition status line "s STATUS" (fields f of
// line) into *status: one of known, and the same if repeated. The SAT and
// PB conventions share it so that they agree on what a status line is.
func statusLine(status *string, line string, f []string, known ...string) error {
	s := strings.Join(f[1:], " ")
	if *status != "" && s != *status {
		return fmt.Errorf("a second status line %q after %q", line, "s "+*status)
	}
	if !slices.Contains(known, s) {
		want := make([]string, len(known))
		for i, k := range known {
			want[i] = "s " + k
		}
		return fmt.Errorf("unknown status line %q (want %s or %s)", line, strings.Join(want[:len(want)-1], ", "), want[len(want)-1])
	}
	*status = s
	return nil
}

// parseSAT reads the SAT competition's output: "s SATISFIABLE", "s
// UNSATISFIABLE" or "s UNKNOWN" once, "v" lines with the model ending in 0
// when satisfiable; other lines ("c" comments, anything else) are ignored.
func parseSAT(r *result, vars int) (parsed, error) {
	var p parsed
	status := ""
	m := newDimacsModel(vars)
	err := lines(r.answerText(), func(_ int, line string) error {
		f := strings.Fields(line)
		if len(f) == 0 {
			return nil
		}
		switch f[0] {
		case "s":
			return statusLine(&status, line, f, "SATISFIABLE", "UNSATISFIABLE", "UNKNOWN")
		case "v":
			return m.add(f[1:])
		}
		return nil
	})
	if err != nil {
		return p, err
	}
	switch status {
	case "":
		return p, fmt.Errorf("no status line (s SATISFIABLE, s UNSATISFIABLE or s UNKNOWN); exit status %d", r.exit)
	case "SATISFIABLE":
		if !m.ended {
			return p, errors.New("s SATISFIABLE without a complete model (v lines ending in 0)")
		}
		p.answer, p.model = solvers.Found, m.model
	case "UNSATISFIABLE":
		p.answer = solvers.None
	}
	return p, exitAgrees(r.exit, p.answer, 10, 20)
}

// parseMinisat reads MiniSat's result file: "SAT" and a line of literals
// ending in 0, "UNSAT", or "INDET".
func parseMinisat(r *result, vars int) (parsed, error) {
	var p parsed
	status := ""
	m := newDimacsModel(vars)
	err := lines(r.output, func(_ int, line string) error {
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case status == "":
			if len(f) != 1 || f[0] != "SAT" && f[0] != "UNSAT" && f[0] != "INDET" {
				return fmt.Errorf("%q: want SAT, UNSAT or INDET first", line)
			}
			status = f[0]
		case status == "SAT":
			return m.add(f)
		default:
			return fmt.Errorf("%q after %s", line, status)
		}
		return nil
	})
	if err != nil {
		return p, err
	}
	switch status {
	case "":
		return p, fmt.Errorf("an empty result file; exit status %d", r.exit)
	case "SAT":
		if !m.ended {
			return p, errors.New("SAT without a complete model (literals ending in 0)")
		}
		p.answer, p.model = solvers.Found, m.model
	case "UNSAT":
		p.answer = solvers.None
	}
	return p, exitAgrees(r.exit, p.answer, 10, 20)
}

// parsePB reads the PB competition's output: "s SATISFIABLE" or "s OPTIMUM
// FOUND" with "v" lines of x1 -x2 ... (-x or ~x: false), "s
// UNSATISFIABLE", "s UNKNOWN"; "s UNSUPPORTED" is an error.
func parsePB(r *result, vars int) (parsed, error) {
	var p parsed
	status := ""
	model := map[int]bool{}
	seen := map[int]bool{}
	err := lines(r.answerText(), func(_ int, line string) error {
		f := strings.Fields(line)
		if len(f) == 0 {
			return nil
		}
		switch f[0] {
		case "s":
			if strings.Join(f[1:], " ") == "UNSUPPORTED" {
				return errors.New("s UNSUPPORTED: the solver does not support this instance")
			}
			return statusLine(&status, line, f, "SATISFIABLE", "OPTIMUM FOUND", "UNSATISFIABLE", "UNKNOWN")
		case "v":
			for _, lit := range f[1:] {
				val := true
				name := lit
				if strings.HasPrefix(name, "-") || strings.HasPrefix(name, "~") {
					val, name = false, name[1:]
				}
				v, err := strconv.Atoi(strings.TrimPrefix(name, "x"))
				if !strings.HasPrefix(name, "x") || err != nil || v < 1 {
					return fmt.Errorf("%q is not a literal x<N> or -x<N>", lit)
				}
				if v > vars {
					return fmt.Errorf("literal %s: the instance has variables x1..x%d", lit, vars)
				}
				if seen[v] && model[v] != val {
					return fmt.Errorf("variable x%d is both true and false", v)
				}
				seen[v], model[v] = true, val
			}
		}
		return nil
	})
	if err != nil {
		return p, err
	}
	switch status {
	case "":
		return p, fmt.Errorf("no status line (s SATISFIABLE, s UNSATISFIABLE, ...); exit status %d", r.exit)
	case "SATISFIABLE", "OPTIMUM FOUND":
		// Variables that occur in no constraint may go unreported; any
		// value does for them, and the witness is checked anyway.
		p.answer, p.model = solvers.Found, model
	case "UNSATISFIABLE":
		p.answer = solvers.None
	}
	return p, exitAgrees(r.exit, p.answer, 10, 20, 30)
}

// parseGLPK reads glpsol's -w file (glp_write_mip, glp_write_sol): "s mip
// ROWS COLS STATUS OBJ" with status o (optimal), f (feasible), n (no
// integer feasible solution) or u (undefined), or for a model without
// integer columns "s bas ROWS COLS PRIMAL DUAL OBJ"; then "i" lines for
// rows, "j" lines for columns by number, and "e o f".
func parseGLPK(r *result) (parsed, error) {
	var p parsed
	if r.exit != 0 {
		return p, fmt.Errorf("exit status %d", r.exit)
	}
	kind, status, cols := "", "", 0
	values := map[int]float64{}
	end := false
	err := lines(r.output, func(_ int, line string) error {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] == "c" {
			return nil
		}
		if end {
			return fmt.Errorf("%q after e o f", line)
		}
		switch f[0] {
		case "s":
			if kind != "" {
				return errors.New("a second s line")
			}
			if len(f) < 5 || f[1] != "mip" && f[1] != "bas" {
				return fmt.Errorf("%q: want s mip ROWS COLS STATUS OBJ or s bas ROWS COLS PRIMAL DUAL OBJ", line)
			}
			n, err := strconv.Atoi(f[3])
			if err != nil || n < 0 {
				return fmt.Errorf("%q: bad column count", line)
			}
			kind, status, cols = f[1], f[4], n
		case "j":
			if kind == "" {
				return errors.New("a j line before the s line")
			}
			// mip: j COL VALUE; bas: j COL STAT PRIMAL DUAL.
			want, at := 3, 2
			if kind == "bas" {
				want, at = 5, 3
			}
			if len(f) != want {
				return fmt.Errorf("%q: want %d fields", line, want)
			}
			j, err := strconv.Atoi(f[1])
			if err != nil || j < 1 || j > cols {
				return fmt.Errorf("%q: column number outside 1..%d", line, cols)
			}
			v, err := parseFloat(f[at])
			if err != nil {
				return fmt.Errorf("%q: %v", line, err)
			}
			values[j] = v
		case "i":
		case "e":
			if strings.Join(f, " ") != "e o f" {
				return fmt.Errorf("%q: want e o f", line)
			}
			end = true
		default:
			return fmt.Errorf("%q: not a line of a GLPK solution file", line)
		}
		return nil
	})
	switch {
	case err != nil:
		return p, err
	case kind == "":
		return p, errors.New("no s line (is this a glpsol -w file?)")
	case !end:
		return p, errors.New("no e o f line: the file is cut short")
	}
	switch {
	case kind == "mip" && (status == "o" || status == "f"),
		kind == "bas" && status == "f":
		p.answer, p.byIndex = solvers.Found, values
	case status == "n":
		p.answer = solvers.None
	case kind == "mip" && status == "u":
		// No integer solution yet: a time or node limit.
		p.answer = solvers.Unknown
	default:
		return p, fmt.Errorf("solution status %q of an %s solution: glpsol did not decide the model", status, kind)
	}
	return p, nil
}

// parseCBC reads cbc's solution file: a status line "STATUS - objective
// value V" (Optimal, Optimal (within gap tolerance), Infeasible, Integer
// infeasible, Stopped on time/iterations/nodes/solutions/gap/difficulties/
// ctrl-c, possibly "(no integer solution - continuous used)", Unbounded,
// Status unknown), then one line per column (or row) "[**] INDEX NAME VALUE
// REDUCED_COST" ("**" marks a value outside its bounds).
func parseCBC(r *result) (parsed, error) {
	var p parsed
	if r.exit != 0 {
		return p, fmt.Errorf("exit status %d", r.exit)
	}
	header := ""
	values := map[string]float64{}
	err := lines(r.output, func(n int, line string) error {
		if n == 1 {
			header = strings.TrimSpace(line)
			return nil
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			return nil
		}
		if f[0] == "**" {
			f = f[1:]
		}
		if len(f) != 4 {
			return fmt.Errorf("%q: want INDEX NAME VALUE REDUCED_COST", line)
		}
		if _, err := strconv.Atoi(f[0]); err != nil {
			return fmt.Errorf("%q: bad index", line)
		}
		v, err := parseFloat(f[2])
		if err != nil {
			return fmt.Errorf("%q: %v", line, err)
		}
		values[f[1]] = v
		return nil
	})
	if err != nil {
		return p, err
	}
	status, _, ok := strings.Cut(header, " - objective value")
	if header == "" || !ok {
		return p, fmt.Errorf("line 1: %q: want a status line STATUS - objective value V", header)
	}
	switch {
	case strings.HasPrefix(status, "Optimal"):
		p.answer, p.columns = solvers.Found, values
	case status == "Infeasible" || status == "Integer infeasible":
		p.answer = solvers.None
	case strings.HasPrefix(status, "Stopped on"):
		// A limit: the values are an integer solution unless cbc says
		// it had none.
		p.answer = solvers.Unknown
		if !strings.Contains(status, "no integer solution") {
			p.answer, p.columns = solvers.Found, values
		}
	default:
		return p, fmt.Errorf("line 1: status %q: cbc did not decide the model", status)
	}
	return p, nil
}

// parseHiGHS reads HiGHS's raw solution file: "Model status" and the
// status on the next line, then "# Primal solution values" and "None",
// "Feasible" or "Infeasible", "Objective V", "# Columns N" and N lines
// "NAME VALUE" (sparse style: "# Columns -N" and "NAME VALUE INDEX"); the
// rest (rows, duals, basis) is not read.
func parseHiGHS(r *result) (parsed, error) {
	var p parsed
	if r.exit != 0 {
		return p, fmt.Errorf("exit status %d", r.exit)
	}
	var (
		status, primal string
		section        string // the last "#" or "Model status" heading
		want           = -1   // column lines still to read
		sparse         bool
	)
	values := map[string]float64{}
	err := lines(r.output, func(_ int, line string) error {
		t := strings.TrimSpace(line)
		switch {
		case want > 0:
			f := strings.Fields(t)
			if len(f) != 2 && !(sparse && len(f) == 3) {
				return fmt.Errorf("%q: want NAME VALUE", line)
			}
			v, err := parseFloat(f[1])
			if err != nil {
				return fmt.Errorf("%q: %v", line, err)
			}
			values[f[0]] = v
			want--
		case t == "Model status":
			section = t
		case section == "Model status" && status == "" && t != "":
			status = t
		case t == "# Primal solution values":
			section = t
		case section == "# Primal solution values" && primal == "" && t != "":
			primal = t
		case section == "# Primal solution values" && strings.HasPrefix(t, "# Columns ") && want < 0:
			n, err := strconv.Atoi(strings.TrimPrefix(t, "# Columns "))
			if err != nil {
				return fmt.Errorf("%q: bad column count", line)
			}
			sparse, want = n < 0, max(n, -n)
		case strings.HasPrefix(t, "#"):
			section = t
		}
		return nil
	})
	switch {
	case err != nil:
		return p, err
	case status == "":
		return p, errors.New("no model status (is this a HiGHS solution file?)")
	case want > 0:
		return p, fmt.Errorf("the file ends %d column values short", want)
	}
	feasible := primal == "Feasible" && want == 0
	switch status {
	case "Optimal":
		if !feasible {
			return p, fmt.Errorf("model status Optimal without a feasible primal solution (%q)", primal)
		}
		p.answer, p.columns = solvers.Found, values
	case "Infeasible", "Primal infeasible or unbounded":
		// The objective is zero, so the model cannot be unbounded.
		p.answer = solvers.None
	case "Time limit reached", "Iteration limit reached", "Solution limit reached", "Interrupted by user",
		"Interrupted by HiGHS", "Memory limit reached", "Unknown", "Bound on objective reached", "Target for objective reached":
		p.answer = solvers.Unknown
		if feasible {
			p.answer, p.columns = solvers.Found, values
		}
	default:
		return p, fmt.Errorf("model status %q: HiGHS did not decide the model", status)
	}
	return p, nil
}

func parseFloat(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a finite number", s)
	}
	return v, nil
}

// statLine matches the counters SAT and PB solvers print at the end, with
// or without a "c " prefix, as a name, a colon and an integer: cadical's
// "c conflicts:   12   3.4 per second", MiniSat's "conflicts   : 12
// (...)", minisat+'s and cryptominisat5's "c conflicts   : 12". A value
// is read only when written out in full: cryptominisat5 abbreviates
// counts over 20000 of some counters ("c propagations : 88K"), which are
// not exact, so such a counter is left out rather than rounded.
var statLine = regexp.MustCompile(`(?m)^(?:c\s+)?(conflicts|decisions|propagations|restarts)\s*:\s*([0-9]+)(?:\s|$)`)

// picosatLine matches picosat's statistics (printed with -v): "c 12
// conflicts".
var picosatLine = regexp.MustCompile(`(?m)^c ([0-9]+) (conflicts|decisions|propagations|restarts)$`)

// cbcNodes matches cbc's "Enumerated nodes: N", cbcIterations its "Total
// iterations: N" (simplex iterations, over the whole branch and bound).
var (
	cbcNodes      = regexp.MustCompile(`(?m)^Enumerated nodes:\s*([0-9]+)\s*$`)
	cbcIterations = regexp.MustCompile(`(?m)^Total iterations:\s*([0-9]+)\s*$`)
)

// parseStats returns the exact work counters a solver printed (the last
// of each: cryptominisat5 prints its totals twice), named as the built-in
// solvers' are: conflicts, decisions, propagations and restarts for SAT
// and PB solvers (gophersat has no propagations), nodes and lp-iterations
// (HiGHS's names) for cbc. A counter a solver does not print is absent:
// cadical leaves out those that are zero (restarts, often), picosat prints
// them only with -v (its shipped definition passes it), glpsol and HiGHS's
// command line tool print none worth reading.
func parseStats(conv string, stdout []byte) map[string]float64 {
	stats := map[string]float64{}
	last := func(re *regexp.Regexp, key string) {
		if all := re.FindAllSubmatch(stdout, -1); len(all) > 0 {
			if v, err := strconv.ParseFloat(string(all[len(all)-1][1]), 64); err == nil {
				stats[key] = v
			}
		}
	}
	switch conv {
	case "sat", "minisat", "pb":
		for _, m := range statLine.FindAllSubmatch(stdout, -1) {
			if v, err := strconv.ParseFloat(string(m[2]), 64); err == nil {
				stats[string(m[1])] = v
			}
		}
		for _, m := range picosatLine.FindAllSubmatch(stdout, -1) {
			if v, err := strconv.ParseFloat(string(m[1]), 64); err == nil {
				stats[string(m[2])] = v
			}
		}
	case "cbc":
		last(cbcNodes, "nodes")
		last(cbcIterations, "lp-iterations")
	}
	return stats
}
