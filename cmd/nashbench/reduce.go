package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/reduction"
)

func init() {
	register(command{
		name:    "reduce",
		summary: "write the Theorem 1 game of a DIMACS formula as game JSON",
		run:     runReduce,
	})
}

func runReduce(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("reduce", "FILE.cnf [-o OUT.json] [--reduction corrected|literal]", stderr)
	out := fs.String("o", "", "output file (default: standard output)")
	variant := fs.String("reduction", "corrected", "corrected (clause and switch players have delta -1) or literal (as printed)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errors.New("reduce: want exactly one DIMACS file")
	}
	v, err := reduction.ParseVariant(*variant)
	if err != nil {
		return fmt.Errorf("reduce: %w", err)
	}
	// The game is written as its dense k x k matrix: refuse a formula too
	// large for that at its p line, before reading its clauses.
	f, err := bench.LoadCNF(pos[0], instances.Limits{Header: func(vars, clauses int) error {
		err := reduction.CheckSize(vars, clauses, game.MaxPlayers)
		if errors.Is(err, reduction.ErrTooManyPlayers) {
			return fmt.Errorf("%w, the most reduce writes as a matrix", err)
		}
		return err
	}})
	if err != nil {
		return err
	}
	g, l, err := reduction.Reduce(f, v)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	comment := fmt.Sprintf("Theorem 1 reduction (%s) of %s: %s x1..x%d, %s C1..C%d, one switch player; payoffs scaled by 2n+2 = %d",
		v, pos[0], plural.Count(l.Vars, "variable player", "variable players"), l.Vars, plural.Count(l.Clauses, "clause player", "clause players"), l.Clauses, 2*l.Vars+2)
	var buf bytes.Buffer
	if err := game.WriteJSON(&buf, g, comment); err != nil {
		return &exitError{1, err}
	}
	return writeOutput("reduce", *out, buf.Bytes(), stdout)
}
