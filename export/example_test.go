package export_test

import (
	"fmt"
	"os"

	"github.com/nashbench/nashbench/export"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
)

// Write writes a formula's question for an external solver: here the
// pseudo-Boolean encoding of the game of the formula (x1), which a PB
// solver such as minisat+ decides. nashbench export
// writes such files.
func ExampleWrite() {
	p, err := solvers.FromFormula(&instances.CNF{Vars: 1, Clauses: [][]int{{1}}}, reduction.Corrected)
	if err != nil {
		panic(err)
	}
	if err := export.Write(os.Stdout, "pb", p, "one.cnf"); err != nil {
		panic(err)
	}
	// Output:
	// * #variable= 1 #constraint= 1
	// * instance: one.cnf
	// * the corrected Theorem 1 reduction of a formula with 1 variable and 1 clause: player 1 is its variable
	// * the formula is satisfiable iff this instance is, or all-false satisfies it (it does: false)
	// * non-trivial pure Nash equilibria of an open-or-closed-source game (Lemma 1), nashbench gophersat-pb encoding
	// * x1: action of player 1 (x1), 1 = open
	// * player 2 (C1) is null and plays 0 (free: false)
	// * player 3 (switch) is null and plays 0 (free: false)
	// +1 x1 >= 1 ;
}

func ExampleFormulations() {
	for _, f := range export.Formulations() {
		fmt.Println(f.Name)
	}
	// Output:
	// cnf
	// compact
	// nfg
	// paper
	// paper-printed
	// pb
	// pb-pairwise
	// pb-pairwise-cnf
	// pb-pairwise-lp
	// top2
}
