package search

import (
	"slices"
	"sort"
)

// Literals: player u open is 2u+1, closed is 2u. A player's value is -1
// (unassigned), 0 or 1, so literal l is true iff val[l>>1] == l&1.
type lit = int32

func mkLit(u int, open bool) lit {
	if open {
		return lit(2*u + 1)
	}
	return lit(2 * u)
}

// dimacs is the certificate's name of a literal: +(u+1) open, -(u+1) closed.
func dimacs(l lit) int32 {
	if l&1 == 1 {
		return l>>1 + 1
	}
	return -(l>>1 + 1)
}

// Reasons of an assignment besides a clause index.
const (
	rDecision int32 = -1 // a decision or an assumption
	rTheory   int32 = -2 // the player's own condition (explained lazily)
	rFree     int32 = -3 // a free player, closed once and for all
)

// status of a solve under assumptions.
type status int

const (
	stUnsat   status = iota // no (further) equilibrium under the assumptions
	stSat                   // an equilibrium (deciding only)
	stStopped               // stopped by the context or the driver
)

// model is what the engines share about a game, read-only.
type model struct {
	k      int
	col    [][]int64 // col[u][j] = D[j][u]: what j receives when u opens
	L0, H0 []int64   // bounds on mu_j with every player unassigned
	free   []bool    // free players (null, delta 0): closed, never branched
	nFree  int
	score  []float64 // initial branching activity
	cfg    config
	nt     bool // add the non-triviality clause (no free players)
	pair   bool // the pairwise bound (bounds.go), else the interval one
	base   []int64
}

type clause struct {
	lits     []lit
	pid      pid
	act      float64 // grows with the time of learning: older clauses go first
	lbd      int32
	learnt   bool // may be deleted
	deleted  bool
	blocking bool // excludes a counted equilibrium: never deleted
}

type watcher struct {
	ci      int32
	blocker lit
}

// engine is one CDCL search over the players' actions with the bound
// argument as its theory: propagation and conflicts come from every
// player's condition decided by its bounds (bounds.go), explained lazily
// as clauses when conflict analysis needs them, and from learned clauses
// (two watched literals). It searches under assumptions (the driver's
// cubes), counts by blocking each equilibrium found, and logs a
// certificate of its refutations when asked (proof.go).
type engine struct {
	*model
	L, H  []int64 // bounds on mu_j under the current assignment (the witnesses, the interval bound)
	val   []int8
	lvl   []int32
	rsn   []int32
	tpos  []int32
	trail []lit
	lim   []int32 // trail length at the start of each decision level
	qhead int

	ent    []bool  // the player's condition holds in every completion
	entStk []int32 // entailed players, in order
	entLim []int32 // entStk length at the start of each level

	cls     []clause
	watches [][]watcher
	freeCls []int32
	nLearnt int

	// Lazy explanations of theory propagations, valid while assigned.
	ex    [][]lit
	exPid []pid
	exOK  []bool

	act    []float64
	actInc float64
	clInc  float64
	heap   varHeap
	phase  []int8

	seen   []bool
	lo, hi []int64 // scratch for explanations
	ra, rb []int64
	req    []slack
	rc     rowCache // rows of p(w, m), when pair

	lvlMark []uint32 // lbd's marks by level
	stamp   uint32
	learnt  []lit

	log       *proofLog // nil unless certifying
	logCap    int       // the most entries the log may hold
	proofLost bool      // the log outgrew logCap and was dropped
	unit      []pid     // per player: its level-0 unit clause in the proof

	// Solutions.
	count     bool
	listMax   int
	sols      uint64
	allClosed bool
	witness   []bool
	listed    [][]bool
	checkSol  func([]bool) error
	solErr    error
	final     pid     // proof id of the clause refuting the last assumptions
	finalD    []int32 // that clause, DIMACS
	unsat0    bool    // a conflict at level 0: nothing is left to search

	stop func() bool

	st counters

	restartLeft int
	restartIdx  int
	reduceAt    int
}

type counters struct {
	nodes, conflicts, propagations, explanations, learned, learnedLits, restarts, deleted, rowMisses uint64
}

func (c *counters) add(o counters) {
	c.nodes += o.nodes
	c.conflicts += o.conflicts
	c.propagations += o.propagations
	c.explanations += o.explanations
	c.learned += o.learned
	c.learnedLits += o.learnedLits
	c.restarts += o.restarts
	c.deleted += o.deleted
	c.rowMisses += o.rowMisses
}

func newEngine(m *model, certify bool) *engine {
	k := m.k
	e := &engine{
		model: m,
		L:     slices.Clone(m.L0), H: slices.Clone(m.H0),
		val: make([]int8, k), lvl: make([]int32, k), rsn: make([]int32, k), tpos: make([]int32, k),
		ent:     make([]bool, k),
		watches: make([][]watcher, 2*k),
		ex:      make([][]lit, k), exPid: make([]pid, k), exOK: make([]bool, k),
		act: slices.Clone(m.score), actInc: 1, clInc: 1,
		phase: make([]int8, k),
		seen:  make([]bool, k),
		lo:    make([]int64, k), hi: make([]int64, k),
		ra: make([]int64, k), rb: make([]int64, k),
		rc:   newRowCache(k),
		unit: make([]pid, k),
		stop: func() bool { return false },
	}
	for i := range e.val {
		e.val[i] = -1
		e.phase[i] = -1
	}
	if certify {
		e.log = &proofLog{}
	}
	e.heap.init(e.act)
	for u := range k {
		if !m.free[u] {
			e.heap.push(int32(u))
		}
	}
	e.restartLeft = m.cfg.restartBase
	e.reduceAt = 2000
	for u := range k {
		if m.free[u] {
			e.assign(mkLit(u, false), rFree)
			e.entail(int32(u))
		}
	}
	if m.nt {
		all := make([]lit, k)
		for u := range all {
			all[u] = mkLit(u, true)
		}
		e.addClause(all, pidNT, false)
	}
	return e
}

func (e *engine) level() int { return len(e.lim) }

// value of literal l: 1 true, 0 false, -1 unassigned.
func (e *engine) value(l lit) int8 {
	v := e.val[l>>1]
	if v < 0 {
		return -1
	}
	if v == int8(l&1) {
		return 1
	}
	return 0
}

// assign makes l true, updating the bounds on every mu_j by the column of
// l's player: its unassigned term min(0, d) / max(0, d) becomes d or 0.
// Each bound stays that of some profile, within ±2^61 (bounds.go).
func (e *engine) assign(l lit, reason int32) {
	u := l >> 1
	e.val[u] = int8(l & 1)
	e.lvl[u] = int32(e.level())
	e.rsn[u] = reason
	e.tpos[u] = int32(len(e.trail))
	e.trail = append(e.trail, l)
	shift(e.L, e.H, e.col[u], l&1 == 1)
	if e.pair && reason != rFree {
		e.rowsShift(int(u), l&1 == 1, true)
	}
}

// shift moves bounds L, H from "player unassigned" to "player assigned"
// (open or closed); unshift moves them back.
func shift(L, H, c []int64, open bool) {
	if open {
		for j, d := range c {
			if d > 0 {
				L[j] += d
			} else {
				H[j] += d
			}
		}
		return
	}
	for j, d := range c {
		if d > 0 {
			H[j] -= d
		} else {
			L[j] -= d
		}
	}
}

func unshift(L, H, c []int64, open bool) {
	if open {
		for j, d := range c {
			if d > 0 {
				L[j] -= d
			} else {
				H[j] -= d
			}
		}
		return
	}
	for j, d := range c {
		if d > 0 {
			H[j] += d
		} else {
			L[j] += d
		}
	}
}

func (e *engine) entail(i int32) {
	e.ent[i] = true
	e.entStk = append(e.entStk, i)
}

func (e *engine) newLevel() {
	e.lim = append(e.lim, int32(len(e.trail)))
	e.entLim = append(e.entLim, int32(len(e.entStk)))
}

// backtrack undoes every level above lvl.
func (e *engine) backtrack(lvl int) {
	if e.level() <= lvl {
		return
	}
	start := int(e.lim[lvl])
	for t := len(e.trail) - 1; t >= start; t-- {
		l := e.trail[t]
		u := l >> 1
		unshift(e.L, e.H, e.col[u], l&1 == 1)
		if e.pair {
			e.rowsShift(int(u), l&1 == 1, false)
		}
		e.phase[u] = int8(l & 1)
		e.val[u] = -1
		if e.exOK[u] {
			e.exOK[u] = false
			if e.log != nil {
				e.log.del(e.exPid[u])
			}
		}
		if !e.heap.has(u) {
			e.heap.push(u)
		}
	}
	e.trail = e.trail[:start]
	e.qhead = min(e.qhead, start)
	es := int(e.entLim[lvl])
	for _, i := range e.entStk[es:] {
		e.ent[i] = false
	}
	e.entStk = e.entStk[:es]
	e.lim = e.lim[:lvl]
	e.entLim = e.entLim[:lvl]
}

// bounds returns LB and UB of player i's gain (bounds.go) under the
// current assignment, its z-intervals read off L and H.
func (e *engine) bounds(i int) (lb, ub int64) {
	return e.boundsUntil(i, negInf, posInf)
}

// boundsUntil is bounds, except that it may stop as soon as
// LB <= tl and UB >= tu (both then hold for the exact bounds too), and
// return the bounds so far. The theory pass stops once a player's
// condition is known to be undecided.
func (e *engine) boundsUntil(i int, tl, tu int64) (lb, ub int64) {
	if e.pair {
		return e.pairUntil(i, tl, tu)
	}
	c := e.col[i]
	L, H := e.L[:len(c)], e.H[:len(c)]
	delta := c[i]
	// Compared before delta is added (the thresholds are 0 or ±1, or the
	// sentinels of bounds, which stay).
	if tl != negInf {
		tl -= delta
		tu -= delta
	}
	A, B := int64(negInf), int64(negInf)
	lb, ub = posInf, negInf
	switch e.val[i] {
	case -1: // lo = L - min(0, c), hi = H - max(0, c)
		for j, d := range c {
			if j == i {
				continue
			}
			lo := L[j] - min(d, 0)
			A = max(A, lo)
			B = max(B, lo+d)
		}
		for j, d := range c {
			if j == i {
				continue
			}
			hi := H[j] - max(d, 0)
			if hc := hi + d; hc >= B {
				lb = min(lb, max(-d, A-hc))
			}
			if hi >= A {
				ub = max(ub, min(-d, hi-B))
			}
			if lb <= tl && ub >= tu {
				break
			}
		}
	case 1: // lo = L - c, hi = H - c
		for j, d := range c {
			if j == i {
				continue
			}
			A = max(A, L[j]-d)
			B = max(B, L[j])
		}
		for j, d := range c {
			if j == i {
				continue
			}
			if hc := H[j]; hc >= B {
				lb = min(lb, max(-d, A-hc))
			}
			if hi := H[j] - d; hi >= A {
				ub = max(ub, min(-d, hi-B))
			}
			if lb <= tl && ub >= tu {
				break
			}
		}
	default: // lo = L, hi = H
		for j, d := range c {
			if j == i {
				continue
			}
			A = max(A, L[j])
			B = max(B, L[j]+d)
		}
		for j, d := range c {
			if j == i {
				continue
			}
			hi := H[j]
			if hc := hi + d; hc >= B {
				lb = min(lb, max(-d, A-hc))
			}
			if hi >= A {
				ub = max(ub, min(-d, hi-B))
			}
			if lb <= tl && ub >= tu {
				break
			}
		}
	}
	return lb + delta, ub + delta
}

// pairUntil is boundsUntil by the pairwise bound: the witnesses from L,
// then the table's rows less i's own term in p(w, m): min(0, x) while i is
// unassigned, x when it opens, x = D[w][i] - D[m][i].
func (e *engine) pairUntil(i int, tl, tu int64) (lb, ub int64) {
	c := e.col[i]
	k := len(c)
	L := e.L[:k]
	delta := c[i]
	if tl != negInf {
		tl -= delta
		tu -= delta
	}
	v := e.val[i]
	a, b := -1, -1
	var A, B int64
	for j, d := range c {
		if j == i {
			continue
		}
		lo := L[j]
		switch v {
		case -1:
			lo -= min(d, 0)
		case 1:
			lo -= d
		}
		if a < 0 || lo > A {
			A, a = lo, j
		}
		if b < 0 || lo+d > B {
			B, b = lo+d, j
		}
	}
	ra := e.row(a)[:k]
	rb := e.row(b)[:k]
	ca, cb := c[a], c[b]
	lb, ub = posInf, negInf
	for m, d := range c {
		if m == i {
			continue
		}
		pa, pb := ra[m], rb[m]
		switch v {
		case -1:
			pa -= min(0, ca-d)
			pb -= min(0, cb-d)
		case 1:
			pa -= ca - d
			pb -= cb - d
		}
		if d-cb >= pb {
			lb = min(lb, max(-d, pa-d))
		}
		if pa <= 0 {
			ub = max(ub, min(-d, -pb-cb))
		}
		if lb <= tl && ub >= tu {
			break
		}
	}
	return lb + delta, ub + delta
}

// conflict is a clause false under the current assignment.
type conflict struct {
	lits []lit
	pid  pid
	tmp  bool // a theory lemma made for this conflict alone
}

// propagate runs clause propagation and the players' conditions to a
// fixpoint; it returns a conflict or nil. It also returns nil, short of
// the fixpoint, when e.stop says so (a pass costs O(k^2): up to a few ms).
func (e *engine) propagate() *conflict {
	for {
		if c := e.bcp(); c != nil {
			return c
		}
		if e.stop() {
			return nil
		}
		changed, c := e.theory()
		if c != nil {
			return c
		}
		if !changed && e.qhead == len(e.trail) {
			return nil
		}
	}
}

// theory decides every pending player's condition on the bounds: a
// forced action is assigned, a violated condition is a conflict, a
// condition that holds in every completion is not looked at again below
// this level.
func (e *engine) theory() (bool, *conflict) {
	changed := false
	for i := range e.k {
		if e.ent[i] {
			continue
		}
		// Undecided: unassigned with LB <= 0 <= UB; open with LB < 0 <=
		// UB; closed with LB <= 0 < UB.
		var lb, ub int64
		switch e.val[i] {
		case -1:
			lb, ub = e.boundsUntil(i, 0, 0)
		case 1:
			lb, ub = e.boundsUntil(i, -1, 0)
		default:
			lb, ub = e.boundsUntil(i, 0, 1)
		}
		switch e.val[i] {
		case -1:
			switch {
			case lb > 0:
				e.assign(mkLit(i, true), rTheory)
			case ub < 0:
				e.assign(mkLit(i, false), rTheory)
			default:
				continue
			}
			e.st.propagations++
			e.entail(int32(i))
			changed = true
		case 1:
			if ub < 0 {
				return changed, e.theoryConflict(i, false)
			}
			if lb >= 0 {
				e.entail(int32(i))
			}
		default:
			if lb > 0 {
				return changed, e.theoryConflict(i, true)
			}
			if ub <= 0 {
				e.entail(int32(i))
			}
		}
	}
	return changed, nil
}

func (e *engine) theoryConflict(i int, open bool) *conflict {
	lits, p := e.explain(i, open, len(e.trail))
	return &conflict{lits: lits, pid: p, tmp: true}
}

// reason returns the clause that implied player v's value (its literal
// among them) and its proof id.
func (e *engine) reason(v int32) ([]lit, pid) {
	r := e.rsn[v]
	if r >= 0 {
		return e.cls[r].lits, e.cls[r].pid
	}
	if r != rTheory {
		panic("search: no reason for a decision")
	}
	if !e.exOK[v] {
		e.ex[v], e.exPid[v] = e.explain(int(v), e.val[v] == 1, int(e.tpos[v]))
		e.exOK[v] = true
	}
	return e.ex[v], e.exPid[v]
}

// addClause stores a clause of at least one literal; with two or more it
// is watched on its first two.
func (e *engine) addClause(lits []lit, p pid, learnt bool) int32 {
	var ci int32
	c := clause{lits: lits, pid: p, learnt: learnt, act: 0}
	if n := len(e.freeCls); n > 0 {
		ci = e.freeCls[n-1]
		e.freeCls = e.freeCls[:n-1]
		e.cls[ci] = c
	} else {
		ci = int32(len(e.cls))
		e.cls = append(e.cls, c)
	}
	if len(lits) >= 2 {
		e.watches[lits[0]^1] = append(e.watches[lits[0]^1], watcher{ci, lits[1]})
		e.watches[lits[1]^1] = append(e.watches[lits[1]^1], watcher{ci, lits[0]})
	}
	return ci
}

// bcp is unit propagation over the clauses: watches[x] lists the clauses
// watching literal x^1, visited when x becomes true.
func (e *engine) bcp() *conflict {
	for e.qhead < len(e.trail) {
		p := e.trail[e.qhead]
		e.qhead++
		f := p ^ 1 // the literal that became false
		ws := e.watches[p]
		i, j := 0, 0
		for i < len(ws) {
			w := ws[i]
			i++
			if e.value(w.blocker) == 1 {
				ws[j] = w
				j++
				continue
			}
			c := &e.cls[w.ci]
			lits := c.lits
			if lits[0] == f {
				lits[0], lits[1] = lits[1], lits[0]
			}
			first := lits[0]
			if first != w.blocker && e.value(first) == 1 {
				ws[j] = watcher{w.ci, first}
				j++
				continue
			}
			moved := false
			for q := 2; q < len(lits); q++ {
				if e.value(lits[q]) != 0 {
					lits[1], lits[q] = lits[q], lits[1]
					e.watches[lits[1]^1] = append(e.watches[lits[1]^1], watcher{w.ci, first})
					moved = true
					break
				}
			}
			if moved {
				continue
			}
			ws[j] = watcher{w.ci, first}
			j++
			if e.value(first) == 0 {
				for i < len(ws) {
					ws[j] = ws[i]
					i++
					j++
				}
				e.watches[p] = ws[:j]
				e.qhead = len(e.trail)
				return &conflict{lits: lits, pid: c.pid}
			}
			e.assign(first, w.ci)
			e.st.propagations++
		}
		e.watches[p] = ws[:j]
	}
	return nil
}

// unitPid returns the proof id of the unit clause of level-0 player v's
// value, deriving it (and those it needs) on first use.
func (e *engine) unitPid(v int32) pid {
	if e.unit[v] != 0 {
		return e.unit[v]
	}
	lits, rp := e.reason(v)
	if len(lits) == 1 {
		e.unit[v] = rp
		return rp
	}
	hints := make([]pid, 0, len(lits))
	for _, q := range lits {
		if w := q >> 1; w != v {
			hints = append(hints, e.unitPid(w))
		}
	}
	hints = append(hints, rp)
	l := e.trail[e.tpos[v]]
	e.unit[v] = e.log.derive([]lit{l}, hints)
	return e.unit[v]
}

// analyze derives the first-UIP clause of a conflict at a level above the
// assumptions' and the level to go back to.
func (e *engine) analyze(c *conflict) ([]lit, int, pid) {
	cur := int32(e.level())
	learnt := append(e.learnt[:0], 0)
	var used []pid
	var zero []int32
	pathC := 0
	p := lit(-1)
	idx := len(e.trail) - 1
	lits := c.lits
	for {
		for _, q := range lits {
			v := q >> 1
			if p >= 0 && v == p>>1 || e.seen[v] {
				continue
			}
			if e.lvl[v] == 0 {
				if e.log != nil {
					e.seen[v] = true
					zero = append(zero, v)
				}
				continue
			}
			e.seen[v] = true
			e.bump(v)
			if e.lvl[v] == cur {
				pathC++
			} else {
				learnt = append(learnt, q)
			}
		}
		for !e.seen[e.trail[idx]>>1] || e.lvl[e.trail[idx]>>1] == 0 {
			idx--
		}
		p = e.trail[idx]
		idx--
		e.seen[p>>1] = false
		pathC--
		if pathC == 0 {
			break
		}
		var rp pid
		lits, rp = e.reason(p >> 1)
		used = append(used, rp)
	}
	learnt[0] = p ^ 1
	// Level to go back to: the highest among the rest, moved to index 1.
	bt := 0
	for q := 1; q < len(learnt); q++ {
		if l := int(e.lvl[learnt[q]>>1]); l > bt {
			bt = l
			learnt[1], learnt[q] = learnt[q], learnt[1]
		}
	}
	for _, q := range learnt[1:] {
		e.seen[q>>1] = false
	}
	var id pid
	if e.log != nil {
		hints := make([]pid, 0, len(zero)+len(used)+1)
		for _, v := range zero {
			e.seen[v] = false
		}
		for _, v := range zero {
			hints = append(hints, e.unitPid(v))
		}
		for q := len(used) - 1; q >= 0; q-- {
			hints = append(hints, used[q])
		}
		hints = append(hints, c.pid)
		id = e.log.derive(learnt, hints)
	}
	e.learnt = learnt
	return slices.Clone(learnt), bt, id
}

// finalClause derives the clause of the negated decisions (all of them
// assumptions) that imply the literals of start false, skipping player
// skip, plus extra when it is not -1: the refutation of the assumptions.
func (e *engine) finalClause(start []lit, startPid pid, skip int32, extra lit) {
	for _, q := range start {
		if v := q >> 1; v != skip {
			e.seen[v] = true
		}
	}
	var out []lit
	var used, units []pid
	for idx := len(e.trail) - 1; idx >= 0; idx-- {
		l := e.trail[idx]
		v := l >> 1
		if !e.seen[v] {
			continue
		}
		e.seen[v] = false
		switch {
		case e.lvl[v] == 0:
			if e.log != nil {
				units = append(units, e.unitPid(v))
			}
		case e.rsn[v] == rDecision:
			out = append(out, l^1)
		default:
			lits, rp := e.reason(v)
			used = append(used, rp)
			for _, q := range lits {
				if w := q >> 1; w != v {
					e.seen[w] = true
				}
			}
		}
	}
	if extra >= 0 {
		out = append(out, extra)
	}
	e.finalD = e.finalD[:0]
	for _, q := range out {
		e.finalD = append(e.finalD, dimacs(q))
	}
	if e.log != nil {
		hints := units
		for q := len(used) - 1; q >= 0; q-- {
			hints = append(hints, used[q])
		}
		hints = append(hints, startPid)
		e.final = e.log.derive(out, hints)
	}
}

func (e *engine) bump(v int32) {
	if !e.cfg.vsids {
		return
	}
	e.act[v] += e.actInc
	if e.act[v] > 1e100 {
		for u := range e.act {
			e.act[u] *= 1e-100
		}
		e.actInc *= 1e-100
	}
	if e.heap.has(v) {
		e.heap.up(v)
	}
}

// pick returns the next player to branch on and its value, or -1 when
// every player is assigned.
func (e *engine) pick() lit {
	for e.heap.len() > 0 {
		v := e.heap.pop()
		if e.val[v] >= 0 {
			continue
		}
		switch {
		case e.cfg.phase == phaseSaved && e.phase[v] >= 0:
			return mkLit(int(v), e.phase[v] == 1)
		case e.cfg.phase == phaseOpen:
			return mkLit(int(v), true)
		case e.cfg.phase == phaseClosed:
			return mkLit(int(v), false)
		}
		// The side the bounds lean to: open when UB > -LB.
		lb, ub := e.bounds(int(v))
		return mkLit(int(v), ub > -lb)
	}
	return -1
}

// solution records the current full profile.
func (e *engine) solution() {
	a := make([]bool, e.k)
	closed := true
	for u, v := range e.val {
		a[u] = v == 1
		closed = closed && !a[u]
	}
	if err := e.checkSol(a); err != nil && e.solErr == nil {
		e.solErr = err
	}
	e.sols++
	if closed {
		e.allClosed = true
	}
	if e.witness == nil && (!closed || e.nFree > 0) {
		e.witness = a
	}
	if e.count && e.listMax > 0 {
		e.listed = keepSmallest(e.listed, a, e.listMax)
	}
}

// keepSmallest adds a to the sorted list and keeps the n smallest
// profiles (player 0 first, closed before open).
func keepSmallest(list [][]bool, a []bool, n int) [][]bool {
	at := sort.Search(len(list), func(q int) bool { return lessProfile(a, list[q]) })
	if at >= n {
		return list
	}
	list = slices.Insert(list, at, a)
	if len(list) > n {
		list = list[:n]
	}
	return list
}

func lessProfile(a, b []bool) bool {
	for i := range a {
		if a[i] != b[i] {
			return b[i]
		}
	}
	return false
}

// luby returns the i-th term (0-based) of the Luby sequence.
func luby(i int) int {
	size, seq := 1, 0
	for size < i+1 {
		seq++
		size = 2*size + 1
	}
	for size-1 != i {
		size = (size - 1) / 2
		seq--
		i %= size
	}
	return 1 << seq
}

// solve searches under assumptions (decisions at levels 1..len(as)),
// counting or stopping at the first equilibrium. On stUnsat with a
// proof, e.final is the clause refuting the assumptions.
func (e *engine) solve(as []lit) status {
	e.backtrack(0)
	for {
		if e.unsat0 {
			e.finalD = e.finalD[:0]
			return stUnsat // e.final is the empty clause
		}
		c := e.propagate()
		if c != nil {
			e.st.conflicts++
			if e.log != nil && e.log.size() > e.logCap {
				// Too large to keep: answer without a certificate.
				e.log, e.proofLost = nil, true
			}
			// A theory conflict may be false already at a lower level
			// (the bound's witnesses there differed): analyze it there.
			ml := int32(0)
			for _, q := range c.lits {
				ml = max(ml, e.lvl[q>>1])
			}
			e.backtrack(int(ml))
			if e.level() <= len(as) {
				e.finalClause(c.lits, c.pid, -1, -1)
				e.dropTmp(c)
				e.unsat0 = e.level() == 0
				return stUnsat
			}
			learnt, bt, id := e.analyze(c)
			e.dropTmp(c)
			e.backtrack(bt)
			e.learn(learnt, id, false)
			e.actInc *= 1 / 0.95
			e.clInc *= 1 / 0.999
			if e.cfg.restartBase > 0 {
				if e.restartLeft--; e.restartLeft <= 0 {
					e.restartIdx++
					e.restartLeft = e.cfg.restartBase * luby(e.restartIdx)
					e.st.restarts++
					e.backtrack(0)
				}
			}
			if e.nLearnt >= e.reduceAt {
				e.reduce()
			}
			continue
		}
		if e.stop() {
			return stStopped
		}
		if lv := e.level(); lv < len(as) {
			p := as[lv]
			switch e.value(p) {
			case 1:
				e.newLevel()
			case 0:
				// A decision has no reason: p's player is implied.
				lits, rp := e.reason(p >> 1)
				e.finalClause(lits, rp, p>>1, p^1)
				return stUnsat
			default:
				e.newLevel()
				e.assign(p, rDecision)
			}
			continue
		}
		next := e.pick()
		if next < 0 {
			e.solution()
			if !e.count {
				return stSat
			}
			// Exclude it by the negation of its decisions (assumptions
			// included), kept forever: a "conflict" whose analysis
			// flips the last decision.
			var block []lit
			for lv := len(e.lim) - 1; lv >= 0; lv-- {
				if t := int(e.lim[lv]); t < len(e.trail) && e.rsn[e.trail[t]>>1] == rDecision {
					block = append(block, e.trail[t]^1)
				}
			}
			e.log = nil // the proof no longer matters: there is an equilibrium
			if e.level() <= len(as) || len(block) == 0 {
				return stUnsat
			}
			learnt, bt, _ := e.analyze(&conflict{lits: block})
			e.backtrack(bt)
			ci := e.learn(learnt, 0, true)
			_ = ci
			continue
		}
		e.st.nodes++
		e.newLevel()
		e.assign(next, rDecision)
	}
}

// learn adds a learned clause and asserts its first literal.
func (e *engine) learn(learnt []lit, id pid, blocking bool) int32 {
	e.st.learned++
	e.st.learnedLits += uint64(len(learnt))
	ci := e.addClause(learnt, id, !blocking)
	e.cls[ci].blocking = blocking
	e.cls[ci].act = e.clInc
	if !blocking {
		e.nLearnt++
		e.cls[ci].lbd = e.lbd(learnt)
	}
	e.assign(learnt[0], ci)
	return ci
}

// lbd counts the distinct decision levels of lits.
func (e *engine) lbd(lits []lit) int32 {
	e.stamp++
	n := int32(0)
	for _, q := range lits {
		l := e.lvl[q>>1]
		for int(l) >= len(e.lvlMark) {
			e.lvlMark = append(e.lvlMark, 0)
		}
		if e.lvlMark[l] != e.stamp {
			e.lvlMark[l] = e.stamp
			n++
		}
	}
	return n
}

func (e *engine) dropTmp(c *conflict) {
	if c.tmp && e.log != nil {
		e.log.del(c.pid)
	}
}

// reduce deletes about half of the learned clauses: those of the largest
// LBD, least active, that are no reason; blocking clauses stay.
func (e *engine) reduce() {
	var cand []int32
	for ci := range e.cls {
		c := &e.cls[ci]
		if !c.learnt || c.deleted || c.blocking || len(c.lits) <= 2 || c.lbd <= 2 {
			continue
		}
		if v := c.lits[0] >> 1; e.val[v] >= 0 && e.rsn[v] == int32(ci) {
			continue // locked
		}
		cand = append(cand, int32(ci))
	}
	sort.Slice(cand, func(x, y int) bool {
		a, b := &e.cls[cand[x]], &e.cls[cand[y]]
		if a.lbd != b.lbd {
			return a.lbd > b.lbd
		}
		return a.act < b.act
	})
	cand = cand[:len(cand)/2]
	for _, ci := range cand {
		c := &e.cls[ci]
		c.deleted = true
		if e.log != nil {
			e.log.del(c.pid)
		}
		c.lits = nil
		e.freeCls = append(e.freeCls, ci)
		e.nLearnt--
		e.st.deleted++
	}
	for l := range e.watches {
		ws := e.watches[l]
		j := 0
		for _, w := range ws {
			if !e.cls[w.ci].deleted {
				ws[j] = w
				j++
			}
		}
		e.watches[l] = ws[:j]
	}
	for _, ci := range cand {
		e.cls[ci].deleted = false // the slot is free; lits nil
	}
	e.reduceAt += 500 + e.reduceAt/10
}
