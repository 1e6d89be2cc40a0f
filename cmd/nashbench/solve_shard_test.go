package main

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/nashbench/nashbench/record"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// solve --shard i/N: each part's count is partial, marked with its shard,
// and never a negative answer; the parts' counts sum to the full count, the
// trivial equilibrium (all-false model) included once.
func TestSolveShardsSumToTheCount(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := runCmd("gen", "--n", "9", "--count", "4", "--seed", "5", "--out", dir)
	require.Equal(t, 0, code, errs)
	files, err := filepath.Glob(filepath.Join(dir, "*.cnf"))
	require.NoError(t, err)
	files = append(files,
		// All-false satisfies it: a model that the game's count leaves out.
		writeFile(t, dir, "allfalse.cnf", "p cnf 4 3\n-1 2 0\n-2 -3 0\n-4 1 0\n"),
		// A game whose all-closed profile is an equilibrium, and a free
		// player (null, delta 0) besides.
		writeFile(t, dir, "trivial.json", `{"delta": [-1, 2, 0], "Delta": [[0, 1, 0], [3, 0, 0], [0, 0, 0]], "d": [0, 5, 1]}`))
	game := filepath.Join(dir, "unsat.json")
	code, _, errs = runCmd("reduce", writeFile(t, dir, "unsat.cnf", "p cnf 2 4\n1 2 0\n-1 2 0\n1 -2 0\n-1 -2 0\n"), "-o", game)
	require.Equal(t, 0, code, errs)
	files = append(files, game)

	code, out, errs := runCmd(append([]string{"solve", "--count", "--json"}, files...)...)
	require.Equal(t, 0, code, errs)
	full := records(t, out)
	require.Len(t, full, len(files))
	for i, r := range full {
		assert.Equal(t, runtime.GOMAXPROCS(0), r.Workers, "the default")
		assert.Empty(t, r.Part)
		require.NotNil(t, r.Count, files[i])
	}
	for _, shards := range []int{2, 5} {
		sums := make([]int64, len(files))
		for i := range shards {
			shard := fmt.Sprintf("%d/%d", i+1, shards)
			code, out, errs := runCmd(append([]string{"solve", "--count", "--json", "--shard", shard, "--workers", fmt.Sprint(1 + i%2)}, files...)...)
			require.Equal(t, 0, code, errs)
			recs := records(t, out)
			require.Len(t, recs, len(files))
			for f, r := range recs {
				assert.Equal(t, shard, r.Part)
				assert.Equal(t, 1+i%2, r.Workers)
				assert.Equal(t, record.Solved, r.Status, files[f])
				assert.NotContains(t, []string{"unsat", "no-pne"}, r.Answer, "a part cannot answer no: %s", files[f])
				assert.Equal(t, record.CheckNone, r.CountCheck, "a part's count is not checked: %s", files[f])
				if r.Answer == "unknown" {
					assert.Nil(t, r.Verified)
				} else {
					assert.True(t, *r.Verified, files[f]) // a witness
				}
				if r.Kind == "game" {
					assert.Equal(t, i == 0, r.TrivialPNE != nil, "only the first part has the all-closed profile: %s", files[f])
				}
				require.NotNil(t, r.Count)
				sums[f] += *r.Count
			}
		}
		for f := range files {
			assert.Equal(t, *full[f].Count, sums[f], "%s in %d shards", files[f], shards)
		}
	}
	// Only enum splits its search.
	code, out, errs = runCmd("solve", "--json", "--solver", "gophersat", "--shard", "1/2", files[0])
	assert.Equal(t, 2, code)
	recs := records(t, out)
	require.Len(t, recs, 1)
	assert.Equal(t, record.Refused, recs[0].Status)
	assert.Contains(t, errs, "gophersat cannot search part 1/2 of a game: only enum splits its search")
	for i, bad := range []string{"3/2", "0/2", "1", "a/b"} {
		flag := []string{"--shard", "--part"}[i%2] // --shard is --part's first name
		code, _, errs = runCmd("solve", flag, bad, files[0])
		assert.Equal(t, 2, code)
		assert.Contains(t, errs, "solve --part "+fmt.Sprintf("%q", bad))
	}
	code, out, _ = runCmd("solve", "--count", "--shard", "1/2", files[0])
	assert.Equal(t, 0, code)
	assert.True(t, strings.Contains(out, "part 1/2 (sum the counts of all parts)"), out)
}
