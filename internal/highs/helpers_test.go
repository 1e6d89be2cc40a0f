package highs

import (
	"context"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// newSolver builds a Solver and closes it when the test ends.
func newSolver(tb testing.TB) *Solver {
	tb.Helper()
	s, err := NewSolver(context.Background())
	require.NoError(tb, err)
	tb.Cleanup(func() { s.Close() })
	return s
}

// marketSplit is a Cornuéjols–Dawande market split instance: m equality
// rows over 10(m-1) binaries with random weights in [0,99] and right-hand
// sides half the row sums. Branch and bound cannot finish these quickly,
// which makes them good for time-limit tests.
func marketSplit(m int, seed uint64) *Model {
	n := 10 * (m - 1)
	r := rand.New(rand.NewPCG(seed, 1))
	md := &Model{ColCosts: make([]float64, n), ColLower: make([]float64, n), ColUpper: make([]float64, n), VarTypes: make([]VarType, n)}
	for j := range n {
		md.ColUpper[j] = 1
		md.VarTypes[j] = Integer
	}
	for i := range m {
		sum := 0
		for j := range n {
			a := r.IntN(100)
			sum += a
			if a != 0 {
				md.ConstMatrix = append(md.ConstMatrix, Nonzero{Row: i, Col: j, Val: float64(a)})
			}
		}
		md.RowLower = append(md.RowLower, float64(sum/2))
		md.RowUpper = append(md.RowUpper, float64(sum/2))
	}
	return md
}

// knapsack is a small random 0-1 knapsack: max v·x s.t. w·x <= cap.
func knapsack(n int, seed uint64) *Model {
	r := rand.New(rand.NewPCG(seed, 2))
	md := &Model{Maximize: true, ColCosts: make([]float64, n), ColUpper: make([]float64, n), VarTypes: make([]VarType, n)}
	total := 0.0
	for j := range n {
		md.ColCosts[j] = float64(10 + r.IntN(90))
		w := float64(10 + r.IntN(90))
		total += w
		md.ConstMatrix = append(md.ConstMatrix, Nonzero{Row: 0, Col: j, Val: w})
		md.ColUpper[j] = 1
		md.VarTypes[j] = Integer
	}
	md.RowLower = []float64{0}
	md.RowUpper = []float64{total / 2}
	return md
}

func readGoMod() (string, error) {
	b, err := os.ReadFile("../../go.mod")
	return string(b), err
}
