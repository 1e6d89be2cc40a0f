package results

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// benchFile writes Go benchmark output: count runs of each benchmark, with
// ns/op around the given medians and a fixed nodes/op.
func benchFile(seed uint64, medians map[string]float64, count int) string {
	rng := rand.New(rand.NewPCG(seed, 1))
	var b strings.Builder
	b.WriteString("goos: linux\ngoarch: amd64\npkg: github.com/nashbench/nashbench/bench\nhighs: 1.15.1\n")
	for name, m := range medians {
		for range count {
			v := m * (1 + 0.04*(rng.Float64()-0.5))
			fmt.Fprintf(&b, "%s-2 \t 100\t %.0f ns/op\t 12.00 nodes/op\n", name, v)
		}
	}
	return b.String()
}

func TestCompare(t *testing.T) {
	base := map[string]float64{"BenchmarkSolve/enum/n=12": 8e5, "BenchmarkSolve/highs-compact/n=8": 3e7}
	slower := map[string]float64{"BenchmarkSolve/enum/n=12": 8e5, "BenchmarkSolve/highs-compact/n=8": 4.5e7}
	old, err := read(strings.NewReader(benchFile(1, base, 10)), "old.txt")
	require.NoError(t, err)
	same, err := read(strings.NewReader(benchFile(1, base, 10)), "same.txt")
	require.NoError(t, err)
	noise, err := read(strings.NewReader(benchFile(2, base, 10)), "noise.txt")
	require.NoError(t, err)
	bad, err := read(strings.NewReader(benchFile(3, slower, 10)), "bad.txt")
	require.NoError(t, err)

	tests := []struct {
		name      string
		new       *BenchFile
		unit      string
		regressed []string
	}{
		{"itself", same, "ns/op", nil},
		{"noise", noise, "ns/op", nil},
		{"injected regression", bad, "ns/op", []string{"github.com/nashbench/nashbench/bench.BenchmarkSolve/highs-compact/n=8"}},
		{"another metric", bad, "nodes/op", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := Compare(old, tt.new, Settings{Unit: tt.unit, Threshold: 0.1, Alpha: 0.05})
			require.NoError(t, err)
			require.Len(t, ds, 2)
			var got []string
			for _, d := range ds {
				if d.Regressed {
					got = append(got, d.Name)
					assert.InDelta(t, 0.5, d.Change, 0.05)
					assert.Less(t, d.P, 0.05)
				}
			}
			assert.Equal(t, tt.regressed, got)
		})
	}
	_, err = Compare(old, bad, Settings{Unit: "conflicts/op"})
	assert.ErrorContains(t, err, "no benchmark is in both runs")
}

// Runs from machines with other core counts or solver versions compare,
// and the difference is reported.
func TestCompareAcrossMachines(t *testing.T) {
	base := map[string]float64{"BenchmarkSolve/enum/n=12": 8e5}
	old, err := read(strings.NewReader(benchFile(1, base, 10)), "old.txt")
	require.NoError(t, err)
	other := strings.ReplaceAll(benchFile(1, base, 10), "-2 \t", "-8 \t")
	other = strings.Replace(other, "highs: 1.15.1", "highs: 1.16.0", 1)
	cur, err := read(strings.NewReader(other), "new.txt")
	require.NoError(t, err)
	ds, err := Compare(old, cur, Settings{Unit: "ns/op", Threshold: 0.1})
	require.NoError(t, err)
	require.Len(t, ds, 1)
	assert.Equal(t, "github.com/nashbench/nashbench/bench.BenchmarkSolve/enum/n=12", ds[0].Name)
	assert.Equal(t, []string{"gomaxprocs: 2 -> 8", "highs: 1.15.1 -> 1.16.0"}, configDiff(old, cur))
	assert.Empty(t, configDiff(old, old))

	// A benchmark missing from one run is listed, not silently dropped.
	more, err := read(strings.NewReader(benchFile(1, map[string]float64{"BenchmarkSolve/enum/n=12": 8e5, "BenchmarkSolve/enum/n=14": 9e5}, 10)), "more.txt")
	require.NoError(t, err)
	assert.Equal(t, []string{"github.com/nashbench/nashbench/bench.BenchmarkSolve/enum/n=14"}, onlyIn(more, old, "ns/op"))
	assert.Empty(t, onlyIn(old, more, "ns/op"))

	// CompareFiles tells both before its table.
	var b strings.Builder
	n, err := CompareFiles(&b, more, cur, "more.txt", "new.txt", Settings{Unit: "ns/op", Threshold: 0.1, Alpha: 0.05})
	require.NoError(t, err)
	assert.Zero(t, n)
	out := b.String()
	assert.Contains(t, out, "In more.txt only, not compared (missing from the new run):\n  github.com/nashbench/nashbench/bench.BenchmarkSolve/enum/n=14\n")
	assert.Contains(t, out, "The runs' configurations differ (timings compare only on one machine):\n  gomaxprocs: 2 -> 8\n  highs: 1.15.1 -> 1.16.0\n")
	assert.Less(t, strings.Index(out, "configurations differ"), strings.Index(out, "benchmark"), "the notes come before the table")
	_, err = CompareFiles(&b, old, cur, "old.txt", "new.txt", Settings{Unit: "nope/op"})
	assert.ErrorContains(t, err, "old.txt and new.txt: no benchmark is in both runs")
}

func TestReadErrors(t *testing.T) {
	_, err := read(strings.NewReader("goos: linux\n"), "empty.txt")
	assert.ErrorContains(t, err, "empty.txt: no benchmark results")
	_, err = read(strings.NewReader("BenchmarkX-2 10 abc ns/op\n"), "bad.txt")
	assert.ErrorContains(t, err, "bad.txt:1")
	_, err = ReadFile("/nonexistent/old.txt")
	assert.Error(t, err)
}
