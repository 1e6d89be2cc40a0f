package encodings

import (
	"math/bits"
	"slices"
)

// term is coefficient w on literal lit (a variable id, or its negation).
type term struct {
	lit int
	w   int64
}

// pbc is a normalized constraint: sum w[q]*lits[q] >= card with every
// w[q] in 1..card, card >= 1.
type pbc struct {
	lits []int
	w    []int64
	card int64
}

// builder collects the constraints of an encoding over variables 1..nVars.
// Coefficients are plain int64: normalize has bounded every sum an
// encoding can form well below 2^63. The constraints it keeps have degree
// at most maxDegree: larger ones are split into digits (see split).
type builder struct {
	nVars   int
	cons    []pbc
	coef    []int64 // scratch for norm, by variable
	touched []int
	tooWide bool // some constraint could not be split below maxDegree
	splits  int  // constraints split
	// chains are the unary integers' variables, each implying the one
	// before it by a clause of cons: the CNF translation counts the true
	// ones of a chain by reading one variable.
	chains [][]int
}

func (b *builder) newVar() int {
	b.nVars++
	return b.nVars
}

// ge adds sum ts >= rhs.
func (b *builder) ge(ts []term, rhs int64) { b.geIf(0, ts, rhs) }

// geIf adds (all guards true) -> sum ts >= rhs; guards 0 are ignored.
// A guard must not occur in ts.
func (b *builder) geIf(guard int, ts []term, rhs int64, more ...int) {
	c, nontrivial := b.norm(ts, rhs)
	if !nontrivial {
		return
	}
	if c.card > maxDegree {
		c = b.split(c)
	}
	for _, g := range append([]int{guard}, more...) {
		if g != 0 {
			c.lits = append(c.lits, -g)
			c.w = append(c.w, c.card)
		}
	}
	b.cons = append(b.cons, c)
}

// clause adds the disjunction of lits (the empty clause makes the problem
// unsatisfiable).
func (b *builder) clause(lits ...int) {
	ts := make([]term, len(lits))
	for q, l := range lits {
		ts[q] = term{l, 1}
	}
	b.ge(ts, 1)
}

// norm merges the terms by variable and rewrites sum ts >= rhs with
// positive weights on literals, saturated at the degree. It reports false
// when every assignment satisfies the constraint.
func (b *builder) norm(ts []term, rhs int64) (pbc, bool) {
	if len(b.coef) <= b.nVars {
		b.coef = append(b.coef, make([]int64, 2*(b.nVars+1)-len(b.coef))...)
	}
	b.touched = b.touched[:0]
	for _, t := range ts {
		v, w := t.lit, t.w
		if v < 0 { // w * not x = w - w * x
			v, w = -v, -w
			rhs -= t.w
		}
		if b.coef[v] == 0 {
			b.touched = append(b.touched, v)
		}
		b.coef[v] += w
	}
	slices.Sort(b.touched)
	var c pbc
	for _, v := range b.touched {
		w := b.coef[v]
		b.coef[v] = 0
		switch {
		case w > 0:
			c.lits = append(c.lits, v)
			c.w = append(c.w, w)
		case w < 0: // w * x = w + |w| * not x
			c.lits = append(c.lits, -v)
			c.w = append(c.w, -w)
			rhs -= w
		}
	}
	if rhs <= 0 {
		return pbc{}, false
	}
	c.card = rhs
	for q := range c.w {
		c.w[q] = min(c.w[q], rhs)
	}
	return c, true
}

// maxDegree is the largest degree of a constraint that gophersat gets, and
// so the largest weight (weights are saturated at the degree).
//
// gophersat v1.4.0 keeps a constraint's degree in the low 30 bits of a word
// whose two high bits flag learned and locked clauses (Clause.lbdValue): a
// degree of 2^30 or more silently turns into a smaller one, or into 1, and
// the solver returns models that violate the constraint (see
// TestGophersatDegreeBits). Its other weight arithmetic (slacks, sums of
// weights) is in 64-bit ints. Learning adds no large degrees: without the
// CuttingPlanes option, which is off, it learns clauses. 2^16 leaves a
// margin of 2^14 below the limit, and would still leave one for the PB
// constraints that cutting-plane learning would derive, whose degree is at
// most about the sum of those resolved into them.
var maxDegree int64 = 1 << 16

// split returns a constraint of degree at most maxDegree that, with new
// constraints it adds, is equivalent to c (degree above maxDegree): every
// model of c extends to the new variables, and every model of the new
// constraints satisfies c.
//
// Divide the weights by their gcd g (the degree rounded up). Then, with
// S = sum w_q l_q >= K, write in base B = 2^s: w_q = B h_q + r_q and
// K = B K1 + K0 (0 <= r_q, K0 < B), so S = B H + R with H = sum h_q l_q
// and R = sum r_q l_q. S >= K iff H + floor((R - K0)/B) >= K1, so with a new
// integer c (in binary, c >= -1 if K0 > 0, else c >= 0):
//
//	R - B c >= K0   (the carry c is at most floor((R - K0)/B))
//	H + c >= K1     (the rest, weights divided by B)
//
// Both together give B H + R >= B K1 + K0; conversely c = floor((R-K0)/B)
// satisfies both. The first constraint has small weights (r_q < B and the
// carry's B 2^j); the second is split again while its degree exceeds
// maxDegree. s is the largest digit size that keeps the first one's degree
// within maxDegree. A guard on c goes on the last constraint only: with
// the guard off, every carry at its least value satisfies the others.
func (b *builder) split(c pbc) pbc {
	var g int64
	for _, w := range c.w {
		g = gcd(g, w)
	}
	if g > 1 {
		for q := range c.w {
			c.w[q] /= g
		}
		c.card = (c.card + g - 1) / g
	}
	lits, w, K := c.lits, c.w, c.card
	for K > maxDegree {
		s, ok := b.digitSize(w, K)
		if !ok {
			b.tooWide = true
			break
		}
		b.splits++
		B := int64(1) << s
		K0, K1 := K&(B-1), K>>s
		var low []term
		var sumLow int64
		var hiLits []int
		var hiW []int64
		for q, l := range lits {
			if r := w[q] & (B - 1); r != 0 {
				low = append(low, term{l, r})
				sumLow += r
			}
			if h := w[q] >> s; h != 0 {
				hiLits = append(hiLits, l)
				hiW = append(hiW, h)
			}
		}
		loC := int64(0)
		if K0 > 0 {
			loC = -1
		}
		hiC := floorDiv(sumLow-K0, B)
		for j := range bits.Len64(uint64(hiC - loC)) {
			x := b.newVar()
			low = append(low, term{x, -B << j})
			hiLits = append(hiLits, x)
			hiW = append(hiW, 1<<j)
		}
		b.ge(low, K0+B*loC)
		lits, w, K = hiLits, hiW, K1-loC
		for q := range w {
			w[q] = min(w[q], K)
		}
	}
	return pbc{lits: lits, w: w, card: K}
}

// digitSize returns the largest s in 1..30 for which the low-digit
// constraint of split, for weights w and degree K, has degree at most
// maxDegree.
func (b *builder) digitSize(w []int64, K int64) (int, bool) {
	for s := 30; s >= 1; s-- {
		B := int64(1) << s
		if B > K {
			continue
		}
		K0 := K & (B - 1)
		var sumLow int64
		for _, x := range w {
			sumLow += x & (B - 1)
		}
		loC := int64(0)
		if K0 > 0 {
			loC = -1
		}
		nb := bits.Len64(uint64(floorDiv(sumLow-K0, B) - loC))
		// The degree once the carry's terms are on positive literals.
		if K0+B*loC+B*(int64(1)<<nb-1) <= maxDegree {
			return s, true
		}
	}
	return 0, false
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// floorDiv returns floor(a/b) for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// simplified is an encoding after unit propagation: value[v] is +1 or -1
// for the variables it fixes, 0 for the others, and no remaining constraint
// mentions a fixed variable or is satisfied by every assignment.
type simplified struct {
	nVars int
	value []int8
	cons  []pbc
	unsat bool
}

// simplify propagates the constraints that force literals until nothing
// changes.
func (b *builder) simplify() *simplified {
	s := &simplified{nVars: b.nVars, value: make([]int8, b.nVars+1)}
	cons := make([]pbc, 0, len(b.cons))
	for _, c := range b.cons {
		cons = append(cons, pbc{lits: slices.Clone(c.lits), w: slices.Clone(c.w), card: c.card})
	}
	val := func(l int) int8 {
		if l < 0 {
			return -s.value[-l]
		}
		return s.value[l]
	}
	for changed := true; changed; {
		changed = false
		out := cons[:0]
		for _, c := range cons {
			// Drop the fixed literals.
			q := 0
			for p, l := range c.lits {
				switch val(l) {
				case 1:
					c.card -= c.w[p]
				case 0:
					c.lits[q], c.w[q] = l, c.w[p]
					q++
				}
			}
			c.lits, c.w = c.lits[:q], c.w[:q]
			if c.card <= 0 {
				changed = true
				continue
			}
			var sum int64
			for q := range c.w {
				c.w[q] = min(c.w[q], c.card)
				sum += c.w[q]
			}
			if sum < c.card {
				s.unsat = true
				return s
			}
			forced := false
			for q, l := range c.lits {
				if sum-c.w[q] < c.card {
					if l > 0 {
						s.value[l] = 1
					} else {
						s.value[-l] = -1
					}
					forced = true
				}
			}
			if forced {
				changed = true
				// Keep it: the next pass removes the literals just
				// fixed and drops it if it is satisfied.
			}
			out = append(out, c)
		}
		cons = out
	}
	s.cons = cons
	return s
}
