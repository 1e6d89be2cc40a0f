package rundir

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/nashbench/nashbench/record"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Merging shards run into separate directories gives a directory that
// holds the instances its rows name: linked where it can be, else copied;
// two shards with different content under one name are refused.
func TestMergeInstances(t *testing.T) {
	dir := t.TempDir()
	e := &Experiment{Sizes: []int{5, 6}, Ratios: []float64{3}, Count: 1, K: 3, Seed: 1, Solvers: []string{"enum"}}
	insts, err := e.Instances(true)
	require.NoError(t, err)
	var shards []string
	for i := range 2 {
		run := filepath.Join(dir, fmt.Sprint("shard", i+1))
		var rows []record.Row
		for _, j := range e.Plan(insts, i, 2) {
			rows = append(rows, record.Row{Record: record.Record{Instance: j.Instance.Path, Solver: j.Solver, Answer: record.SAT, Status: record.Solved}})
		}
		require.NoError(t, WriteInstances(run, insts)) // as a sweep does: all of them
		require.NoError(t, WriteRows(RowsFile(run, i, 2), rows))
		shards = append(shards, run)
	}
	names, err := filepath.Glob(filepath.Join(shards[0], InstancesDir, "*.cnf"))
	require.NoError(t, err)
	require.Len(t, names, 2)

	for _, tc := range []struct {
		name   string
		link   func(string, string) error
		linked bool
	}{
		{name: "same filesystem", link: os.Link, linked: true},
		{name: "no link", link: func(string, string) error { return errors.New("cross-device link") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			link = tc.link
			t.Cleanup(func() { link = os.Link })
			out := filepath.Join(t.TempDir(), "merged")
			_, err := Merge(shards, out)
			require.NoError(t, err)
			for _, src := range names {
				dst := filepath.Join(out, InstancesDir, filepath.Base(src))
				want, err := os.ReadFile(src)
				require.NoError(t, err)
				got, err := os.ReadFile(dst)
				require.NoError(t, err)
				assert.Equal(t, want, got)
				a, err := os.Stat(src)
				require.NoError(t, err)
				b, err := os.Stat(dst)
				require.NoError(t, err)
				assert.Equal(t, tc.linked, os.SameFile(a, b), dst)
			}
			// Merging again into the same directory finds them there.
			_, err = Merge(shards, out)
			require.NoError(t, err)
		})
	}

	// The second shard's copy of an instance is another formula.
	other := filepath.Join(shards[1], InstancesDir, filepath.Base(names[0]))
	require.NoError(t, os.Remove(other)) // a link would change the first shard's too
	require.NoError(t, os.WriteFile(other, []byte("p cnf 1 1\n1 0\n"), 0o644))
	out := filepath.Join(dir, "merged")
	_, err = Merge(shards, out)
	require.Error(t, err)
	assert.Contains(t, err.Error(), names[0]+" and "+other+" differ (sha256 ")
	assert.NoDirExists(t, out)
}
