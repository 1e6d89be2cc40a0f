package search

// explain returns the theory lemma behind "player i must play open" (or
// closed) under the assignment trail[:pos], i's own action left out: the
// literal of i's forced action first, then the negations of the assigned
// players whose values the bound needs; with a certificate, the lemma is
// logged with its witnesses and its id returned. The witnesses are those
// the theory pass used (the same prefix gives the same ones); with them
// fixed, the assigned players are relaxed latest first, each one that the
// bound can do without.
func (e *engine) explain(i int, open bool, pos int) ([]lit, pid) {
	e.st.explanations++
	e.prefixIntervals(i, pos)
	var out []lit
	var a, b int
	if e.pair {
		out, a, b = e.explainPair(i, open, pos)
	} else {
		out, a, b = e.explainLinear(i, open, pos)
	}
	var p pid
	if e.log != nil {
		p = e.log.theory(out, a, b)
	}
	return out, p
}

// prefixIntervals sets e.lo, e.hi to the z-intervals of player i (its
// rivals' progress with a_i = 0) under the assignment trail[:pos]: from L0
// and the prefix, or from L and H less the rest, whichever is shorter.
func (e *engine) prefixIntervals(i, pos int) {
	lo, hi := e.lo, e.hi
	n := len(e.trail)
	if pos < n-pos {
		copy(lo, e.L0)
		copy(hi, e.H0)
		for _, l := range e.trail[:pos] {
			if int(l>>1) != i {
				shift(lo, hi, e.col[l>>1], l&1 == 1)
			}
		}
	} else {
		copy(lo, e.L)
		copy(hi, e.H)
		for _, l := range e.trail[pos:] {
			unshift(lo, hi, e.col[l>>1], l&1 == 1)
		}
		if v := e.val[i]; v >= 0 && int(e.tpos[i]) < pos {
			unshift(lo, hi, e.col[i], v == 1)
		}
	}
	for j, d := range e.col[i] {
		lo[j] -= min(d, 0)
		hi[j] -= max(d, 0)
	}
}

// explainPair explains by the pairwise bound: the rows p(a, .) and
// p(b, .) of the witnesses under the prefix (from the table, less the
// players after it and i's own term), then relaxation, each relaxed
// player lowering both rows by its terms.
func (e *engine) explainPair(i int, open bool, pos int) ([]lit, int, int) {
	c := e.col[i]
	a, b := witnesses(i, c, e.lo)
	ra, rb := e.ra, e.rb
	copy(ra, e.row(a))
	copy(rb, e.row(b))
	for _, l := range e.trail[pos:] {
		relaxRow(ra, e.col[l>>1], a, l&1 == 1)
		relaxRow(rb, e.col[l>>1], b, l&1 == 1)
	}
	if v := e.val[i]; v >= 0 && int(e.tpos[i]) < pos {
		relaxRow(ra, c, a, v == 1)
		relaxRow(rb, c, b, v == 1)
	}
	// Now i is unassigned in the rows: remove its term min(0, x).
	ca, cb := c[a], c[b]
	for m, d := range c {
		ra[m] -= min(0, ca-d)
		rb[m] -= min(0, cb-d)
	}
	delta := c[i]
	lb, ub := pairBounds(i, delta, c, ra, rb, b)
	if open && lb <= 0 || !open && ub >= 0 {
		panic("search: explaining a bound that does not hold")
	}
	out := append([]lit(nil), mkLit(i, open))
	for t := pos - 1; t >= 0; t-- {
		l := e.trail[t]
		u := int(l >> 1)
		if u == i || e.free[u] {
			continue
		}
		cu := e.col[u]
		if relaxed(i, delta, c, ra, rb, b, cu, a, open, l&1 == 1) {
			relaxRow(ra, cu, a, l&1 == 1)
			relaxRow(rb, cu, b, l&1 == 1)
		} else {
			out = append(out, l^1)
		}
	}
	return out, a, b
}

// relaxed reports whether the pairwise bound still proves i's forced
// action (open or closed) after relaxing a player (its column cu, its
// value uOpen): each p(w, m) loses max(0, ±(D[w][u] - D[m][u])). It
// stops at the first rival whose term fails.
func relaxed(i int, delta int64, c, ra, rb []int64, b int, cu []int64, a int, open, uOpen bool) bool {
	cb := c[b]
	ua, ub := cu[a], cu[b]
	for m, d := range c {
		if m == i {
			continue
		}
		um := cu[m]
		var pa, pb int64
		if uOpen {
			pa, pb = ra[m]-max(0, ua-um), rb[m]-max(0, ub-um)
		} else {
			pa, pb = ra[m]-max(0, um-ua), rb[m]-max(0, um-ub)
		}
		if open {
			// m a candidate after i opens, and its term not positive.
			if d-cb >= pb && delta+max(-d, pa-d) <= 0 {
				return false
			}
		} else if pa <= 0 && delta+min(-d, -pb-cb) >= 0 {
			return false
		}
	}
	return true
}

// relaxRow takes player u's exact term (open or closed, column cu) out of
// row w of p and puts its unassigned one back: p(w, m) loses
// max(0, x) when u was open, max(0, -x) when closed, x = D[w][u] - D[m][u].
func relaxRow(row, cu []int64, w int, open bool) {
	cw := cu[w]
	if open {
		for m, d := range cu {
			row[m] -= max(0, cw-d)
		}
		return
	}
	for m, d := range cu {
		row[m] -= max(0, d-cw)
	}
}

// explainLinear explains by the interval bound (config pair off)
// with its witnesses fixed: a attains A = max lo, b attains B =
// max (lo + c). Each rival m then needs one inequality "lo_w - hi_m >= r"
// (w = a or b) to keep its term on the right side, or none when
// delta - c_m alone does; relaxing a player u lowers lo_w and raises hi_m
// by known amounts, so each inequality has a slack that the relaxed
// players share, and a player is dropped when every slack covers it. The
// lemma then holds by the interval bound with these witnesses, so by the
// pairwise one (bounds.go).
func (e *engine) explainLinear(i int, open bool, pos int) ([]lit, int, int) {
	lo, hi := e.lo, e.hi
	c := e.col[i]
	delta := c[i]
	aw, bw := witnesses(i, c, lo)
	A, B := lo[aw], lo[bw]+c[bw]
	req := e.req[:0]
	for m := range lo {
		if m == i {
			continue
		}
		cm := c[m]
		var s2, s3 int64 // slacks of the two options, negative when invalid
		if open {
			if delta-cm > 0 {
				continue
			}
			// LB' term: delta + A - (hi_m + c_m) > 0, or m out of the
			// candidates: hi_m + c_m < B.
			s2 = A - (hi[m] + cm) + delta - 1
			s3 = B - (hi[m] + cm) - 1
		} else {
			if delta-cm < 0 {
				continue
			}
			// UB' term: delta + hi_m - B < 0, or m out of the leaders:
			// hi_m < A.
			s2 = B - hi[m] - delta - 1
			s3 = A - hi[m] - 1
		}
		// s2 leans on a when open, b when closed; s3 the other way.
		w2, w3 := aw, bw
		if !open {
			w2, w3 = bw, aw
		}
		switch {
		case s2 >= s3 && s2 >= 0:
			req = append(req, slack{m: int32(m), w: int32(w2), s: s2})
		case s3 >= 0:
			req = append(req, slack{m: int32(m), w: int32(w3), s: s3})
		default:
			panic("search: explaining a bound that does not hold")
		}
	}
	e.req = req
	out := append([]lit(nil), mkLit(i, open))
	for t := pos - 1; t >= 0; t-- {
		l := e.trail[t]
		u := int(l >> 1)
		if u == i || e.free[u] {
			continue
		}
		cu := e.col[u]
		isOpen := l&1 == 1
		// Relaxing u lowers lo_j by drop(j) and raises hi_j by rise(j).
		dropA, dropB := drop(cu[aw], isOpen), drop(cu[bw], isOpen)
		fits := true
		for q := range req {
			r := &req[q]
			d := dropA
			if int(r.w) == bw {
				d = dropB
			}
			if d+rise(cu[r.m], isOpen) > r.s {
				fits = false
				break
			}
		}
		if !fits {
			out = append(out, l^1)
			continue
		}
		for q := range req {
			r := &req[q]
			d := dropA
			if int(r.w) == bw {
				d = dropB
			}
			r.s -= d + rise(cu[r.m], isOpen)
		}
	}
	return out, aw, bw
}

// slack is one rival's inequality in explainLinear: lo_w - hi_m may lose
// s more.
type slack struct {
	m, w int32
	s    int64
}

// drop is how much relaxing a player (open or closed) with entry d in
// row j lowers lo_j; rise how much it raises hi_j.
func drop(d int64, open bool) int64 {
	if open {
		return max(d, 0)
	}
	return max(-d, 0)
}

func rise(d int64, open bool) int64 {
	if open {
		return max(-d, 0)
	}
	return max(d, 0)
}
