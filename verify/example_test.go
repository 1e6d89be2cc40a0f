package verify_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	_ "github.com/nashbench/nashbench/solvers/enum"
	"github.com/nashbench/nashbench/verify"
)

// The main steps: read a formula, reduce it to its game (Theorem 1), decide
// the game with a solver, and check the answer independently.
func Example() {
	const dimacs = "p cnf 2 4\n1 2 0\n-1 2 0\n1 -2 0\n-1 -2 0\n" // unsatisfiable
	f, err := instances.ReadDIMACS(strings.NewReader(dimacs), "f.cnf", instances.Limits{})
	if err != nil {
		log.Fatal(err)
	}
	p, err := solvers.FromFormula(f, reduction.Corrected)
	if err != nil {
		log.Fatal(err)
	}
	s, err := solvers.New("enum")
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	r, err := s.Solve(ctx, p, solvers.Options{})
	if err != nil {
		log.Fatal(err)
	}
	out, err := verify.Answer(ctx, p, r, verify.DefaultCheckLimit)
	fmt.Printf("%d players; non-trivial equilibrium: %s; checked: %s; error: %v\n", p.Game.Players(), r.Answer, out.Check, err)
	// Output:
	// 7 players; non-trivial equilibrium: none; checked: exhaustive; error: <nil>
}
