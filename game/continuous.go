package game

import (
	"fmt"
	"math/big"
	"math/bits"

	"github.com/nashbench/nashbench/internal/plural"
)

// Continuous actions (section 5 of the paper): each player picks a_i in
// [0, 1], the share it opens. Progress and utility are the same affine maps
// as for discrete actions.
//
// Everything here is exact: payoffs are int64 and actions are rationals
// (math/big.Rat), so progress, utilities, kinks and best responses are exact
// rationals, and no comparison depends on a tolerance.

// BestResponse is a player's best-response set against the others' actions:
// every a_i in [Lo, Hi] attains Value, the greatest u_i over a_i in [0, 1],
// and no other a_i does. The set is an interval because u_i is concave in
// a_i; Lo < Hi when u_i is flat on a segment.
type BestResponse struct {
	Lo, Hi *big.Rat
	Value  *big.Rat
}

// ContinuousDeviation describes a player who is not best-responding in a
// continuous profile.
type ContinuousDeviation struct {
	Player  int
	Utility *big.Rat     // u_i at the profile
	Best    BestResponse // what the player could do instead
	Gain    *big.Rat     // Best.Value - Utility, > 0
}

// checkContinuous validates a continuous profile.
func (g *Game) checkContinuous(a []*big.Rat) error {
	if len(a) != g.Players() {
		return fmt.Errorf("game: profile has %s, want %d", plural.Count(len(a), "action", "actions"), g.Players())
	}
	one := big.NewRat(1, 1)
	for i, x := range a {
		if x == nil {
			return fmt.Errorf("game: action of player %d is nil", i+1)
		}
		if x.Sign() < 0 || x.Cmp(one) > 0 {
			return fmt.Errorf("game: action of player %d is %s, outside [0, 1]", i+1, x.RatString())
		}
	}
	return nil
}

// MuRat returns mu(a) for a continuous profile a, exactly.
func (g *Game) MuRat(a []*big.Rat) ([]*big.Rat, error) {
	if err := g.checkContinuous(a); err != nil {
		return nil, err
	}
	return g.muRat(a), nil
}

func (g *Game) muRat(a []*big.Rat) []*big.Rat {
	mu := make([]*big.Rat, g.Players())
	var t big.Rat
	var row []int64
	for i := range mu {
		row = g.Row(i, row)
		s := new(big.Rat).SetInt64(g.Base(i))
		for j, v := range row {
			if v != 0 && a[j].Sign() != 0 {
				t.SetInt64(v)
				s.Add(s, t.Mul(&t, a[j]))
			}
		}
		mu[i] = s
	}
	return mu
}

// UtilityRat returns u_i(a) = mu_i(a) - max_{j != i} mu_j(a) for a
// continuous profile a, exactly.
func (g *Game) UtilityRat(a []*big.Rat, i int) (*big.Rat, error) {
	mu, err := g.MuRat(a)
	if err != nil {
		return nil, err
	}
	if i < 0 || i >= len(mu) {
		return nil, fmt.Errorf("game: no player %d", i)
	}
	return utilityOf(mu, i), nil
}

func utilityOf(mu []*big.Rat, i int) *big.Rat {
	var m *big.Rat
	for j, v := range mu {
		if j != i && (m == nil || v.Cmp(m) > 0) {
			m = v
		}
	}
	return new(big.Rat).Sub(mu[i], m)
}

// WelfareRat returns W(a), the sum of all players' progress, for a
// continuous profile a, exactly (it cannot overflow).
func (g *Game) WelfareRat(a []*big.Rat) (*big.Rat, error) {
	mu, err := g.MuRat(a)
	if err != nil {
		return nil, err
	}
	w := new(big.Rat)
	for _, m := range mu {
		w.Add(w, m)
	}
	return w, nil
}

// RatProfile returns the discrete profile a as a continuous one (0 and 1).
func RatProfile(a []bool) []*big.Rat {
	out := make([]*big.Rat, len(a))
	for i, x := range a {
		if x {
			out[i] = big.NewRat(1, 1)
		} else {
			out[i] = new(big.Rat)
		}
	}
	return out
}

// BestResponse returns player i's exact best-response set and value against
// the others' actions in a (a_i itself is ignored).
//
// As a function of x = a_i, mu_i = c_i + delta_i x and every competitor's
// mu_j = c_j + D[j][i] x is a line, so u_i(x) = mu_i - max_{j != i} mu_j is
// concave and piecewise linear, with kinks where the upper envelope of the
// competitors' lines changes line, that is, where two competitors tie for
// the max. BestResponse walks that envelope from x = 0 to x = 1 (at most
// k-2 kinks, O(k) work each) and evaluates u_i at 0, each kink and 1; the
// maximum over [0, 1] is attained at one of them, and the maximizers form
// the interval between the first and last point that attains it.
func (g *Game) BestResponse(a []*big.Rat, i int) (BestResponse, error) {
	if err := g.checkContinuous(a); err != nil {
		return BestResponse{}, err
	}
	if i < 0 || i >= g.Players() {
		return BestResponse{}, fmt.Errorf("game: no player %d", i)
	}
	return g.bestResponse(g.muRat(a), a, i), nil
}

func (g *Game) bestResponse(mu, a []*big.Rat, i int) BestResponse {
	k := g.Players()
	// Intercepts: progress at a_i = 0.
	c := make([]*big.Rat, k)
	var t big.Rat
	for j := range k {
		t.SetInt64(g.Entry(j, i))
		c[j] = new(big.Rat).Sub(mu[j], t.Mul(&t, a[i]))
	}
	slope := func(j int) int64 { return g.Entry(j, i) }
	// value of line j at x
	lineAt := func(j int, x *big.Rat) *big.Rat {
		v := new(big.Rat).SetInt64(slope(j))
		v.Mul(v, x)
		return v.Add(v, c[j])
	}

	// The line on top at x = 0: greatest intercept, then greatest slope.
	cur := -1
	for j := range k {
		if j == i {
			continue
		}
		if cur < 0 {
			cur = j
			continue
		}
		if d := c[j].Cmp(c[cur]); d > 0 || (d == 0 && slope(j) > slope(cur)) {
			cur = j
		}
	}
	one := big.NewRat(1, 1)
	pts := []*big.Rat{new(big.Rat)}
	top := []int{cur} // top[m] is on top on [pts[m], pts[m+1]]
	for {
		// The next kink: the first line of greater slope to cross cur. Each
		// such line is strictly below cur at the current point (cur has the
		// greatest slope among the lines on top there), so it crosses later.
		var best *big.Rat
		next := -1
		for j := range k {
			if j == i || slope(j) <= slope(cur) {
				continue
			}
			x := new(big.Rat).Sub(c[cur], c[j])
			x.Quo(x, new(big.Rat).SetInt64(slope(j)-slope(cur))) // both within ±2^61
			if best == nil || x.Cmp(best) < 0 || (x.Cmp(best) == 0 && slope(j) > slope(next)) {
				best, next = x, j
			}
		}
		if next < 0 || best.Cmp(one) >= 0 {
			break
		}
		pts = append(pts, best)
		top = append(top, next)
		cur = next
	}
	pts = append(pts, one)
	top = append(top, cur)

	// u_i at each point; the envelope there is the value of the line on top
	// from that point on (at a kink both lines agree).
	var br BestResponse
	first, last := -1, -1
	for m, x := range pts {
		u := new(big.Rat).SetInt64(g.Entry(i, i))
		u.Mul(u, x)
		u.Add(u, c[i])
		u.Sub(u, lineAt(top[m], x))
		switch {
		case br.Value == nil || u.Cmp(br.Value) > 0:
			br.Value, first, last = u, m, m
		case u.Cmp(br.Value) == 0:
			last = m
		}
	}
	br.Lo = new(big.Rat).Set(pts[first])
	br.Hi = new(big.Rat).Set(pts[last])
	return br
}

// CheckContinuous reports whether the continuous profile a (every action in
// [0, 1]) is a pure Nash equilibrium: for every player, u_i(a) equals the
// exact best-response value. When it is not, it returns the first player
// who can gain, with the gain and its best-response set. The check is exact
// and costs O(k^2) rational operations per player.
func (g *Game) CheckContinuous(a []*big.Rat) (ContinuousDeviation, bool, error) {
	if err := g.checkContinuous(a); err != nil {
		return ContinuousDeviation{}, false, err
	}
	mu := g.muRat(a)
	for i := range g.Players() {
		br := g.bestResponse(mu, a, i)
		u := utilityOf(mu, i)
		if d := br.Value.Cmp(u); d > 0 {
			return ContinuousDeviation{Player: i, Utility: u, Best: br, Gain: new(big.Rat).Sub(br.Value, u)}, false, nil
		} else if d < 0 {
			// u_i(a) is one of the values the maximum ranges over.
			return ContinuousDeviation{}, false, fmt.Errorf("game: internal error: best response %s below u_%d = %s", br.Value.RatString(), i, u.RatString())
		}
	}
	return ContinuousDeviation{}, true, nil
}

// Prediction is what a sufficient condition says a player does.
type Prediction int8

const (
	Undetermined Prediction = iota // the condition says nothing
	Opens
	Closes
)

func (p Prediction) String() string {
	switch p {
	case Opens:
		return "open"
	case Closes:
		return "closed"
	}
	return "undetermined"
}

// Corollary1 returns, for each player, the action the corrected Corollary 1
// prescribes (ERRATA: the condition is on what i gives, D[j][i] = Delta_ij):
// Opens if max_{j != i} D[j][i] < delta_i, Closes if delta_i <
// min_{j != i} D[j][i], else Undetermined.
//
// Either condition makes that action strictly dominant: opening moves u_i by
// delta_i - (the rise of the max), and the max rises by between the least and
// the greatest D[j][i]. So a determined player plays its prediction in every
// pure equilibrium, and a profile in which every player plays a prediction is
// an equilibrium.
func (g *Game) Corollary1() []Prediction {
	k := g.Players()
	out := make([]Prediction, k)
	for i := range k {
		lo, hi, first := int64(0), int64(0), true
		for j := range k {
			if j == i {
				continue
			}
			v := g.Entry(j, i)
			if first {
				lo, hi, first = v, v, false
			}
			lo, hi = min(lo, v), max(hi, v)
		}
		switch d := g.Delta(i); {
		case hi < d:
			out[i] = Opens
		case d < lo:
			out[i] = Closes
		}
	}
	return out
}

// Corollary2 reports, for each player, whether it gains by opening when
// every player is closed, by the strict form of Corollary 2 (ERRATA):
//
//	max_{j != i} d_j - max_{j != i} (d_j + D[j][i]) > -delta_i.
//
// At equality the player is indifferent. The all-closed profile is an
// equilibrium iff no player deviates.
func (g *Game) Corollary2() []bool {
	k := g.Players()
	out := make([]bool, k)
	for i := range k {
		m0, m1, first := int64(0), int64(0), true
		for j := range k {
			if j == i {
				continue
			}
			// d_j + D[j][i] is mu_j with only i open: within ±Bound.
			v0, v1 := g.Base(j), g.Base(j)+g.Entry(j, i)
			if first {
				m0, m1, first = v0, v1, false
			}
			m0, m1 = max(m0, v0), max(m1, v1)
		}
		out[i] = m0-m1 > -g.Delta(i)
	}
	return out
}

// WelfareSlope returns delta_i + sum_{j != i} D[j][i] (= delta_i +
// sum_{j != i} Delta_ij), what opening i adds to the welfare W(a) = sum_j
// mu_j(a) whatever the others do. It is exact (a column sum can exceed
// int64).
func (g *Game) WelfareSlope(i int) *big.Int {
	// A 128-bit two's-complement accumulator: k <= 2^22 terms of at most
	// 2^61 cannot overflow it.
	var hi int64
	var lo uint64
	for j := range g.Players() {
		v := g.Entry(j, i)
		var carry uint64
		lo, carry = bits.Add64(lo, uint64(v), 0)
		hi += int64(carry) + v>>63
	}
	r := new(big.Int).SetInt64(hi)
	r.Lsh(r, 64)
	return r.Add(r, new(big.Int).SetUint64(lo))
}

// WelfareOptimum returns a profile of greatest welfare, over discrete and
// continuous profiles alike (ERRATA, Corollary 3): W is affine and separable,
// W(a) = sum_i WelfareSlope(i) a_i + sum_i d_i, so the optimum opens i iff
// WelfareSlope(i) > 0 (a player with slope 0 stays closed; either action is
// optimal for it).
func (g *Game) WelfareOptimum() []bool {
	a := make([]bool, g.Players())
	for i := range a {
		a[i] = g.WelfareSlope(i).Sign() > 0
	}
	return a
}

// WelfareBig returns W(a) for a discrete profile, exactly, as a big.Int
// (Welfare's int64 can overflow for many players near the bound).
func (g *Game) WelfareBig(a []bool) (*big.Int, error) {
	if len(a) != g.Players() {
		return nil, fmt.Errorf("game: profile has %s, want %d", plural.Count(len(a), "action", "actions"), g.Players())
	}
	w := new(big.Int)
	var t big.Int
	for _, m := range g.Mu(a, nil) {
		w.Add(w, t.SetInt64(m))
	}
	return w, nil
}
