// Package bench runs solvers on instances and checks their answers: the
// experiment runner behind nashbench solve and sweep, and the Go benchmarks.
package bench

import (
	"bytes"
	"fmt"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/input"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
)

// Input is one instance: a CNF formula, reduced to its game, or a game read
// from JSON.
type Input struct {
	Path    string
	Problem *solvers.Problem
	IsCNF   bool // the answer is about the formula: sat or unsat
}

// Load reads an instance, a DIMACS formula or a game JSON file, from path
// ("-": standard input). The file is read once, whole (so a pipe such as
// /dev/stdin works); it may be compressed (gzip, xz, bzip2, zstd) and may
// start with a UTF-8 byte-order mark. Its content tells a formula from a
// game, and the name (.cnf, .dimacs, .json, less a compression suffix)
// only when the content does not. An input that is neither (empty, binary,
// an archive) is refused with an error that names the file and says what
// it looks like.
func Load(path string, v reduction.Variant) (*Input, error) {
	f, err := input.Read(path)
	if err != nil {
		return nil, err
	}
	kind, err := f.As(input.CNF, input.Game)
	if err != nil {
		return nil, err
	}
	if kind == input.Game {
		g, err := game.ParseJSON(f.Data, f.Name)
		if err != nil {
			return nil, err
		}
		return &Input{Path: path, Problem: &solvers.Problem{Game: g}}, nil
	}
	// The game is built from the formula's structure, so only the structured
	// bound applies; solvers that need the dense matrix refuse larger games.
	cnf, err := instances.ReadDIMACS(bytes.NewReader(f.Data), f.Name, instances.Limits{Header: func(vars, clauses int) error {
		return reduction.CheckSize(vars, clauses, game.MaxStructuredPlayers)
	}})
	if err != nil {
		return nil, err
	}
	p, err := solvers.FromFormula(cnf, v)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	return &Input{Path: path, Problem: p, IsCNF: true}, nil
}

// kindOf says what an input is taken to be from its name: "game" for .json
// (also compressed: .json.gz, ...), else "cnf".
func kindOf(path string) string {
	if input.NameKind(path) == input.Game {
		return "game"
	}
	return "cnf"
}
