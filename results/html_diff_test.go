package results

import (
	"bytes"
	"testing"

	"github.com/nashbench/nashbench/record"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A report with a comparison shows its regressions and speedups.
func TestWriteHTMLWithDiff(t *testing.T) {
	before := []record.Row{diffRow("x.cnf", "h1", "s", record.Solved, record.SAT, 1), diffRow("y.cnf", "h2", "s", record.Solved, record.SAT, 1)}
	now := []record.Row{diffRow("x.cnf", "h1", "s", record.Solved, record.SAT, 0.5), diffRow("y.cnf", "h2", "s", record.Timeout, record.Unknown, 10)}
	var b bytes.Buffer
	require.NoError(t, WriteHTML(&b, &HTMLReport{Title: "t", Rows: now, Diff: DiffRuns(before, now, DiffSettings{}), Against: "old-run"}))
	page := b.String()
	assert.Contains(t, page, "Compared with old-run")
	assert.Contains(t, page, "1 status regressions, 0 changed answers")
	assert.Contains(t, page, `<span class="bad">regression</span>`)
	assert.Contains(t, page, "<td class=\"num\">2x</td>", "x: 1 s before, 0.5 s now")

	b.Reset()
	require.NoError(t, WriteHTML(&b, &HTMLReport{Title: "t", Rows: now}))
	assert.NotContains(t, b.String(), "Compared with")
}
