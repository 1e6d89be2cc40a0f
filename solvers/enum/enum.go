// Package enum decides and counts non-trivial pure equilibria by exhaustive
// enumeration of profiles in Gray-code order: the baseline that every other
// solver is checked against.
package enum

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/solvers"
)

// DefaultMaxPlayers is how many players the solver enumerates unless told
// otherwise: 2^40 profiles already take hours.
const DefaultMaxPlayers = 40

// MostPlayers is the most players the solver can enumerate, whatever
// Options.MaxPlayers says: profiles are bit masks in a uint64.
const MostPlayers = 63

// checkEvery is how many profiles pass between looks at the context; at
// about 30 ns per profile that is about 0.5 ms.
const checkEvery = 1 << 14

// shardBits is how many more bits than log2(N) split the Gray walk into
// blocks for N shards: the shards' sizes differ by at most a block, 1/64 of
// a shard.
const shardBits = 6

func init() {
	solvers.Register("enum", func() solvers.Solver { return Solver{} })
}

// Solver is the exhaustive enumerator.
//
// Players whose action changes nobody else's progress ("null" players) are
// not enumerated: such a player's best response is fixed by the sign of its
// delta, so it opens when delta > 0 and stays closed when delta < 0. When
// delta = 0 either action is a best response and changes no one's payoff, its
// own included, so every equilibrium comes in 2 copies per such player, and
// one of them is non-trivial: with such a player present, a non-trivial
// equilibrium exists iff any equilibrium does.
//
// The enumerated players' profiles are walked in reflected Gray-code order,
// cut into blocks of consecutive profiles: Options.Workers goroutines take
// blocks in order, and Options.Shard picks a range of blocks. Whatever the
// split, the witness is the first non-trivial equilibrium in that order and
// Listed the first ones, so neither depends on Workers. The counters are
// the work of the walk up to its answer, each block walked as from a fresh
// start: they do not depend on scheduling either.
type Solver struct{}

// Solve implements solvers.Solver.
// Describe implements solvers.Describer.
func (Solver) Describe(context.Context) solvers.Description {
	return solvers.Description{Input: "game"}
}

// Solve implements solvers.Solver.
func (Solver) Solve(ctx context.Context, p *solvers.Problem, opt solvers.Options) (*solvers.Result, error) {
	if err := opt.Shard.Check(); err != nil {
		return nil, fmt.Errorf("enum: %w", err)
	}
	plan, err := newPlan(p.Game, opt.MaxPlayers)
	if err != nil {
		return nil, err
	}
	return plan.run(ctx, opt)
}

// Shardable implements solvers.Sharder: shard i of N is the i-th of N equal
// ranges of the Gray walk, in blocks of at least 1/64 of a shard.
func (Solver) Shardable() {}

// plan is what the enumeration needs to know about a game, computed once.
type plan struct {
	g         *game.Game
	k         int
	enum      []int  // the enumerated players
	start     []bool // the profile with every enumerated player closed
	startOpen bool   // some null player opens in every profile
	nFree     int    // null players with delta = 0

	// Players whose progress never changes during the enumeration (nobody
	// else's action moves it, and their own is fixed or moves it by 0).
	constant []int
	// dyn lists the other players; pos maps a player to its index in dyn
	// or -1.
	dyn []int
	pos []int

	ev []player // by enumerated index
}

// player is what the walk needs about one enumerated player i: its flip
// moves every dynamic player's progress by common, except the players of
// upd, which move by d more than that. This keeps the update sparse
// although a reduction game's columns are dense (every clause player gains
// beta from every variable). The slices of all players share one array, so
// that the walk's data stay dense.
type player struct {
	// upd lists i itself first when it is dynamic; others is the rest.
	upd, others []move
	self        int // i's dyn index, or -1
	common      int64
	delta       int64
	// cmax is the largest progress among the constant players other than
	// i, or floor.
	cmax int64
	// excl marks upd by dyn index; selfBit marks i alone. maxWithout reads
	// them on rare paths.
	excl, selfBit []uint64
}

// move is one exception of a flip: dynamic player p moves by d beyond the
// common offset. Index and amount side by side: the walk's loops read both,
// and fewer slices leave more registers.
type move struct {
	p int
	d int64
}

func newPlan(g *game.Game, maxPlayers int) (*plan, error) {
	if maxPlayers <= 0 {
		maxPlayers = DefaultMaxPlayers
	}
	k := g.Players()
	pl := &plan{g: g, k: k, start: make([]bool, k), pos: make([]int, k)}
	isEnum := make([]bool, k)
	for i := range k {
		switch {
		case !g.Null(i):
			isEnum[i] = true
			pl.enum = append(pl.enum, i)
		case g.Delta(i) > 0:
			pl.start[i], pl.startOpen = true, true
		case g.Delta(i) == 0:
			pl.nFree++
		}
	}
	// Profiles are bit masks in a uint64.
	if len(pl.enum) > MostPlayers {
		return nil, solvers.Refuse("enum: the game has %d players to enumerate (2^%d profiles), more than %d, the most it can represent", len(pl.enum), len(pl.enum), MostPlayers)
	}
	if len(pl.enum) > maxPlayers {
		return nil, solvers.Refuse("enum: the game has %d players to enumerate (2^%d profiles), more than the limit of %d", len(pl.enum), len(pl.enum), maxPlayers)
	}
	// The loop below reads every row of the k x k matrix; a structured game
	// beyond the dense limit would take hours here, so refuse it as the MIP
	// and PB encodings do.
	if k > game.MaxPlayers {
		return nil, solvers.Refuse("enum: the game has %d players, more than %d, the most it takes (it reads the %d x %d matrix)", k, game.MaxPlayers, k, k)
	}
	var row []int64
	for j := range k {
		row = g.Row(j, row)
		moves := isEnum[j] && g.Delta(j) != 0
		for l, v := range row {
			if l != j && v != 0 && isEnum[l] {
				moves = true
				break
			}
		}
		if moves {
			pl.pos[j] = len(pl.dyn)
			pl.dyn = append(pl.dyn, j)
		} else {
			pl.pos[j] = -1
			pl.constant = append(pl.constant, j)
		}
	}
	pl.offsets()
	return pl, nil
}

// offsets picks, for each enumerated player, the most common move among the
// dynamic players as the shared offset, unless the offsets could push the
// stored values out of int64, in which case every offset is 0.
func (pl *plan) offsets() {
	n := len(pl.enum)
	common := make([]int64, n)
	var total uint64
	for e, i := range pl.enum {
		count := map[int64]int{}
		best, bestN := int64(0), 0
		for _, j := range pl.dyn {
			if j == i {
				continue
			}
			v := pl.g.Entry(j, i)
			count[v]++
			if c := count[v]; c > bestN || c == bestN && v == 0 {
				best, bestN = v, c
			}
		}
		if best != 0 && bestN <= count[0] {
			best = 0
		}
		common[e] = best
		total = min(total+uint64(max(best, -best)), 1<<62) // saturate: 40 * 2^61 overflows
	}
	// The walk keeps the shift, the sum of the open players' offsets,
	// within ±2^61, so that a stored value (progress minus shift) stays
	// within ±2^62.
	if total > uint64(game.Bound) {
		clear(common)
	}
	// The two largest constant progresses, for "max over everyone but i";
	// floor stands for none, so that the walk can subtract the shift.
	c1, c2, c1At := int64(floor), int64(floor), -1
	mu := pl.g.Mu(pl.start, nil)
	for _, j := range pl.constant {
		switch v := mu[j]; {
		case v > c1:
			c2, c1, c1At = c1, v, j
		case v > c2:
			c2 = v
		}
	}
	words := (len(pl.dyn) + 63) / 64
	ev := make([]player, n)
	for e, i := range pl.enum {
		v := &ev[e]
		v.common, v.delta, v.cmax, v.self = common[e], pl.g.Delta(i), c1, pl.pos[i]
		if c1At == i {
			v.cmax = c2
		}
		v.excl, v.selfBit = make([]uint64, words), make([]uint64, words)
		if p := v.self; p >= 0 { // itself first, so that the others follow
			v.upd = append(v.upd, move{p, v.delta - v.common})
			v.excl[p/64] |= 1 << (p % 64)
			v.selfBit[p/64] |= 1 << (p % 64)
		}
		for p, j := range pl.dyn {
			if d := pl.g.Entry(j, i) - v.common; d != 0 && j != i {
				v.upd = append(v.upd, move{p, d})
				v.excl[p/64] |= 1 << (p % 64)
			}
		}
	}
	// In the Gray walk, enumerated player e flips 2^(n-1-e) times: giving
	// the low indices to the players with the fewest updates minimizes the
	// work per profile (it about halves it on random 3-SAT reductions).
	order := make([]int, n)
	for e := range order {
		order[e] = e
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(len(ev[x].upd), len(ev[y].upd)) })
	enum := make([]int, n)
	pl.ev = make([]player, n)
	var upd []move
	for e, o := range order {
		enum[e], pl.ev[e] = pl.enum[o], ev[o]
		upd = append(upd, ev[o].upd...)
	}
	pl.enum = enum
	// One array for all players keeps the walk's data dense, the most
	// flipped first.
	at := 0
	for e := range pl.ev {
		v := &pl.ev[e]
		end := at + len(v.upd)
		v.upd, at = upd[at:end:end], end
		v.others = v.upd
		if v.self >= 0 {
			v.others = v.upd[1:]
		}
	}
}

// blocks returns how many enumerated players a block of the walk leaves
// fixed (the walk has 2^prefix blocks) and the range [lo, hi) of blocks
// that opt asks for.
func (pl *plan) blocks(opt solvers.Options) (prefix int, lo, hi uint64) {
	n := len(pl.enum)
	if workers := max(opt.Workers, 1); workers > 1 {
		// 8 blocks per worker, for balance; at most 2^16, for memory.
		prefix = min(n, bits.Len(uint(workers-1))+3, 16)
	}
	if opt.Shard.Whole() {
		return prefix, 0, 1 << prefix
	}
	// The shards' ranges are fixed by n and their number alone, so that
	// shards run with different Workers still partition the walk.
	sp := min(n, bits.Len(uint(opt.Shard.Count-1))+shardBits)
	prefix = max(prefix, sp)
	// ceil(i * 2^sp / N) in 128 bits (at most 2^sp for i <= N): shard 0
	// starts with block 0, the all-closed profile, however small the walk.
	at := func(i int) uint64 {
		N := uint64(opt.Shard.Count)
		h, l := bits.Mul64(uint64(i), 1<<sp)
		l, c := bits.Add64(l, N-1, 0)
		q, _ := bits.Div64(h+c, l, N)
		return q << (prefix - sp)
	}
	return prefix, at(opt.Shard.Index), at(opt.Shard.Index + 1)
}

// run enumerates blocks [lo, hi) of the walk on opt.Workers goroutines.
func (pl *plan) run(ctx context.Context, opt solvers.Options) (*solvers.Result, error) {
	prefix, lo, hi := pl.blocks(opt)
	low := len(pl.enum) - prefix
	workers := int(min(uint64(max(opt.Workers, 1)), hi-lo))
	// Each block's tally, merged in block order at the end: the first
	// witness and listed equilibria are then those of the whole walk.
	tallies := make([]tally, hi-lo)
	// found is the first block with a witness; when only deciding, later
	// blocks are not needed (earlier ones are, to keep the witness the
	// walk's first).
	var found atomic.Uint64
	found.Store(hi)
	var next atomic.Uint64 // the next block to take
	next.Store(lo)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			st := pl.newState()
			for {
				b := next.Add(1) - 1
				if b >= hi || b > found.Load() || ctx.Err() != nil {
					return
				}
				t := &tallies[b-lo]
				t.ran = true
				st.walk(ctx, b, low, opt, &found, t)
				for f := found.Load(); t.witness != nil && !opt.Count && b < f; f = found.Load() {
					if found.CompareAndSwap(f, b) {
						break
					}
				}
			}
		})
	}
	wg.Wait()

	var total tally
	complete := true // every block ran to its end
	for i := range tallies {
		t := &tallies[i]
		if lo+uint64(i) > found.Load() {
			// Not needed once an earlier block had a witness; whether and
			// how far a worker walked it is up to scheduling, so its work
			// is not counted either.
			continue
		}
		total.profiles += t.profiles
		total.checks += t.checks
		complete = complete && t.ran && !t.cut
		total.equilibria += t.equilibria
		total.zeroIsEq = total.zeroIsEq || t.zeroIsEq
		if total.witness == nil {
			total.witness = t.witness
		}
		for _, a := range t.listed {
			if len(total.listed) < opt.List {
				total.listed = append(total.listed, a)
			}
		}
	}
	res := &solvers.Result{Stats: map[string]float64{
		"profiles": float64(total.profiles),
		"checks":   float64(total.checks),
	}}
	if !complete && (opt.Count || total.witness == nil) {
		// Stopped by the context. Any witness found is still one.
		for i := range tallies {
			if w := tallies[i].witness; w != nil && !opt.Count {
				res.Answer, res.Witness = solvers.Found, pl.nonTrivial(w)
				return res, nil
			}
		}
		res.Answer = solvers.Unknown
		return res, nil
	}
	switch {
	case total.witness != nil:
		res.Answer, res.Witness = solvers.Found, pl.nonTrivial(total.witness)
	case opt.Shard.Whole():
		res.Answer = solvers.None
	default:
		res.Answer = solvers.Unknown // none in this part; others may have one
	}
	if opt.Count {
		// zeroIsEq is only set when the all-closed profile was visited,
		// which it is not when a null player always opens (nor outside
		// shard 0).
		c, err := solvers.CountWithFree(total.equilibria, pl.nFree, total.zeroIsEq)
		if err != nil {
			return nil, fmt.Errorf("enum: %w", err)
		}
		res.Count, res.Counted = c, true
		res.Listed = solvers.ExpandFree(total.listed, solvers.FreePlayers(pl.g), opt.List)
	}
	return res, nil
}

// nonTrivial returns the profile with a free player opened, if it needs one.
func (pl *plan) nonTrivial(a []bool) []bool {
	if game.NonTrivial(a) {
		return a
	}
	b := append([]bool(nil), a...)
	for i := range pl.k {
		if pl.g.Null(i) && pl.g.Delta(i) == 0 {
			b[i] = true
			return b
		}
	}
	return b // no free player: a is trivial, which walk never reports
}

// profile returns the full profile of the enumerated players' mask.
func (pl *plan) profile(mask uint64) []bool {
	a := append([]bool(nil), pl.start...)
	for e, i := range pl.enum {
		a[i] = mask>>e&1 == 1
	}
	return a
}

// tally is what a block's walk found.
type tally struct {
	ran, cut         bool // the walk started; it stopped before its end or witness
	profiles, checks uint64
	equilibria       uint64
	zeroIsEq         bool
	witness          []bool // the first non-trivial equilibrium, or nil
	listed           [][]bool
}

// state is one worker's view of the current profile.
//
// Dynamic players' progress is kept as stored[p] + shift, with the maximum of
// stored and how many players attain it maintained under every move. Only a
// move that takes the last player off the maximum, or a question about the
// maximum without some players that hold all of it, costs a rescan.
//
// The last deviator is watched: most profiles of a walk are not equilibria,
// and the player that gained by flipping in the previous profile usually
// still does. The terms hold what its flip would add to each of the others
// it moves (floor elsewhere), and bound is at least the largest stored
// value they would reach. Flips keep bound up to date at the cost of one
// max per update, so that checking it again is O(1) while bound stays
// below its threshold.
//
// Bounds: every progress is within ±2^61 (game.Bound) and so is the shift
// (offsets checks the sum of the offsets), so stored values are within
// ±2^62 and the thresholds compared with them within ±3*2^61; a stored
// value plus a term is a stored value, or at least -2^63 with floor. No sum
// below overflows.
type state struct {
	pl    *plan
	mask  uint64 // bit e: enumerated player e opens
	cells []cell // by dyn index
	shift int64
	top   int64 // max of the stored values
	atTop int   // how many players' stored value is top

	last     int   // enumerated index of the last deviator, checked first
	termFor  int   // whose flip the terms describe (-1: nobody's)
	termOpen bool  // the direction of that flip: opening
	bound    int64 // >= max stored + term; stale when it must be recomputed
	// What limits computes for last, less the maximum b: lim = b + wlim,
	// tc = b + wtc. wdyn: last is dynamic, which limits handles.
	wcmax, wlim, wtc int64
	wdyn             bool
}

// cell is a dynamic player's stored value, its progress less the shift,
// and its term. Side by side: the flips read and write both.
type cell struct{ v, t int64 }

// none is the maximum of no values.
const none = math.MinInt64

// floor is below every progress (game.Bound), and far enough above none
// that the shift can be subtracted from it.
const floor = -2 * game.Bound

// stale marks a bound that must be recomputed.
const stale = math.MaxInt64

func (pl *plan) newState() *state {
	st := &state{pl: pl, cells: make([]cell, len(pl.dyn)), termFor: -1}
	for p := range st.cells {
		st.cells[p].t = floor
	}
	return st
}

// reset sets the state to the profile with the enumerated players given by
// mask (bit e is enum[e]).
func (st *state) reset(mask uint64) {
	pl := st.pl
	// Watch nobody, as a new worker does: a block's checks are then the
	// same whichever worker walks it, after whichever block.
	if st.termFor >= 0 {
		for _, m := range pl.ev[st.termFor].others {
			st.cells[m.p].t = floor
		}
	}
	st.last, st.termFor, st.termOpen = 0, -1, false
	st.wcmax, st.wlim, st.wtc, st.wdyn = 0, 0, 0, false
	mu := pl.g.Mu(pl.profile(mask), nil)
	st.mask, st.shift, st.bound = mask, 0, stale
	for p, j := range pl.dyn {
		st.cells[p].v = mu[j]
	}
	st.rescan()
}

func (st *state) rescan() {
	top, n := int64(none), 0
	for _, c := range st.cells {
		if x := c.v; x > top {
			top, n = x, 1
		} else if x == top {
			n++
		}
	}
	st.top, st.atTop = top, n
}

// flip flips enumerated player e.
//
// The maximum is kept exact: the loop counts the players that reach it and
// leave it, and the largest new value; a new maximum is counted in a second
// pass, and a maximum that everyone left costs a rescan. Conditional moves
// rather than branches: in reduction games many players share the maximum,
// so branches on it would mispredict.
func (st *state) flip(e int) {
	v := &st.pl.ev[e]
	cells := st.cells
	top := st.top
	hi, n := int64(none), 0 // the largest new value; joins minus leaves of top
	bnd := st.bound
	if e == st.last {
		bnd = stale // its own flip turns its deviation around
	}
	st.mask ^= 1 << e
	if st.mask>>e&1 == 1 {
		st.shift += v.common
		for _, m := range v.upd {
			c := &cells[m.p]
			old := c.v
			x := old + m.d
			c.v = x
			if old == top {
				n--
			}
			if x == top {
				n++
			}
			hi = max(hi, x)
			bnd = max(bnd, x+c.t)
		}
	} else {
		st.shift -= v.common
		for _, m := range v.upd {
			c := &cells[m.p]
			old := c.v
			x := old - m.d
			c.v = x
			if old == top {
				n--
			}
			if x == top {
				n++
			}
			hi = max(hi, x)
			bnd = max(bnd, x+c.t)
		}
	}
	st.bound = bnd
	switch {
	case hi > top: // only upd can hold it
		n = 0
		for _, m := range v.upd {
			if cells[m.p].v == hi {
				n++
			}
		}
		st.top, st.atTop = hi, n
	case st.atTop+n > 0:
		st.atTop += n
	default:
		st.rescan()
	}
}

// maxWithout returns the largest stored value over the players not marked
// in the bitset skip, or none.
func (st *state) maxWithout(skip []uint64) int64 {
	best := int64(none)
	for p, c := range st.cells {
		if x := c.v; x > best && skip[p/64]>>(p%64)&1 == 0 {
			best = x
		}
	}
	return best
}

// limits returns, for enumerated player e, what Lemma 1 compares: e
// gains by flipping iff every other player ends below max_{j!=i} mu_j(a) -
// (2a_i-1) delta_i. Relative to the shift, cm is the constant players'
// maximum and lim that bound; tc is the bound relative to the shift after
// the flip, which the dynamic players' stored values after it must stay
// below.
func (st *state) limits(e int) (cm, lim, tc int64, opening bool) {
	v := &st.pl.ev[e]
	top := st.top // a walk has a dynamic player, so top is one's value
	cm = v.cmax - st.shift
	b := top // everyone's maximum but e's; a progress less the shift
	if v.self >= 0 && st.atTop == 1 && st.cells[v.self].v == top {
		b = st.maxWithout(v.selfBit) // none, or the next largest
	}
	b = max(b, cm)
	// |lim|, |tc| <= 3 * 2^61: progress, delta and shift each within 2^61.
	if st.mask>>e&1 == 0 { // opening: rhs = -delta; the shift grows by common
		lim = b + v.delta
		return cm, lim, lim - v.common, true
	}
	lim = b - v.delta
	return cm, lim, lim + v.common, false
}

// watched reports whether the last deviator, when it is not dynamic, still
// deviates, by its bound alone: a sufficient test, small enough to inline.
// It is limits with the parts fixed while last is watched precomputed.
func (st *state) watched() bool {
	top, cm := st.top, st.wcmax-st.shift
	b := max(top, cm)
	tc := b + st.wtc
	return cm < b+st.wlim && top < tc && st.bound < tc
}

// watchedDyn is watched for a dynamic last deviator.
func (st *state) watchedDyn() bool {
	cm, lim, tc, _ := st.limits(st.last)
	return cm < lim && st.top < tc && st.bound < tc
}

// deviates reports whether enumerated player e gains by flipping (Lemma 1:
// it does iff max_{j!=i} mu_j(a) - max_{j!=i} mu_j(a^(i)) > (2a_i-1) delta_i).
// When it does, it is watched from then on.
func (st *state) deviates(e int) bool {
	cm, lim, tc, opening := st.limits(e)
	if cm >= lim {
		return false
	}
	v := &st.pl.ev[e]
	cells, top := st.cells, st.top
	// The players outside upd keep their stored values: they fail it if
	// top does and upd cannot hold all of top.
	rest := top >= tc
	if rest && st.atTop > len(v.upd) {
		return false
	}
	mx := int64(none) // the largest stored value of the others after the flip
	if opening {
		for _, m := range v.others {
			x := cells[m.p].v + m.d
			if x >= tc {
				return false
			}
			mx = max(mx, x)
		}
	} else {
		for _, m := range v.others {
			x := cells[m.p].v - m.d
			if x >= tc {
				return false
			}
			mx = max(mx, x)
		}
	}
	if rest {
		held := 0 // how many of the top are in upd
		for _, m := range v.upd {
			if cells[m.p].v == top {
				held++
			}
		}
		if held < st.atTop {
			return false
		}
		if m := st.maxWithout(v.excl); m != none && m >= tc {
			return false
		}
	}
	st.watch(e, opening, mx)
	return true
}

// watch makes enumerated player e, flipping in direction opening, the
// watched deviator, with mx the largest stored value its flip leaves its
// others.
func (st *state) watch(e int, opening bool, mx int64) {
	v := &st.pl.ev[e]
	st.last, st.bound = e, mx
	st.wcmax, st.wdyn = v.cmax, v.self >= 0
	if opening {
		st.wlim, st.wtc = v.delta, v.delta-v.common
	} else {
		st.wlim, st.wtc = -v.delta, v.common-v.delta
	}
	if st.termFor == e && st.termOpen == opening {
		return
	}
	ev := st.pl.ev
	if st.termFor >= 0 {
		for _, m := range ev[st.termFor].others {
			st.cells[m.p].t = floor
		}
	}
	for _, m := range ev[e].others {
		if opening {
			st.cells[m.p].t = m.d
		} else {
			st.cells[m.p].t = -m.d
		}
	}
	st.termFor, st.termOpen = e, opening
}

// equilibrium checks every enumerated player but st.last, which the caller
// has checked, counting the checks in *checks. The highest indices first:
// they flip least often, so a deviator found there stays one longest.
func (st *state) equilibrium(checks *uint64) bool {
	last := st.last
	for e := len(st.pl.enum) - 1; e >= 0; e-- {
		if e == last {
			continue
		}
		*checks++
		if st.deviates(e) {
			return false
		}
	}
	return true
}

// walk enumerates block b of the Gray walk: the profiles at positions
// b*2^low .. (b+1)*2^low - 1 of the reflected Gray code over the enumerated
// players. It stops early when the context ends, or when found names an
// earlier block with a witness while only deciding.
func (st *state) walk(ctx context.Context, b uint64, low int, opt solvers.Options, found *atomic.Uint64, t *tally) {
	pl := st.pl
	n := len(pl.enum)
	// The code at position b*2^low + s is gray(b) in the high bits and, in
	// the low ones, gray(s) with bit low-1 flipped when b is odd; from one
	// position to the next it flips bit TrailingZeros(s+1).
	mask := (b ^ b>>1) << low
	if low > 0 && b&1 == 1 {
		mask |= 1 << (low - 1)
	}
	st.reset(mask)
	end := uint64(1) << low
	checks := t.checks
	for step := uint64(0); step < end; step++ {
		if step > 0 {
			if step%checkEvery == 0 && (ctx.Err() != nil || !opt.Count && found.Load() < b) {
				t.profiles += step
				t.checks, t.cut = checks, true
				return
			}
			st.flip(bits.TrailingZeros64(step))
		}
		if n > 0 {
			checks++
			if st.wdyn {
				if st.watchedDyn() {
					continue
				}
			} else if st.watched() {
				continue
			}
			if st.deviates(st.last) || !st.equilibrium(&checks) {
				continue
			}
		}
		t.equilibria++
		trivial := st.mask == 0 && !pl.startOpen
		if trivial {
			t.zeroIsEq = true
			if pl.nFree == 0 {
				continue // all-closed with no free player to open
			}
		}
		if t.witness == nil {
			t.witness = pl.profile(st.mask)
		}
		if !opt.Count {
			t.profiles += step + 1
			t.checks = checks
			return
		}
		if len(t.listed) < opt.List {
			t.listed = append(t.listed, pl.profile(st.mask))
		}
	}
	t.profiles += end
	t.checks = checks
}
