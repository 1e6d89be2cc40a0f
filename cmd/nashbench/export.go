package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/encodings"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers/mip"
)

// A formulation writes one solver-independent encoding of an input's
// question (does the game have a non-trivial pure equilibrium?).
type formulation struct {
	summary string
	write   func(w io.Writer, in *bench.Input) error
}

// formulations are the --formulation choices of export, by name. Files that
// add one register it in their init function.
var formulations = map[string]formulation{
	"pb": {
		summary: "pseudo-Boolean OPB file (the gophersat-pb encoding): satisfiable iff a non-trivial pure equilibrium exists",
		write:   writePB,
	},
	"cnf": {
		summary: "DIMACS CNF file (the gophersat-pb encoding, each constraint translated into clauses; comments name the action variables): satisfiable iff a non-trivial pure equilibrium exists",
		write:   writeCNF,
	},
	"paper": {
		summary: "CPLEX LP file of Theorem 2's MIP with (N) corrected (the highs-paper model): feasible iff a non-trivial pure equilibrium exists",
		write:   writeLP("paper"),
	},
	"paper-printed": {
		summary: "CPLEX LP file of Theorem 2's MIP with (N) as printed: wrong (see docs/errata.md), for comparison only",
		write:   writeLP("paper-printed"),
	},
	"compact": {
		summary: "CPLEX LP file of nashbench's compact MIP (the highs-compact model): feasible iff a non-trivial pure equilibrium exists",
		write:   writeLP("compact"),
	},
	"pb-pairwise": {
		summary: "pseudo-Boolean OPB file of the pairwise encoding (the gophersat-pairwise encoding: each witness compared with each rival, no integer variables; a reduction game's is the pb one): satisfiable iff a non-trivial pure equilibrium exists",
		write: func(w io.Writer, in *bench.Input) error {
			// As writePB: the input's notes after the header line.
			var buf bytes.Buffer
			if err := encodings.WriteOPBPairwise(&buf, in.Problem.Game); err != nil {
				return err
			}
			header, rest, _ := bytes.Cut(buf.Bytes(), []byte("\n"))
			if _, err := fmt.Fprintf(w, "%s\n%s", header, inputNotes("* ", in, "this instance is")); err != nil {
				return err
			}
			_, err := w.Write(rest)
			return err
		},
	},
	"pb-pairwise-cnf": {
		summary: "DIMACS CNF file of the pairwise encoding (each pair's comparisons translated into clauses together; a reduction game's is the cnf one): satisfiable iff a non-trivial pure equilibrium exists",
		write: func(w io.Writer, in *bench.Input) error {
			// As writeCNF: the input's notes first.
			var buf bytes.Buffer
			if err := encodings.WriteCNFPairwise(&buf, in.Problem.Game); err != nil {
				return err
			}
			if _, err := io.WriteString(w, inputNotes("c ", in, "this CNF is satisfiable")); err != nil {
				return err
			}
			_, err := w.Write(buf.Bytes())
			return err
		},
	},
	"pb-pairwise-lp": {
		summary: "CPLEX LP file of the pairwise encoding as a MIP (the highs-pairwise model: each witness compared with each rival under a binary selector; a reduction game's is the compact one): feasible iff a non-trivial pure equilibrium exists",
		write:   writeLP("pairwise"),
	},
	"top2": {
		summary: "CPLEX LP file of nashbench's top-two MIP (the highs-top2 model: the top and second progress and a leader one-hot, a binary selector per witness; a reduction game's is the compact one): feasible iff a non-trivial pure equilibrium exists",
		write:   writeLP("top2"),
	},
	"nfg": {
		summary: fmt.Sprintf("Gambit strategic-form game (.nfg, payoff version) of at most %d players, strategy 1 closed and 2 open: gambit-enumpure lists its pure equilibria, all-closed included", game.MaxNFGPlayers),
		write:   writeNFG,
	},
}

func init() {
	register(command{
		name:    "export",
		summary: "write a formulation of the equilibrium question (OPB, CNF, LP) for external solvers",
		run:     runExport,
	})
}

func formulationNames() []string {
	names := make([]string, 0, len(formulations))
	for n := range formulations {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func runExport(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "--formulation NAME GAME_OR_CNF [-o FILE]", stderr)
	var help strings.Builder
	help.WriteString("formulation to write (required):")
	for _, n := range formulationNames() {
		fmt.Fprintf(&help, "\n  %s: %s", n, formulations[n].summary)
	}
	name := fs.String("formulation", "", help.String())
	out := fs.String("o", "", "output file (default: standard output)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	known := strings.Join(formulationNames(), ", ")
	f, ok := formulations[*name]
	switch {
	case *name == "":
		fs.Usage()
		return fmt.Errorf("export: --formulation is required (one of %s)", known)
	case !ok:
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
	if err := f.write(&buf, in); err != nil {
		return fmt.Errorf("export: %s: %w", pos[0], err)
	}
	return writeOutput("export", *out, buf.Bytes(), stdout)
}

// writePB writes the OPB encoding, with comments on the input after the
// header line.
func writePB(w io.Writer, in *bench.Input) error {
	var buf bytes.Buffer
	if err := encodings.WriteOPB(&buf, in.Problem.Game); err != nil {
		return err
	}
	header, rest, _ := bytes.Cut(buf.Bytes(), []byte("\n"))
	note := inputNotes("* ", in, "this instance is")
	if _, err := fmt.Fprintf(w, "%s\n%s", header, note); err != nil {
		return err
	}
	_, err := w.Write(rest)
	return err
}

// writeCNF writes the CNF translation of the PB encoding, with comments
// on the input first.
func writeCNF(w io.Writer, in *bench.Input) error {
	var buf bytes.Buffer
	if err := encodings.WriteCNF(&buf, in.Problem.Game); err != nil {
		return err
	}
	if _, err := io.WriteString(w, inputNotes("c ", in, "this CNF is satisfiable")); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// writeLP returns the writer of a MIP formulation (solvers/mip) in CPLEX LP
// format, with comments on the input first. Column aN is player N's action
// (1 = open); the compact model has none for null players, whose actions
// it fixes.
func writeLP(formulation string) func(io.Writer, *bench.Input) error {
	return func(w io.Writer, in *bench.Input) error {
		var buf bytes.Buffer
		if err := mip.ExportLP(&buf, in.Problem.Game, formulation); err != nil {
			return err
		}
		note := inputNotes("\\ ", in, "this model is feasible") +
			fmt.Sprintf("\\ formulation: %s; column aN is player N's action (1 = open)\n", formulation)
		if _, err := io.WriteString(w, note); err != nil {
			return err
		}
		_, err := w.Write(buf.Bytes())
		return err
	}
}

// writeNFG writes the game (a formula's reduction game) as a Gambit NFG
// file, refusing more than game.MaxNFGPlayers players: the file lists all
// 2^k profiles.
func writeNFG(w io.Writer, in *bench.Input) error {
	g := in.Problem.Game
	if k := g.Players(); k > game.MaxNFGPlayers {
		return fmt.Errorf("the game has %d players: --formulation nfg writes every one of the 2^k profiles and takes at most %d players", k, game.MaxNFGPlayers)
	}
	notes := strings.TrimSpace(inputNotes("", in, "some profile other than all-closed is a pure equilibrium"))
	comment := strings.ReplaceAll(notes, "\n", "; ") +
		"; strategy 1 is closed (a_i = 0), 2 is open (a_i = 1); payoffs u_i = mu_i - max_{j != i} mu_j;" +
		" gambit-enumpure lists every pure equilibrium, the all-closed profile (all strategies 1) included, as nashbench solve --count counts them"
	return game.WriteNFG(w, g, "nashbench game "+filepath.Base(in.Path), comment)
}

// inputNotes describes the input in comment lines starting with prefix:
// its path and, for a formula, how the encoding answers it.
func inputNotes(prefix string, in *bench.Input, feasible string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%sinstance: %s\n", prefix, strings.ReplaceAll(in.Path, "\n", " "))
	if in.IsCNF {
		p := in.Problem
		players := fmt.Sprintf("players 1..%d are its variables", p.Layout.Vars)
		switch p.Layout.Vars {
		case 0:
			players = "no player is a variable"
		case 1:
			players = "player 1 is its variable"
		}
		fmt.Fprintf(&b, "%sthe corrected Theorem 1 reduction of a formula with %s and %s: %s\n",
			prefix, plural.Count(p.Layout.Vars, "variable", "variables"), plural.Count(p.Layout.Clauses, "clause", "clauses"), players)
		fmt.Fprintf(&b, "%sthe formula is satisfiable iff %s, or all-false satisfies it (it does: %v)\n",
			prefix, feasible, reduction.AllFalseSatisfies(p.Formula))
	}
	return b.String()
}
