package encodings_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/encodings"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/gophersat"
)

// Helpers of the tests that solve the encodings with solvers/gophersat
// (the same as its own tests').

// The package's own tests solve as solvers/gophersat does, with its
// functions, which only this package may import (see solve_test.go).
func init() {
	encodings.NewGophersat, encodings.Enumerate = gophersat.NewProblem, gophersat.Enumerate
}

// bruteNonTrivial counts the models of f other than all-false.
func bruteNonTrivial(f *instances.CNF) int64 {
	var c int64
	for _, m := range testgen.Models(f) {
		if m != 0 {
			c++
		}
	}
	return c
}

func problemOf(t testing.TB, f *instances.CNF) *solvers.Problem {
	t.Helper()
	p, err := solvers.FromFormula(f, reduction.Corrected)
	require.NoError(t, err)
	return p
}

func bitsOf(a []bool) []byte {
	b := make([]byte, len(a))
	for i, x := range a {
		b[i] = '0'
		if x {
			b[i] = '1'
		}
	}
	return b
}
