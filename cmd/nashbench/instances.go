package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/export"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/reduction"
)

// The commands that make and convert instances: gen, reduce and export.

// maxGenCount bounds --count, far above any sensible run.
const maxGenCount = 1_000_000

func runGen(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("gen", "--n N [--ratio R | --m M] [--k K] [--count C] [--seed S] [--planted] [--out DIR]\n"+
		"       nashbench gen --game FAMILY --players K [--base LO:HI] [--own LO:HI] [--spill LO:HI] [--count C] [--seed S] [--out DIR]", stderr)
	family := fs.String("game", "", "generate games of this family instead of formulas: "+strings.Join(instances.GameFamilies(), ", "))
	players := fs.Int("players", 0, fmt.Sprintf("with --game: players per game, 2..%d (ring: 3..)", instances.MaxGamePlayers))
	var ranges [3]*instances.Range // base, own, spill; nil: the family's
	for i, f := range [3][2]string{
		{"base", "with --game: range LO:HI of the baseline progress d_i (default: race 0:1000, uniform -100:100, ring 0:0)"},
		{"own", "with --game: range LO:HI of the own effect delta_i = D[i][i] (default: race -50:50, uniform -100:100; not for ring, whose own gain is 1..B-1 below its help B)"},
		{"spill", "with --game: range LO:HI of the spillovers D[j][i], what j receives when i opens (default: race 0:100, uniform -100:100; ring: the help B_i, 50:100)"},
	} {
		fs.Func(f[0], f[1], func(s string) error {
			r, err := instances.ParseRange(s)
			ranges[i] = &r
			return err
		})
	}
	n := fs.Int("n", 0, "number of variables (required, > 0)")
	ratio := fs.Float64("ratio", 4.26, "clause-to-variable ratio; clauses = round(ratio*n) (exclusive with --m)")
	m := fs.Int("m", 0, "number of clauses (exclusive with --ratio)")
	k := fs.Int("k", 3, "literals per clause, over distinct variables")
	count := fs.Int("count", 1, fmt.Sprintf("number of instances, 1..%d", maxGenCount))
	seed := fs.Uint64("seed", 1, "seed; instance i is drawn with math/rand/v2 PCG(seed, i)")
	planted := fs.Bool("planted", false, "draw satisfiable instances with a planted (hidden) model")
	out := fs.String("out", ".", "output directory, created if missing")
	if _, err := parse(fs, args, 0, 0, ""); err != nil {
		return err
	}
	set := given(fs)
	if set["game"] {
		for _, f := range []string{"n", "ratio", "m", "k", "planted"} {
			if set[f] {
				return fmt.Errorf("gen: --%s is for formulas: --game generates games (give --players)", f)
			}
		}
		if !set["players"] {
			return fmt.Errorf("gen: --game needs --players K, the players of each game (2..%d)", instances.MaxGamePlayers)
		}
		spec := instances.GameSpec{Family: *family, Players: *players, Seed: *seed, Base: ranges[0], Own: ranges[1], Spill: ranges[2]}
		return writeGenerated(*out, spec, *count, stdout)
	}
	for _, f := range []string{"players", "base", "own", "spill"} {
		if set[f] {
			return fmt.Errorf("gen: --%s needs --game FAMILY (one of %s)", f, strings.Join(instances.GameFamilies(), ", "))
		}
	}
	spec := instances.Spec{N: *n, M: *m, K: *k, Planted: *planted, Seed: *seed}
	switch {
	case *n <= 0:
		return fmt.Errorf("gen: --n must be a positive number of variables (got %d)", *n)
	case set["m"] && set["ratio"]:
		return errors.New("gen: give --m or --ratio, not both")
	case set["m"]: // spec.Validate checks it, and k
	case math.IsNaN(*ratio) || math.IsInf(*ratio, 0) || *ratio < 0:
		return fmt.Errorf("gen: --ratio must be a non-negative number (got %v)", *ratio)
	default:
		if spec.Ratio, spec.M = *ratio, instances.ClausesForRatio(*n, *ratio); spec.M < 0 {
			return fmt.Errorf("gen: --ratio %v gives too many clauses for --n %d", *ratio, *n)
		}
	}
	return writeGenerated(*out, spec, *count, stdout)
}

// writeGenerated writes the instances 0..count-1 of spec, which
// WriteFiles checks before it creates anything, into the directory out,
// printing their paths. Every failure is a bad argument (exit 2).
func writeGenerated[S instances.Spec | instances.GameSpec](out string, spec S, count int, stdout io.Writer) error {
	switch {
	case count <= 0 || count > maxGenCount:
		return fmt.Errorf("gen: --count must be in 1..%d (got %d)", maxGenCount, count)
	case out == "":
		return errors.New("gen: --out must not be empty")
	}
	paths, err := instances.WriteFiles(out, spec, count)
	for _, p := range paths {
		fmt.Fprintln(stdout, p)
	}
	var pe *os.PathError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe) && pe.Op == "mkdir":
		return fmt.Errorf("gen: --out %s: cannot create the directory: %w", out, pe.Err)
	case pe != nil:
		return fmt.Errorf("gen: --out: %w", err)
	}
	return fmt.Errorf("gen: %w", err)
}

func runReduce(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("reduce", "FILE.cnf [-o OUT.json] [--reduction corrected|literal]", stderr)
	out := fs.String("o", "", "output file (default: standard output)")
	variant := fs.String("reduction", "corrected", "corrected (clause and switch players have delta -1) or literal (as printed)")
	pos, err := parse(fs, args, 1, 1, "want exactly one DIMACS file")
	if err != nil {
		return err
	}
	v, err := reduction.ParseVariant(*variant)
	if err != nil {
		return fmt.Errorf("reduce: %w", err)
	}
	// The game is written as its dense k x k matrix: refuse a formula too
	// large for that at its p line, before reading its clauses.
	f, err := instances.ReadFileLimits(pos[0], instances.Limits{Header: func(vars, clauses int) error {
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

func runExport(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "--formulation NAME GAME_OR_CNF [-o FILE]", stderr)
	help, names := "formulation to write (required):", []string{}
	for _, f := range export.Formulations() {
		help += fmt.Sprintf("\n  %s: %s", f.Name, f.Summary)
		names = append(names, f.Name)
	}
	name := fs.String("formulation", "", help)
	out := fs.String("o", "", "output file (default: standard output)")
	pos, err := parse(fs, args, 0, -1, "")
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
	if err := export.Write(&buf, *name, in.Problem, in.Path); err != nil {
		return fmt.Errorf("export: %s: %w", pos[0], err)
	}
	return writeOutput("export", *out, buf.Bytes(), stdout)
}
