package results

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An A/A comparison: two runs of identical code, whose times differ only
// by noise (here ±20%, as on a loaded 2-core machine), over 40 benchmarks.
// Uncorrected, some of the 40 U tests fall under 0.05 by chance; with the
// correction for the number compared, none is a regression.
func TestCompareAA(t *testing.T) {
	file := func(seed uint64) *BenchFile {
		rng := rand.New(rand.NewPCG(seed, 7))
		var b strings.Builder
		b.WriteString("pkg: github.com/nashbench/nashbench/bench\n")
		for i := range 40 {
			for range 10 {
				fmt.Fprintf(&b, "BenchmarkSolve/s/n=%d-2 \t 1\t %.0f ns/op\n", i, 1e6*(1+0.4*(rng.Float64()-0.5)))
			}
		}
		r, err := read(strings.NewReader(b.String()), fmt.Sprint(seed))
		require.NoError(t, err)
		return r
	}
	a, b := file(11), file(12)
	s := Settings{Unit: "ns/op", Threshold: 0, Alpha: 0.05}
	ds, err := Compare(a, b, s)
	require.NoError(t, err)
	require.Len(t, ds, 40)
	uncorrected := 0
	for _, d := range ds {
		if d.P <= s.Alpha {
			uncorrected++
		}
		assert.False(t, d.Regressed, "%s: p %.4f", d.Name, d.P)
		assert.Empty(t, d.Warning)
	}
	assert.Positive(t, uncorrected, "the seeds should show chance significance without the correction")
	var out strings.Builder
	n, err := WriteComparison(&out, ds, s)
	require.NoError(t, err)
	assert.Zero(t, n)
}

// One sample against one: no interval ("± ∞" in benchstat) and a warning
// that the U test cannot decide, not a silent "~".
func TestCompareTooFewSamples(t *testing.T) {
	old, err := read(strings.NewReader("BenchmarkX-2 1 100 ns/op\n"), "old")
	require.NoError(t, err)
	cur, err := read(strings.NewReader("BenchmarkX-2 1 300 ns/op\n"), "new")
	require.NoError(t, err)
	s := Settings{Unit: "ns/op", Threshold: 0.1, Alpha: 0.05}
	ds, err := Compare(old, cur, s)
	require.NoError(t, err)
	require.Len(t, ds, 1)
	assert.False(t, ds[0].Regressed)
	assert.Contains(t, ds[0].Warning, "too few samples (1+1)")
	var out strings.Builder
	_, err = WriteComparison(&out, ds, s)
	require.NoError(t, err)
	assert.NotContains(t, out.String(), "∞")
	assert.Contains(t, out.String(), "warning: too few samples")
}
