// Package prune analyses the Lemma 1 conditions of a game for the
// encodings that decide it (the compact MIP of solvers/mip and the PB
// encoding of package encodings): which players can hold the maximum of
// progress, which competitors can witness each player's condition, and an
// upper bound V of all progress at every non-trivial equilibrium, under
// which most players' conditions hold by themselves. Every conclusion
// holds for any integer game; the encodings stay exact with any subset of
// them.
//
// The work grows with the game's structure rather than with k^3: progress
// is read as mu_j(a) = Base_j + U_j (C·a) + X_j·a over the action columns,
// with C a common row (each column's majority entry), U_j in {0, 1} and X_j
// sparse. A reduction game has two kinds of rows (clause players: C plus
// three literals; the others: zero), so comparing two players costs
// O(their exceptions), not O(k).
package prune

import (
	"github.com/nashbench/nashbench/game"
)

// View is a game's progress functions over its action columns, the
// players whose action changes someone else's progress. Null players are
// fixed at their best response (open when delta > 0, else closed) and
// folded into Base.
type View struct {
	K        int
	Active   []int   // players with an action column, increasing
	Col      []int32 // player -> its column (index into Active), -1 if null
	Fixed    []bool  // null players fixed open
	Free     []int   // null players with delta = 0 (fixed closed)
	AnyFixed bool
	Delta    []int64 // D[i][i] of every player

	Base []int64 // progress with every action column closed
	U    []int8  // 0 or 1: whether row j contains the common row C
	C    []int64 // the common entry of each column
	// Row j's exceptions: D[j][Active[q]] = U[j]*C[q] + X, for the columns
	// q of Xcol[j] (increasing) and the values X of Xval[j], nonzero.
	Xcol [][]int32
	Xval [][]int64
	// Column q's exceptions: the rows (increasing) and values.
	Crow [][]int32
	Cval [][]int64
	// Lo and Hi bound each mu_j over the action columns.
	Lo, Hi []int64

	posC, negC int64 // sums of the positive and the negative C[q]
	gcdC       int64 // gcd of the C[q]: divides every U-part coefficient
	// The columns with C[q] != 0, which spread's divisor must see when
	// rows j and m differ in U and no exception covers the column there.
	// When their |C[q]| differ, gcdTree is a segment tree of the |C[q]|
	// (leaves at n+q) for the gcd of a range; nil when they are all gcdC.
	nnzC    int
	gcdTree []int64
}

// maxCommon bounds the sum of |C[q]|: beyond it the common row is dropped
// (C = 0), so that the sums below stay far from overflow even for games
// whose rows are each bounded but whose columns' entries are not.
const maxCommon = int64(1) << 60

// NewView reads g's rows three times (O(k^2) entries for a structured game,
// O(k) memory beyond the result). The bounds of its sums: every |mu_j| and
// every row's sum of |entries| must stay within 2^58 (gophersat-pb's
// magnitude and the MIP's exact range both keep them there).
func NewView(g *game.Game) *View {
	k := g.Players()
	v := &View{K: k, Col: make([]int32, k), Fixed: make([]bool, k), Delta: make([]int64, k)}
	for i := range k {
		v.Delta[i] = g.Delta(i)
		v.Col[i] = -1
		switch {
		case !g.Null(i):
			v.Col[i] = int32(len(v.Active))
			v.Active = append(v.Active, i)
		case v.Delta[i] > 0:
			v.Fixed[i], v.AnyFixed = true, true
		case v.Delta[i] == 0:
			v.Free = append(v.Free, i)
		}
	}
	n := len(v.Active)
	// Each column's majority nonzero entry (Boyer-Moore, then counted):
	// the value a reduction's clause players all receive from a variable
	// player, however many other players receive nothing.
	cand, cnt, nonzero := make([]int64, n), make([]int, n), make([]int, n)
	var row []int64
	for j := range k {
		row = g.Row(j, row)
		for q, p := range v.Active {
			switch x := row[p]; {
			case x == 0:
			case cnt[q] == 0:
				cand[q], cnt[q] = x, 1
			case x == cand[q]:
				cnt[q]++
			default:
				cnt[q]--
			}
		}
	}
	clear(cnt)
	for j := range k {
		row = g.Row(j, row)
		for q, p := range v.Active {
			if x := row[p]; x != 0 {
				nonzero[q]++
				if x == cand[q] {
					cnt[q]++
				}
			}
		}
	}
	v.C = make([]int64, n)
	var sumC int64
	for q := range n {
		if 2*cnt[q] > nonzero[q] {
			v.C[q] = cand[q]
			if sumC += abs(cand[q]); sumC > maxCommon {
				clear(v.C)
				break
			}
		}
	}
	mixed := false
	for _, c := range v.C {
		if c > 0 {
			v.posC += c
		} else {
			v.negC += c
		}
		if c != 0 {
			mixed = mixed || v.nnzC > 0 && abs(c) != v.gcdC
			v.nnzC++
		}
		v.gcdC = gcd(v.gcdC, abs(c))
	}
	if mixed {
		v.gcdTree = make([]int64, 2*n)
		for q, c := range v.C {
			v.gcdTree[n+q] = abs(c)
		}
		for p := n - 1; p >= 1; p-- {
			v.gcdTree[p] = gcd(v.gcdTree[2*p], v.gcdTree[2*p+1])
		}
	}
	v.Base = make([]int64, k)
	v.U = make([]int8, k)
	v.Xcol, v.Xval = make([][]int32, k), make([][]int64, k)
	v.Lo, v.Hi = make([]int64, k), make([]int64, k)
	for j := range k {
		row = g.Row(j, row)
		b := g.Base(j)
		for f := range k {
			if v.Fixed[f] {
				b += row[f]
			}
		}
		v.Base[j] = b
		// Row j with C or without: whichever leaves fewer exceptions.
		with, without := 0, 0
		for q, p := range v.Active {
			if row[p] != v.C[q] {
				with++
			}
			if row[p] != 0 {
				without++
			}
		}
		if with < without {
			v.U[j] = 1
		}
		u := int64(v.U[j])
		for q, p := range v.Active {
			if x := row[p] - u*v.C[q]; x != 0 {
				v.Xcol[j] = append(v.Xcol[j], int32(q))
				v.Xval[j] = append(v.Xval[j], x)
			}
		}
		lo, hi := b, b
		if u == 1 {
			lo, hi = lo+v.negC, hi+v.posC
		}
		for t, q := range v.Xcol[j] {
			r := u * v.C[q]
			e := r + v.Xval[j][t]
			hi += max(e, 0) - max(r, 0)
			lo += min(e, 0) - min(r, 0)
		}
		v.Lo[j], v.Hi[j] = lo, hi
	}
	v.Crow, v.Cval = make([][]int32, n), make([][]int64, n)
	for j := range k {
		for t, q := range v.Xcol[j] {
			v.Crow[q] = append(v.Crow[q], int32(j))
			v.Cval[q] = append(v.Cval[q], v.Xval[j][t])
		}
	}
	return v
}

// Entry returns D[j][Active[q]].
func (v *View) Entry(j, q int) int64 {
	x := int64(v.U[j]) * v.C[q]
	if t, ok := find(v.Xcol[j], int32(q)); ok {
		x += v.Xval[j][t]
	}
	return x
}

// Column writes D[j][Active[q]] for every player j into dst (allocated
// when too short), in O(k + column q's exceptions).
func (v *View) Column(q int, dst []int64) []int64 {
	if cap(dst) < v.K {
		dst = make([]int64, v.K)
	}
	dst = dst[:v.K]
	for j := range dst {
		dst[j] = int64(v.U[j]) * v.C[q]
	}
	for t, j := range v.Crow[q] {
		dst[j] += v.Cval[q][t]
	}
	return dst
}

// Terms calls f for every nonzero coefficient of mu_j over the action
// columns, in increasing column order.
func (v *View) Terms(j int, f func(q int, w int64)) {
	xs, xv := v.Xcol[j], v.Xval[j]
	if v.U[j] == 0 {
		for t, q := range xs {
			f(int(q), xv[t])
		}
		return
	}
	t := 0
	for q, w := range v.C {
		if t < len(xs) && int(xs[t]) == q {
			w += xv[t]
			t++
		}
		if w != 0 {
			f(q, w)
		}
	}
}

// SubTerms appends to q and w the terms of x - y, two sparse forms over the
// action columns as Terms gives them (xq and yq increasing), leaving out
// the terms that cancel, and returns the extended slices.
func SubTerms(q []int, w []int64, xq []int, xw []int64, yq []int, yw []int64) ([]int, []int64) {
	a, b := 0, 0
	for a < len(xq) || b < len(yq) {
		switch {
		case b == len(yq) || a < len(xq) && xq[a] < yq[b]:
			q, w = append(q, xq[a]), append(w, xw[a])
			a++
		case a == len(xq) || yq[b] < xq[a]:
			q, w = append(q, yq[b]), append(w, -yw[b])
			b++
		default:
			if d := xw[a] - yw[b]; d != 0 {
				q, w = append(q, xq[a]), append(w, d)
			}
			a++
			b++
		}
	}
	return q, w
}

// spread returns the least and greatest values, over the action columns
// other than skip (a column, or -1 for none), of sum_q (D[j][q] - D[m][q])
// a_q, and, withGcd, the gcd g of its coefficients (0 when they are all 0,
// and always 0 without withGcd), in O(exceptions of j and m) (times log of
// the columns for g when the common row's entries differ in size).
//
// When U[j] != U[m], a column that neither row lists as an exception has
// coefficient ±C[q]; one that either lists has its own, in which the C[q]
// parts may cancel. g takes C[q] only from the columns of the first kind:
// gcdC alone would be a divisor too, but a loose one (1 for a reduction
// game whose clause rows differ in U, which loses the rounding of
// witnessMax and with it the cap's cover).
func (v *View) spread(j, m, skip int, withGcd bool) (lo, hi, g int64) {
	du := int64(v.U[j]) - int64(v.U[m])
	switch {
	case du > 0:
		lo, hi = v.negC, v.posC
	case du < 0:
		lo, hi = -v.posC, -v.negC
	}
	xj, xm := v.Xcol[j], v.Xcol[m]
	a, b := 0, 0
	skipped := skip < 0
	next := 0    // the first column after the last one listed by j or m
	touched := 0 // columns with C[q] != 0 listed by j or m, or skip
	if !withGcd {
		g = 1 // and so unchanged
	}
	for a < len(xj) || b < len(xm) {
		var q int32
		var d int64
		switch {
		case b == len(xm) || a < len(xj) && xj[a] < xm[b]:
			q, d = xj[a], v.Xval[j][a]
			a++
		case a == len(xj) || xm[b] < xj[a]:
			q, d = xm[b], -v.Xval[m][b]
			b++
		default:
			q, d = xj[a], v.Xval[j][a]-v.Xval[m][b]
			a++
			b++
		}
		t0 := du * v.C[q]
		lo, hi = lo-min(t0, 0), hi-max(t0, 0)
		if du != 0 && g != 1 && v.gcdTree != nil {
			g = v.commonGcd(g, next, int(q), skip)
		}
		next = int(q) + 1
		if t0 != 0 {
			touched++
		}
		if int(q) == skip {
			skipped = true
			continue
		}
		t := t0 + d
		lo, hi = lo+min(t, 0), hi+max(t, 0)
		if t != 0 && g != 1 {
			g = gcd(g, abs(t))
		}
	}
	if !skipped {
		t0 := du * v.C[skip]
		lo, hi = lo-min(t0, 0), hi-max(t0, 0)
		if t0 != 0 {
			touched++
		}
	}
	if du != 0 && g != 1 {
		if v.gcdTree == nil {
			if touched < v.nnzC {
				g = gcd(g, v.gcdC) // some column has ±C[q] = ±gcdC
			}
		} else {
			g = v.commonGcd(g, next, len(v.C), skip)
		}
	}
	if !withGcd {
		g = 0
	}
	return lo, hi, g
}

// commonGcd returns gcd(g, |C[q]| for q in [from, to), q != skip) from
// gcdTree.
func (v *View) commonGcd(g int64, from, to, skip int) int64 {
	if from <= skip && skip < to {
		return v.rangeGcd(v.rangeGcd(g, from, skip), skip+1, to)
	}
	return v.rangeGcd(g, from, to)
}

// rangeGcd returns gcd(g, |C[q]| for q in [from, to)) from gcdTree.
func (v *View) rangeGcd(g int64, from, to int) int64 {
	n := len(v.C)
	for l, r := from+n, to+n; l < r && g != 1; l, r = l>>1, r>>1 {
		if l&1 == 1 {
			g = gcd(g, v.gcdTree[l])
			l++
		}
		if r&1 == 1 {
			r--
			g = gcd(g, v.gcdTree[r])
		}
	}
	return g
}

// find returns the position of q in the increasing xs.
func find(xs []int32, q int32) (int, bool) {
	lo, hi := 0, len(xs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if xs[m] < q {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(xs) && xs[lo] == q
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func gcd(x, y int64) int64 {
	for y != 0 {
		x, y = y, x%y
	}
	return x
}
