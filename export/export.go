// Package export writes a game's equilibrium question (does it have a
// non-trivial pure equilibrium?) as a file for an external tool: the
// pseudo-Boolean, CNF and MIP encodings the solvers use, and Gambit's
// strategic form.
package export

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nashbench/nashbench/encodings"
	"github.com/nashbench/nashbench/encodings/lp"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
)

// Formulation is a solver-independent encoding of an input's question
// that Write writes for external solvers.
type Formulation struct {
	Name    string // as nashbench export --formulation takes it
	Summary string // the file's format, and how its answer answers the question
}

// formulation is a Formulation with its writer.
type formulation struct {
	Formulation
	write func(w io.Writer, in input) error
}

// formulations are Write's formulations, sorted by name.
var formulations = func() []formulation {
	fs := []formulation{
		{Formulation{"pb", "pseudo-Boolean OPB file (the gophersat-pb encoding): satisfiable iff a non-trivial pure equilibrium exists"},
			exportOPB(encodings.WriteOPB)},
		{Formulation{"cnf", "DIMACS CNF file (the gophersat-pb encoding, each constraint translated into clauses; comments name the action variables): satisfiable iff a non-trivial pure equilibrium exists"},
			exportCNF(encodings.WriteCNF)},
		{Formulation{"paper", "CPLEX LP file of Theorem 2's MIP with (N) corrected (the highs-paper model): feasible iff a non-trivial pure equilibrium exists"},
			exportLP("paper")},
		{Formulation{"paper-printed", "CPLEX LP file of Theorem 2's MIP with (N) as printed: wrong (see docs/errata.md), for comparison only"},
			exportLP("paper-printed")},
		{Formulation{"compact", "CPLEX LP file of nashbench's compact MIP (the highs-compact model): feasible iff a non-trivial pure equilibrium exists"},
			exportLP("compact")},
		{Formulation{"pb-pairwise", "pseudo-Boolean OPB file of the pairwise encoding (the gophersat-pairwise encoding: each witness compared with each rival, no integer variables; a reduction game's is the pb one): satisfiable iff a non-trivial pure equilibrium exists"},
			exportOPB(encodings.WriteOPBPairwise)},
		{Formulation{"pb-pairwise-cnf", "DIMACS CNF file of the pairwise encoding (each pair's comparisons translated into clauses together; a reduction game's is the cnf one): satisfiable iff a non-trivial pure equilibrium exists"},
			exportCNF(encodings.WriteCNFPairwise)},
		{Formulation{"pb-pairwise-lp", "CPLEX LP file of the pairwise encoding as a MIP (the highs-pairwise model: each witness compared with each rival under a binary selector; a reduction game's is the compact one): feasible iff a non-trivial pure equilibrium exists"},
			exportLP("pairwise")},
		{Formulation{"top2", "CPLEX LP file of nashbench's top-two MIP (the highs-top2 model: the top and second progress and a leader one-hot, a binary selector per witness; a reduction game's is the compact one): feasible iff a non-trivial pure equilibrium exists"},
			exportLP("top2")},
		{Formulation{"nfg", fmt.Sprintf("Gambit strategic-form game (.nfg, payoff version) of at most %d players, strategy 1 closed and 2 open: gambit-enumpure lists its pure equilibria, all-closed included", game.MaxNFGPlayers)},
			exportNFG},
	}
	slices.SortFunc(fs, func(a, b formulation) int { return strings.Compare(a.Name, b.Name) })
	return fs
}()

// Formulations lists the formulations Write writes, sorted by name.
func Formulations() []Formulation {
	out := make([]Formulation, len(formulations))
	for i, f := range formulations {
		out[i] = f.Formulation
	}
	return out
}

// input is what Write was given: the problem and its file's path.
type input struct {
	Path    string
	Problem *solvers.Problem
}

// Write writes the formulation named formulation (see Formulations) of
// p's question to w, with comments that name the input at path and, for a
// formula (p.Formula set), say how the encoding of its reduction game
// answers it. A formula is encoded as its reduction game: reduce it with
// reduction.Corrected for the file to answer the formula's question.
func Write(w io.Writer, formulation string, p *solvers.Problem, path string) error {
	for _, f := range formulations {
		if f.Name == formulation {
			return f.write(w, input{path, p})
		}
	}
	names := make([]string, len(formulations))
	for i, f := range formulations {
		names[i] = f.Name
	}
	return fmt.Errorf("unknown formulation %q (known: %s)", formulation, strings.Join(names, ", "))
}

// exportOPB returns the writer of an OPB encoding, with comments on the
// input after the header line.
func exportOPB(encode func(io.Writer, *game.Game) error) func(io.Writer, input) error {
	return func(w io.Writer, in input) error {
		var buf bytes.Buffer
		if err := encode(&buf, in.Problem.Game); err != nil {
			return err
		}
		header, rest, _ := bytes.Cut(buf.Bytes(), []byte("\n"))
		if _, err := fmt.Fprintf(w, "%s\n%s", header, inputNotes("* ", in, "this instance is")); err != nil {
			return err
		}
		_, err := w.Write(rest)
		return err
	}
}

// exportCNF returns the writer of a CNF translation of a PB encoding, with
// comments on the input first.
func exportCNF(encode func(io.Writer, *game.Game) error) func(io.Writer, input) error {
	return func(w io.Writer, in input) error {
		var buf bytes.Buffer
		if err := encode(&buf, in.Problem.Game); err != nil {
			return err
		}
		if _, err := io.WriteString(w, inputNotes("c ", in, "this CNF is satisfiable")); err != nil {
			return err
		}
		_, err := w.Write(buf.Bytes())
		return err
	}
}

// exportLP returns the writer of a MIP formulation (encodings/lp) in CPLEX LP
// format, with comments on the input first. Column aN is player N's action
// (1 = open); the compact model has none for null players, whose actions
// it fixes.
func exportLP(formulation string) func(io.Writer, input) error {
	return func(w io.Writer, in input) error {
		var buf bytes.Buffer
		if err := lp.Export(&buf, in.Problem.Game, formulation); err != nil {
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

// exportNFG writes the game (a formula's reduction game) as a Gambit NFG
// file, refusing more than game.MaxNFGPlayers players: the file lists all
// 2^k profiles.
func exportNFG(w io.Writer, in input) error {
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
func inputNotes(prefix string, in input, feasible string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%sinstance: %s\n", prefix, strings.ReplaceAll(in.Path, "\n", " "))
	if in.Problem.Formula != nil {
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
