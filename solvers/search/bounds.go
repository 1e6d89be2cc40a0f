package search

import "math"

// The bound argument, shared by propagation, explanations and the
// certificate (package verify/searchcert checks it independently).
//
// Player i's condition depends only on the others' actions. Write z_j for
// mu_j with a_i = 0 (j != i) and c_j = D[j][i]. Opening moves every z_j to
// z_j + c_j and i's own progress by delta_i, so i's gain from opening is
//
//	gain_i = delta_i + max_{j!=i} z_j - max_{j!=i} (z_j + c_j)
//
// and, by Lemma 1, a_i = 1 is a best response iff gain_i >= 0, a_i = 0 iff
// gain_i <= 0.
//
// Pairwise bound. Under a partial profile, let p(w, m) be the least value
// of z_w - z_m over the completions: the assigned players contribute
// (D[w][u] - D[m][u]) a_u exactly, each unassigned one (other than i)
// min(0, D[w][u] - D[m][u]). For any two players a, b other than i (the
// witnesses):
//
//	gain_i >= LB = delta_i + min over m with p(b, m) <= c_m - c_b of -c_m + max(0, p(a, m))
//	gain_i <= UB = delta_i + max over l with p(a, l) <= 0         of min(-c_l, -p(b, l) - c_b)
//
// LB: let m* attain max (z + c); then z_m* + c_m* >= z_b + c_b, so
// p(b, m*) <= z_b - z_m* <= c_m* - c_b, and gain_i = delta_i - c_m* +
// max z - z_m* >= delta_i - c_m* + max(0, z_a - z_m*), at least m*'s
// term. UB: let l* attain max z; then p(a, l*) <= z_a - z_l* <= 0, and
// gain_i <= delta_i + z_l* - max(z_l* + c_l*, z_b + c_b), at most l*'s
// term. The witnesses are the players of the largest lower bound lo_j on
// z_j (a) and on z_j + c_j (b), the first in index order on ties (lo_j
// as in the interval bound below). On a full profile both bounds equal
// gain_i. With the witnesses fixed, both are monotone in the assignment
// (assigning a player raises every p), which makes explanations minimal;
// the witnesses themselves change with the assignment, so a conflict
// found at one level may hold at a lower one (the engine backtracks to
// it before analysis).
//
// Interval bound. The engine can also work with intervals alone (a
// weaker theory, kept for comparison): z_j lies in [lo_j, hi_j] (assigned players
// contribute exactly, unassigned ones min(0, D[j][u]) to lo_j and
// max(0, D[j][u]) to hi_j), and with A = max_j lo_j, B = max_j (lo_j + c_j)
//
//	LB' = min over m with hi_m + c_m >= B of delta_i + max(-c_m, A - (hi_m + c_m))
//	UB' = max over l with hi_l >= A      of delta_i + min(-c_l, hi_l - B).
//
// Since p(w, m) >= lo_w - hi_m, the pairwise bound with witnesses a and b
// (A = lo_a, B = lo_b + c_b) is at least as tight, so a lemma proved by
// the interval bound is proved by the pairwise one with those witnesses:
// the certificate always states its witnesses and the checker uses the
// pairwise bound.
//
// So LB > 0 forces a_i = 1 and UB < 0 forces a_i = 0 in every
// completion; the clause "some assigned player differs, or a_i takes the
// forced value" is then a theory lemma.
//
// Arithmetic: every lo_j, hi_j, lo_j + c_j and hi_j + c_j is the progress
// of player j at some profile, so within ±2^61 (game.Bound); c_j and
// delta_i are entries of D, also within ±2^61; every p(w, m), and every
// partial sum that builds it, is a difference of two progresses, within
// ±2^62, and so are p(a, m) - c_m (z_a - (z_m + c_m) at some completion)
// and -p(b, l) - c_b. Each term is then within ±2^62 and adding delta_i
// keeps it within ±(2^62 + 2^61) < 2^63. Sums whose parts may leave that
// range (p - c computed as two subtractions) have a true value within it,
// and int64 addition is exact modulo 2^64, so they come out right.

const (
	negInf = math.MinInt64
	posInf = math.MaxInt64
)

// zBounds returns the interval bound LB', UB' of player i's gain from the
// z-intervals lo, hi (entries at i are ignored), c the column D[.][i] and
// delta = D[i][i].
func zBounds(i int, delta int64, c, lo, hi []int64) (lb, ub int64) {
	A, B := int64(negInf), int64(negInf)
	for j, l := range lo {
		if j == i {
			continue
		}
		A = max(A, l)
		B = max(B, l+c[j])
	}
	lb, ub = posInf, negInf
	for j, h := range hi {
		if j == i {
			continue
		}
		cj := c[j]
		if hc := h + cj; hc >= B {
			lb = min(lb, delta+max(-cj, A-hc))
		}
		if h >= A {
			ub = max(ub, delta+min(-cj, h-B))
		}
	}
	return lb, ub
}

// witnesses returns the witnesses a and b of player i's pairwise bound:
// the first players of the largest lo_j and lo_j + c_j.
func witnesses(i int, c, lo []int64) (a, b int) {
	a, b = -1, -1
	for j, l := range lo {
		if j == i {
			continue
		}
		if a < 0 || l > lo[a] {
			a = j
		}
		if b < 0 || l+c[j] > lo[b]+c[b] {
			b = j
		}
	}
	return a, b
}

// pairBounds returns the pairwise bound LB, UB of player i's gain from
// the rows pa[m] = p(a, m) and pb[m] = p(b, m) of witnesses a and b.
func pairBounds(i int, delta int64, c, pa, pb []int64, b int) (lb, ub int64) {
	cb := c[b]
	lb, ub = posInf, negInf
	for m, d := range c {
		if m == i {
			continue
		}
		if d-cb >= pb[m] {
			lb = min(lb, max(-d, pa[m]-d))
		}
		if pa[m] <= 0 {
			ub = max(ub, min(-d, -pb[m]-cb))
		}
	}
	return lb + delta, ub + delta
}
