package game

import (
	"fmt"
	"math/bits"
	"slices"
)

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
	if g.st != nil {
		return normalizeStructured(g)
	}
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
	if k > MaxPlayers {
		return nil, fmt.Errorf("game: %d players exceed the %d of a matrix game", k, MaxPlayers)
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

// normalizeStructured normalizes a structured game in O(k + exceptions),
// keeping it structured. Its divisor G is the gcd of gcd(U)*gcd(V), every
// entry with an exception and the d_j - d_1: a common divisor of every
// entry, though not always the greatest (a product U[i]*V[j] that an
// exception replaces still counts), which keeps the division exact.
func normalizeStructured(g *Game) (*Game, error) {
	st := g.st
	var gu, gv, G int64
	for i := range st.u {
		gu = gcd(gu, abs64(st.u[i]))
		gv = gcd(gv, abs64(st.v[i]))
	}
	if gu != 0 && gv != 0 {
		if hi, lo := bits.Mul64(uint64(gu), uint64(gv)); hi == 0 && lo <= uint64(Bound) {
			G = int64(lo)
		} else {
			G = 1 // too large to be a common divisor worth having
		}
	}
	for i := range st.ecol {
		for _, c := range st.ecol[i] {
			G = gcd(G, abs64(st.entry(i, int(c))))
		}
		G = gcd(G, abs64(g.base[i]-g.base[0]))
	}
	if G == 0 {
		G = 1
	}
	lo, hi := g.MuBounds()
	a, z := slices.Min(lo), slices.Max(hi)
	c := a + (z-a)/2
	c -= ((c-g.base[0])%G + G) % G
	if G == 1 && c == 0 {
		return g, nil
	}
	// Divide U when G divides it, else V, else fall back to the matrix.
	u, v := slices.Clone(st.u), slices.Clone(st.v)
	switch {
	case gu%G == 0:
		for i := range u {
			u[i] /= G
		}
	case gv%G == 0:
		for i := range v {
			v[i] /= G
		}
	default:
		if g.Players() > MaxPlayers {
			return nil, fmt.Errorf("game: normalizing a structured game of %d players whose divisor %d splits between U and V would need its %d x %d matrix", g.Players(), G, g.Players(), g.Players())
		}
		D, d := g.Matrix()
		for i := range D {
			for j := range D[i] {
				D[i][j] /= G
			}
			d[i] = (d[i] - c) / G
		}
		return New(g.Names, D, d)
	}
	// Exceptions are what makes D differ from the new U V^T, divided.
	e := make([][]Term, len(st.ecol))
	for i := range st.ecol {
		for _, col := range st.ecol[i] {
			j := int(col)
			e[i] = append(e[i], Term{Col: j, Val: st.entry(i, j)/G - u[i]*v[j]})
		}
	}
	d := make([]int64, len(g.base))
	for i := range d {
		d[i] = (g.base[i] - c) / G
	}
	return NewStructured(g.Names, Structure{U: u, V: v, E: e}, d)
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
