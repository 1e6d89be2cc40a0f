package encodings_test

import (
	"bytes"
	"context"
	"fmt"
	"log"

	"github.com/nashbench/nashbench/encodings"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/reduction"
)

// The main step: a game's equilibrium question written as CNF for a SAT
// solver, and a model of it mapped back to the equilibrium it stands for.
// The game is the corrected reduction (Theorem 1) of (x1 ∨ x2) ∧ (¬x1 ∨
// ¬x2); its encoding is the formula's clauses and the non-triviality
// clause over the actions of its two variable players.
func Example() {
	f := &instances.CNF{Vars: 2, Clauses: [][]int{{1, 2}, {-1, -2}}}
	g, _, err := reduction.Reduce(f, reduction.Corrected)
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	if err := encodings.WriteCNF(&buf, g); err != nil {
		log.Fatal(err)
	}
	fmt.Print(buf.String())

	_, profile, err := encodings.EncodeCNF(context.Background(), g)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("model 1 -2:", profile([]bool{true, false}))
	// Output:
	// c non-trivial pure Nash equilibria of an open-or-closed-source game (Lemma 1): the nashbench gophersat-pb encoding in CNF
	// c satisfiable iff the game has a non-trivial pure equilibrium
	// c variable 1: action of player 1 (x1), true = open
	// c variable 2: action of player 2 (x2), true = open
	// c player 3 (C1) is null and plays 0 (free: false)
	// c player 4 (C2) is null and plays 0 (free: false)
	// c player 5 (switch) is null and plays 0 (free: false)
	// c from 3 PB constraints (0 reading a unary integer): 3 clauses, 0 BDDs, 0 totalizers, 0 adder networks; 0 actions fixed by propagation
	// p cnf 2 3
	// 1 2 0
	// -1 -2 0
	// 1 2 0
	// model 1 -2: [true false false false false]
}

// The same question as a pseudo-Boolean problem in OPB, for PB solvers.
func ExampleWriteOPB() {
	f := &instances.CNF{Vars: 2, Clauses: [][]int{{1, 2}, {-1, -2}}}
	g, _, err := reduction.Reduce(f, reduction.Corrected)
	if err != nil {
		log.Fatal(err)
	}
	var buf bytes.Buffer
	if err := encodings.WriteOPB(&buf, g); err != nil {
		log.Fatal(err)
	}
	fmt.Print(buf.String())
	// Output:
	// * #variable= 2 #constraint= 3
	// * non-trivial pure Nash equilibria of an open-or-closed-source game (Lemma 1), nashbench gophersat-pb encoding
	// * x1: action of player 1 (x1), 1 = open
	// * x2: action of player 2 (x2), 1 = open
	// * player 3 (C1) is null and plays 0 (free: false)
	// * player 4 (C2) is null and plays 0 (free: false)
	// * player 5 (switch) is null and plays 0 (free: false)
	// +1 x1 +1 x2 >= 1 ;
	// -1 x1 -1 x2 >= -1 ;
	// +1 x1 +1 x2 >= 1 ;
}
