// Package enum decides and counts non-trivial pure equilibria by exhaustive
// enumeration of profiles in Gray-code order: the baseline that every other
// solver is checked against.
package enum

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"sync"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/solvers"
)

// DefaultMaxPlayers is how many players the solver enumerates unless told
// otherwise: 2^40 profiles already take days.
const DefaultMaxPlayers = 40

// checkEvery is how many profiles pass between looks at the context; at the
// target of 100 ns per profile that is about 1.6 ms.
const checkEvery = 1 << 14

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
type Solver struct{}

// Solve implements solvers.Solver.
func (Solver) Solve(ctx context.Context, p *solvers.Problem, opt solvers.Options) (*solvers.Result, error) {
	plan, err := newPlan(p.Game, opt.MaxPlayers)
	if err != nil {
		return nil, err
	}
	return plan.run(ctx, opt)
}

// plan is what the enumeration needs to know about a game, computed once.
type plan struct {
	g        *game.Game
	k        int
	enum     []int  // the enumerated players
	start    []bool // the profile with every enumerated player closed
	nFree    int    // null players with delta = 0
	anyFixed bool   // some null player has delta > 0 (always opens)

	// Players whose progress never changes during the enumeration (nobody
	// else's action moves it, and their own is fixed or moves it by 0).
	constant []int
	// dyn lists the other players; pos maps a player to its index in dyn
	// or -1.
	dyn []int
	pos []int

	// For enumerated player i (by index in enum): flipping it moves every
	// dynamic player's progress by common[i], except the players of
	// upd[i] which move by by[i] instead (i itself included when dynamic).
	// This keeps the update sparse although a reduction game's columns are
	// dense (every clause player gains beta from every variable).
	common []int64
	upd    [][]int32 // dyn indices
	by     [][]int64 // the exception's move minus common[i]
	// excl[i] marks the tree nodes above the players whose after-flip value
	// is not stored+common: upd[i] and i itself.
	excl [][]uint64
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
			pl.start[i] = true
			pl.anyFixed = true
		case g.Delta(i) == 0:
			pl.nFree++
		}
	}
	if len(pl.enum) > maxPlayers {
		return nil, fmt.Errorf("enum: the game has %d players to enumerate (2^%d profiles), more than the limit of %d", len(pl.enum), len(pl.enum), maxPlayers)
	}
	for j := range k {
		moves := isEnum[j] && g.Delta(j) != 0
		for l, v := range g.D[j] {
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
	pl.common = make([]int64, n)
	var total uint64
	for e, i := range pl.enum {
		count := map[int64]int{}
		best, bestN := int64(0), 0
		for _, j := range pl.dyn {
			if j == i {
				continue
			}
			v := pl.g.D[j][i]
			count[v]++
			if c := count[v]; c > bestN || c == bestN && v == 0 {
				best, bestN = v, c
			}
		}
		if best != 0 && bestN <= count[0] {
			best = 0
		}
		pl.common[e] = best
		total = min(total+uint64(max(best, -best)), 1<<62) // saturate: 40 * 2^61 overflows
	}
	if total > uint64(game.Bound) { // |stored| stays below 2^61 + 2^61
		clear(pl.common)
	}
	size := treeSize(len(pl.dyn))
	pl.upd = make([][]int32, n)
	pl.by = make([][]int64, n)
	pl.excl = make([][]uint64, n)
	for e, i := range pl.enum {
		marks := make([]uint64, (2*size+63)/64)
		mark := func(p int) {
			for node := size + p; node >= 1; node >>= 1 {
				marks[node/64] |= 1 << (node % 64)
			}
		}
		for p, j := range pl.dyn {
			if d := pl.g.D[j][i] - pl.common[e]; d != 0 || j == i {
				pl.upd[e] = append(pl.upd[e], int32(p))
				pl.by[e] = append(pl.by[e], d)
				mark(p)
			}
		}
		pl.excl[e] = marks
	}
}

func treeSize(n int) int {
	size := 1
	for size < n {
		size *= 2
	}
	return size
}

// run enumerates, on opt.Workers goroutines over profile prefixes.
func (pl *plan) run(ctx context.Context, opt solvers.Options) (*solvers.Result, error) {
	n := len(pl.enum)
	workers := max(opt.Workers, 1)
	prefix := 0 // enumerated players fixed per job
	if workers > 1 {
		prefix = min(n, bits.Len(uint(workers-1))+3)
	}
	jobs := make(chan uint64)
	var (
		mu       sync.Mutex
		total    tally
		stopped  bool
		firstErr error
	)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			st := pl.newState()
			for job := range jobs {
				t, err := st.walk(ctx, job, prefix, opt, stop)
				mu.Lock()
				total.add(t, opt.List)
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if (err != nil || (!opt.Count && total.witness != nil)) && !stopped {
					stopped = true
					close(stop)
				}
				mu.Unlock()
			}
		})
	}
feed:
	for job := range uint64(1) << prefix {
		select {
		case jobs <- job:
		case <-stop:
			break feed
		}
	}
	close(jobs)
	wg.Wait()

	res := &solvers.Result{Count: -1, Stats: map[string]float64{
		"profiles": float64(total.profiles),
		"checks":   float64(total.checks),
	}}
	if errors.Is(firstErr, context.Canceled) || errors.Is(firstErr, context.DeadlineExceeded) {
		if total.witness != nil && !opt.Count {
			res.Answer, res.Witness = solvers.Found, pl.nonTrivial(total.witness)
			return res, nil
		}
		res.Answer = solvers.Unknown
		return res, nil
	}
	if firstErr != nil {
		return nil, firstErr
	}
	if total.witness != nil {
		res.Answer, res.Witness = solvers.Found, pl.nonTrivial(total.witness)
	} else {
		res.Answer = solvers.None
	}
	if opt.Count {
		c, err := pl.nonTrivialCount(total.equilibria, total.zeroIsEq)
		if err != nil {
			return nil, err
		}
		res.Count = c
		res.Listed = pl.expand(total.listed, opt.List)
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

// expand lists up to limit non-trivial equilibria from equilibria of the
// enumerated players, by opening the free players in every combination.
func (pl *plan) expand(eqs [][]bool, limit int) [][]bool {
	var free []int
	for i := range pl.k {
		if pl.g.Null(i) && pl.g.Delta(i) == 0 {
			free = append(free, i)
		}
	}
	var out [][]bool
	for _, a := range eqs {
		for combo := uint64(0); len(out) < limit; combo++ {
			if len(free) < 64 && combo>>len(free) != 0 {
				break
			}
			b := append([]bool(nil), a...)
			for q, i := range free {
				b[i] = q < 64 && combo>>q&1 == 1
			}
			if game.NonTrivial(b) {
				out = append(out, b)
			}
		}
	}
	return out
}

// nonTrivialCount turns the count of equilibria over the enumerated players
// into the count of non-trivial equilibria of the whole game: each free
// player doubles it, and the all-closed profile is the one trivial one.
func (pl *plan) nonTrivialCount(eqs uint64, zeroIsEq bool) (int64, error) {
	if eqs > 0 && (pl.nFree >= 63 || bits.Len64(eqs)+pl.nFree > 63) {
		return 0, fmt.Errorf("enum: the number of equilibria, %d * 2^%d, exceeds int64", eqs, pl.nFree)
	}
	c := int64(eqs) << pl.nFree
	if zeroIsEq && !pl.anyFixed {
		c-- // the all-closed profile
	}
	return c, nil
}

// tally is what walks report.
type tally struct {
	profiles, checks uint64
	equilibria       uint64
	zeroIsEq         bool
	witness          []bool // a non-trivial equilibrium, or nil
	listed           [][]bool
}

func (t *tally) add(u tally, list int) {
	t.profiles += u.profiles
	t.checks += u.checks
	t.equilibria += u.equilibria
	t.zeroIsEq = t.zeroIsEq || u.zeroIsEq
	if t.witness == nil {
		t.witness = u.witness
	}
	for _, a := range u.listed {
		if len(t.listed) < list {
			t.listed = append(t.listed, a)
		}
	}
}

// state is one worker's view of the current profile.
type state struct {
	pl     *plan
	a      []bool  // current profile, all players
	stored []int64 // dynamic player p's progress is stored[p] + shift
	shift  int64
	// tree is a tournament tree over stored: node v holds the max of its
	// leaves, which sit at size+p.
	size int
	tree []int64
	// Progress of the constant players: the two largest, for "max over
	// everyone but i".
	c1, c2 int64
	c1At   int
	stack  []int
	last   int // enumerated index of the last deviator, checked first
}

const none = math.MinInt64

func (pl *plan) newState() *state {
	size := treeSize(len(pl.dyn))
	st := &state{pl: pl, a: make([]bool, pl.k), stored: make([]int64, len(pl.dyn)),
		size: size, tree: make([]int64, 2*size), c1: none, c2: none, c1At: -1}
	mu := pl.g.Mu(pl.start, nil)
	for _, j := range pl.constant {
		switch v := mu[j]; {
		case v > st.c1:
			st.c2, st.c1, st.c1At = st.c1, v, j
		case v > st.c2:
			st.c2 = v
		}
	}
	return st
}

// reset sets the state to the profile with the enumerated players given by
// the low bits of mask (bit e is enum[e]).
func (st *state) reset(mask uint64) {
	pl := st.pl
	copy(st.a, pl.start)
	for e, i := range pl.enum {
		st.a[i] = mask>>e&1 == 1
	}
	mu := pl.g.Mu(st.a, nil)
	st.shift = 0
	for p, j := range pl.dyn {
		st.stored[p] = mu[j]
	}
	for v := range st.tree {
		st.tree[v] = none
	}
	copy(st.tree[st.size:], st.stored)
	for v := st.size - 1; v >= 1; v-- {
		st.tree[v] = max(st.tree[2*v], st.tree[2*v+1])
	}
}

// set changes one stored value and repairs the tree above it, stopping as
// soon as a node is unchanged: most moves change no maximum.
func (st *state) set(p int, x int64) {
	st.stored[p] = x
	tree := st.tree
	v := st.size + p
	tree[v] = x
	for v > 1 {
		m := max(x, tree[v^1])
		v >>= 1
		if tree[v] == m {
			return
		}
		tree[v] = m
		x = m
	}
}

// flip flips enumerated player e.
func (st *state) flip(e int) {
	pl := st.pl
	i := pl.enum[e]
	st.a[i] = !st.a[i]
	by, upd := pl.by[e], pl.upd[e]
	by = by[:len(upd)]
	if st.a[i] {
		st.shift += pl.common[e]
		for q, p := range upd {
			st.set(int(p), st.stored[p]+by[q])
		}
	} else {
		st.shift -= pl.common[e]
		for q, p := range upd {
			st.set(int(p), st.stored[p]-by[q])
		}
	}
}

// maxExcluding returns the largest stored value over the leaves not marked
// in marks (a set of tree nodes closed under ancestors), or none.
func (st *state) maxExcluding(marks []uint64) int64 {
	best := int64(none)
	stack := append(st.stack[:0], 1)
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if st.tree[v] <= best {
			continue
		}
		if marks[v/64]>>(v%64)&1 == 0 {
			best = st.tree[v]
			continue
		}
		if v < st.size {
			stack = append(stack, 2*v, 2*v+1)
		}
	}
	st.stack = stack
	return best
}

// maxExcept returns the largest stored value over all dynamic players but
// dyn index p (p < 0: all of them), or none.
func (st *state) maxExcept(p int) int64 {
	if p < 0 || st.stored[p] < st.tree[1] {
		return st.tree[1]
	}
	best := int64(none)
	for v := st.size + p; v > 1; v >>= 1 {
		best = max(best, st.tree[v^1])
	}
	return best
}

// deviates reports whether enumerated player e gains by flipping (Lemma 1:
// it does iff max_{j!=i} mu_j(a) - max_{j!=i} mu_j(a^(i)) > (2a_i-1) delta_i).
func (st *state) deviates(e int) bool {
	pl := st.pl
	i := pl.enum[e]
	rhs := pl.g.Delta(i)
	move := pl.common[e] // what flipping i adds to the players not in upd
	if !st.a[i] {
		rhs = -rhs
	} else {
		move = -move
	}
	cmax := st.c1
	if st.c1At == i {
		cmax = st.c2
	}
	before := cmax
	p := pl.pos[i]
	if d := st.maxExcept(p); d != none {
		before = max(before, d+st.shift)
	}
	// The flip pays iff every other player ends below the threshold.
	threshold := before - rhs
	if cmax >= threshold {
		return false
	}
	by, upd := pl.by[e], pl.upd[e]
	by = by[:len(upd)]
	topX := int64(none) // the largest stored value among upd
	for q, p := range upd {
		x := st.stored[p]
		topX = max(topX, x)
		if pl.dyn[p] == i {
			continue
		}
		x += st.shift
		if st.a[i] {
			x -= by[q] + pl.common[e]
		} else {
			x += by[q] + pl.common[e]
		}
		if x >= threshold {
			return false
		}
	}
	// The rest move by the common offset; the overall maximum is theirs
	// unless it sits in upd.
	rest := st.tree[1]
	if rest <= topX {
		rest = st.maxExcluding(pl.excl[e])
	}
	if rest == none {
		return true
	}
	return rest+st.shift+move < threshold
}

// equilibrium checks every enumerated player, the last deviator first.
func (st *state) equilibrium(t *tally) bool {
	n := len(st.pl.enum)
	for q := range n {
		e := st.last + q
		if e >= n {
			e -= n
		}
		t.checks++
		if st.deviates(e) {
			st.last = e
			return false
		}
	}
	return true
}

// walk enumerates the profiles whose top prefix enumerated players are given
// by job, in Gray-code order over the rest.
func (st *state) walk(ctx context.Context, job uint64, prefix int, opt solvers.Options, stop <-chan struct{}) (tally, error) {
	pl := st.pl
	n := len(pl.enum)
	low := n - prefix
	st.reset(job << low)
	var t tally
	// visit records the current profile; it reports true to stop.
	visit := func() bool {
		t.profiles++
		if !st.equilibrium(&t) {
			return false
		}
		t.equilibria++
		trivial := !game.NonTrivial(st.a)
		if trivial {
			t.zeroIsEq = true
		}
		if trivial && pl.nFree == 0 {
			return false // all-closed with no free player to open
		}
		if t.witness == nil {
			t.witness = append([]bool(nil), st.a...)
		}
		if opt.Count {
			if len(t.listed) < opt.List {
				t.listed = append(t.listed, append([]bool(nil), st.a...))
			}
			return false
		}
		return true
	}
	if visit() {
		return t, nil
	}
	for step := uint64(1); step < 1<<low; step++ {
		if step%checkEvery == 0 {
			select {
			case <-stop:
				return t, nil
			default:
			}
			if err := ctx.Err(); err != nil {
				return t, err
			}
		}
		st.flip(bits.TrailingZeros64(step))
		if visit() {
			return t, nil
		}
	}
	return t, ctx.Err()
}
