package rundir

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A sweep that starts while a merge writes its directory must not write
// there until the merge ends. The merge's lockAll holds sweep.lock and the
// shard locks that exist when it looks; a sweep of a shard (sweep --part
// i/N) started later takes a lock file the merge never saw, and before the
// merge also held run.json's lock it ran alongside the merge.
func TestMergeLocksOutSweepsStartedDuringIt(t *testing.T) {
	for _, tc := range []struct {
		name          string
		shard, shards int
		refused       bool // with ErrInUse at once; else it waits for the merge
	}{
		{"unsharded sweep is refused", 0, 1, true},
		{"shard sweep waits", 1, 2, false},
		{"shard sweep of another split waits", 0, 3, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			unlock, err := lockAll(dir) // a merge, under way
			require.NoError(t, err)
			type opened struct {
				s   *Shard
				err error
			}
			done := make(chan opened, 1)
			go func() {
				s, err := Open(dir, tinyExperiment(), tc.shard, tc.shards, Options{})
				done <- opened{s, err}
			}()
			if tc.refused {
				got := <-done
				unlock()
				require.ErrorIs(t, got.err, ErrInUse)
				return
			}
			select {
			case got := <-done:
				unlock()
				if got.s != nil {
					got.s.Close()
				}
				t.Fatalf("the sweep of shard %d/%d opened during the merge (err %v)", tc.shard+1, tc.shards, got.err)
			case <-time.After(300 * time.Millisecond):
			}
			assert.NoFileExists(t, RowsFile(dir, tc.shard, tc.shards), "written during the merge")
			assert.NoFileExists(t, filepath.Join(dir, InfoFile), "written during the merge")
			unlock()
			select {
			case got := <-done:
				require.NoError(t, got.err)
				require.NoError(t, got.s.Close())
			case <-time.After(time.Minute):
				t.Fatal("the sweep still waits after the merge ended")
			}
			_, err = os.Stat(filepath.Join(dir, InfoFile))
			assert.NoError(t, err, "the sweep ran once the merge ended")
		})
	}
}
