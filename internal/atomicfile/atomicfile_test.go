package atomicfile

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.txt")
	require.NoError(t, Write(p, []byte("one")))
	require.NoError(t, Write(p, []byte("two")))
	got, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, "two", string(got))
	st, err := os.Stat(p)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o644), st.Mode().Perm())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temp files left behind")
	missing := filepath.Join(dir, "missing", "f.txt")
	err = Write(missing, nil)
	require.Error(t, err)
	// The error names the file asked for, not the temporary one.
	assert.Equal(t, "write "+missing+": no such file or directory", err.Error())
	assert.ErrorIs(t, err, fs.ErrNotExist)
	err = Write(dir, []byte("x")) // a directory: the rename fails
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "write "+dir+": "), err.Error())
	assert.NotContains(t, err.Error(), ".tmp")
	entries, err = os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temp files left behind")
}
