package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/nashbench/nashbench/instances"
)

// maxGenCount bounds --count, far above any sensible run.
const maxGenCount = 1_000_000

const defaultRatio = 4.26

func init() {
	register(command{
		name:    "gen",
		summary: "generate random or planted k-SAT instances as DIMACS files, or games (--game) as JSON",
		run:     runGen,
	})
}

func runGen(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("gen", "--n N [--ratio R | --m M] [--k K] [--count C] [--seed S] [--planted] [--out DIR]\n"+
		"       nashbench gen --game FAMILY --players K [--base LO:HI] [--own LO:HI] [--spill LO:HI] [--count C] [--seed S] [--out DIR]", stderr)
	family := fs.String("game", "", "generate games of this family instead of formulas: "+strings.Join(instances.GameFamilies(), ", "))
	players := fs.Int("players", 0, fmt.Sprintf("with --game: players per game, 2..%d (ring: 3..)", instances.MaxGamePlayers))
	var ranges [3]rangeFlag // base, own, spill
	fs.Var(&ranges[0], "base", "with --game: range LO:HI of the baseline progress d_i (default: race 0:1000, uniform -100:100, ring 0:0)")
	fs.Var(&ranges[1], "own", "with --game: range LO:HI of the own effect delta_i = D[i][i] (default: race -50:50, uniform -100:100; not for ring, whose own gain is 1..B-1 below its help B)")
	fs.Var(&ranges[2], "spill", "with --game: range LO:HI of the spillovers D[j][i], what j receives when i opens (default: race 0:100, uniform -100:100; ring: the help B_i, 50:100)")
	n := fs.Int("n", 0, "number of variables (required, > 0)")
	ratio := fs.Float64("ratio", defaultRatio, "clause-to-variable ratio; clauses = round(ratio*n) (exclusive with --m)")
	m := fs.Int("m", 0, "number of clauses (exclusive with --ratio)")
	k := fs.Int("k", 3, "literals per clause, over distinct variables")
	count := fs.Int("count", 1, fmt.Sprintf("number of instances, 1..%d", maxGenCount))
	seed := fs.Uint64("seed", 1, "seed; instance i is drawn with math/rand/v2 PCG(seed, i)")
	planted := fs.Bool("planted", false, "draw satisfiable instances with a planted (hidden) model")
	out := fs.String("out", ".", "output directory, created if missing")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("gen: unexpected argument %q", pos[0])
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["game"] {
		for _, f := range []string{"n", "ratio", "m", "k", "planted"} {
			if set[f] {
				return fmt.Errorf("gen: --%s is for formulas: --game generates games (give --players)", f)
			}
		}
		if !set["players"] {
			return fmt.Errorf("gen: --game needs --players K, the players of each game (2..%d)", instances.MaxGamePlayers)
		}
		spec := instances.GameSpec{Family: *family, Players: *players, Seed: *seed,
			Base: ranges[0].get(), Own: ranges[1].get(), Spill: ranges[2].get()}
		return genGames(spec, *count, *out, stdout)
	}
	for _, f := range []string{"players", "base", "own", "spill"} {
		if set[f] {
			return fmt.Errorf("gen: --%s needs --game FAMILY (one of %s)", f, strings.Join(instances.GameFamilies(), ", "))
		}
	}

	switch {
	case *n <= 0:
		return fmt.Errorf("gen: --n must be a positive number of variables (got %d)", *n)
	case *k < 1:
		return fmt.Errorf("gen: --k must be at least 1 (got %d)", *k)
	case *k > *n:
		return fmt.Errorf("gen: --k %d exceeds --n %d: clauses need k distinct variables", *k, *n)
	case *count <= 0 || *count > maxGenCount:
		return fmt.Errorf("gen: --count must be in 1..%d (got %d)", maxGenCount, *count)
	case set["m"] && set["ratio"]:
		return errors.New("gen: give --m or --ratio, not both")
	case *out == "":
		return errors.New("gen: --out must not be empty")
	}
	clauses := *m
	specRatio := *ratio
	if set["m"] {
		if *m < 0 {
			return fmt.Errorf("gen: --m must be non-negative (got %d)", *m)
		}
		specRatio = 0
	} else {
		if math.IsNaN(*ratio) || math.IsInf(*ratio, 0) || *ratio < 0 {
			return fmt.Errorf("gen: --ratio must be a non-negative number (got %v)", *ratio)
		}
		clauses = instances.ClausesForRatio(*n, *ratio)
		if clauses < 0 {
			return fmt.Errorf("gen: --ratio %v gives too many clauses for --n %d", *ratio, *n)
		}
	}
	// Check the sizes once, before creating anything.
	spec := instances.Spec{N: *n, M: clauses, K: *k, Ratio: specRatio, Planted: *planted, Seed: *seed}
	if err := spec.Validate(); err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	return writeGenerated(*out, spec, *count, stdout)
}

// genGames writes count games of spec (indices 0..count-1) into out as
// JSON, the generator's parameters in each file's comment
// (instances.GameSpec.Encode), and prints their paths.
func genGames(spec instances.GameSpec, count int, out string, stdout io.Writer) error {
	switch {
	case count <= 0 || count > maxGenCount:
		return fmt.Errorf("gen: --count must be in 1..%d (got %d)", maxGenCount, count)
	case out == "":
		return errors.New("gen: --out must not be empty")
	}
	// Check the parameters once, before creating anything.
	if err := spec.Validate(); err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	return writeGenerated(out, spec, count, stdout)
}

// writeGenerated writes the instances 0..count-1 of spec (checked) into
// the directory out and prints their paths. An out that cannot be created
// or written is a bad argument (exit 2); the spec is valid, so an instance
// that cannot be encoded is a bug (exit 1).
func writeGenerated[S instances.Spec | instances.GameSpec](out string, spec S, count int, stdout io.Writer) error {
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
	return &exitError{1, fmt.Errorf("gen: %w", err)}
}

// rangeFlag is a --base, --own or --spill range, LO:HI; unset, nil.
type rangeFlag struct{ r *instances.Range }

func (f *rangeFlag) String() string {
	if f == nil || f.r == nil {
		return ""
	}
	return f.r.String()
}

func (f *rangeFlag) Set(s string) error {
	r, err := instances.ParseRange(s)
	if err != nil {
		return err
	}
	f.r = &r
	return nil
}

func (f *rangeFlag) get() *instances.Range { return f.r }
