package rundir

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every name of a shard's files comes from layout.go, and the globs and
// name mappings that merge and summaries use match the names the sweeps
// write: a file renamed in one place only would be missed by a merge.
func TestShardFileNames(t *testing.T) {
	for _, tc := range []struct {
		shard, shards                 int
		rows, history, lock           string
		summary, summaryJSON, rowsCSV string
	}{
		{0, 1, "rows.jsonl", "history.jsonl", "sweep.lock", "summary.txt", "summary.json", "rows.csv"},
		{1, 3, "rows-2-of-3.jsonl", "history-2-of-3.jsonl", "sweep-2-of-3.lock", "summary-2-of-3.txt", "summary-2-of-3.json", "rows-2-of-3.csv"},
	} {
		t.Run(tc.rows, func(t *testing.T) {
			dir := "run"
			rows := RowsFile(dir, tc.shard, tc.shards)
			require.Equal(t, filepath.Join(dir, tc.rows), rows)
			assert.Equal(t, filepath.Join(dir, tc.history), HistoryFile(dir, tc.shard, tc.shards))
			assert.Equal(t, tc.history, historyName(tc.rows), "the history beside a rows file")
			assert.Equal(t, filepath.Join(dir, tc.lock), lockFile(dir, tc.shard, tc.shards))
			txt := SummaryFile(dir, tc.rows)
			assert.Equal(t, filepath.Join(dir, tc.summary), txt)
			assert.Equal(t, filepath.Join(dir, tc.summaryJSON), summaryJSONFile(txt))
			assert.Equal(t, filepath.Join(dir, tc.rowsCSV), rowsCSVFile(dir, tc.rows))

			sharded := tc.shards > 1
			match := func(glob, name string) bool {
				ok, err := filepath.Match(glob, name)
				require.NoError(t, err)
				return ok
			}
			assert.True(t, match(rowsGlob, tc.rows))
			assert.True(t, match(historyGlob, tc.history))
			assert.Equal(t, sharded, match(shardRowsGlob, tc.rows))
			assert.Equal(t, sharded, match(shardLocksGlob, tc.lock), "lockAll finds a shard's lock, not sweep.lock (which it takes by name)")
		})
	}
}

// A new run is named after its UTC start, so that runs sort by time.
func TestNewDir(t *testing.T) {
	at := time.Date(2026, 12, 3, 21, 5, 9, 0, time.FixedZone("CET", 3600))
	assert.Equal(t, filepath.Join("results", "sweep-20261203-200509"), NewDir(at))
}

// The version lines say what a bare build lacks instead of leaving blanks.
func TestVersionsWriteText(t *testing.T) {
	var b strings.Builder
	require.NoError(t, Versions{Go: "go1.26", HiGHS: "1.11.0", Nashbench: "abc", NashbenchModified: true}.WriteText(&b))
	assert.Equal(t, "nashbench  abc (with uncommitted changes)\nbinary     sha256 (none)\ngo         go1.26\nhighs      1.11.0\ngophersat  (none)\nwazero     (none)\n", b.String())
	b.Reset()
	require.NoError(t, Versions{Gophersat: "v1.4.0"}.WriteText(&b))
	assert.Contains(t, b.String(), "nashbench  (devel: built without VCS information")
	assert.Contains(t, b.String(), "gophersat  v1.4.0\n")
}
