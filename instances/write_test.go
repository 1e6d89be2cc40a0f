package instances_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/instances"
)

func TestWriteFiles(t *testing.T) {
	formula := instances.Spec{N: 6, M: 20, K: 3, Ratio: 3.33, Seed: 1, Index: 7}
	game := instances.GameSpec{Family: instances.FamilyRace, Players: 4, Seed: 2}
	tests := []struct {
		name  string
		write func(dir string) ([]string, error)
		files []string
		op    string // the *os.PathError's Op, "" for none
	}{
		{"formulas", func(dir string) ([]string, error) { return instances.WriteFiles(dir, formula, 2) },
			[]string{"uf3-n6-m20-s1-i000000.cnf", "uf3-n6-m20-s1-i000001.cnf"}, ""},
		{"games", func(dir string) ([]string, error) { return instances.WriteFiles(dir, game, 1) },
			[]string{"race-k4-s2-i000000.json"}, ""},
		{"bad spec", func(dir string) ([]string, error) {
			return instances.WriteFiles(dir, instances.Spec{N: 2, M: 1, K: 3}, 1)
		}, nil, ""},
		{"dir is a file", func(dir string) ([]string, error) {
			f := filepath.Join(dir, "file")
			require.NoError(t, os.WriteFile(f, nil, 0o644))
			return instances.WriteFiles(filepath.Join(f, "sub"), formula, 1)
		}, nil, "mkdir"},
		{"file is a directory", func(dir string) ([]string, error) {
			require.NoError(t, os.MkdirAll(filepath.Join(dir, "uf3-n6-m20-s1-i000001.cnf", "x"), 0o755))
			return instances.WriteFiles(dir, formula, 3)
		}, []string{"uf3-n6-m20-s1-i000000.cnf"}, "write"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			paths, err := tt.write(dir)
			var names []string
			for _, p := range paths {
				assert.FileExists(t, p)
				names = append(names, filepath.Base(p))
			}
			assert.Equal(t, tt.files, names, "the files written, before any error")
			var pe *os.PathError
			switch {
			case tt.op != "":
				require.True(t, errors.As(err, &pe), "%v", err)
				assert.Equal(t, tt.op, pe.Op)
			case tt.name == "bad spec":
				require.Error(t, err)
				assert.False(t, errors.As(err, &pe), "not a file's error")
				entries, _ := os.ReadDir(dir)
				assert.Empty(t, entries, "nothing created")
			default:
				require.NoError(t, err)
			}
		})
	}
}

// Writing the first instances of a generator's parameters into a
// directory, as nashbench gen does.
func ExampleWriteFiles() {
	dir, err := os.MkdirTemp("", "instances-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	spec := instances.Spec{N: 20, M: 85, K: 3, Ratio: 4.26, Seed: 1}
	paths, err := instances.WriteFiles(filepath.Join(dir, "uf20"), spec, 3)
	if err != nil {
		panic(err)
	}
	for _, p := range paths {
		fmt.Println(filepath.Base(p))
	}
	// Output:
	// uf3-n20-m85-s1-i000000.cnf
	// uf3-n20-m85-s1-i000001.cnf
	// uf3-n20-m85-s1-i000002.cnf
}
