package game

import (
	"fmt"
	"math"

	"github.com/nashbench/nashbench/internal/plural"
)

// Deviation describes a profitable unilateral flip.
type Deviation struct {
	Player int   // who gains by flipping
	Gain   int64 // u_i(a with a_i flipped) - u_i(a), > 0
}

// Check reports whether the discrete profile a is a pure Nash equilibrium,
// by Lemma 1: a is one iff for every i,
//
//	max_{j!=i} mu_j(a) - max_{j!=i} mu_j(a^(i)) <= (2a_i - 1) delta_i.
//
// When it is not, it returns the first player with a profitable flip and the
// gain of that flip. All arithmetic is exact (see Bound). It costs O(k^2)
// for a game made by New, O(k log k + exceptions) for a structured one.
func (g *Game) Check(a []bool) (Deviation, bool, error) {
	k := g.Players()
	if len(a) != k {
		return Deviation{}, false, fmt.Errorf("game: profile has %s, want %d", plural.Count(len(a), "action", "actions"), k)
	}
	mu := g.Mu(a, nil)
	if g.st != nil {
		d, ok := g.checkStructured(a, mu)
		return d, ok, nil
	}
	for i := range k {
		before, after := int64(math.MinInt64), int64(math.MinInt64)
		for j := range k {
			if j == i {
				continue
			}
			before = max(before, mu[j])
			// Flipping a_i moves mu_j by D[j][i], down if i was open.
			if a[i] {
				after = max(after, mu[j]-g.Entry(j, i))
			} else {
				after = max(after, mu[j]+g.Entry(j, i))
			}
		}
		rhs := g.Entry(i, i)
		if !a[i] {
			rhs = -rhs
		}
		if lhs := before - after; lhs > rhs {
			return Deviation{Player: i, Gain: lhs - rhs}, false, nil
		}
	}
	return Deviation{}, true, nil
}

// NonTrivial reports whether some player opens.
func NonTrivial(a []bool) bool {
	for _, x := range a {
		if x {
			return true
		}
	}
	return false
}
