// Package instances holds CNF formulas: the type, DIMACS input and output, and
// seeded generators of random and planted k-SAT.
package instances

import "fmt"

// CNF is a formula in conjunctive normal form over variables 1..Vars.
// A clause is a slice of non-zero literals: v for variable v, -v for its negation.
type CNF struct {
	Vars    int
	Clauses [][]int
}

// Satisfies reports whether the assignment satisfies every clause.
// assign[v-1] is the value of variable v; it must have length Vars.
func (f *CNF) Satisfies(assign []bool) bool {
	for _, c := range f.Clauses {
		if !clauseTrue(c, assign) {
			return false
		}
	}
	return true
}

func clauseTrue(c []int, assign []bool) bool {
	for _, l := range c {
		if l > 0 && assign[l-1] || l < 0 && !assign[-l-1] {
			return true
		}
	}
	return false
}

// Validate checks that every literal names a variable in 1..Vars.
func (f *CNF) Validate() error {
	if f.Vars < 0 {
		return fmt.Errorf("negative variable count %d", f.Vars)
	}
	for i, c := range f.Clauses {
		for _, l := range c {
			if l == 0 || l > f.Vars || -l > f.Vars {
				return fmt.Errorf("clause %d: literal %d outside 1..%d", i+1, l, f.Vars)
			}
		}
	}
	return nil
}
