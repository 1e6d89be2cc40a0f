package history

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A solvers file is refused before anything runs when it does not exist,
// and reaches the suite as an absolute path, since the suite runs in
// worktrees elsewhere.
func TestTrackerSolversFile(t *testing.T) {
	require.ErrorContains(t, (&Tracker{SolversFile: "/no/such/file"}).Check(), "solvers file: stat /no/such/file")
	env, err := (&Tracker{}).env()
	require.NoError(t, err)
	assert.Empty(t, env)

	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "s.json"), []byte("[]"), 0o644))
	t.Chdir(dir)
	tr := &Tracker{SolversFile: "s.json"}
	require.NoError(t, tr.Check())
	env, err = tr.env()
	require.NoError(t, err)
	assert.Equal(t, []string{"NASHBENCH_SOLVERS_FILE=" + filepath.Join(dir, "s.json")}, env)
}
