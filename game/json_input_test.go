package game_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	. "github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/input/inputtest"
)

// ReadFile reads a game compressed in each format, with or without a
// byte-order mark (which was "invalid character 'ï'").
func TestReadFileInputs(t *testing.T) {
	want, err := ParseJSON(inputtest.GameJSON, "game.json")
	require.NoError(t, err)
	assert.Equal(t, 3, want.Players())
	bom := append(slices.Clone(inputtest.BOM), inputtest.GameJSON...)
	files := map[string][]byte{"bom.json": bom, "bom.json.gz": inputtest.Compress(t, "gzip", bom)}
	for _, format := range inputtest.Formats {
		files["g.json"+inputtest.Ext[format]] = inputtest.Compress(t, format, inputtest.GameJSON)
	}
	for name, data := range files {
		g, err := ReadFile(inputtest.WriteFile(t, name, data))
		require.NoError(t, err, name)
		assert.Equal(t, want, g, name)
	}
	for name, read := range map[string]func([]byte) (*Game, error){
		"ReadJSON":  func(b []byte) (*Game, error) { return ReadJSON(bytes.NewReader(b), "bom.json") },
		"ParseJSON": func(b []byte) (*Game, error) { return ParseJSON(b, "bom.json") },
	} {
		g, err := read(bom)
		require.NoError(t, err, name)
		assert.Equal(t, want, g, name)
		// Line numbers of errors are those of the file.
		_, err = read([]byte("\uFEFF{\n\"d\": [1,\n}"))
		assert.ErrorContains(t, err, "bom.json:3: invalid JSON", name)
	}
}

// A formula given as a game was "invalid JSON: invalid character 'c'".
func TestReadFileNotGame(t *testing.T) {
	cnf := inputtest.WriteFile(t, "x.cnf", inputtest.SatCNF)
	_, err := ReadFile(cnf)
	assert.EqualError(t, err, cnf+": this is a CNF formula, not a game JSON: reduce it first (nashbench reduce "+cnf+"), or solve it")
	tgz := inputtest.WriteFile(t, "x.json.xz", inputtest.Compress(t, "xz", inputtest.SatCNF))
	_, err = ReadFile(tgz)
	assert.EqualError(t, err, tgz+": this is a CNF formula, not a game JSON: reduce it first (nashbench reduce "+tgz+"), or solve it")
}
