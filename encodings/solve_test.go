package encodings

import (
	"github.com/crillab/gophersat/solver"
)

// The tests solve encodings as solvers/gophersat does, with its own
// functions rather than copies of them: that package imports this one, so
// this package's tests cannot import it, and helpers_test.go (package
// encodings_test, which can) sets these before any test runs.
var (
	// NewGophersat is gophersat.NewProblem.
	NewGophersat func(*Problem) *solver.Problem
	// Enumerate is gophersat.Enumerate.
	Enumerate func(s *solver.Solver, visit func(model []bool) (stop bool), n int) (solves int)
)

// satisfiable reports whether s has a model, solved as solvers/gophersat
// solves an encoding.
func satisfiable(s *simplified) bool {
	return solver.New(NewGophersat(s.problem())).Solve() == solver.Sat
}

func maskOf(a []bool) uint64 {
	var m uint64
	for i, x := range a {
		if x {
			m |= 1 << i
		}
	}
	return m
}
