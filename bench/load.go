// Package bench runs solvers on instances and checks their answers: the
// experiment runner behind nashbench solve and sweep, and the Go benchmarks.
package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
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

// Load reads a DIMACS file (.cnf, .dimacs) or a game JSON file (.json); other
// names are told apart by their first non-blank byte.
func Load(path string, v reduction.Variant) (*Input, error) {
	isCNF, err := looksLikeCNF(path)
	if err != nil {
		return nil, err
	}
	if !isCNF {
		g, err := game.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return &Input{Path: path, Problem: &solvers.Problem{Game: g}}, nil
	}
	// The game is built from the formula's structure, so only the structured
	// bound applies; solvers that need the dense matrix refuse larger games.
	f, err := instances.ReadFileLimits(path, instances.Limits{Header: func(vars, clauses int) error {
		return reduction.CheckSize(vars, clauses, game.MaxStructuredPlayers)
	}})
	if err != nil {
		return nil, err
	}
	p, err := solvers.FromFormula(f, v)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &Input{Path: path, Problem: p, IsCNF: true}, nil
}

// KindOf says what an input is taken to be from its name: "game" for .json,
// else "cnf".
func KindOf(path string) string {
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return "game"
	}
	return "cnf"
}

func looksLikeCNF(path string) (bool, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".cnf", ".dimacs":
		return true, nil
	case ".json":
		return false, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head, _ := bufio.NewReader(f).Peek(4096)
	head = bytes.TrimLeft(head, " \t\r\n")
	return len(head) == 0 || head[0] != '{', nil
}
