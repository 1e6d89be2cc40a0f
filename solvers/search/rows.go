package search

// rowCache keeps the rows p(w, .) of the pairwise bound (bounds.go) for
// the players used as witnesses lately. The witnesses are the players of
// the largest lower bounds, the leaders, which change slowly, so a few
// rows serve every player's bound: each kept row costs O(k) per
// assignment, and a row not kept is computed from the assignment in
// O(k^2) (a miss), in place of the least recently used one.
type rowCache struct {
	slot  []int32 // per player: its slot, or -1
	owner []int32 // per slot: its player, or -1
	rows  [][]int64
	used  []uint64 // per slot: the clock at its last use
	clock uint64
}

// rowSlots is how many rows the cache keeps.
const rowSlots = 16

func newRowCache(k int) rowCache {
	rc := rowCache{slot: make([]int32, k), owner: make([]int32, rowSlots), rows: make([][]int64, rowSlots), used: make([]uint64, rowSlots)}
	for i := range rc.slot {
		rc.slot[i] = -1
	}
	for s := range rc.owner {
		rc.owner[s] = -1
		rc.rows[s] = make([]int64, k)
	}
	return rc
}

// row returns p(w, .) under the current assignment (i's term included).
// It stays valid until the next call of row with another player.
func (e *engine) row(w int) []int64 {
	rc := &e.rc
	rc.clock++
	if s := rc.slot[w]; s >= 0 {
		rc.used[s] = rc.clock
		return rc.rows[s]
	}
	s := 0
	for q := range rc.owner {
		if rc.owner[q] < 0 {
			s = q
			break
		}
		if rc.used[q] < rc.used[s] {
			s = q
		}
	}
	if o := rc.owner[s]; o >= 0 {
		rc.slot[o] = -1
	}
	rc.owner[s], rc.slot[w], rc.used[s] = int32(w), int32(s), rc.clock
	e.st.rowMisses++
	row := rc.rows[s]
	// d_w - d_m, then each player's term; every partial sum is a
	// difference of two progresses, within ±2^62.
	bw := e.base[w]
	for m := range row {
		row[m] = bw - e.base[m]
	}
	for u, cu := range e.col {
		cw := cu[w]
		switch e.val[u] {
		case -1:
			for m, d := range cu {
				row[m] += min(0, cw-d)
			}
		case 1:
			for m, d := range cu {
				row[m] += cw - d
			}
		}
	}
	return row
}

// rowsShift updates the kept rows when player u is assigned (assign) or
// unassigned: u's term min(0, x), x = D[w][u] - D[m][u], becomes x (open)
// or 0 (closed), so p(w, m) grows by max(0, x) or max(0, -x).
func (e *engine) rowsShift(u int, open, assign bool) {
	cu := e.col[u]
	rc := &e.rc
	for s, w := range rc.owner {
		if w < 0 {
			continue
		}
		row := rc.rows[s][:len(cu)]
		cw := cu[w]
		switch {
		case open && assign:
			for m, d := range cu {
				row[m] += max(0, cw-d)
			}
		case open:
			for m, d := range cu {
				row[m] -= max(0, cw-d)
			}
		case assign:
			for m, d := range cu {
				row[m] += max(0, d-cw)
			}
		default:
			for m, d := range cu {
				row[m] -= max(0, d-cw)
			}
		}
	}
}
