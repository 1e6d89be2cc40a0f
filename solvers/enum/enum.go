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
// Describe implements solvers.Describer.
func (Solver) Describe(context.Context) solvers.Description {
	return solvers.Description{Input: "game"}
}

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
	g     *game.Game
	k     int
	enum  []int  // the enumerated players
	start []bool // the profile with every enumerated player closed
	nFree int    // null players with delta = 0

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
	// excl[i] marks (by dyn index) the players of upd[i], whose after-flip
	// progress is not stored+common; self[i] marks i alone, when dynamic.
	excl, self [][]uint64
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
		case g.Delta(i) == 0:
			pl.nFree++
		}
	}
	// Profiles are bit masks in a uint64.
	if len(pl.enum) > 63 {
		return nil, solvers.Refuse("enum: the game has %d players to enumerate (2^%d profiles), more than 63, the most it can represent", len(pl.enum), len(pl.enum))
	}
	if len(pl.enum) > maxPlayers {
		return nil, solvers.Refuse("enum: the game has %d players to enumerate (2^%d profiles), more than the limit of %d", len(pl.enum), len(pl.enum), maxPlayers)
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
	pl.common = make([]int64, n)
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
		pl.common[e] = best
		total = min(total+uint64(max(best, -best)), 1<<62) // saturate: 40 * 2^61 overflows
	}
	if total > uint64(game.Bound) { // |stored| stays below 2^61 + 2^61
		clear(pl.common)
	}
	words := (len(pl.dyn) + 63) / 64
	pl.upd = make([][]int32, n)
	pl.by = make([][]int64, n)
	pl.excl = make([][]uint64, n)
	pl.self = make([][]uint64, n)
	for e, i := range pl.enum {
		pl.excl[e] = make([]uint64, words)
		pl.self[e] = make([]uint64, words)
		for p, j := range pl.dyn {
			if d := pl.g.Entry(j, i) - pl.common[e]; d != 0 || j == i {
				pl.upd[e] = append(pl.upd[e], int32(p))
				pl.by[e] = append(pl.by[e], d)
				pl.excl[e][p/64] |= 1 << (p % 64)
			}
			if j == i {
				pl.self[e][p/64] |= 1 << (p % 64)
			}
		}
	}
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

	res := &solvers.Result{Stats: map[string]float64{
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
		// zeroIsEq is only set when the all-closed profile was visited,
		// which it is not when a null player always opens.
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
//
// Dynamic players' progress is kept as stored[p] + shift, with the maximum of
// stored and how many players attain it maintained under every move. Only a
// move that takes the last player off the maximum, or a question about the
// maximum without some players that hold all of it, costs a rescan.
type state struct {
	pl     *plan
	a      []bool  // current profile, all players
	stored []int64 // dynamic player p's progress is stored[p] + shift
	shift  int64
	top    int64 // max of stored
	atTop  int   // how many p have stored[p] == top
	dirty  bool  // top and atTop are stale until rescan
	// Progress of the constant players: the two largest, for "max over
	// everyone but i".
	c1, c2 int64
	c1At   int
	last   int // enumerated index of the last deviator, checked first
}

const none = math.MinInt64

func (pl *plan) newState() *state {
	st := &state{pl: pl, a: make([]bool, pl.k), stored: make([]int64, len(pl.dyn)), c1: none, c2: none, c1At: -1}
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
	st.rescan()
}

func (st *state) rescan() {
	top, n := int64(none), 0
	for _, x := range st.stored {
		if x > top {
			top, n = x, 1
		} else if x == top {
			n++
		}
	}
	st.top, st.atTop, st.dirty = top, n, false
}

// move adds d to stored[p], keeping top and atTop unless they went stale.
func (st *state) move(p int32, d int64) {
	old := st.stored[p]
	x := old + d
	st.stored[p] = x
	if st.dirty || d == 0 {
		return
	}
	if old == st.top {
		st.atTop--
	}
	switch {
	case x > st.top:
		st.top, st.atTop = x, 1
	case x == st.top:
		st.atTop++
	case st.atTop == 0:
		st.dirty = true
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
			st.move(p, by[q])
		}
	} else {
		st.shift -= pl.common[e]
		for q, p := range upd {
			st.move(p, -by[q])
		}
	}
	if st.dirty {
		st.rescan()
	}
}

// maxWithout returns the largest stored value over the players not marked
// in the bitset skip, or none.
func (st *state) maxWithout(skip []uint64) int64 {
	best := int64(none)
	for p, x := range st.stored {
		if x > best && skip[p/64]>>(p%64)&1 == 0 {
			best = x
		}
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
	if st.top != none {
		d := st.top
		if p := pl.pos[i]; p >= 0 && st.stored[p] == d && st.atTop == 1 {
			d = st.maxWithout(pl.self[e])
		}
		if d != none {
			before = max(before, d+st.shift)
		}
	}
	// The flip pays iff every other player ends below the threshold.
	threshold := before - rhs
	if cmax >= threshold {
		return false
	}
	by, upd := pl.by[e], pl.upd[e]
	by = by[:len(upd)]
	topInUpd := 0 // how many of upd hold the maximum
	for q, p := range upd {
		x := st.stored[p]
		if x == st.top {
			topInUpd++
		}
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
	// The rest move by the common offset; the maximum is theirs unless upd
	// holds all of it.
	rest := st.top
	if topInUpd == st.atTop {
		rest = st.maxWithout(pl.excl[e])
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
