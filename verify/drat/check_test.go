package drat

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/instances"
)

// chain is a formula whose refutation is a chain of n+1 lemmas, each RUP
// only through the one before it, so that a broken lemma invalidates
// every lemma after it and none before. Its variables are g = 1, u = 2,
// w = 3, v = 4, x_i = 5+i (i = 0..n) and y_i = 6+n+i (i = 0..n-1); its
// clauses
//
//	g x_0 w, g x_0 -w              (so g x_0 is RUP)
//	-x_i x_i+1 y_i, -x_i x_i+1 -y_i (so g x_i+1 is RUP through g x_i)
//	-x_n v, -x_n -v                (so g is RUP through g x_n)
//	-g u, -g -u                    (so g conflicts)
//
// have no unit to propagate. The lemmas are L_i = (g x_i), i = 0..n, then
// (g), then the empty clause; without L_i, g x_i+1 is neither RUP nor RAT
// on g (the resolvent x_i+1 u with -g u is not RUP), and neither is g
// without L_n.
func chain(n int) (f *instances.CNF, lemmas [][]int) {
	const g, u, w, v = 1, 2, 3, 4
	x := func(i int) int { return 5 + i }
	y := func(i int) int { return 6 + n + i }
	f = &instances.CNF{Vars: 5 + 2*n}
	add := func(c ...int) { f.Clauses = append(f.Clauses, c) }
	add(g, x(0), w)
	add(g, x(0), -w)
	for i := range n {
		add(-x(i), x(i+1), y(i))
		add(-x(i), x(i+1), -y(i))
	}
	add(-x(n), v)
	add(-x(n), -v)
	add(-g, u)
	add(-g, -u)
	for i := 0; i <= n; i++ {
		lemmas = append(lemmas, []int{g, x(i)})
	}
	lemmas = append(lemmas, []int{g}, []int{})
	return f, lemmas
}

func proofText(lemmas [][]int) string {
	var b strings.Builder
	for _, l := range lemmas {
		for _, lit := range l {
			fmt.Fprintf(&b, "%d ", lit)
		}
		b.WriteString("0\n")
	}
	return b.String()
}

// TestFallbackByHints pins the work of the forward fallback on a broken
// proof: the chain's lemma L_k (k < n) with its second literal flipped
// (g -x_n is RUP, through -x_n v and -x_n -v). L_k is
// invalid and so is every lemma after it once L_k is discarded, while in
// the proof as written L_k+1 is RUP (through L_k-1 and the flipped L_k)
// and the others are as in the valid proof. The first backward pass goes
// on past L_k and records the hints of L_0..L_k-1, which hold going
// forward: the fallback accepts those k lemmas by their hints and checks
// by unit propagation only the n-k+2 lemmas from L_k on, which it
// discards. (Before hints, it checked all n+2 lemmas by unit propagation.)
func TestFallbackByHints(t *testing.T) {
	const n = 20
	f, lemmas := chain(n)
	run := func(lemmas [][]int) (*checker, error) {
		c := newChecker(context.Background(), f)
		require.NoError(t, c.parse(strings.NewReader(proofText(lemmas))))
		return c, c.run()
	}

	c, err := run(lemmas)
	require.NoError(t, err)
	assert.Equal(t, n+2, c.stats.Core)
	assert.Zero(t, c.byHint+c.byPropagation, "no fallback on the valid proof")

	for _, k := range []int{0, 1, 10, n - 1} {
		broken := append([][]int(nil), lemmas...)
		broken[k] = []int{lemmas[k][0], -lemmas[k][1]}
		c, err := run(broken)
		var le *LemmaError
		require.True(t, errors.As(err, &le), "k = %d: %v", k, err)
		assert.Equal(t, k+1, le.Lemma, "k = %d: the first invalid lemma", k)
		assert.Contains(t, le.Msg, "neither RUP nor RAT", "k = %d", k)
		assert.Equal(t, n-k+2, c.stats.Discarded, "k = %d: L_k..L_n and g", k)
		assert.Equal(t, k, c.byHint, "k = %d: L_0..L_k-1", k)
		assert.Equal(t, n-k+2, c.byPropagation, "k = %d: L_k..L_n and g", k)
	}
}
