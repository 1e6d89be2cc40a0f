package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nashbench/nashbench/instances"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readDir returns the contents of the files in dir by name.
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	files := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		files[e.Name()] = b
	}
	return files
}

func TestGen(t *testing.T) {
	dir1 := filepath.Join(t.TempDir(), "a", "b") // created if missing
	code, out, errs := runCmd("gen", "--n", "10", "--ratio", "4.26", "--count", "3", "--seed", "1", "--out", dir1)
	require.Equal(t, 0, code, errs)
	assert.Empty(t, errs)
	names := []string{"uf3-n10-m43-s1-i000000.cnf", "uf3-n10-m43-s1-i000001.cnf", "uf3-n10-m43-s1-i000002.cnf"}
	var want []string
	for _, n := range names {
		want = append(want, filepath.Join(dir1, n))
	}
	assert.Equal(t, strings.Join(want, "\n")+"\n", out)

	files := readDir(t, dir1)
	require.Len(t, files, 3) // no temporary files left behind
	for _, n := range names {
		b := files[n]
		require.NotNil(t, b, n)
		assert.Contains(t, string(b), "\np cnf 10 43\n", n)
		f, err := instances.ReadFile(filepath.Join(dir1, n))
		require.NoError(t, err)
		assert.Len(t, f.Clauses, 43)
		for _, c := range f.Clauses {
			assert.Len(t, c, 3)
		}
	}
	assert.NotEqual(t, files[names[0]], files[names[1]])

	// Same flags, same bytes (flags in another order, into another directory).
	dir2 := t.TempDir()
	code, _, errs = runCmd("gen", "--out", dir2, "--seed", "1", "--count", "3", "--n", "10")
	require.Equal(t, 0, code, errs)
	assert.Equal(t, files, readDir(t, dir2))

	// Another seed, other formulas.
	dir3 := t.TempDir()
	code, _, errs = runCmd("gen", "--n", "10", "--count", "1", "--seed", "2", "--out", dir3)
	require.Equal(t, 0, code, errs)
	other := readDir(t, dir3)["uf3-n10-m43-s2-i000000.cnf"]
	require.NotNil(t, other)
	assert.NotEqual(t, files[names[0]], other)
}

func TestGenMAndPlanted(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCmd("gen", "--n", "12", "--m", "70", "--k", "4", "--planted", "--count", "2", "--seed", "7", "--out", dir)
	require.Equal(t, 0, code, errs)
	assert.Equal(t, 2, strings.Count(out, "\n"))
	for i, name := range []string{"planted4-n12-m70-s7-i000000.cnf", "planted4-n12-m70-s7-i000001.cnf"} {
		path := filepath.Join(dir, name)
		f, err := instances.ReadFile(path)
		require.NoError(t, err)
		assert.Len(t, f.Clauses, 70)
		// The file records the hidden model, and it satisfies the formula.
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		var model []bool
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "c model:"); ok {
				for _, l := range strings.Fields(rest) {
					model = append(model, !strings.HasPrefix(l, "-"))
				}
			}
		}
		require.Len(t, model, 12)
		assert.True(t, f.Satisfies(model))
		// And the file is exactly what the library writes for the spec.
		s := instances.Spec{N: 12, M: 70, K: 4, Planted: true, Seed: 7, Index: i}
		g, hidden, err := s.Generate()
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, instances.WriteDIMACS(&buf, g, s.Comments(hidden)...))
		assert.Equal(t, buf.String(), string(b))
	}
}

func TestGenDefaultOut(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	code, out, errs := runCmd("gen", "--n", "5", "--m", "0")
	require.Equal(t, 0, code, errs)
	assert.Equal(t, "uf3-n5-m0-s1-i000000.cnf\n", out)
	b, err := os.ReadFile(filepath.Join(dir, "uf3-n5-m0-s1-i000000.cnf"))
	require.NoError(t, err)
	assert.Contains(t, string(b), "p cnf 5 0\n")
}

func TestGenBadFlags(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no n", nil, 2, "--n must be a positive"},
		{"zero n", []string{"--n", "0"}, 2, "--n must be a positive"},
		{"negative n", []string{"--n", "-3"}, 2, "--n must be a positive"},
		{"k beyond n", []string{"--n", "2"}, 2, "k = 3 exceeds n = 2: clauses need k distinct variables"},
		{"zero k", []string{"--n", "5", "--k", "0"}, 2, "k = 0 literals per clause: need k >= 1"},
		{"zero count", []string{"--n", "5", "--count", "0"}, 2, "--count must be in 1..1000000"},
		{"absurd count", []string{"--n", "5", "--count", "1000001"}, 2, "--count must be in 1..1000000"},
		{"m and ratio", []string{"--n", "5", "--m", "3", "--ratio", "2"}, 2, "not both"},
		{"negative m", []string{"--n", "5", "--m", "-1"}, 2, "m = -1 clauses: need m >= 0"},
		{"negative ratio", []string{"--n", "5", "--ratio", "-1"}, 2, "--ratio must be a non-negative number"},
		{"NaN ratio", []string{"--n", "5", "--ratio", "NaN"}, 2, "--ratio must be a non-negative number"},
		{"infinite ratio", []string{"--n", "5", "--ratio", "+Inf"}, 2, "--ratio must be a non-negative number"},
		{"too many clauses", []string{"--n", "1000000", "--ratio", "1000"}, 2, "exceeds the limit"},
		{"too many variables", []string{"--n", "20000000", "--m", "0"}, 2, "exceeds the limit"},
		{"bad number", []string{"--n", "ten"}, 2, "invalid value"},
		{"unknown flag", []string{"--n", "5", "--bogus"}, 2, "flag provided but not defined"},
		{"positional", []string{"--n", "5", "extra"}, 2, `unexpected argument "extra"`},
		{"empty out", []string{"--n", "5", "--out", ""}, 2, "--out must not be empty"},
		{"out is a file", []string{"--n", "5", "--out", file}, 2, "gen: --out " + file + ": cannot create the directory: not a directory"},
		{"out under a file", []string{"--n", "5", "--out", filepath.Join(file, "x")}, 2, "gen: --out " + filepath.Join(file, "x") + ": cannot create the directory: not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCmd(append([]string{"gen"}, tt.args...)...)
			assert.Equal(t, tt.code, code, errs)
			assert.Empty(t, out)
			assert.Contains(t, errs, tt.msg)
		})
	}
}

func TestGenHelp(t *testing.T) {
	code, _, errs := runCmd("gen", "-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, errs, "usage: nashbench gen")
}
