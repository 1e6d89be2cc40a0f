package bench

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/internal/input/inputtest"
	"github.com/nashbench/nashbench/reduction"
)

// Load reads formulas and games in each compression format, with a
// byte-order mark or not, told apart by content whatever the name (a
// .json.gz game was read as CNF).
func TestLoadInputs(t *testing.T) {
	bomCNF := append(slices.Clone(inputtest.BOM), inputtest.SatCNF...)
	bomGame := append(slices.Clone(inputtest.BOM), inputtest.GameJSON...)
	type file struct {
		name string
		data []byte
		cnf  bool
	}
	files := []file{{"bom.cnf", bomCNF, true}, {"bom.json", bomGame, false}, {"bom.json.zst", inputtest.Compress(t, "zstd", bomGame), false}}
	for _, format := range inputtest.Formats {
		ext := inputtest.Ext[format]
		cnf := inputtest.Compress(t, format, inputtest.SatCNF)
		game := inputtest.Compress(t, format, inputtest.GameJSON)
		files = append(files, file{"f.cnf" + ext, cnf, true}, file{"f" + ext, cnf, true}, file{"noname", cnf, true},
			file{"g.json" + ext, game, false}, file{"g" + ext, game, false}, file{"g.cnf", game, false})
	}
	for _, f := range files {
		path := inputtest.WriteFile(t, f.name, f.data)
		in, err := Load(path, reduction.Corrected)
		require.NoError(t, err, f.name)
		assert.Equal(t, path, in.Path)
		assert.Equal(t, f.cnf, in.IsCNF, f.name)
		if f.cnf {
			assert.Equal(t, 3, in.Problem.Formula.Vars, f.name)
		} else {
			assert.Equal(t, 3, in.Problem.Game.Players(), f.name)
		}
	}
	assert.Equal(t, "game", kindOf("g.json.gz"))
	assert.Equal(t, "game", kindOf("g.JSON"))
	assert.Equal(t, "cnf", kindOf("f.cnf.xz"))
}

// "-" is standard input, read once (it was "open -: no such file").
func TestLoadStdin(t *testing.T) {
	inputtest.WithStdin(t, inputtest.Compress(t, "bzip2", inputtest.SatCNF), func() {
		in, err := Load("-", reduction.Corrected)
		require.NoError(t, err)
		assert.True(t, in.IsCNF)
		assert.Equal(t, "-", in.Path)
		assert.Equal(t, 2, len(in.Problem.Formula.Clauses))
	})
}

func TestLoadNotAnInput(t *testing.T) {
	tgz := inputtest.WriteFile(t, "x.tar.gz", inputtest.TarGz(t))
	empty := inputtest.WriteFile(t, "empty.cnf", nil)
	bin := inputtest.WriteFile(t, "x.bin", []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00"))
	txt := inputtest.WriteFile(t, "notes.txt", []byte("hello\n"))
	for path, msg := range map[string]string{
		tgz:   tgz + " is a tar archive: extract it first",
		empty: empty + " is empty: want a DIMACS CNF formula or a game JSON",
		bin:   bin + " is binary data, not a DIMACS CNF formula or a game JSON (it starts with bytes 7f 45 4c 46 02 01 01 00)",
		txt:   txt + ` is neither a DIMACS CNF formula nor a game JSON: it starts with "hello"`,
	} {
		_, err := Load(path, reduction.Corrected)
		assert.EqualError(t, err, msg)
	}
}
