package drat_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/verify/drat"
)

// Checking a solver's proof that the four clauses over two variables are
// unsatisfiable: the lemma (1) is RUP, then unit propagation conflicts, and
// the proof claims the empty clause.
func ExampleCheck() {
	f := &instances.CNF{Vars: 2, Clauses: [][]int{{1, 2}, {-1, 2}, {1, -2}, {-1, -2}}}
	st, err := drat.Check(context.Background(), f, strings.NewReader("1 0\n0\n"))
	fmt.Printf("error: %v; %d lemmas, %d in the core, %d formula clauses used\n", err, st.Lemmas, st.Core, st.CoreClauses)

	// Without the empty clause (a truncated proof, say) it is rejected.
	_, err = drat.Check(context.Background(), f, strings.NewReader("1 0\n"))
	fmt.Println(err)
	// Output:
	// error: <nil>; 2 lemmas, 1 in the core, 4 formula clauses used
	// drat: the proof has no empty clause, and unit propagation alone does not refute the formula
}
