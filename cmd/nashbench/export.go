package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/reduction"
)

func init() {
	register(command{
		name:    "export",
		summary: "write a formulation of the equilibrium question (OPB, CNF, LP) for external solvers",
		run:     runExport,
	})
}

func runExport(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "--formulation NAME GAME_OR_CNF [-o FILE]", stderr)
	var help strings.Builder
	help.WriteString("formulation to write (required):")
	var names []string
	for _, f := range bench.Formulations() {
		fmt.Fprintf(&help, "\n  %s: %s", f.Name, f.Summary)
		names = append(names, f.Name)
	}
	name := fs.String("formulation", "", help.String())
	out := fs.String("o", "", "output file (default: standard output)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	known := strings.Join(names, ", ")
	switch {
	case *name == "":
		fs.Usage()
		return fmt.Errorf("export: --formulation is required (one of %s)", known)
	case !slices.Contains(names, *name):
		return fmt.Errorf("export: unknown formulation %q (known: %s)", *name, known)
	case len(pos) != 1:
		fs.Usage()
		return errors.New("export: want exactly one input, a DIMACS formula or a game JSON file")
	}
	// A formula is exported as its corrected reduction game.
	in, err := bench.Load(pos[0], reduction.Corrected)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := bench.Export(&buf, in, *name); err != nil {
		return fmt.Errorf("export: %s: %w", pos[0], err)
	}
	return writeOutput("export", *out, buf.Bytes(), stdout)
}
