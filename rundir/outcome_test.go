package rundir_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/rundir"
)

// outcomeRows are the rows of two formulas: a.cnf answered both ways, b.cnf
// with one solver failing.
func outcomeRows() []record.Row {
	row := func(inst, solver string, st record.Status, ans record.Answer, msg string) record.Row {
		return record.Row{Record: record.Record{Instance: inst, Kind: "cnf", Solver: solver, Status: st, Answer: ans,
			Check: record.CheckNone, Error: msg}, N: 4, M: 8, K: 3, Ratio: 2}
	}
	return []record.Row{
		row("a.cnf", "enum", record.Solved, record.SAT, ""),
		row("a.cnf", "gophersat", record.Solved, record.UNSAT, ""),
		row("b.cnf", "enum", record.Solved, record.SAT, ""),
		row("b.cnf", "gophersat", record.Error, record.Unknown, "crashed"),
	}
}

func TestFinish(t *testing.T) {
	rows := outcomeRows()
	tests := []struct {
		name     string
		rows     []record.Row
		missing  *record.Missing
		blockOut bool // summary.txt is a directory: the outputs fail
		code     int
		msg      string
		failed   int
	}{
		{"clean", rows[2:3], nil, false, 0, "", 0},
		{"disagreement", rows, nil, false, 1, "1 disagreement or failed verifications (rows in DIR)", 1},
		{"failed job", rows[2:], nil, false, 3, "1 job failed (rows in DIR)", 1},
		{"missing alone", rows[2:3], &record.Missing{Planned: 4, Jobs: 3}, false, 0, "", 0},
		// The rows are judged even when the outputs fail, and the failure
		// decides the status.
		{"outputs fail", rows, nil, true, 2, "summary.txt", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.blockOut {
				require.NoError(t, os.MkdirAll(filepath.Join(dir, "summary.txt", "x"), 0o755))
			}
			o := rundir.Finish(dir, "rows.jsonl", tt.rows, tt.missing)
			code, err := o.Status()
			assert.Equal(t, tt.code, code)
			if tt.msg == "" {
				assert.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.Contains(t, err.Error(), strings.ReplaceAll(tt.msg, "DIR", dir))
			}
			assert.Len(t, o.Failed, tt.failed)
			assert.Equal(t, tt.missing, o.Missing)
			assert.Equal(t, tt.blockOut, o.Err != nil)
			require.NotNil(t, o.Summary)
			if !tt.blockOut {
				assert.FileExists(t, filepath.Join(dir, "summary.txt"))
			}
		})
	}
}

func TestSummaryWrote(t *testing.T) {
	tests := []struct {
		files []string
		want  string
	}{
		{[]string{"d/summary.txt", "d/summary.json"}, "wrote summary.txt, summary.json in d"},
		{[]string{"d/summary.txt", "d/time.svg", "d/time.pdf", "d/answers.svg", "d/report.html"},
			"wrote summary.txt, report.html and the plots time, answers (.svg .pdf) in d"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, (&rundir.Summary{Files: tt.files}).Wrote("d"))
	}
}

// A finished run: its summaries written, what went wrong and the exit
// status that says so.
func ExampleFinish() {
	dir, err := os.MkdirTemp("", "nashbench-run-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	o := rundir.Finish(dir, "rows.jsonl", outcomeRows(), nil)
	for _, d := range o.Disagreements {
		fmt.Printf("DISAGREEMENT: %s: %s\n", d.Instance, d.Detail)
	}
	for _, r := range o.Failed {
		fmt.Printf("FAILED: %s with %s: %s\n", r.Instance, r.Solver, r.Error)
	}
	code, _ := o.Status()
	fmt.Println("exit", code)
	// Output:
	// DISAGREEMENT: a.cnf: solvers disagree: enum=sat, gophersat=unsat
	// FAILED: b.cnf with gophersat: crashed
	// exit 1
}

// Write tells the summary on stdout and the problems on stderr, each kind
// with its own prefix, and ends with where the files went.
func TestOutcomeWrite(t *testing.T) {
	dir := t.TempDir()
	o := rundir.Finish(dir, "rows.jsonl", outcomeRows(), &record.Missing{Planned: 5, Jobs: 1})
	var out, errs strings.Builder
	o.Write(&out, &errs)
	assert.Equal(t, o.Summary.Text, out.String())
	lines := strings.Split(strings.TrimSpace(errs.String()), "\n")
	var prefixes []string
	for _, l := range lines {
		if p, _, ok := strings.Cut(l, ": "); ok && p != "nashbench" {
			prefixes = append(prefixes, p)
		}
	}
	assert.Equal(t, []string{"DISAGREEMENT", "MISSING", "FAILED"}, prefixes, errs.String())
	assert.Contains(t, lines[0]+lines[1], "a.cnf")
	assert.Equal(t, "nashbench: "+o.Summary.Wrote(dir), lines[len(lines)-1], "the last line says where everything went")
	assert.Contains(t, errs.String(), "FAILED: b.cnf with gophersat: crashed")
}
