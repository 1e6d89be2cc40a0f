package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/atomicfile"
)

// maxGenCount bounds --count, far above any sensible run.
const maxGenCount = 1_000_000

const defaultRatio = 4.26

func init() {
	register(command{
		name:    "gen",
		summary: "generate random or planted k-SAT instances as DIMACS files",
		run:     runGen,
	})
}

func runGen(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("gen", "--n N [--ratio R | --m M] [--k K] [--count C] [--seed S] [--planted] [--out DIR]", stderr)
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

	// An --out that cannot be created or written is a bad argument (exit 2).
	if err := os.MkdirAll(*out, 0o755); err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("gen: --out %s: cannot create the directory: %w", *out, err)
	}
	var buf bytes.Buffer
	for i := range *count {
		s := spec
		s.Index = i
		f, model, err := s.Generate()
		if err != nil {
			return fmt.Errorf("gen: %w", err)
		}
		buf.Reset()
		if err := instances.WriteDIMACS(&buf, f, s.Comments(model)...); err != nil {
			return &exitError{1, fmt.Errorf("gen: %w", err)}
		}
		path := filepath.Join(*out, s.FileName())
		if err := atomicfile.Write(path, buf.Bytes()); err != nil {
			return fmt.Errorf("gen: --out: %w", err)
		}
		fmt.Fprintln(stdout, path)
	}
	return nil
}
