package instances

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/internal/input/inputtest"
)

// sat is the formula of inputtest.SatCNF.
var sat = &CNF{Vars: 3, Clauses: [][]int{{1, -2}, {2, 3}}}

// ReadFile reads a formula compressed in each format, told by content:
// named .cnf.gz and so on, or .cnf, or with no suffix at all.
func TestReadFileCompressed(t *testing.T) {
	for _, format := range inputtest.Formats {
		data := inputtest.Compress(t, format, inputtest.SatCNF)
		for _, name := range []string{"f.cnf" + inputtest.Ext[format], "f.cnf", "f"} {
			f, err := ReadFile(inputtest.WriteFile(t, name, data))
			require.NoError(t, err, format+" "+name)
			assert.Equal(t, sat, f, format+" "+name)
		}
	}
}

// A UTF-8 byte-order mark was "clause before p cnf header"; it is skipped,
// and the lines keep their numbers.
func TestReadBOM(t *testing.T) {
	bom := append(slices.Clone(inputtest.BOM), inputtest.SatCNF...)
	f, err := ReadDIMACS(strings.NewReader(string(bom)), "bom.cnf", Limits{})
	require.NoError(t, err)
	assert.Equal(t, sat, f)
	f, err = ReadFile(inputtest.WriteFile(t, "bom.cnf", bom))
	require.NoError(t, err)
	assert.Equal(t, sat, f)
	f, err = ReadFile(inputtest.WriteFile(t, "bom.cnf.gz", inputtest.Compress(t, "gzip", bom)))
	require.NoError(t, err)
	assert.Equal(t, sat, f)

	_, err = ReadDIMACS(strings.NewReader("\uFEFFp cnf 1 1\n2 0\n"), "x.cnf", Limits{})
	assert.EqualError(t, err, "x.cnf:2: literal 2 exceeds variable count 1")
	// Only at the start.
	_, err = ReadDIMACS(strings.NewReader("p cnf 1 1\n\uFEFF1 0\n"), "x.cnf", Limits{})
	assert.ErrorContains(t, err, "x.cnf:2: ")
}

func TestReadFileStdin(t *testing.T) {
	data := inputtest.Compress(t, "zstd", inputtest.SatCNF)
	r, w, err := os.Pipe()
	require.NoError(t, err)
	go func() {
		w.Write(data)
		w.Close()
	}()
	old := os.Stdin
	os.Stdin = r
	defer func() { os.Stdin = old; r.Close() }()
	f, err := ReadFile("-")
	require.NoError(t, err)
	assert.Equal(t, sat, f)
}

// What is not a formula is named for what it looks like.
func TestReadFileNotCNF(t *testing.T) {
	game := inputtest.WriteFile(t, "g.json", inputtest.GameJSON)
	_, err := ReadFile(game)
	assert.EqualError(t, err, game+": this looks like a game JSON, not a DIMACS CNF formula: solve or analyze it directly")
	gz := inputtest.WriteFile(t, "g.cnf.gz", inputtest.Compress(t, "gzip", inputtest.GameJSON))
	_, err = ReadFile(gz)
	assert.EqualError(t, err, gz+": this looks like a game JSON, not a DIMACS CNF formula: solve or analyze it directly")
	empty := inputtest.WriteFile(t, "e.cnf", nil)
	_, err = ReadFile(empty)
	assert.EqualError(t, err, empty+" is empty: want a DIMACS CNF formula")
	// Text that is no formula: the parser says where it goes wrong.
	bad := inputtest.WriteFile(t, "bad.cnf", []byte("p cnf 2 1\n1 3 0\n"))
	_, err = ReadFile(bad)
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 2, pe.Line)
}
