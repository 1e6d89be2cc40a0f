package results

import (
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nashbench/nashbench/record"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlot(t *testing.T) {
	var rows []record.Row
	for _, n := range []int{6, 8, 10} {
		for _, ratio := range []float64{3, 4.26, 6} {
			for _, s := range []string{"enum", "gophersat"} {
				ans := record.SAT
				if ratio > 5 {
					ans = record.UNSAT
				}
				rows = append(rows, record.Row{Record: record.Record{
					Instance: filepath.Join("instances", strconv.Itoa(n), strconv.FormatFloat(ratio, 'g', -1, 64)), Solver: s, Answer: ans, Seconds: float64(n) * 1e-3,
				}, N: n, Ratio: ratio})
			}
		}
	}
	dir := t.TempDir()
	files, err := Plot(rows, dir)
	require.NoError(t, err)
	// Four plots, each as SVG, PDF and PNG.
	require.Len(t, files, 12)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		switch {
		case strings.HasSuffix(f, ".png"):
			img, err := png.Decode(strings.NewReader(string(b)))
			require.NoError(t, err)
			assert.GreaterOrEqual(t, img.Bounds().Dx(), 1200, f)
		case strings.HasSuffix(f, ".pdf"):
			assert.True(t, strings.HasPrefix(string(b), "%PDF-"), f)
		case strings.Contains(f, "time-vs-n"), strings.Contains(f, "cactus"):
			assert.Contains(t, string(b), "gophersat")
		default:
			assert.Contains(t, string(b), "n=10", f)
		}
	}
	_, err = Plot([]record.Row{{Record: record.Record{Answer: "unknown"}}}, dir)
	assert.ErrorContains(t, err, "no decided rows")

	// One solver at one size: a single point on the log scale.
	one := []record.Row{{Record: record.Record{Instance: "a", Solver: "enum", Answer: "sat", Status: record.Solved, Seconds: 0.01}, N: 6, Ratio: 4}}
	_, err = Plot(one, dir)
	require.NoError(t, err)
	// Timeouts count at the limit instead of vanishing.
	timedOut := append(one, record.Row{Record: record.Record{Instance: "b", Solver: "enum", Answer: "unknown", Status: record.Timeout, Seconds: 2, Timeout: 2}, N: 8, Ratio: 4})
	files, err = Plot(timedOut, dir)
	require.NoError(t, err)
	svg, err := os.ReadFile(filepath.Join(dir, "time-vs-n.svg"))
	require.NoError(t, err)
	assert.Contains(t, string(svg), ">8<", "the timed-out size is on the x axis")
	assert.NotEmpty(t, files)
}
