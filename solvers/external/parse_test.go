package external

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/solvers"
)

// out reads a captured output from testdata/out.
func out(t *testing.T, name string) []byte {
	t.Helper()
	if name == "" {
		return nil
	}
	b, err := os.ReadFile(filepath.Join("testdata", "out", name))
	require.NoError(t, err)
	return b
}

// TestParse reads captured outputs of the real solvers (testdata/out, made
// from sat.cnf, unsat.cnf, unsat150.cnf, sat.opb, unsat.opb and the
// compact LP models of two reduction games; the HiGHS files follow its
// writer, as no HiGHS binary is packaged) and malformed ones: each gives
// its answer, or an error that says what is wrong.
func TestParse(t *testing.T) {
	for _, tt := range []struct {
		name, conv     string
		stdout, output string // files in testdata/out
		text           string // inline answer text, instead of the files
		exit, vars     int
		want           solvers.Answer
		model          map[int]bool
		columns        map[string]float64
		byIndex        map[int]float64
		err            string
	}{
		// SAT competition output.
		{name: "cadical sat", conv: "sat", stdout: "cadical-sat.txt", exit: 10, vars: 3, want: solvers.Found, model: map[int]bool{1: true, 2: true, 3: true}},
		{name: "cadical unsat", conv: "sat", stdout: "cadical-unsat.txt", exit: 20, vars: 2, want: solvers.None},
		{name: "picosat sat", conv: "sat", stdout: "picosat-sat.txt", exit: 10, vars: 3, want: solvers.Found, model: map[int]bool{1: true, 2: false, 3: true}},
		{name: "picosat unsat", conv: "sat", stdout: "picosat-unsat.txt", exit: 20, vars: 2, want: solvers.None},
		// picosat -v, as shipped: statistics in comment lines.
		{name: "picosat -v sat", conv: "sat", stdout: "picosat-v-sat.txt", exit: 10, vars: 3, want: solvers.Found, model: map[int]bool{1: true, 2: false, 3: true}},
		{name: "picosat -v unsat", conv: "sat", stdout: "picosat-v.txt", exit: 20, vars: 150, want: solvers.None},
		{name: "cadical unsat, statistics", conv: "sat", stdout: "cadical-stats.txt", exit: 20, vars: 150, want: solvers.None},
		{name: "cryptominisat5 unsat, statistics", conv: "sat", stdout: "cryptominisat5-stats.txt", exit: 20, vars: 150, want: solvers.None},
		{name: "cryptominisat5 sat", conv: "sat", stdout: "cryptominisat5-sat.txt", exit: 10, vars: 3, want: solvers.Found, model: map[int]bool{1: false, 2: false, 3: true}},
		{name: "cryptominisat5 unsat", conv: "sat", stdout: "cryptominisat5-unsat.txt", exit: 20, vars: 2, want: solvers.None},
		{name: "unknown", conv: "sat", text: "c gave up\ns UNKNOWN\n", vars: 3, want: solvers.Unknown},
		{name: "model over several v lines", conv: "sat", text: "s SATISFIABLE\nv -1 2\nv 3 0\n", exit: 10, vars: 3, want: solvers.Found, model: map[int]bool{1: false, 2: true, 3: true}},
		{name: "no status line", conv: "sat", text: "c nothing\n", exit: 10, vars: 3, err: "no status line"},
		{name: "unknown status", conv: "sat", text: "s MAYBE\n", vars: 3, err: `line 1: unknown status line "s MAYBE"`},
		{name: "two statuses", conv: "sat", text: "s SATISFIABLE\ns UNSATISFIABLE\n", vars: 3, err: "line 2: a second status line"},
		{name: "truncated model", conv: "sat", text: "s SATISFIABLE\nv 1 -2\n", exit: 10, vars: 3, err: "without a complete model"},
		{name: "no model", conv: "sat", text: "s SATISFIABLE\n", exit: 10, vars: 3, err: "without a complete model"},
		{name: "literal out of range", conv: "sat", text: "s SATISFIABLE\nv 1 -7 0\n", exit: 10, vars: 3, err: "line 2: literal -7: the formula has variables 1..3"},
		{name: "not a literal", conv: "sat", text: "s SATISFIABLE\nv 1 x 0\n", exit: 10, vars: 3, err: `line 2: "x" is not a literal`},
		{name: "contradictory model", conv: "sat", text: "s SATISFIABLE\nv 1 -1 0\n", exit: 10, vars: 3, err: "variable 1 is both true and false"},
		{name: "literal after 0", conv: "sat", text: "s SATISFIABLE\nv 1 0 2\n", exit: 10, vars: 3, err: "after the 0 that ends the model"},
		{name: "exit contradicts", conv: "sat", text: "s UNSATISFIABLE\n", exit: 10, vars: 3, err: "exit status 10 contradicts the answer none"},
		{name: "odd exit", conv: "sat", text: "s UNSATISFIABLE\n", exit: 1, vars: 3, err: "exit status 1"},

		// MiniSat's result file.
		{name: "minisat sat", conv: "minisat", stdout: "minisat-sat.txt", output: "minisat-sat.result", exit: 10, vars: 3, want: solvers.Found, model: map[int]bool{1: true, 2: false, 3: true}},
		{name: "minisat unsat", conv: "minisat", stdout: "minisat-unsat.txt", output: "minisat-unsat.result", exit: 20, vars: 2, want: solvers.None},
		{name: "minisat indet", conv: "minisat", text: "INDET\n", vars: 2, want: solvers.Unknown},
		{name: "minisat empty", conv: "minisat", text: "", exit: 3, vars: 2, err: "an empty result file; exit status 3"},
		{name: "minisat garbage", conv: "minisat", text: "YES\n", vars: 2, err: `line 1: "YES": want SAT, UNSAT or INDET first`},
		{name: "minisat truncated", conv: "minisat", text: "SAT\n1 -2\n", exit: 10, vars: 3, err: "SAT without a complete model"},
		{name: "minisat text after unsat", conv: "minisat", text: "UNSAT\n1 0\n", exit: 20, vars: 3, err: `line 2: "1 0" after UNSAT`},

		// PB competition output.
		{name: "minisat+ sat", conv: "pb", stdout: "minisatp-sat.txt", vars: 3, want: solvers.Found, model: map[int]bool{1: false, 2: true, 3: true}},
		{name: "minisat+ unsat", conv: "pb", stdout: "minisatp-unsat.txt", vars: 2, want: solvers.None},
		{name: "optimum found", conv: "pb", text: "s OPTIMUM FOUND\nv x1 ~x2\nv -x3\n", exit: 30, vars: 3, want: solvers.Found, model: map[int]bool{1: true, 2: false, 3: false}},
		{name: "pb unknown", conv: "pb", text: "s UNKNOWN\n", vars: 3, want: solvers.Unknown},
		{name: "pb unsupported", conv: "pb", text: "s UNSUPPORTED\n", vars: 3, err: "s UNSUPPORTED"},
		{name: "pb bad literal", conv: "pb", text: "s SATISFIABLE\nv x1 y2\n", vars: 3, err: `line 2: "y2" is not a literal`},
		{name: "pb literal out of range", conv: "pb", text: "s SATISFIABLE\nv x9\n", vars: 3, err: "literal x9: the instance has variables x1..x3"},
		{name: "pb no status", conv: "pb", text: "v x1\n", vars: 3, err: "no status line"},
		// The SAT and PB conventions share the status line reader; each keeps its own statuses.
		{name: "pb unknown status", conv: "pb", text: "s MAYBE\n", vars: 3, err: `line 1: unknown status line "s MAYBE" (want s SATISFIABLE, s OPTIMUM FOUND, s UNSATISFIABLE or s UNKNOWN)`},
		{name: "pb two statuses", conv: "pb", text: "s OPTIMUM FOUND\nv x1\ns UNSATISFIABLE\n", vars: 3, err: "line 3: a second status line"},
		{name: "sat optimum is pb only", conv: "sat", text: "s OPTIMUM FOUND\n", vars: 3, err: `unknown status line "s OPTIMUM FOUND" (want s SATISFIABLE, s UNSATISFIABLE or s UNKNOWN)`},
		{name: "sat repeated status", conv: "sat", text: "s UNSATISFIABLE\ns UNSATISFIABLE\n", exit: 20, vars: 3, want: solvers.None},
		{name: "pb exit contradicts", conv: "pb", text: "s SATISFIABLE\nv x1\n", exit: 20, vars: 3, err: "exit status 20 contradicts"},

		// glpsol -w.
		{name: "glpk optimal", conv: "glpk", output: "glpk-optimal.sol", want: solvers.Found,
			byIndex: map[int]float64{1: 0, 2: 28, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 0, 10: 1, 11: 1}},
		{name: "glpk integer empty", conv: "glpk", output: "glpk-empty.sol", want: solvers.None},
		{name: "glpk basic no feasible", conv: "glpk", output: "glpk-bas-nofeas.sol", want: solvers.None},
		{name: "glpk basic feasible", conv: "glpk", text: "s bas 1 2 f f 0\ni 1 b 3 0\nj 1 b 1 0\nj 2 l 2 0\ne o f\n", want: solvers.Found, byIndex: map[int]float64{1: 1, 2: 2}},
		{name: "glpk undefined mip", conv: "glpk", text: "s mip 1 1 u 0\ni 1 0\nj 1 0\ne o f\n", want: solvers.Unknown},
		{name: "glpk undefined basic", conv: "glpk", text: "s bas 1 1 u u 0\ni 1 b 0 0\nj 1 l 0 0\ne o f\n", err: `solution status "u" of an bas solution`},
		{name: "glpk truncated", conv: "glpk", text: "s mip 1 2 o 0\nj 1 1\n", err: "no e o f line"},
		{name: "glpk no s line", conv: "glpk", text: "c hello\n", err: "no s line"},
		{name: "glpk column out of range", conv: "glpk", text: "s mip 1 2 o 0\nj 3 1\ne o f\n", err: `line 2: "j 3 1": column number outside 1..2`},
		{name: "glpk bad value", conv: "glpk", text: "s mip 1 2 o 0\nj 1 nan\ne o f\n", err: "is not a finite number"},
		{name: "glpk stray line", conv: "glpk", text: "s mip 1 2 o 0\nx 1\ne o f\n", err: "not a line of a GLPK solution file"},
		{name: "glpk exit status", conv: "glpk", text: "", exit: 1, err: "exit status 1"},

		// cbc's solution file.
		{name: "cbc optimal", conv: "cbc", stdout: "cbc-optimal.txt", output: "cbc-optimal.sol", want: solvers.Found,
			columns: map[string]float64{"a1": 1, "zmax": 28, "a2": 0, "a3": 0, "a4": 0, "a5": 0, "a6": 1, "a7": 0, "a8": 1, "a9": 1, "a10": 0}},
		{name: "cbc integer infeasible", conv: "cbc", output: "cbc-integer-infeasible.sol", want: solvers.None},
		{name: "cbc infeasible", conv: "cbc", output: "cbc-infeasible.sol", want: solvers.None},
		{name: "cbc stopped with a solution", conv: "cbc", text: "Stopped on time - objective value 0.00000000\n      0 a1  1  0\n**    1 a2  0  0\n", want: solvers.Found, columns: map[string]float64{"a1": 1, "a2": 0}},
		{name: "cbc stopped without", conv: "cbc", text: "Stopped on time (no integer solution - continuous used) - objective value 0.00000000\n      0 a1  0.5  0\n", want: solvers.Unknown},
		{name: "cbc unbounded", conv: "cbc", text: "Unbounded - objective value 0\n", err: `status "Unbounded": cbc did not decide`},
		{name: "cbc no header", conv: "cbc", text: "", err: "want a status line"},
		{name: "cbc bad line", conv: "cbc", text: "Optimal - objective value 0\n 0 a1 1\n", err: `line 2: " 0 a1 1": want INDEX NAME VALUE REDUCED_COST`},

		// HiGHS's solution file.
		{name: "highs optimal", conv: "highs", output: "highs-optimal.sol", want: solvers.Found, columns: map[string]float64{"a1": 1, "zmax": 28, "a2": 0, "a3": 0.9999999}},
		{name: "highs sparse", conv: "highs", output: "highs-sparse.sol", want: solvers.Found, columns: map[string]float64{"a1": 1, "zmax": 28}},
		{name: "highs infeasible", conv: "highs", output: "highs-infeasible.sol", want: solvers.None},
		{name: "highs time limit", conv: "highs", output: "highs-timelimit.sol", want: solvers.Unknown},
		{name: "highs time limit with a solution", conv: "highs", output: "highs-timelimit-feasible.sol", want: solvers.Found, columns: map[string]float64{"a1": 0, "a2": 1}},
		{name: "highs load error", conv: "highs", text: "Model status\nLoad error\n", err: `model status "Load error"`},
		{name: "highs optimal without values", conv: "highs", text: "Model status\nOptimal\n\n# Primal solution values\nNone\n", err: "without a feasible primal solution"},
		{name: "highs short", conv: "highs", text: "Model status\nOptimal\n# Primal solution values\nFeasible\n# Columns 3\na1 1\n", err: "ends 2 column values short"},
		{name: "highs not a solution file", conv: "highs", text: "hello\n", err: "no model status"},
		{name: "highs bad value", conv: "highs", text: "Model status\nOptimal\n# Primal solution values\nFeasible\n# Columns 1\na1 x\n", err: `"x" is not a finite number`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := &result{exit: tt.exit, stdout: out(t, tt.stdout), output: out(t, tt.output)}
			if tt.output == "" && tt.stdout == "" {
				if conventions[tt.conv].needsOutput {
					r.output = []byte(tt.text)
				} else {
					r.stdout = []byte(tt.text)
				}
			}
			got, err := parse(tt.conv, r, tt.vars)
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.answer)
			if tt.model != nil {
				assert.Equal(t, tt.model, got.model)
			}
			if tt.columns != nil {
				assert.Equal(t, tt.columns, got.columns)
			}
			if tt.byIndex != nil {
				assert.Equal(t, tt.byIndex, got.byIndex)
			}
		})
	}
}

// TestParseStats reads the counters of the captured outputs: the small
// ones of TestParse, and real runs with work to count (the *-stats.txt
// files and picosat-v.txt: cadical, minisat, picosat -v and cryptominisat5
// on unsat150.cnf, an unsatisfiable random 3-SAT formula; cbc-nodes.txt:
// cbc on market-split.lp, a market split MIP with 25 binaries).
// Every counter printed is read, and nothing else.
func TestParseStats(t *testing.T) {
	for _, tt := range []struct {
		conv, file string
		want       map[string]float64
	}{
		// cadical leaves out the counters that are zero (restarts here).
		{"sat", "cadical-unsat.txt", map[string]float64{"conflicts": 2, "decisions": 1, "propagations": 2}},
		{"sat", "cadical-stats.txt", map[string]float64{"conflicts": 5448, "decisions": 5899, "propagations": 162715, "restarts": 16}},
		{"sat", "cryptominisat5-unsat.txt", map[string]float64{"conflicts": 2, "decisions": 1, "propagations": 2, "restarts": 1}},
		// Its propagations are abbreviated ("88K"): not exact, left out.
		{"sat", "cryptominisat5-stats.txt", map[string]float64{"conflicts": 2841, "decisions": 3390, "restarts": 14}},
		{"minisat", "minisat-sat.txt", map[string]float64{"conflicts": 0, "decisions": 1, "propagations": 0, "restarts": 1}},
		{"minisat", "minisat-stats.txt", map[string]float64{"conflicts": 2908, "decisions": 3467, "propagations": 90742, "restarts": 15}},
		{"pb", "minisatp-sat.txt", map[string]float64{"conflicts": 0, "decisions": 2, "propagations": 0, "restarts": 1}},
		{"cbc", "cbc-optimal.txt", map[string]float64{"nodes": 0, "lp-iterations": 0}},
		{"cbc", "cbc-nodes.txt", map[string]float64{"nodes": 136533, "lp-iterations": 204545}},
		// picosat prints its statistics only with -v.
		{"sat", "picosat-sat.txt", map[string]float64{}},
		{"sat", "picosat-v-sat.txt", map[string]float64{"conflicts": 0, "decisions": 2, "propagations": 7, "restarts": 0}},
		{"sat", "picosat-v.txt", map[string]float64{"conflicts": 2134, "decisions": 2519, "propagations": 87562, "restarts": 2}},
		// Conventions whose solvers print no counters read none.
		{"glpk", "cbc-nodes.txt", map[string]float64{}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			assert.Equal(t, tt.want, parseStats(tt.conv, out(t, tt.file)))
		})
	}
}

// TestParseStatsLines: what a counter line must look like.
func TestParseStatsLines(t *testing.T) {
	for _, tt := range []struct {
		text string
		want map[string]float64
	}{
		{"c conflicts: 12 3.0 per second\n", map[string]float64{"conflicts": 12}},
		{"conflicts             : 12             (3 /sec)\n", map[string]float64{"conflicts": 12}},
		{"c propagations             : 20000       (0 props/s)\n", map[string]float64{"propagations": 20000}},
		{"c propagations             : 21K         (0 props/s)\n", map[string]float64{}},
		{"c propagations             : 3M\n", map[string]float64{}},
		{"c 12 conflicts\n", map[string]float64{"conflicts": 12}},
		{"c 12 conflicts per second\n", map[string]float64{}},
		{"c props/decision           : 0.00\n", map[string]float64{}},
		// The last of each counts.
		{"c decisions : 1\nc decisions : 2\n", map[string]float64{"decisions": 2}},
	} {
		t.Run(tt.text, func(t *testing.T) {
			assert.Equal(t, tt.want, parseStats("sat", []byte(tt.text)))
		})
	}
}
