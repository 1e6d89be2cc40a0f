package lrat_test

import (
	"context"
	"fmt"
	"strings"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/verify/lrat"
)

// Checking cadical's LRAT proof (cadical --lrat --no-binary) that the four
// clauses over two variables are unsatisfiable. Clause 5, (x1), follows
// from clauses 1 and 3: with x1 false, clause 1 makes x2 true and clause 3
// is then false. Clause 6, (x2), follows from 5 and 2, and the empty clause
// 7 from 5, 6 and 4.
func ExampleCheck() {
	f := &instances.CNF{Vars: 2, Clauses: [][]int{{1, 2}, {-1, 2}, {1, -2}, {-1, -2}}}
	proof := "5 1 0 1 3 0\n6 2 0 5 2 0\n7 0 5 6 4 0\n"
	st, err := lrat.Check(context.Background(), f, strings.NewReader(proof))
	fmt.Printf("error: %v; %d lemmas, %d hints checked\n", err, st.Lemmas, st.Hints)

	// A hint clause with two literals that are not false is an error
	// naming the line: with x1 false, clause 2 (¬x1 ∨ x2) is satisfied.
	_, err = lrat.Check(context.Background(), f, strings.NewReader("5 1 0 2 3 0\n"))
	fmt.Println(err)
	// Output:
	// error: <nil>; 3 lemmas, 7 hints checked
	// lrat: line 1 (clause 5): hint 1: clause 2 is not unit: literals -1 and 2 are not false
}
