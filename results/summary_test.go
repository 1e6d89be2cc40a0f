package results

import (
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/nashbench/nashbench/record"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSummarize(t *testing.T) {
	row := func(inst, solver string, status record.Status, answer record.Answer, secs float64) record.Row {
		return record.Row{N: 5, Ratio: 4, Record: record.Record{Instance: inst, Solver: solver, Status: status, Answer: answer, Seconds: secs, Timeout: 10}}
	}
	rows := []record.Row{
		row("a", "x", record.Solved, "sat", 1),
		row("b", "x", record.Timeout, "unknown", 10.1),
		row("c", "x", record.Refused, "unknown", 0),
		row("a", "gophersat", record.Solved, "sat", 0.001),
		row("b", "gophersat", record.Solved, "unsat", 0.002),
	}
	var sb strings.Builder
	require.NoError(t, Summarize(&sb, rows))
	out := sb.String()
	for _, want := range []string{
		"PAR-2", "memouts", "refused",
		">10.00s", // x's median falls on an unsolved job
		"1/1",     // x: one solved, agreeing
		"2.0ms",   // gophersat's longest
		"satisfiable", "0.50",
	} {
		assert.Contains(t, out, want)
	}
}

func TestMachineReadable(t *testing.T) {
	seed, idx := uint64(3), 7
	rows := []record.Row{
		{N: 5, Ratio: 4, Seed: &seed, Index: &idx, Record: record.Record{Instance: "a, \"quoted\"", Solver: "x", Status: record.Timeout, Answer: "unknown", Seconds: 10.1, Timeout: 10, CPUs: []int{0, 1}}},
		{N: 5, Ratio: 4, Record: record.Record{Instance: "b", Solver: "x", Status: record.Timeout, Answer: "unknown", Seconds: 10.1, Timeout: 10}},
		{N: 5, Ratio: 4, Record: record.Record{Instance: "c", Solver: "x", Status: record.Solved, Answer: "sat", Seconds: 1, Stats: map[string]float64{"nodes": 12}}},
		{N: 5, Ratio: 4, Record: record.Record{Instance: "d", Solver: "x", Status: record.Solved, Answer: "sat", Seconds: 0.5, Timeout: 10}},
	}
	var js strings.Builder
	require.NoError(t, WriteSummaryJSON(&js, rows))
	var s struct {
		Cells []map[string]any `json:"cells"`
	}
	require.NoError(t, json.Unmarshal([]byte(js.String()), &s), js.String())
	require.Len(t, s.Cells, 1)
	c := s.Cells[0]
	assert.Nil(t, c["median"], "a median above the limit is null, not dropped and not a number")
	assert.Equal(t, 0.875, c["q1"]) // times 0.5, 1, +Inf, +Inf
	assert.InDelta(t, (0.5+1+20+20)/4.0, c["par2"], 1e-9)
	assert.Contains(t, js.String(), `"crossover": []`)

	var csvOut strings.Builder
	require.NoError(t, WriteRowsCSV(&csvOut, rows))
	recs, err := csv.NewReader(strings.NewReader(csvOut.String())).ReadAll()
	require.NoError(t, err)
	require.Len(t, recs, 5)
	header := recs[0]
	col := func(name string) int { return slices.Index(header, name) }
	require.GreaterOrEqual(t, col("stats.nodes"), 0)
	assert.Equal(t, "a, \"quoted\"", recs[1][col("instance")])
	assert.Equal(t, "3", recs[1][col("seed")])
	assert.Equal(t, "", recs[2][col("seed")])
	assert.Equal(t, "12", recs[3][col("stats.nodes")])
	assert.Equal(t, "", recs[1][col("stats.nodes")])
	assert.Equal(t, "timeout", recs[1][col("status")])
	// cpus is appended after the columns that were there before it.
	assert.Equal(t, col("error")+1, col("cpus"))
	assert.Equal(t, "0 1", recs[1][col("cpus")])
	assert.Equal(t, "", recs[2][col("cpus")], "not bound")
}

// The missing line agrees in number: "1 of 24 jobs has", "2 of 24 jobs have",
// "1 of 1 job has".
func TestSummarizeMissingPlurals(t *testing.T) {
	for _, tt := range []struct {
		m    record.Missing
		want string
	}{
		{record.Missing{Planned: 24, Jobs: 1, Of: 1}, "missing: 1 of 24 jobs has no row ("},
		{record.Missing{Planned: 24, Jobs: 2, Of: 1}, "missing: 2 of 24 jobs have no row ("},
		{record.Missing{Planned: 1, Jobs: 1, Of: 1}, "missing: 1 of 1 job has no row ("},
	} {
		var b strings.Builder
		SummarizeMissing(&b, &tt.m)
		assert.Contains(t, b.String(), tt.want)
	}
}
