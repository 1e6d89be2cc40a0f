package rundir

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nashbench/nashbench/record"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func tinyExperiment() *Experiment {
	return &Experiment{Sizes: []int{5}, Ratios: []float64{3}, Count: 2, K: 3, Seed: 1, Solvers: []string{"enum"}}
}

func row(inst string) *record.Row {
	return &record.Row{Record: record.Record{Instance: inst, Solver: "enum", Answer: record.SAT, Status: record.Solved}}
}

// failAfter fails a write once n bytes have been written, as a full disk
// does, having written what fitted.
type failAfter struct {
	w io.Writer
	n int
}

func (f *failAfter) Write(p []byte) (int, error) {
	if len(p) <= f.n {
		f.n -= len(p)
		return f.w.Write(p)
	}
	k, _ := f.w.Write(p[:f.n])
	f.n = 0
	return k, errors.New("no space left on device")
}

// A disk that fills mid-row and frees again: the failed row is cut off,
// so the next row starts on a line of its own and the file reads whole.
func TestAppendCutsOffAFailedWrite(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, tinyExperiment(), 0, 1, Options{})
	require.NoError(t, err)
	require.NoError(t, s.Append(row("a")))
	s.out = &failAfter{w: s.file, n: 10}
	err = s.Append(row("b"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no space left on device")
	s.out = s.file // the disk has room again
	require.NoError(t, s.Append(row("c")))
	require.NoError(t, s.Close())
	rows, err := record.ReadFile(RowsFile(dir, 0, 1), false)
	require.NoError(t, err)
	require.Len(t, rows, 2)
	assert.Equal(t, []string{"a", "c"}, []string{rows[0].Instance, rows[1].Instance})
}

// A merge into a directory where a sweep is running is refused: it would
// replace the rows file the sweep appends to.
func TestMergeWaitsForNoSweep(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	s, err := Open(in, tinyExperiment(), 0, 1, Options{})
	require.NoError(t, err)
	require.NoError(t, s.Append(row("a")))
	require.NoError(t, s.Close())

	out := filepath.Join(dir, "out")
	running, err := Open(out, tinyExperiment(), 0, 1, Options{})
	require.NoError(t, err)
	_, err = Merge([]string{in}, out)
	require.ErrorIs(t, err, ErrInUse)
	require.NoError(t, running.Close())
	assert.NoFileExists(t, filepath.Join(out, "sweep.lock"), "a clean end leaves no lock")

	// The sweep there has ended, with no rows: the merge may write.
	require.NoError(t, os.Remove(RowsFile(out, 0, 1)))
	m, err := Merge([]string{in}, out)
	require.NoError(t, err)
	assert.Len(t, m.Rows, 1)
	assert.NoFileExists(t, filepath.Join(out, "sweep.lock"))
}

// A duplicated row (a line written twice) is one job: a resumed shard
// counts it once, as Read and Merge do.
func TestDuplicatedRowCountsOnce(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, tinyExperiment(), 0, 1, Options{})
	require.NoError(t, err)
	require.NoError(t, s.Append(row("a")))
	require.NoError(t, s.Append(row("b")))
	require.NoError(t, s.Close())
	path := RowsFile(dir, 0, 1)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, append(data, data[:len(data)/2]...), 0o644)) // row a again

	s, err = Open(dir, tinyExperiment(), 0, 1, Options{Resume: true})
	require.NoError(t, err)
	assert.Len(t, s.Done(), 2)
	require.NoError(t, s.Close())
	rows, err := Read(dir)
	require.NoError(t, err)
	assert.Len(t, rows, 2)
}

// --resume into a directory that holds no run starts the experiment there,
// and says so: a mistyped --out would otherwise start a whole sweep
// silently. A directory that holds the run is continued without a word.
func TestResumeWithoutRunWarns(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "typo")
	var warn strings.Builder
	s, err := Open(dir, tinyExperiment(), 0, 1, Options{Resume: true, Warn: &warn})
	require.NoError(t, err)
	require.NoError(t, s.Close())
	assert.Equal(t, "sweep: warning: --resume: "+dir+" holds no run to continue: starting this sweep's experiment there\n", warn.String())

	warn.Reset()
	s, err = Open(dir, tinyExperiment(), 0, 1, Options{Resume: true, Warn: &warn})
	require.NoError(t, err)
	require.NoError(t, s.Close())
	assert.NotContains(t, warn.String(), "holds no run")
}
