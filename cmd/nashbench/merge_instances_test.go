package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Merging shards run into separate directories gives a directory that
// holds the instances its rows name: linked where it can be, else copied;
// two shards with different content under one name are refused.
func TestMergeInstances(t *testing.T) {
	dir := t.TempDir()
	var shards []string
	for _, i := range []string{"1", "2"} {
		run := filepath.Join(dir, "shard"+i)
		code, _, errs := runCmd("sweep", "--n", "5,6", "--ratio", "3", "--count", "1", "--solvers", "enum", "--seed", "1",
			"--shard", i+"/2", "--out", run, "--quiet")
		require.Equal(t, 0, code, errs)
		shards = append(shards, run)
	}
	names, err := filepath.Glob(filepath.Join(shards[0], instancesDir, "*.cnf"))
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
			code, _, errs := runCmd("merge", "--out", out, shards[0], shards[1])
			require.Equal(t, 0, code, errs)
			for _, src := range names {
				dst := filepath.Join(out, instancesDir, filepath.Base(src))
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
			code, _, errs = runCmd("merge", "--out", out, shards[0], shards[1])
			require.Equal(t, 0, code, errs)
		})
	}

	// The second shard's copy of an instance is another formula.
	other := filepath.Join(shards[1], instancesDir, filepath.Base(names[0]))
	require.NoError(t, os.Remove(other)) // a link would change the first shard's too
	require.NoError(t, os.WriteFile(other, []byte("p cnf 1 1\n1 0\n"), 0o644))
	out := filepath.Join(dir, "merged")
	code, _, errs := runCmd("merge", "--out", out, shards[0], shards[1])
	assert.Equal(t, 2, code)
	assert.Contains(t, errs, names[0]+" and "+other+" differ (sha256 ")
	assert.NoDirExists(t, out)
}
