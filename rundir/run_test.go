package rundir_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/rundir"
)

// newRun makes a run directory with an empty rows file, and the run.json
// of two race games when withInfo.
func newRun(t testing.TB, dir string, withInfo bool) {
	if withInfo {
		e := &rundir.Experiment{Game: "race", Players: []int{4}, Count: 2, Seed: 3, Solvers: []string{"highs-compact"}}
		require.NoError(t, rundir.Init(dir, e, 1, false, false))
	}
	require.NoError(t, rundir.WriteRows(rundir.RowsFile(dir, 0, 1), nil))
}

func TestReadRun(t *testing.T) {
	for _, tc := range []struct {
		name     string
		info     bool
		rowsFile bool
		missing  *record.Missing
		err      bool
	}{
		{"run.json says what is missing", true, true, &record.Missing{Planned: 2, Jobs: 2, Shards: []int{1}, Of: 1}, false},
		{"no run.json: rows alone", false, true, nil, false},
		{"no rows", false, false, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.rowsFile {
				newRun(t, dir, tc.info)
			}
			rows, missing, err := rundir.ReadRun(dir)
			if tc.err {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Empty(t, rows)
			assert.Equal(t, tc.missing, missing)
		})
	}
	// Read takes a rows file too; ReadRun refuses one: it reads a run.
	dir := t.TempDir()
	newRun(t, dir, true)
	_, _, err := rundir.ReadRun(rundir.RowsFile(dir, 0, 1))
	assert.EqualError(t, err, rundir.RowsFile(dir, 0, 1)+" is not a run directory")
}

// ReadRun reads a run's rows and, from its run.json, what they lack: here
// a run of two games that has no row yet.
func ExampleReadRun() {
	dir, err := os.MkdirTemp("", "run")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	run := filepath.Join(dir, "run")
	e := &rundir.Experiment{Game: "race", Players: []int{4}, Count: 2, Seed: 3, Solvers: []string{"highs-compact"}}
	if err := rundir.Init(run, e, 1, false, false); err != nil {
		panic(err)
	}
	if err := rundir.WriteRows(rundir.RowsFile(run, 0, 1), nil); err != nil {
		panic(err)
	}
	rows, missing, err := rundir.ReadRun(run)
	fmt.Println(len(rows), missing.Jobs, "of", missing.Planned, "jobs missing", err)
	// Output:
	// 0 2 of 2 jobs missing <nil>
}
