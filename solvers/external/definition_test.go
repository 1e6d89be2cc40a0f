package external

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/solvers"
)

// def returns a definitions file holding one solver given by its JSON
// fields.
func def(fields string) string {
	return "{\n  \"solvers\": [\n    {" + fields + "}\n  ]\n}\n"
}

const okFields = `"name": "x", "input": "cnf", "command": ["x", "{input}"], "output": "sat"`

// TestParseDefinitionsErrors: every mistake in a definitions file is an
// error naming the file, the line and the problem.
func TestParseDefinitionsErrors(t *testing.T) {
	for _, tt := range []struct {
		name, file, err string
	}{
		{"not JSON", "{\n  \"solvers\": [\n    {\"name\": \"x\",,}\n  ]\n}", "defs.json:3: invalid character ','"},
		{"cut short", "{\"solvers\": [", "defs.json:1: unexpected end of the file"},
		{"not an object", "[1]", `defs.json:1: want "{", found "["`},
		{"unknown top field", "{\n\"solver\": []}", `defs.json:2: unknown field "solver"`},
		{"no solvers", "{}", `defs.json:1: no "solvers" field`},
		{"solvers twice", `{"solvers": [], "solvers": []}`, `field "solvers" given twice`},
		{"trailing data", `{"solvers": []} {}`, "data after the definitions object"},
		{"unknown field", def(okFields + `, "timeout": 3`), `defs.json:3: unknown field "timeout"`},
		{"wrong type", def(`"name": 3`), "defs.json:3: field name: want a JSON string, not number"},
		{"no name", def(`"input": "cnf"`), "defs.json:3: a solver without a name"},
		{"bad name", def(`"name": "a,b", "input": "cnf"`), `defs.json:3: solver "a,b": name: use letters, digits`},
		{"no input", def(`"name": "x", "command": ["x", "{input}"], "output": "sat"`), `solver "x": no input`},
		{"unknown input", def(`"name": "x", "input": "smt2", "command": ["x", "{input}"], "output": "sat"`), `solver "x": unknown input "smt2"`},
		{"lp without formulation", def(`"name": "x", "input": "lp", "command": ["x", "{input}", "{output}"], "output": "cbc"`), `formulation "": want "compact" or "paper"`},
		{"formulation on cnf", def(okFields + `, "formulation": "compact"`), `formulation: only for input "lp"`},
		{"no convention", def(`"name": "x", "input": "cnf", "command": ["x", "{input}"]`), "no output convention: want one of cbc, glpk, highs, minisat, pb, sat"},
		{"unknown convention", def(`"name": "x", "input": "cnf", "command": ["x", "{input}"], "output": "dimacs"`), `unknown output convention "dimacs"`},
		{"convention of another input", def(`"name": "x", "input": "opb", "command": ["x", "{input}"], "output": "sat"`), `output convention "sat" reads answers to cnf input, not opb`},
		{"no command", def(`"name": "x", "input": "cnf", "output": "sat"`), "command: want a command line"},
		{"no input placeholder", def(`"name": "x", "input": "cnf", "command": ["x", "in.cnf"], "output": "sat"`), "command: no {input}"},
		{"unknown placeholder", def(`"name": "x", "input": "cnf", "command": ["x", "{input}", "{seed}"], "output": "sat"`), "command: unknown placeholder {seed}"},
		{"program placeholder", def(`"name": "x", "input": "cnf", "command": ["{input}"], "output": "sat"`), `the program "{input}" is a placeholder`},
		{"proof in command", def(`"name": "x", "input": "cnf", "command": ["x", "{input}", "{proof}"], "output": "sat"`), "command: {proof} belongs in certify_command"},
		{"output file needed", def(`"name": "x", "input": "lp", "formulation": "compact", "command": ["cbc", "{input}"], "output": "cbc"`), "reads the answer from a file: the command needs {output}"},
		{"certify without proof", def(okFields + `, "certify_command": ["x", "{input}"]`), "certify_command: no {proof}"},
		{"certify on opb", def(`"name": "x", "input": "opb", "command": ["x", "{input}"], "output": "pb", "certify_command": ["x", "{input}", "{proof}"]`), `certify_command: only for input "cnf"`},
		{"unknown proof format", def(okFields + `, "certify_command": ["x", "{input}", "{proof}"], "proof_format": "frat"`), `solver "x": proof_format "frat": want "drat" or "lrat"`},
		{"proof format without certify", def(okFields + `, "proof_format": "lrat"`), `solver "x": proof_format without a certify_command`},
		{"proof format on opb", def(`"name": "x", "input": "opb", "command": ["x", "{input}"], "output": "pb", "proof_format": "lrat"`), `proof_format without a certify_command`},
		{"certify output mismatch", def(okFields + `, "certify_command": ["x", "{input}", "{proof}", "{output}"]`), "certify_command: has {output} where command has not"},
		{"version placeholder", def(okFields + `, "version": ["x", "{input}"]`), "version: placeholder {input}"},
		{"bad version pattern", def(okFields + `, "version": ["x"], "version_pattern": "("`), "version_pattern: error parsing regexp"},
		{"two groups", def(okFields + `, "version": ["x"], "version_pattern": "(a)(b)"`), "version_pattern: at most one group"},
		{"pattern without command", def(okFields + `, "version_pattern": "v(\\S+)"`), "version_pattern without a version command"},
		{"duplicate", "{\"solvers\": [\n{" + okFields + "},\n{" + okFields + "}\n]}", `defs.json:3: solver "x" is defined twice (first at line 2)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseDefinitions("defs.json", []byte(tt.file))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.err)
			assert.True(t, strings.HasPrefix(err.Error(), "defs.json:"), "the error names the file: %v", err)
		})
	}
}

func TestParseDefinitions(t *testing.T) {
	file := `{
  "solvers": [
    {
      "name": "kissat-like",
      "description": "anything",
      "input": "cnf",
      "command": ["/opt/bin/solver", "--time={timeout}", "{input}"],
      "certify_command": ["/opt/bin/solver", "{input}", "{proof}"],
      "proof_format": "lrat",
      "output": "sat",
      "version": ["/opt/bin/solver", "--version"],
      "version_pattern": "v(\\S+)"
    },
    {"name": "highs", "input": "lp", "formulation": "paper", "command": ["highs", "--model_file", "{input}", "--solution_file", "{output}"], "output": "highs"}
  ]
}`
	defs, err := ParseDefinitions("f.json", []byte(file))
	require.NoError(t, err)
	require.Len(t, defs, 2)
	assert.Equal(t, "kissat-like", defs[0].Name)
	assert.Equal(t, []string{"/opt/bin/solver", "{input}", "{proof}"}, defs[0].CertifyCommand)
	assert.Equal(t, "lrat", defs[0].ProofFormat)
	assert.Equal(t, "", defs[1].ProofFormat)
	assert.Equal(t, "f.json", defs[0].source)
	assert.Equal(t, 3, defs[0].line)
	assert.Equal(t, 14, defs[1].line)
	assert.Equal(t, "paper", defs[1].Formulation)
}

// TestShippedDefinitions: the embedded definitions parse and cover the
// solvers Debian packages.
func TestShippedDefinitions(t *testing.T) {
	var names []string
	for _, d := range Shipped() {
		names = append(names, d.Name)
		assert.True(t, solvers.IsExternal(d.Name), d.Name)
	}
	assert.ElementsMatch(t, []string{"cadical", "minisat", "picosat", "cryptominisat5", "minisat+",
		"cbc-compact", "cbc-paper", "glpsol-compact", "glpsol-paper"}, names)
}

func TestRegister(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
		return path
	}
	// A built-in solver's name is refused, naming the file and line, and
	// nothing of the file is registered.
	clash := write("clash.json", "{\"solvers\": [\n{\"name\": \"test-ok\", \"input\": \"cnf\", \"command\": [\"x\", \"{input}\"], \"output\": \"sat\"},\n{\"name\": \"gophersat\", \"input\": \"cnf\", \"command\": [\"x\", \"{input}\"], \"output\": \"sat\"}\n]}")
	_, err := Load(clash)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "clash.json:3: solver \"gophersat\": the name of a built-in solver")
	assert.False(t, solvers.IsExternal("test-ok"))

	// A user's definition replaces a shipped one of the same name.
	mine := write("mine.json", def(`"name": "picosat", "input": "cnf", "command": ["picosat", "-v", "{input}"], "output": "sat"`))
	got, err := Load(mine)
	require.NoError(t, err)
	assert.Equal(t, mine, got)
	s, err := solvers.New("picosat")
	require.NoError(t, err)
	assert.Equal(t, mine, s.(*Solver).Describe(t.Context()).Source)
	require.NoError(t, Register(Shipped()))

	// The environment names a file when no flag does; a named file that
	// does not exist is an error.
	t.Setenv(EnvFile, filepath.Join(dir, "none.json"))
	_, err = Load("")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "none.json")
	t.Setenv(EnvFile, mine)
	got, err = Load("")
	require.NoError(t, err)
	assert.Equal(t, mine, got)
	require.NoError(t, Register(Shipped()))

	// Without either, the user's configuration directory is looked in.
	t.Setenv(EnvFile, "")
	t.Setenv("XDG_CONFIG_HOME", dir)
	got, err = Load("")
	require.NoError(t, err)
	assert.Equal(t, "", got, "no solvers.json there")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "nashbench"), 0o755))
	cfg := write(filepath.Join("nashbench", "solvers.json"), def(`"name": "test-cfg", "input": "cnf", "command": ["x", "{input}"], "output": "sat"`))
	got, err = Load("")
	require.NoError(t, err)
	assert.Equal(t, cfg, got)
	assert.True(t, solvers.IsExternal("test-cfg"))
}

func TestLPColumnOrder(t *testing.T) {
	lp := `\ written by nashbench
Minimize
 obj: + 0 a1
Subject To
 max_11: + 1 zmax + 21 a1 - 1 a2
 c2: - 1.5e+20 y_1 >= -3
  + 2 a3 <= 4
Bounds
 a9 <= 3
Binary
 a1 a2
End
`
	assert.Equal(t, []string{"a1", "zmax", "a2", "y_1", "a3"}, lpColumnOrder([]byte(lp)))
}

// TestDocsExample: the definitions file shown in docs/external-solvers.md
// parses.
func TestDocsExample(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "external-solvers.md"))
	require.NoError(t, err)
	readme := string(b)
	at := strings.Index(readme, "## Definitions file")
	require.GreaterOrEqual(t, at, 0)
	_, rest, ok := strings.Cut(readme[at:], "```json\n")
	require.True(t, ok)
	block, _, ok := strings.Cut(rest, "```")
	require.True(t, ok)
	defs, err := ParseDefinitions("docs/external-solvers.md", []byte(block))
	require.NoError(t, err)
	require.Len(t, defs, 2)
	assert.Equal(t, "highs", defs[1].Output)
}
