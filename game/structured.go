package game

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"

	"github.com/nashbench/nashbench/internal/plural"
)

// Term is one entry of a sparse row: Val in column Col.
type Term struct {
	Col int
	Val int64
}

// Structure describes D as D[i][j] = U[i]*V[j] + E[i][j]: a rank-one part
// and sparse exceptions. A reduction game is dense only in form: every
// clause player gains the same from every variable player (U marks the
// clause players, V the variable players) but for a few literals per
// clause and the diagonal, which go into E. Nil U, V or E stand for zeros;
// E[i] lists row i's exceptions in any order, and terms in one column add up.
type Structure struct {
	U, V []int64
	E    [][]Term
}

// structure is a Structure checked and indexed.
type structure struct {
	u, v []int64
	// Row i's exceptions, sorted by column, without zeros.
	ecol [][]int32
	eval [][]int64
	// Column j's exceptions: the rows i with E[i][j] != 0, and the values.
	crow [][]int32
	cval [][]int64
	// The players by their U value, for Check: groups[g] has value
	// groupU[g].
	groupU  []int64
	groups  [][]int32
	groupOf []int32
}

// NewStructured checks s and base as New checks a matrix (shapes, and that
// no mu can leave ±Bound) and returns the game, which keeps memory in
// proportion to k and the exceptions. Beyond New's checks it requires, so
// that its sums need no per-operation checks, that every row's rank-one
// part and its exceptions each sum in absolute value to at most Bound/4,
// and that the |V[j]| sum to at most Bound.
func NewStructured(names []string, s Structure, base []int64) (*Game, error) {
	k := len(base)
	switch {
	case k < 2:
		return nil, fmt.Errorf("game: need at least 2 players, have %d", k)
	case k > MaxStructuredPlayers:
		return nil, fmt.Errorf("game: %d players exceed the limit of %d", k, MaxStructuredPlayers)
	case names != nil && len(names) != k:
		return nil, fmt.Errorf("game: %s for %d players", plural.Count(len(names), "name", "names"), k)
	case s.U != nil && len(s.U) != k, s.V != nil && len(s.V) != k:
		return nil, fmt.Errorf("game: U has %s and V %s, want %d (one per player) or none", plural.Count(len(s.U), "entry", "entries"), plural.Count(len(s.V), "entry", "entries"), k)
	case s.E != nil && len(s.E) != k:
		return nil, fmt.Errorf("game: E has %s, want %d (one per player) or none", plural.Count(len(s.E), "row", "rows"), k)
	}
	st := &structure{u: make([]int64, k), v: make([]int64, k), ecol: make([][]int32, k), eval: make([][]int64, k)}
	copy(st.u, s.U)
	copy(st.v, s.V)
	const quarter = uint64(Bound / 4)
	var sumV uint64 // sum of |V[j]|, at most Bound
	for j, x := range st.v {
		if sumV += absU(x); sumV > uint64(Bound) {
			return nil, fmt.Errorf("game: the |V[j]| sum beyond 2^61 (at column %d)", j)
		}
	}
	var posV, negV int64 // sums of the positive and the negative V[j]
	for _, x := range st.v {
		if x > 0 {
			posV += x
		} else {
			negV += x
		}
	}
	g := &Game{Names: names, base: base, st: st, lo: make([]int64, k), hi: make([]int64, k), null: make([]bool, k)}
	for i := range k {
		if b := base[i]; b > Bound || b < -Bound {
			return nil, fmt.Errorf("game: d[%d] = %d is beyond ±2^61", i+1, b)
		}
		if hi, lo := bits.Mul64(absU(st.u[i]), sumV); hi != 0 || lo > quarter {
			return nil, fmt.Errorf("game: row %d's rank-one part U[%d]*V sums beyond 2^59 in absolute value", i+1, i+1)
		}
		if s.E != nil {
			terms := slices.Clone(s.E[i])
			slices.SortFunc(terms, func(a, b Term) int { return cmp.Compare(a.Col, b.Col) })
			var sumE uint64
			for q := 0; q < len(terms); {
				c := terms[q].Col
				if c < 0 || c >= k {
					return nil, fmt.Errorf("game: E[%d] has column %d, want 0..%d", i, c, k-1)
				}
				var x int64
				for ; q < len(terms) && terms[q].Col == c; q++ {
					t := terms[q].Val
					if t > Bound || t < -Bound || absU(x+t) > quarter {
						return nil, fmt.Errorf("game: E[%d][%d] is beyond 2^59 in absolute value", i, c)
					}
					x += t
				}
				if x == 0 {
					continue
				}
				if sumE += absU(x); sumE > quarter {
					return nil, fmt.Errorf("game: row %d's exceptions E[%d] sum beyond 2^59 in absolute value", i, i)
				}
				st.ecol[i] = append(st.ecol[i], int32(c))
				st.eval[i] = append(st.eval[i], x)
			}
		}
		// Bounds of mu_i: d_i plus the positive (negative) entries of its
		// row. The rank-one part's sum is u_i times the positive (negative)
		// V sum; each exception replaces its column's rank-one entry.
		// Every term is within ±2^59, and so are both sums.
		ui := st.u[i]
		hi, lo := base[i], base[i]
		if ui >= 0 {
			hi, lo = hi+ui*posV, lo+ui*negV
		} else {
			hi, lo = hi+ui*negV, lo+ui*posV
		}
		for q, c := range st.ecol[i] {
			r := ui * st.v[c]
			e := r + st.eval[i][q]
			hi += max(e, 0) - max(r, 0)
			lo += min(e, 0) - min(r, 0)
		}
		if lo < -Bound || hi > Bound {
			return nil, &playerError{i, "progress can leave ±2^61 (payoffs too large)"}
		}
		g.lo[i], g.hi[i] = lo, hi
	}
	st.index(k)
	st.nulls(g.null)
	return g, nil
}

func absU(x int64) uint64 {
	if x < 0 {
		return uint64(-x)
	}
	return uint64(x)
}

// index builds the column view of E and the groups of players by U.
func (st *structure) index(k int) {
	st.crow, st.cval = make([][]int32, k), make([][]int64, k)
	for i := range k {
		for q, c := range st.ecol[i] {
			st.crow[c] = append(st.crow[c], int32(i))
			st.cval[c] = append(st.cval[c], st.eval[i][q])
		}
	}
	st.groupOf = make([]int32, k)
	at := map[int64]int32{}
	for i, x := range st.u {
		gi, ok := at[x]
		if !ok {
			gi = int32(len(st.groups))
			at[x] = gi
			st.groups = append(st.groups, nil)
			st.groupU = append(st.groupU, x)
		}
		st.groups[gi] = append(st.groups[gi], int32(i))
		st.groupOf[i] = gi
	}
}

// nulls sets null[j] when column j is zero off the diagonal.
func (st *structure) nulls(null []bool) {
	nonzeroU := 0
	for _, x := range st.u {
		if x != 0 {
			nonzeroU++
		}
	}
	for j := range null {
		n := 0 // off-diagonal nonzero entries of column j
		if st.v[j] != 0 {
			n = nonzeroU
			if st.u[j] != 0 {
				n--
			}
		}
		for q, i := range st.crow[j] {
			if int(i) == j {
				continue
			}
			r := st.u[i] * st.v[j]
			if r != 0 {
				n-- // counted above, replaced here
			}
			if r+st.cval[j][q] != 0 {
				n++
			}
		}
		null[j] = n == 0
	}
}

func (st *structure) entry(i, j int) int64 {
	x := st.u[i] * st.v[j]
	if q, ok := slices.BinarySearch(st.ecol[i], int32(j)); ok {
		x += st.eval[i][q]
	}
	return x
}

func (st *structure) row(i int, dst []int64) []int64 {
	k := len(st.v)
	if cap(dst) < k {
		dst = make([]int64, k)
	}
	dst = dst[:k]
	ui := st.u[i]
	for j, x := range st.v {
		dst[j] = ui * x
	}
	for q, c := range st.ecol[i] {
		dst[c] += st.eval[i][q]
	}
	return dst
}

// mu writes mu(a) into dst in O(k + exceptions).
func (st *structure) mu(base []int64, a []bool, dst []int64) {
	var S int64 // sum of V over the open players: within ±Bound
	for j, x := range st.v {
		if a[j] {
			S += x
		}
	}
	for i, ui := range st.u {
		m := base[i] + ui*S
		for q, c := range st.ecol[i] {
			if a[c] {
				m += st.eval[i][q]
			}
		}
		dst[i] = m
	}
}

// check is Check for a structured game, in O(k log k + exceptions) when
// few distinct U values group the players (two in a reduction game): for
// player i, max_{j!=i} mu_j(a^(i)) is, for the players without an
// exception in column i, the largest mu_j of each U group plus that group's
// U times V[i], and for the others computed one by one.
func (g *Game) checkStructured(a []bool, mu []int64) (Deviation, bool) {
	st := g.st
	k := len(mu)
	// The two largest mu, for max_{j!=i} mu_j(a).
	top1, top2 := -1, -1
	for j, m := range mu {
		switch {
		case top1 < 0 || m > mu[top1]:
			top1, top2 = j, top1
		case top2 < 0 || m > mu[top2]:
			top2 = j
		}
	}
	// Each group's members by mu, largest first.
	order := make([][]int32, len(st.groups))
	for gi, members := range st.groups {
		o := slices.Clone(members)
		slices.SortFunc(o, func(x, y int32) int { return cmp.Compare(mu[y], mu[x]) })
		order[gi] = o
	}
	mark := make([]int, k) // mark[j] == i+1: j is excluded for player i
	for i := range k {
		before := mu[top1]
		if top1 == i {
			before = mu[top2]
		}
		s := int64(1) // flipping a_i moves mu_j by D[j][i], down if i was open
		if a[i] {
			s = -1
		}
		after := int64(-1 << 63)
		mark[i] = i + 1
		for q, j := range st.crow[i] {
			if int(j) == i {
				continue
			}
			mark[j] = i + 1
			after = max(after, mu[j]+s*(st.u[j]*st.v[i]+st.cval[i][q]))
		}
		for gi, o := range order {
			for _, j := range o {
				if mark[j] != i+1 {
					after = max(after, mu[j]+s*st.groupU[gi]*st.v[i])
					break
				}
			}
		}
		rhs := st.entry(i, i)
		if !a[i] {
			rhs = -rhs
		}
		if lhs := before - after; lhs > rhs {
			return Deviation{Player: i, Gain: lhs - rhs}, false
		}
	}
	return Deviation{}, true
}
