package verify

import (
	"context"
	"math"
	"math/bits"
	"time"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
)

// Search is the outcome of an exhaustive search of a problem.
type Search struct {
	// Count is the number of non-trivial pure equilibria: for a corrected
	// reduction problem, the models of the formula other than all-false.
	Count int64
	// First is one non-trivial equilibrium profile of the game, nil when
	// Count is 0.
	First []bool
	// Space says what was enumerated: "assignments" of the formula or
	// "profiles" of the game.
	Space string
	// Size is the number of assignments or profiles enumerated.
	Size float64
}

// These are the costs per unit of work on one core of the machines the
// project runs on (measured by BenchmarkExhaustive, which reports est-ns/op
// beside ns/op), used only to decide whether a search fits in a time
// budget; Exhaustive itself stops at the context's deadline.
const (
	nsPerBlock       = 1.5 // one block of 64 assignments, besides its clauses
	nsPerClauseVisit = 1.2 // one clause tested on a block
	nsPerPlayerStep  = 2   // one entry of an update or a flip check per profile
)

// sampleBlocks is how many blocks Cost tries to learn how many clauses
// the search tests per block.
const sampleBlocks = 1 << 12

// Cost estimates how long Exhaustive takes on p, or +Inf when it cannot
// run at all (more than 62 players or variables to enumerate). For a
// formula it runs the search's test on a sample of blocks, counting the
// clauses tested before a block is ruled out (a handful, at any ratio
// where the formula is hard), so that the estimate follows the formula,
// not its length; the count uses no clock, so the estimate is the same on
// every run.
func Cost(p *solvers.Problem) time.Duration {
	if f := formulaOf(p); f != nil {
		if f.Vars > 62 {
			return time.Duration(math.MaxInt64)
		}
		cs, valid := compile(f)
		blocks := uint64(1) << max(f.Vars-6, 0)
		step := max(blocks/sampleBlocks, 1)
		visits, sampled := 0, 0
		// An odd multiple of a stride spreads the sample over every bit
		// of the block number (the variables 7..n).
		for i := uint64(0); i < blocks && sampled < sampleBlocks; i += step {
			h := (i * 0x9E3779B97F4A7C15) & (blocks - 1)
			sat := valid
			for _, c := range cs {
				visits++
				if h&c.pos != 0 || ^h&c.neg != 0 {
					continue
				}
				if sat &= c.low; sat == 0 {
					break
				}
			}
			sampled++
		}
		perBlock := nsPerBlock + nsPerClauseVisit*float64(visits)/float64(sampled)
		return duration(float64(blocks) * perBlock)
	}
	k := p.Game.Players()
	if k > 62 {
		return time.Duration(math.MaxInt64)
	}
	// Each step updates k progress values and checks flips of k entries
	// each until one player deviates.
	return duration(math.Ldexp(1, k) * float64(4*k) * nsPerPlayerStep)
}

func duration(ns float64) time.Duration {
	if ns >= math.MaxInt64 {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(ns)
}

// formulaOf returns the formula whose models are p's non-trivial equilibria
// (a corrected reduction, by Theorem 1 as fixed in the errata and tested in
// package reduction), or nil when the game itself must be searched.
func formulaOf(p *solvers.Problem) *instances.CNF {
	if p.Formula != nil && p.Variant == reduction.Corrected {
		return p.Formula
	}
	return nil
}

// Exhaustive counts the non-trivial pure equilibria of p by trying every
// profile of the game, or, for a corrected reduction problem, every
// assignment of the formula. It returns ctx's error if ctx ends first.
// The code is deliberately plain and shares nothing with the solvers.
func Exhaustive(ctx context.Context, p *solvers.Problem) (Search, error) {
	if f := formulaOf(p); f != nil {
		s, model, err := models(ctx, f)
		if err != nil {
			return Search{}, err
		}
		if model != nil {
			s.First = p.Layout.Profile(model)
		}
		return s, nil
	}
	return profiles(ctx, p)
}

// checkEvery is how many blocks or profiles pass between looks at the
// context.
const checkEvery = 1 << 14

// clause is a clause as the search tests it: the lanes its literals over
// variables 1..6 make true, and masks of the block bits (variables 7..n)
// that make it true.
type clause struct{ low, pos, neg uint64 }

// compile returns f's clauses for the search, and the lanes of a block
// that are real assignments (all 64 from 6 variables on).
func compile(f *instances.CNF) ([]clause, uint64) {
	var lane [6]uint64 // lane[v]: the lanes where variable v+1 is true
	for l := range 64 {
		for v := range 6 {
			if l>>v&1 == 1 {
				lane[v] |= 1 << l
			}
		}
	}
	valid := ^uint64(0)
	if f.Vars < 6 {
		valid = 1<<(1<<f.Vars) - 1
	}
	cs := make([]clause, len(f.Clauses))
	for i, c := range f.Clauses {
		for _, lit := range c {
			v, neg := lit, false
			if v < 0 {
				v, neg = -v, true
			}
			switch {
			case v <= 6 && neg:
				cs[i].low |= ^lane[v-1]
			case v <= 6:
				cs[i].low |= lane[v-1]
			case neg:
				cs[i].neg |= 1 << (v - 7)
			default:
				cs[i].pos |= 1 << (v - 7)
			}
		}
	}
	return cs, valid
}

// models counts the models of f other than all-false, 64 assignments to a
// machine word: bit l of a word is the assignment whose variables 1..6
// are the bits of l and whose other variables are the bits of the block
// number.
func models(ctx context.Context, f *instances.CNF) (Search, []bool, error) {
	n := f.Vars
	s := Search{Space: "assignments", Size: math.Ldexp(1, n)}
	cs, valid := compile(f)
	var first []bool
	blocks := uint64(1) << max(n-6, 0)
	for h := range blocks {
		if h%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return Search{}, nil, err
			}
		}
		sat := valid
		if h == 0 {
			sat &^= 1 // all-false
		}
		for _, c := range cs {
			if h&c.pos != 0 || ^h&c.neg != 0 {
				continue // a literal over the block bits is true
			}
			if sat &= c.low; sat == 0 {
				break
			}
		}
		if sat == 0 {
			continue
		}
		s.Count += int64(bits.OnesCount64(sat))
		if first == nil {
			l := bits.TrailingZeros64(sat)
			first = make([]bool, n)
			for v := range n {
				if v < 6 {
					first[v] = l>>v&1 == 1
				} else {
					first[v] = h>>(v-6)&1 == 1
				}
			}
		}
	}
	return s, first, nil
}

// profiles counts the non-trivial equilibria of p's game straight from the
// definition u_i(a) = mu_i(a) - max_{j != i} mu_j(a): for every profile and
// every player, compare u_i before and after i flips. Profiles are visited
// in Gray-code order so that mu is updated by one column per step.
func profiles(ctx context.Context, p *solvers.Problem) (Search, error) {
	g := p.Game
	k := g.Players()
	s := Search{Space: "profiles", Size: math.Ldexp(1, k)}
	col := make([][]int64, k) // col[i][j]: what j receives when i opens
	for i := range k {
		col[i] = make([]int64, k)
		for j := range k {
			col[i][j] = g.Entry(j, i)
		}
	}
	D, mu := g.Matrix()
	a := make([]bool, k)
	first := 0 // the player to check first: the last one that deviated
	total := uint64(1) << k
	for step := uint64(0); step < total; step++ {
		if step > 0 {
			i := bits.TrailingZeros64(step) // Gray code: flip this player
			a[i] = !a[i]
			for j, v := range col[i] {
				if a[i] {
					mu[j] += v
				} else {
					mu[j] -= v
				}
			}
		}
		if step%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return Search{}, err
			}
		}
		if step == 0 {
			continue // all-closed, which is trivial
		}
		var ok bool
		if ok, first = equilibrium(D, col, mu, a, first); !ok {
			continue
		}
		s.Count++
		if s.First == nil {
			s.First = append([]bool(nil), a...)
		}
	}
	return s, nil
}

// equilibrium reports whether no player gains by flipping its action in a,
// where mu is the progress at a. game.New bounds every mu over all profiles,
// and delta, by 2^61: mu[j]+sign*v is a progress value of the flipped
// profile, and the gain below sums three such numbers, within ±2^63.
//
// Players are checked from first on, wrapping around, and the one that
// deviates is returned: the player who deviated from the previous profile
// usually deviates from the next, which makes the search several times
// faster.
func equilibrium(D, col [][]int64, mu []int64, a []bool, first int) (bool, int) {
	// The two largest progress values, to get max_{j != i} mu_j in O(1).
	best, second, at := int64(math.MinInt64), int64(math.MinInt64), -1
	for j, m := range mu {
		if m > best {
			best, second, at = m, best, j
		} else if m > second {
			second = m
		}
	}
	k := len(col)
	for n := range k {
		i := (first + n) % k
		c := col[i]
		others := best
		if i == at {
			others = second
		}
		sign := int64(1) // i opens
		if a[i] {
			sign = -1
		}
		after := int64(math.MinInt64) // max_{j != i} mu_j after i flips
		for j, v := range c {
			if j != i {
				after = max(after, mu[j]+sign*v)
			}
		}
		// u_i after - u_i before = sign*delta_i - after + others.
		if sign*D[i][i]-after+others > 0 {
			return false, i
		}
	}
	return true, first
}
