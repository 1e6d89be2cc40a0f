package reduction_test

import (
	"fmt"
	"log"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/reduction"
)

// Theorem 1: a formula with n variables and m clauses becomes a game of
// n + m + 1 players; an equilibrium's variable players are a model.
func ExampleReduce() {
	f := &instances.CNF{Vars: 2, Clauses: [][]int{{1, 2}, {-1, 2}}}
	g, l, err := reduction.Reduce(f, reduction.Corrected)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(g.Players(), l.Vars, l.Clauses, l.Switch())
	a := l.Profile([]bool{false, true}) // the model x1 = false, x2 = true
	_, ok, err := g.Check(a)
	fmt.Println(ok, err, l.Assignment(a))
	// Output:
	// 5 2 2 4
	// true <nil> [false true]
}
