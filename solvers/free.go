package solvers

import (
	"fmt"
	"math/bits"

	"github.com/nashbench/nashbench/game"
)

// Free players are null players (their action changes nobody else's
// progress) with delta = 0: their action changes no one's payoff, their own
// included. Solvers leave them closed and account for them here: every
// equilibrium found comes in 2^len(free) copies, and one of them opens a
// free player, so with a free player a non-trivial equilibrium exists iff
// any equilibrium does.

// FreePlayers lists the free players of g.
func FreePlayers(g *game.Game) []int {
	var free []int
	for i := range g.Players() {
		if g.Delta(i) == 0 && g.Null(i) {
			free = append(free, i)
		}
	}
	return free
}

// ExpandFree lists up to limit non-trivial profiles from equilibria found
// with the free players closed, by opening them in every combination.
func ExpandFree(eqs [][]bool, free []int, limit int) [][]bool {
	var out [][]bool
	for _, a := range eqs {
		for combo := uint64(0); len(out) < limit; combo++ {
			if len(free) < 64 && combo>>len(free) != 0 {
				break
			}
			b := append([]bool(nil), a...)
			for q, i := range free {
				b[i] = q < 64 && combo>>q&1 == 1
			}
			if game.NonTrivial(b) {
				out = append(out, b)
			}
		}
	}
	return out
}

// CountWithFree turns eqs, the equilibria found with the nFree free players
// closed, into the number of non-trivial equilibria: each free player
// doubles it, less the all-closed profile when allClosed says it was
// among those found.
func CountWithFree(eqs uint64, nFree int, allClosed bool) (int64, error) {
	if eqs > 0 && (nFree >= 63 || bits.Len64(eqs)+nFree > 63) {
		return 0, fmt.Errorf("the number of equilibria, %d * 2^%d, exceeds int64", eqs, nFree)
	}
	c := int64(eqs) << nFree
	if allClosed {
		c--
	}
	return c, nil
}
