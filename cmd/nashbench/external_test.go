package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/solvers/external"
)

// missingDefs writes a definitions file with a solver whose binary does
// not exist.
func missingDefs(t *testing.T, dir string) string {
	return writeFile(t, dir, "solvers.json", `{"solvers": [
  {"name": "test-missing", "input": "cnf", "command": ["nashbench-no-such-binary", "{input}"], "output": "sat"}
]}`)
}

// `nashbench solvers` lists every solver, and says why one cannot run.
func TestSolversCommand(t *testing.T) {
	dir := t.TempDir()
	defs := missingDefs(t, dir)
	code, out, errs := runCmd("solvers", "--solvers-file", defs)
	require.Equal(t, 0, code, errs)
	lines := map[string]string{}
	for line := range strings.Lines(out) {
		if f := strings.Fields(line); len(f) > 0 {
			lines[f[0]] = line
		}
	}
	assert.Contains(t, out, "external definitions: shipped, and "+defs)
	assert.Regexp(t, `^enum\s+built-in\s+game\s+-\s+ok`, lines["enum"])
	assert.Regexp(t, `^gophersat\s+built-in\s+formula, proofs\s+\S+\s+ok`, lines["gophersat"])
	assert.Regexp(t, `^cadical\s+external\s+cnf, proofs\s+\S+\s+ok`, lines["cadical"])
	assert.Regexp(t, `^cbc-compact\s+external\s+lp compact\s+\S+\s+ok`, lines["cbc-compact"])
	assert.Regexp(t, `^test-missing\s+external \(`+defs+`\)\s+cnf\s+-\s+missing: nashbench-no-such-binary not in PATH`, lines["test-missing"])

	code, out, errs = runCmd("solvers", "--json", "--solvers-file", defs)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, `{"name":"test-missing","kind":"external","input":"cnf","status":"missing: nashbench-no-such-binary not in PATH","source":"`+defs+`"}`)
}

// Shipped external solvers work in solve like built-in ones; a missing
// binary is a solver error (exit 3) with the reason, in every record.
func TestSolveExternal(t *testing.T) {
	dir := t.TempDir()
	sat := writeFile(t, dir, "sat.cnf", "p cnf 3 2\n1 -2 0\n2 3 0\n")
	unsat := writeFile(t, dir, "unsat.cnf", "p cnf 2 4\n1 2 0\n-1 2 0\n1 -2 0\n-1 -2 0\n")
	leader := filepath.Join("..", "..", "examples", "leader-followers.json")
	for _, tt := range []struct {
		solver, file string
		answer       record.Answer
		check        record.Check
	}{
		{"cadical", sat, "sat", record.CheckWitness},
		{"minisat", unsat, "unsat", record.CheckExhaustive},
		{"minisat+", leader, "pne", record.CheckWitness},
		{"glpsol-compact", leader, "pne", record.CheckWitness},
		{"cbc-compact", unsat, "unsat", record.CheckExhaustive},
	} {
		code, out, errs := runCmd("solve", "--solver", tt.solver, "--json", tt.file)
		require.Equal(t, 0, code, "%s: %s", tt.solver, errs)
		recs := records(t, out)
		require.Len(t, recs, 1)
		assert.Equal(t, tt.answer, recs[0].Answer, tt.solver)
		assert.Equal(t, tt.check, recs[0].Check, tt.solver)
		assert.Equal(t, record.Solved, recs[0].Status, tt.solver)
	}

	// --count: external solvers say that they do not count.
	code, out, errs := runCmd("solve", "--solver", "picosat", "--count", "--json", sat)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, errs, "picosat is an external solver and does not count")
	assert.Nil(t, records(t, out)[0].Count)

	// --certify, beyond the exhaustive check (--check-limit 1ns): cadical
	// proves its own "no"; a solver without a proof has its "no" proved
	// again by gophersat.
	code, out, errs = runCmd("solve", "--solver", "cadical", "--certify", "--check-limit", "1ns", "--json", unsat)
	require.Equal(t, 0, code, errs)
	r := records(t, out)[0]
	assert.Equal(t, record.UNSAT, r.Answer)
	assert.Equal(t, record.CheckProof, r.Check)
	assert.Equal(t, "cadical", r.Prover)
	code, out, errs = runCmd("solve", "--solver", "picosat", "--check-limit", "1ns", "--json", unsat)
	require.Equal(t, 0, code, errs)
	r = records(t, out)[0]
	assert.Equal(t, record.CheckProof, r.Check)
	assert.Equal(t, "gophersat", r.Prover)
	assert.Positive(t, r.ProofBytes)
	code, out, errs = runCmd("solve", "--solver", "picosat", "--certify=false", "--check-limit", "1ns", "--json", unsat)
	require.Equal(t, 0, code, errs)
	r = records(t, out)[0]
	assert.Equal(t, record.CheckNone, r.Check)
	assert.Contains(t, r.CheckNote, "--certify=false")

	defs := missingDefs(t, dir)
	code, out, errs = runCmd("solve", "--solvers-file", defs, "--solver", "test-missing", "--json", sat, unsat)
	assert.Equal(t, 3, code, errs)
	recs := records(t, out)
	require.Len(t, recs, 2)
	for _, r := range recs {
		assert.Equal(t, record.Error, r.Status)
		assert.Equal(t, "test-missing: missing: nashbench-no-such-binary not in PATH", r.Error)
	}
	assert.Contains(t, errs, "test-missing: missing: nashbench-no-such-binary not in PATH")
}

// A broken definitions file stops every command that reads it (exit 2),
// naming the file, the line and the problem.
func TestSolversFileErrors(t *testing.T) {
	dir := t.TempDir()
	sat := writeFile(t, dir, "sat.cnf", "p cnf 3 2\n1 -2 0\n2 3 0\n")
	bad := writeFile(t, dir, "bad.json", "{\"solvers\": [\n  {\"name\": \"x\", \"input\": \"cnf\", \"command\": [\"x\"], \"output\": \"sat\"}\n]}\n")
	clash := writeFile(t, dir, "clash.json", "{\"solvers\": [\n  {\"name\": \"enum\", \"input\": \"cnf\", \"command\": [\"x\", \"{input}\"], \"output\": \"sat\"}\n]}\n")
	for _, args := range [][]string{
		{"solve", "--solvers-file", bad, sat},
		{"sweep", "--solvers-file", bad, "--out", filepath.Join(dir, "run")},
		{"solvers", "--solvers-file", bad},
	} {
		code, _, errs := runCmd(args...)
		assert.Equal(t, 2, code, errs)
		assert.Contains(t, errs, bad+`:2: solver "x": command: no {input}`)
	}
	code, _, errs := runCmd("solvers", "--solvers-file", clash)
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, clash+`:2: solver "enum": the name of a built-in solver`)
	code, _, errs = runCmd("solvers", "--solvers-file", filepath.Join(dir, "none.json"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, "none.json: no such file")

	// The environment names the file when the flag does not.
	t.Setenv(external.EnvFile, bad)
	code, _, errs = runCmd("solvers")
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, bad+":2:")
	require.NoError(t, os.Unsetenv(external.EnvFile))
}
