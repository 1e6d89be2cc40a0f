//go:build unix

package input

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/internal/input/inputtest"
)

// A FIFO, as bash's <(...) and /dev/stdin on a pipe give, is read once:
// a second read would find it empty.
func TestReadFIFO(t *testing.T) {
	plain := inputtest.SatCNF
	data := xzed(t, plain)
	path := filepath.Join(t.TempDir(), "fifo")
	require.NoError(t, syscall.Mkfifo(path, 0o600))
	go func() {
		w, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		w.Write(data)
		w.Close()
	}()
	f, err := Read(path)
	require.NoError(t, err)
	assert.Equal(t, plain, f.Data)
	assert.Equal(t, []string{"xz"}, f.Compression)
	assert.Equal(t, CNF, f.Kind)
}
