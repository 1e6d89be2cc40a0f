package game

import "slices"

// Normalize returns a game with the same equilibria as g and numbers as
// small as two exact steps make them: it subtracts a common constant c from
// every d_j, which moves every mu_j by the same amount and so changes no
// u_i, and divides every entry of D and d by their greatest common divisor
// G, which divides every u_i by G. c is chosen in the residue class of the
// d_j modulo G (so that the division is exact; G is the gcd of D's entries
// and the differences d_j - d_1) and near the middle of all progress, so
// that |mu| is at most about half of the progress spread. Solvers whose
// arithmetic has a limited range (floating point, fixed-width weights) use
// it to decide larger games exactly. It returns g itself when there is
// nothing to do.
func Normalize(g *Game) (*Game, error) {
	k := g.Players()
	var G int64
	var row []int64
	for i := range k {
		row = g.Row(i, row)
		for _, v := range row {
			G = gcd(G, abs64(v))
		}
		G = gcd(G, abs64(g.Base(i)-g.Base(0)))
	}
	if G == 0 {
		G = 1 // every D entry is 0 and every d_j the same
	}
	lo, hi := g.MuBounds()
	a, z := slices.Min(lo), slices.Max(hi)
	// Within ±2^61 each (Bound), so neither sum nor difference overflows.
	c := a + (z-a)/2
	c -= ((c-g.Base(0))%G + G) % G
	if G == 1 && c == 0 {
		return g, nil
	}
	D := make([][]int64, k)
	d := make([]int64, k)
	for i := range k {
		row = g.Row(i, row)
		D[i] = make([]int64, k)
		for j, v := range row {
			D[i][j] = v / G
		}
		d[i] = (g.Base(i) - c) / G
	}
	return New(g.Names, D, d)
}

func gcd(x, y int64) int64 {
	for y != 0 {
		x, y = y, x%y
	}
	return x
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
