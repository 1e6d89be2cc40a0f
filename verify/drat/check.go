package drat

import (
	"context"
	"errors"
	"fmt"

	"github.com/nashbench/nashbench/instances"
)

// Literals are encoded as 2*v + (negative), v >= 1 the internal variable;
// l^1 is the negation of l. Variables 1..f.Vars are the formula's, the
// proof's extension variables follow in order of first appearance.
//
// Clauses have ids: the formula's 0..nForm-1, then one per lemma in proof
// order. The literals of clause i are arena[cstart[i]:cstart[i]+clen[i]];
// for clauses of two or more literals the first two are watched.

// Clause flags.
const (
	active uint8 = 1 << iota // present in the clause set
	core                     // used by the refutation
)

// Watch lists: core clauses are propagated before the others.
const (
	coreList = 0
	restList = 1
)

const noClause int32 = -1

// maxInvalid is how many invalid lemmas the first backward pass finds
// before it stops going on (see run). A broken lemma or a missing formula
// clause that lemmas use directly shows as one invalid lemma, or a few;
// a missing clause that many lemmas use, as hundreds.
const maxInvalid = 32

type checker struct {
	ctx   context.Context
	vars  int // the formula's variables
	nvars int // internal variables: the formula's and the extension variables
	ext   map[int64]uint32
	extV  []int64 // DIMACS variable of internal variable vars+1+i

	arena  []uint32
	cstart []int
	clen   []int32
	pivot  []uint32 // first literal of a lemma as written
	flags  []uint8
	nForm  int

	steps      []step
	lemmaStep  []int // step of lemma i (0-based)
	firstEmpty int   // step of the first empty lemma, -1 if none

	stamp    []uint32 // by literal, for deduplication and set comparison
	stampGen uint32

	// Assignment and propagation.
	val     []int8  // by literal: 1 true, -1 false, 0 unassigned
	reason  []int32 // by variable: the clause that propagated it, or noClause
	pos     []int32 // by variable: its index on the trail
	trail   []uint32
	qCore   int // next trail literal whose core watches are to be scanned
	qRest   int // next trail literal whose other watches are to be scanned
	watches [2][][]int32
	seen    []uint8 // by variable, for conflict analysis: seenDirect, seenTop

	// Per run of the forward pass.
	live      map[uint64][]int32 // present clauses by literal-set hash, for deletions
	delTarget []int32            // per step: the clause a deletion removed, or noClause
	trailAt   []int32            // per step: trail length after it
	trailBase int                // trail length after the formula's propagation
	skip      []bool             // by lemma: discarded, not added
	mark      bool               // analyze conflicts and mark core clauses

	// Hints: what the backward pass's RUP check of a lemma used, so that the
	// forward fallback can accept the lemma again without propagating (see
	// hintHolds). hints[hintAt[i]:hintAt[i]+hintLen[i]] is lemma i's, when
	// hintAt[i] >= 0: clause ids (>= 0) and complemented literals (^l < 0),
	// literals true at the top level that the check used.
	record  bool // record hints in valid
	recBase int  // trail length at the start of the check being recorded
	hints   []int32
	hintAt  []int32
	hintLen []int32

	// lastUse[id] is, after the first backward pass, the highest lemma whose
	// check used clause id (len(lemmaStep) for the refutation's conflict):
	// the backward pass propagated over it first from there down. useBy is
	// the lemma being checked.
	lastUse []int32
	useBy   int32
	// The core clauses of the first backward pass by lastUse, increasing:
	// the forward fallback moves them to the other lists as it passes
	// their last use, so that it propagates over the clauses the backward
	// pass had marked at each lemma first.
	demote   []int32
	demoteAt []int32

	// What the forward fallback did with the lemmas it checked (for
	// tests): accepted by their hints, or checked by unit propagation.
	byHint, byPropagation int

	stats Stats
	work  int // steps and candidates since the last look at ctx
}

func newChecker(ctx context.Context, f *instances.CNF) *checker {
	c := &checker{ctx: ctx, vars: f.Vars, nvars: f.Vars, firstEmpty: -1}
	c.stamp = make([]uint32, 2*f.Vars+2)
	n := 0
	for _, cl := range f.Clauses {
		n += len(cl)
	}
	c.arena = make([]uint32, 0, n)
	for _, cl := range f.Clauses {
		start := len(c.arena)
		c.stampGen++
		for _, l := range cl {
			il := uint32(l) << 1
			if l < 0 {
				il = uint32(-l)<<1 | 1
			}
			if c.stamp[il] != c.stampGen {
				c.stamp[il] = c.stampGen
				c.arena = append(c.arena, il)
			}
		}
		c.cstart = append(c.cstart, start)
		c.clen = append(c.clen, int32(len(c.arena)-start))
		c.pivot = append(c.pivot, 0)
	}
	c.nForm = len(c.cstart)
	return c
}

// internalVar returns the internal variable of DIMACS variable v.
func (c *checker) internalVar(v int64) uint32 {
	if v <= int64(c.vars) {
		return uint32(v)
	}
	if iv, ok := c.ext[v]; ok {
		return iv
	}
	if c.ext == nil {
		c.ext = make(map[int64]uint32)
	}
	c.nvars++
	iv := uint32(c.nvars)
	c.ext[v] = iv
	c.extV = append(c.extV, v)
	c.stamp = append(c.stamp, 0, 0)
	return iv
}

// dimacs returns internal literal l as a DIMACS literal.
func (c *checker) dimacs(l uint32) int64 {
	v := int64(l >> 1)
	if v > int64(c.vars) {
		v = c.extV[v-int64(c.vars)-1]
	}
	if l&1 == 1 {
		return -v
	}
	return v
}

// addLemmaClause registers the clause of the lemma at step s.
func (c *checker) addLemmaClause(s int) {
	st := c.steps[s]
	var piv uint32
	if st.end > st.start {
		piv = c.arena[st.start]
	} else if c.firstEmpty < 0 {
		c.firstEmpty = s
	}
	c.cstart = append(c.cstart, st.start)
	c.clen = append(c.clen, int32(st.end-st.start))
	c.pivot = append(c.pivot, piv)
	c.lemmaStep = append(c.lemmaStep, s)
}

func (c *checker) lits(id int32) []uint32 {
	s := c.cstart[id]
	return c.arena[s : s+int(c.clen[id])]
}

func (c *checker) lemmaErr(lemma int, format string, args ...any) *LemmaError {
	st := c.steps[c.lemmaStep[lemma]]
	return &LemmaError{Lemma: lemma + 1, Line: st.line, Offset: st.offset, Msg: fmt.Sprintf(format, args...)}
}

// poll returns ctx's error, looking at it every few hundred units of work.
func (c *checker) poll() error {
	c.work++
	if c.work&255 != 0 {
		return nil
	}
	if err := c.ctx.Err(); err != nil {
		return fmt.Errorf("drat: %w", err)
	}
	return nil
}

// run decides the proof once it is parsed.
func (c *checker) run() error {
	c.flags = make([]uint8, len(c.cstart))
	c.val = make([]int8, 2*c.nvars+2)
	c.reason = make([]int32, c.nvars+1)
	c.pos = make([]int32, c.nvars+1)
	c.seen = make([]uint8, c.nvars+1)
	for i := range c.watches {
		c.watches[i] = make([][]int32, 2*c.nvars+2)
	}
	c.delTarget = make([]int32, len(c.steps))
	c.trailAt = make([]int32, len(c.steps))

	if k := c.load(false); k != noClause {
		c.mark = true
		c.analyze(k)
		c.countCore()
		return nil
	}
	if c.firstEmpty < 0 {
		return fmt.Errorf("%w, and unit propagation alone does not refute the formula", ErrNoEmptyClause)
	}
	emptyLemma := len(c.lemmaStep) - 1
	for c.lemmaStep[emptyLemma] != c.firstEmpty {
		emptyLemma--
	}
	noConflict := func() error {
		return c.lemmaErr(emptyLemma, "the empty clause is not implied: unit propagation on the formula and the lemmas before it finds no conflict")
	}

	end, k, err := c.forward(false)
	if err != nil {
		return err
	}
	if k == noClause {
		return noConflict()
	}
	// The backward pass also records, for the forward fallback below, the
	// hint of each lemma whose RUP check succeeds (see hintHolds) and the
	// last use of each core clause (see sortByLastUse); with every core
	// lemma valid they go unused. An invalid lemma does not stop it: it
	// goes on checking the core lemmas before, so that the fallback has
	// their hints, unless it has found more than maxInvalid invalid
	// lemmas. Then much of the proof depends on invalid lemmas, whose
	// hints would not hold in the fallback, and the checks would be
	// wasted.
	c.hints = make([]int32, 0, 16*len(c.lemmaStep))
	c.hintAt = make([]int32, len(c.lemmaStep))
	c.hintLen = make([]int32, len(c.lemmaStep))
	for i := range c.hintAt {
		c.hintAt[i] = -1
	}
	c.record = true
	c.lastUse = make([]int32, len(c.flags))
	bad, err := c.backward(end, k, true)
	c.record = false
	if err != nil || bad < 0 {
		c.countCore()
		return err
	}
	c.sortByLastUse()
	c.lastUse = nil

	// A core lemma is invalid: decide by checking every lemma forward,
	// discarding the invalid ones. A lemma whose hint holds is RUP without
	// propagating; the others are checked by unit propagation, over the
	// clauses the backward pass had marked core at that lemma first, which
	// makes a check as cheap as the backward pass's (see forward).
	c.skip = make([]bool, len(c.lemmaStep))
	_, k, err = c.forward(true)
	if err != nil {
		return err
	}
	first := -1
	for i, d := range c.skip {
		if d {
			c.stats.Discarded++
			if first < 0 {
				first = i
			}
		}
	}
	if k == noClause {
		if first < 0 {
			return noConflict() // not reached: the backward pass found an invalid lemma
		}
		return c.lemmaErr(first, "neither RUP nor RAT on its first literal %d, and the lemmas that are valid do not refute the formula before the empty clause (lemma %d)", c.dimacs(c.pivot[c.nForm+first]), emptyLemma+1)
	}
	// Accepted: find the core of the refutation without the discarded lemmas.
	end, k, err = c.forward(false)
	if err != nil {
		return err
	}
	if k == noClause {
		return errors.New("drat: internal error: the valid lemmas refute the formula in one pass but not in the next")
	}
	bad, err = c.backward(end, k, false)
	if err != nil {
		return err
	}
	if bad >= 0 {
		return fmt.Errorf("drat: internal error: lemma %d was valid going forward but not backward", bad+1)
	}
	c.countCore()
	return nil
}

// sortByLastUse fills c.demote and c.demoteAt from c.lastUse: the core
// clauses by their last use (a counting sort).
func (c *checker) sortByLastUse() {
	count := make([]int32, len(c.lemmaStep)+2)
	for id, fl := range c.flags {
		if fl&core != 0 {
			count[c.lastUse[id]+1]++
		}
	}
	for i := 1; i < len(count); i++ {
		count[i] += count[i-1]
	}
	n := count[len(count)-1]
	c.demote = make([]int32, n)
	c.demoteAt = make([]int32, n)
	for id, fl := range c.flags {
		if fl&core != 0 {
			u := c.lastUse[id]
			c.demote[count[u]] = int32(id)
			c.demoteAt[count[u]] = u
			count[u]++
		}
	}
}

func (c *checker) countCore() {
	c.stats.Core, c.stats.CoreClauses = 0, 0
	for id, fl := range c.flags {
		if fl&core == 0 {
			continue
		}
		if id < c.nForm {
			c.stats.CoreClauses++
		} else {
			c.stats.Core++
		}
	}
}

// reset clears the assignment, the watches and the flags, except the core
// marks with keepCore.
func (c *checker) reset(keepCore bool) {
	if keepCore {
		for i := range c.flags {
			c.flags[i] &= core
		}
	} else {
		clear(c.flags)
	}
	clear(c.val)
	for i := range c.reason {
		c.reason[i] = noClause
	}
	c.trail = c.trail[:0]
	c.qCore, c.qRest = 0, 0
	for i := range c.watches {
		for l := range c.watches[i] {
			c.watches[i][l] = c.watches[i][l][:0]
		}
	}
	c.live = make(map[uint64][]int32)
	c.mark = false
}

// load resets the state to the formula alone (keeping the core marks with
// keepCore) and propagates; it returns the conflicting clause if unit
// propagation refutes the formula.
func (c *checker) load(keepCore bool) int32 {
	c.reset(keepCore)
	var units []int32
	for id := range int32(c.nForm) {
		c.flags[id] |= active
		c.addLive(id)
		switch c.clen[id] {
		case 0:
			return id
		case 1:
			units = append(units, id)
		default:
			list := restList
			if c.flags[id]&core != 0 {
				list = coreList
			}
			l := c.lits(id)
			c.watch(list, l[0], id)
			c.watch(list, l[1], id)
		}
	}
	for _, id := range units {
		l := c.arena[c.cstart[id]]
		switch c.val[l] {
		case -1:
			return id
		case 0:
			c.assign(l, id)
		}
	}
	k := c.propagate()
	c.trailBase = len(c.trail)
	return k
}

func (c *checker) watch(list int, l uint32, id int32) {
	c.watches[list][l] = append(c.watches[list][l], id)
}

func (c *checker) unwatch(list int, l uint32, id int32) {
	ws := c.watches[list][l]
	for i, w := range ws {
		if w == id {
			ws[i] = ws[len(ws)-1]
			c.watches[list][l] = ws[:len(ws)-1]
			return
		}
	}
}

func (c *checker) assign(l uint32, why int32) {
	v := l >> 1
	c.val[l], c.val[l^1] = 1, -1
	c.reason[v] = why
	c.pos[v] = int32(len(c.trail))
	c.trail = append(c.trail, l)
	if why != noClause {
		c.stats.Propagations++
	}
}

// undo unassigns the trail beyond length n.
func (c *checker) undo(n int) {
	for _, l := range c.trail[n:] {
		c.val[l], c.val[l^1] = 0, 0
		c.reason[l>>1] = noClause
	}
	c.trail = c.trail[:n]
	c.qCore, c.qRest = n, n
}

// propagate runs unit propagation, over core clauses first: the other
// clauses are looked at only when the core ones give nothing more, so that
// conflicts are found with core clauses where possible (drat-trim's
// core-first propagation). It returns a conflicting clause or noClause.
func (c *checker) propagate() int32 {
	for {
		if c.qCore < len(c.trail) {
			l := c.trail[c.qCore]
			c.qCore++
			if k := c.scan(coreList, l^1); k != noClause {
				return k
			}
			continue
		}
		if c.qRest < len(c.trail) {
			l := c.trail[c.qRest]
			c.qRest++
			if k := c.scan(restList, l^1); k != noClause {
				return k
			}
			continue
		}
		return noClause
	}
}

// scan visits the clauses of one list watching literal f, which has just
// become false.
func (c *checker) scan(list int, f uint32) int32 {
	ws := c.watches[list][f]
	j := 0
	for i := 0; i < len(ws); i++ {
		id := ws[i]
		cl := c.lits(id)
		if cl[0] == f {
			cl[0], cl[1] = cl[1], f
		}
		first := cl[0]
		if c.val[first] == 1 {
			ws[j] = id
			j++
			continue
		}
		moved := false
		for k := 2; k < len(cl); k++ {
			if c.val[cl[k]] != -1 {
				cl[1], cl[k] = cl[k], f
				c.watch(list, cl[1], id)
				moved = true
				break
			}
		}
		if moved {
			continue
		}
		ws[j] = id
		j++
		if c.val[first] == -1 {
			j += copy(ws[j:], ws[i+1:])
			c.watches[list][f] = ws[:j]
			return id
		}
		c.assign(first, id)
	}
	c.watches[list][f] = ws[:j]
	return noClause
}

// attach puts clause id into the clause set under the current assignment:
// it watches two literals, non-false ones first (true before unassigned),
// else the false one assigned last, and returns what the clause implies: a
// literal to assign (or 0), or whether it is falsified.
func (c *checker) attach(id int32) (unit uint32, falsified bool) {
	c.flags[id] |= active
	c.addLive(id)
	cl := c.lits(id)
	rank := func(l uint32) int32 {
		switch c.val[l] {
		case 1:
			return 1 << 30
		case 0:
			return 1 << 29
		}
		return c.pos[l>>1]
	}
	for w := 0; w < 2 && w < len(cl); w++ {
		best := w
		for k := w + 1; k < len(cl); k++ {
			if rank(cl[k]) > rank(cl[best]) {
				best = k
			}
		}
		cl[w], cl[best] = cl[best], cl[w]
	}
	if len(cl) >= 2 {
		list := restList
		if c.flags[id]&core != 0 {
			list = coreList
		}
		c.watch(list, cl[0], id)
		c.watch(list, cl[1], id)
	}
	switch {
	case len(cl) == 0 || c.val[cl[0]] == -1:
		return 0, true
	case c.val[cl[0]] == 0 && (len(cl) == 1 || c.val[cl[1]] == -1):
		return cl[0], false
	}
	return 0, false
}

// detach takes clause id out of the clause set.
func (c *checker) detach(id int32) {
	c.flags[id] &^= active
	if c.clen[id] < 2 {
		return
	}
	list := restList
	if c.flags[id]&core != 0 {
		list = coreList
	}
	cl := c.lits(id)
	c.unwatch(list, cl[0], id)
	c.unwatch(list, cl[1], id)
}

// markCore marks clause id as used; its watches move to the core lists.
func (c *checker) markCore(id int32) {
	if c.flags[id]&core != 0 {
		return
	}
	if c.flags[id]&active != 0 && c.clen[id] >= 2 {
		cl := c.lits(id)
		c.unwatch(restList, cl[0], id)
		c.unwatch(restList, cl[1], id)
		c.watch(coreList, cl[0], id)
		c.watch(coreList, cl[1], id)
	}
	c.flags[id] |= core
	if c.lastUse != nil {
		c.lastUse[id] = c.useBy
	}
}

// unmarkCore moves clause id's watches back to the other lists.
func (c *checker) unmarkCore(id int32) {
	if c.flags[id]&core == 0 {
		return
	}
	if c.flags[id]&active != 0 && c.clen[id] >= 2 {
		cl := c.lits(id)
		c.unwatch(coreList, cl[0], id)
		c.unwatch(coreList, cl[1], id)
		c.watch(restList, cl[0], id)
		c.watch(restList, cl[1], id)
	}
	c.flags[id] &^= core
}

// analyze marks as core the conflicting clause k and, through the trail,
// every reason clause the conflict depends on.
// With c.record, it also appends the check's hint to c.hints: k, the
// reasons of the literals assigned since c.recBase that the conflict depends
// on, and the literals before c.recBase (the top level) they depend on
// directly.
func (c *checker) analyze(k int32) {
	c.markCore(k)
	if c.record {
		c.hints = append(c.hints, k)
	}
	for _, l := range c.lits(k) {
		c.seen[l>>1] = seenDirect
	}
	c.walkTrail()
}

// analyzeLit marks the reasons literal l depends on (l is assigned).
func (c *checker) analyzeLit(l uint32) {
	c.seen[l>>1] = seenDirect
	c.walkTrail()
}

// Marks in c.seen: the conflict depends on the variable through the
// conflicting clause or the reasons of literals assigned since c.recBase
// (seenDirect), or through the reasons of top-level literals (seenTop).
const (
	seenDirect uint8 = 1 << iota
	seenTop
)

func (c *checker) walkTrail() {
	i := len(c.trail) - 1
	if c.record {
		for ; i >= c.recBase; i-- {
			v := c.trail[i] >> 1
			if c.seen[v] == 0 {
				continue
			}
			c.seen[v] = 0
			r := c.reason[v]
			if r == noClause {
				continue
			}
			c.markCore(r)
			c.hints = append(c.hints, r)
			for _, l := range c.lits(r) {
				if l>>1 != v {
					c.seen[l>>1] = seenDirect
				}
			}
		}
	}
	for ; i >= 0; i-- {
		t := c.trail[i]
		v := t >> 1
		s := c.seen[v]
		if s == 0 {
			continue
		}
		c.seen[v] = 0
		if c.record && s&seenDirect != 0 {
			c.hints = append(c.hints, ^int32(t))
		}
		r := c.reason[v]
		if r == noClause {
			continue
		}
		c.markCore(r)
		for _, l := range c.lits(r) {
			if l>>1 != v {
				c.seen[l>>1] |= seenTop
			}
		}
	}
}

// hintHolds reports whether the hint the backward pass recorded for lemma
// holds in the present state: its clauses are present and its literals true
// at the top level. Then the lemma is RUP, because unit propagation on those
// clauses alone, from those literals and the negation of the lemma, finds
// the conflict the backward pass found, and more clauses and a larger
// assignment only propagate more.
func (c *checker) hintHolds(lemma int) bool {
	at := c.hintAt[lemma]
	if at < 0 {
		return false
	}
	for _, h := range c.hints[at : at+c.hintLen[lemma]] {
		if h >= 0 {
			if c.flags[h]&active == 0 {
				return false
			}
		} else if c.val[^h] != 1 {
			return false
		}
	}
	return true
}

// Deletion matching: present clauses are kept in a map from an
// order-independent hash of their literal set.

func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

func setHash(ls []uint32) uint64 {
	var h uint64
	for _, l := range ls {
		h += mix(uint64(l) + 1)
	}
	return h
}

func (c *checker) addLive(id int32) {
	h := setHash(c.lits(id))
	c.live[h] = append(c.live[h], id)
}

// findLive returns the most recently added present clause with the literal
// set ls (deduplicated), removing it from the map, or noClause.
func (c *checker) findLive(ls []uint32) int32 {
	h := setHash(ls)
	ids := c.live[h]
	c.stampGen++
	for _, l := range ls {
		c.stamp[l] = c.stampGen
	}
	for i := len(ids) - 1; i >= 0; i-- {
		id := ids[i]
		cl := c.lits(id)
		if len(cl) != len(ls) {
			continue
		}
		same := true
		for _, l := range cl {
			if c.stamp[l] != c.stampGen {
				same = false
				break
			}
		}
		if same {
			c.live[h] = append(ids[:i], ids[i+1:]...)
			return id
		}
	}
	return noClause
}

// pseudoUnit reports whether exactly one literal of cl is true and all others
// are false: the shape of a unit clause or a reason under the assignment.
func (c *checker) pseudoUnit(cl []uint32) bool {
	trues := 0
	for _, l := range cl {
		switch c.val[l] {
		case 1:
			trues++
		case 0:
			return false
		}
	}
	return trues == 1
}

// forward applies the steps before the first empty clause from the formula
// on, until unit propagation conflicts. With check, each lemma is checked
// first and discarded (c.skip) if invalid; otherwise lemmas marked in c.skip
// are left out. It returns the step of the conflict and the conflicting
// clause, or noClause if there is none before the empty clause.
//
// With check, the first backward pass's core marks are kept and a core
// clause moves to the other lists once the lemmas that used it are behind
// (c.demote): at each lemma, propagation goes over the clauses that the
// backward pass had marked core there first. Marking the clauses used by
// later lemmas, not all the core, is what makes the backward pass's checks
// cheap: a forward check costs about twice as much without marks, or with
// all of them.
func (c *checker) forward(check bool) (int, int32, error) {
	c.stats.Ignored = 0
	if k := c.load(check); k != noClause {
		return -1, k, nil // not reached: run handles this case first
	}
	next := 0 // in c.demote
	for s := 0; s < c.firstEmpty; s++ {
		if err := c.poll(); err != nil {
			return 0, noClause, err
		}
		st := c.steps[s]
		if st.del {
			c.delTarget[s] = noClause
			id := c.findLive(c.arena[st.start:st.end])
			switch {
			case id == noClause:
				c.stats.Ignored++
			case c.pseudoUnit(c.lits(id)):
				c.stats.Ignored++
				c.addLive(id)
			default:
				c.detach(id)
				c.delTarget[s] = id
			}
			c.trailAt[s] = int32(len(c.trail))
			continue
		}
		lemma := int(c.lemmaOf(s))
		id := int32(c.nForm + lemma)
		for check && next < len(c.demote) && int(c.demoteAt[next]) <= lemma {
			c.unmarkCore(c.demote[next])
			next++
		}
		if c.skip != nil && c.skip[lemma] {
			c.trailAt[s] = int32(len(c.trail))
			continue
		}
		if check && c.hintHolds(lemma) {
			c.byHint++
		} else if check {
			c.byPropagation++
			ok, err := c.valid(id)
			if err != nil {
				return 0, noClause, err
			}
			if !ok {
				c.skip[lemma] = true
				c.trailAt[s] = int32(len(c.trail))
				continue
			}
		}
		unit, falsified := c.attach(id)
		k := noClause
		switch {
		case falsified:
			k = id
		case unit != 0:
			c.assign(unit, id)
		}
		if k == noClause {
			k = c.propagate()
		}
		c.trailAt[s] = int32(len(c.trail))
		if k != noClause {
			return s, k, nil
		}
	}
	return c.firstEmpty, noClause, nil
}

// lemmaOf returns the 0-based lemma index of the lemma at step s.
func (c *checker) lemmaOf(s int) int32 {
	// lemmaStep is increasing: binary search.
	lo, hi := 0, len(c.lemmaStep)
	for lo < hi {
		m := (lo + hi) / 2
		if c.lemmaStep[m] < s {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return int32(lo)
}

// backward checks the core lemmas from the conflict at step end (clause k)
// back to the first step. It returns the 0-based index of an invalid core
// lemma, or -1 when every core lemma is valid. It stops at the first
// invalid lemma, unless keepGoing: then it goes on until it has found more
// than maxInvalid of them, and returns the first.
func (c *checker) backward(end int, k int32, keepGoing bool) (int, error) {
	c.mark = true
	c.useBy = int32(len(c.lemmaStep))
	c.analyze(k)
	c.stats.RAT = 0
	bad, invalid := -1, 0
	for s := end; s >= 0; s-- {
		if err := c.poll(); err != nil {
			return -1, err
		}
		st := c.steps[s]
		if st.del {
			if id := c.delTarget[s]; id != noClause {
				c.attach(id) // present before the deletion: never unit or falsified
			}
			continue
		}
		lemma := int(c.lemmaOf(s))
		if c.skip != nil && c.skip[lemma] {
			continue
		}
		id := int32(c.nForm + lemma)
		c.detach(id)
		before := c.trailBase
		if s > 0 {
			before = int(c.trailAt[s-1])
		}
		c.undo(before)
		if c.flags[id]&core == 0 {
			continue
		}
		c.useBy = int32(lemma)
		ok, err := c.valid(id)
		if err != nil {
			return -1, err
		}
		if !ok {
			if bad < 0 {
				bad = lemma
			}
			invalid++
			if !keepGoing || invalid > maxInvalid {
				return bad, nil
			}
		}
	}
	return bad, nil
}

// valid reports whether clause id, not in the clause set, is RUP or RAT on
// its pivot with respect to it. With c.mark, the clauses the check uses are
// marked core. The assignment is left as it was.
func (c *checker) valid(id int32) (bool, error) {
	t0 := len(c.trail)
	defer c.undo(t0)
	cl := c.lits(id)
	start := len(c.hints)
	c.recBase = t0
	if c.rup(cl, 0) {
		if c.record {
			lemma := int(id) - c.nForm
			c.hintAt[lemma] = int32(start)
			c.hintLen[lemma] = int32(len(c.hints) - start)
		}
		return true, nil
	}
	if len(cl) == 0 {
		return false, nil
	}
	// RAT lemmas get no hint.
	if c.record {
		c.record = false
		defer func() { c.record = true }()
	}
	// RAT: the negation of the lemma stays assigned (and propagated), and
	// each resolution candidate adds the negation of its other literals.
	p := c.pivot[id]
	t1 := len(c.trail)
	for d := int32(0); d < int32(len(c.flags)); d++ {
		if c.flags[d]&active == 0 || !contains(c.lits(d), p^1) {
			continue
		}
		if err := c.poll(); err != nil {
			return false, err
		}
		ok := c.rup(c.lits(d), p^1)
		c.undo(t1)
		if !ok {
			return false, nil
		}
		if c.mark {
			c.markCore(d)
		}
	}
	if c.mark {
		c.stats.RAT++
	}
	return true, nil
}

// rup assigns the negation of the literals of cl other than except, then
// propagates; it reports whether that conflicts (and with c.mark marks what
// the conflict depends on). It does not undo the assignment.
func (c *checker) rup(cl []uint32, except uint32) bool {
	for _, l := range cl {
		if l == except {
			continue
		}
		switch c.val[l] {
		case 1:
			if c.mark {
				c.analyzeLit(l)
			}
			return true
		case 0:
			c.assign(l^1, noClause)
		}
	}
	if k := c.propagate(); k != noClause {
		if c.mark {
			c.analyze(k)
		}
		return true
	}
	return false
}

func contains(cl []uint32, l uint32) bool {
	for _, x := range cl {
		if x == l {
			return true
		}
	}
	return false
}
