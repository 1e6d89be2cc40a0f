// Package continuous finds a pure Nash equilibrium of the continuous game
// (section 5 of the paper: every a_i in [0, 1]) by solving Theorem 4's MIP
// with HiGHS, as printed or corrected, and checks every answer exactly with
// game.CheckContinuous before returning it.
//
// # Formulations
//
// Both are the constraints (3a)–(3h). For each player i and competitor j != i:
// columns a_i in [0, 1], mu_i, m_i (the best competitor's progress),
// binaries y_ij, b0_i, b1_i, and lambda_ij in [0, 1], alpha_i, beta_i >= 0
// (g_i = sum_j lambda_ij Delta_ij is substituted into (3h)):
//
//	(3a) mu_i = sum_j D[i][j] a_j + d_i
//	(3b) m_i >= mu_j
//	(3c) m_i <= mu_j + M_ij (1 - y_ij)
//	(3d) sum_j y_ij = 1 (printed) or >= 1 (corrected);  sum_j lambda_ij = 1
//	(3e) lambda_ij <= y_ij
//	(3f) b0_i + b1_i <= 1,  a_i <= 1 - b0_i,  a_i >= b1_i
//	(3g) alpha_i <= Ma_i b0_i,  beta_i <= Mb_i b1_i
//	(3h) delta_i - sum_j lambda_ij D[j][i] + alpha_i - beta_i = 0
//
// Printed (`theorem4-printed`): exactly one competitor j carries the
// subgradient, so g_i = Delta_ij for one j tied at the max. An interior a_i
// then needs delta_i = Delta_ij exactly, and the MIP misses every
// equilibrium with a generic interior action (ERRATA, Theorem 4).
//
// Corrected (`theorem4`): y_ij = 1 marks any set of competitors tied at the
// max, (3c) forcing each of them to attain it; lambda spreads over that set,
// so g_i ranges over the convex hull of their Delta_ij, which is the whole
// superdifferential of the max in a_i. The MIP is then feasible exactly at
// the equilibria, and Theorem 3 says there is one.
//
// With k players each has 7k + 2k(k-1) columns (2k + k(k-1) binaries) and
// 9k + 3k(k-1) rows.
//
// The big-M values come from the game, never a constant: M_ij = max_{l != i}
// hi_l - lo_j from the bounds of mu over [0,1]^k (game.MuBounds; mu is
// affine, so its extremes are at vertices), and Ma_i = max(0, max_j D[j][i] -
// delta_i), Mb_i = max(0, delta_i - min_j D[j][i]) from the slopes.
//
// # Tolerances
//
// HiGHS works in float64 with its default tolerances (primal feasibility
// 1e-7, integrality 1e-6), so Solve refuses games whose payoffs or progress
// bounds exceed 2^53 in magnitude, where float64 stops holding every integer.
// HiGHS's answer is never reported as is. Its actions are turned into
// rationals, and the profile is returned only if game.CheckContinuous
// accepts it exactly. The candidates, in order:
//
//  1. snap: players HiGHS put at a corner (b0 or b1 set, or a_i within 1e-6
//     of 0 or 1) at that corner; every other a_i replaced by the simplest
//     rational within 1e-6 (then 1e-9) of it;
//  2. ties: corners as in 1; the interior actions solved exactly (Gaussian
//     elimination over the rationals) from the equations mu_j = mu_l for
//     every pair of competitors HiGHS marked tied at some player's max
//     (y_ij = 1), then from those within 1e-6 (relative) of the max in
//     HiGHS's point. Unknowns the equations leave free take their snapped
//     values from 1.
//
// If none verifies, the binaries are fixed at HiGHS's values and the LP that
// remains is solved again with presolve off (a cleaner vertex), and the
// candidates are tried on its answer. If still none verifies, Solve returns
// an error: it never reports an unverified equilibrium.
package continuous

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"time"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/highs"
)

// Formulation selects the form of Theorem 4's MIP.
type Formulation int

const (
	Corrected Formulation = iota // "theorem4": every tied competitor may carry weight
	Printed                      // "theorem4-printed": one selected competitor carries it
)

func (f Formulation) String() string {
	switch f {
	case Corrected:
		return "theorem4"
	case Printed:
		return "theorem4-printed"
	}
	return fmt.Sprintf("Formulation(%d)", int(f))
}

// ParseFormulation accepts "theorem4" and "theorem4-printed".
func ParseFormulation(s string) (Formulation, error) {
	switch s {
	case "theorem4":
		return Corrected, nil
	case "theorem4-printed":
		return Printed, nil
	}
	return 0, fmt.Errorf("unknown formulation %q (have theorem4, theorem4-printed)", s)
}

// Options tune a solve. A deadline on the context bounds it too.
type Options struct {
	TimeLimit  time.Duration // per HiGHS run; 0 means none
	RandomSeed int           // HiGHS's random_seed
	Log        io.Writer     // HiGHS's log; nil for none
	// Solver, if set, runs the MIP (and is left open); otherwise Solve
	// starts a HiGHS instance and closes it.
	Solver *highs.Solver
}

// Status is the outcome of a solve.
type Status int

const (
	Unknown    Status = iota // a time limit or the context stopped HiGHS
	Found                    // Result.Profile is a verified equilibrium
	Infeasible               // HiGHS proved the MIP infeasible
)

func (s Status) String() string {
	switch s {
	case Found:
		return "found"
	case Infeasible:
		return "infeasible"
	}
	return "unknown"
}

// Size is the size of a formulation's MIP.
type Size struct {
	Rows, Cols, Binaries, Nonzeros int
}

// Result is what Solve found.
type Result struct {
	Status Status
	// Profile is an exact equilibrium that game.CheckContinuous accepted,
	// when Status is Found.
	Profile []*big.Rat
	// Raw is HiGHS's float value of each a_i (nil without a solution).
	Raw []float64
	// Recovery names the candidate that verified: "snap" or "ties", with
	// "+lp" when it came from the LP re-solve.
	Recovery string
	Nodes    int64 // branch-and-bound nodes of the MIP
	Solves   int   // HiGHS runs (2 when the LP re-solve was needed)
	Size     Size
	RunTime  time.Duration // HiGHS's own time, summed over runs
}

// maxExact is the largest magnitude every integer up to which float64 holds.
const maxExact = int64(1) << 53

// layout maps the formulation's variables to columns.
type layout struct{ k int }

func (l layout) a(i int) int     { return i }
func (l layout) mu(i int) int    { return l.k + i }
func (l layout) m(i int) int     { return 2*l.k + i }
func (l layout) b0(i int) int    { return 3*l.k + i }
func (l layout) b1(i int) int    { return 4*l.k + i }
func (l layout) alpha(i int) int { return 5*l.k + i }
func (l layout) beta(i int) int  { return 6*l.k + i }

// pair numbers the (i, j) pairs with j != i.
func (l layout) pair(i, j int) int {
	if j > i {
		j--
	}
	return i*(l.k-1) + j
}
func (l layout) y(i, j int) int      { return 7*l.k + l.pair(i, j) }
func (l layout) lambda(i, j int) int { return 7*l.k + l.k*(l.k-1) + l.pair(i, j) }
func (l layout) cols() int           { return 7*l.k + 2*l.k*(l.k-1) }

// roundUp returns the least float64 >= v.
func roundUp(v int64) float64 {
	f := float64(v)
	if f < 0x1p63 && int64(f) < v {
		f = math.Nextafter(f, math.Inf(1))
	}
	return f
}

// Build returns formulation f of g's continuous equilibria as a HiGHS
// model (no objective: any feasible point is an answer).
func Build(g *game.Game, f Formulation) (*highs.Model, error) {
	if f != Corrected && f != Printed {
		return nil, fmt.Errorf("continuous: unknown formulation %d", int(f))
	}
	k := g.Players()
	lo, hi := g.MuBounds()
	for i := range k {
		for j, v := range g.Row(i, nil) {
			if v > maxExact || v < -maxExact {
				return nil, fmt.Errorf("continuous: D[%d][%d] = %d exceeds 2^53 in magnitude; HiGHS works in float64, which holds integers exactly only up to 2^53", i, j, v)
			}
		}
		if b := g.Base(i); b > maxExact || b < -maxExact {
			return nil, fmt.Errorf("continuous: d[%d] = %d exceeds 2^53 in magnitude; HiGHS works in float64, which holds integers exactly only up to 2^53", i, b)
		}
		if lo[i] < -maxExact || hi[i] > maxExact {
			return nil, fmt.Errorf("continuous: %s's progress ranges over [%d, %d], beyond ±2^53; HiGHS works in float64, which holds integers exactly only up to 2^53", g.Name(i), lo[i], hi[i])
		}
	}
	l := layout{k}
	n := l.cols()
	m := &highs.Model{
		ColCosts: make([]float64, n),
		ColLower: make([]float64, n),
		ColUpper: make([]float64, n),
		VarTypes: make([]highs.VarType, n),
	}
	row := func(lower, upper float64, entries ...highs.Nonzero) {
		r := len(m.RowLower)
		m.RowLower = append(m.RowLower, lower)
		m.RowUpper = append(m.RowUpper, upper)
		for _, e := range entries {
			if e.Val != 0 {
				e.Row = r
				m.ConstMatrix = append(m.ConstMatrix, e)
			}
		}
	}
	nz := func(col int, v float64) highs.Nonzero { return highs.Nonzero{Col: col, Val: v} }
	inf := math.Inf(1)

	// maxOther[i] = max_{j != i} of lo and hi: the range of m_i.
	for i := range k {
		mLo, mHi := int64(math.MinInt64), int64(math.MinInt64)
		sLo, sHi := int64(math.MaxInt64), int64(math.MinInt64) // slopes D[j][i]
		for j := range k {
			if j != i {
				mLo, mHi = max(mLo, lo[j]), max(mHi, hi[j])
				sLo, sHi = min(sLo, g.Entry(j, i)), max(sHi, g.Entry(j, i))
			}
		}
		m.ColUpper[l.a(i)] = 1
		m.ColLower[l.mu(i)], m.ColUpper[l.mu(i)] = float64(lo[i]), float64(hi[i])
		m.ColLower[l.m(i)], m.ColUpper[l.m(i)] = float64(mLo), float64(mHi)
		for _, c := range []int{l.b0(i), l.b1(i)} {
			m.ColUpper[c], m.VarTypes[c] = 1, highs.Integer
		}
		ma := roundUp(max(0, sHi-g.Delta(i))) // alpha = g_i - delta_i <= sHi - delta_i
		mb := roundUp(max(0, g.Delta(i)-sLo)) // beta = delta_i - g_i <= delta_i - sLo
		m.ColUpper[l.alpha(i)], m.ColUpper[l.beta(i)] = ma, mb

		// (3a)
		entries := []highs.Nonzero{nz(l.mu(i), 1)}
		for j, v := range g.Row(i, nil) {
			entries = append(entries, nz(l.a(j), -float64(v)))
		}
		row(float64(g.Base(i)), float64(g.Base(i)), entries...)
		var ys, lambdas []highs.Nonzero
		h := []highs.Nonzero{nz(l.alpha(i), -1), nz(l.beta(i), 1)}
		for j := range k {
			if j == i {
				continue
			}
			y, lam := l.y(i, j), l.lambda(i, j)
			m.ColUpper[y], m.VarTypes[y] = 1, highs.Integer
			m.ColUpper[lam] = 1
			// (3b) and (3c); M_ij bounds m_i - mu_j from above.
			row(0, inf, nz(l.m(i), 1), nz(l.mu(j), -1))
			mij := roundUp(max(0, mHi-lo[j]))
			row(-inf, mij, nz(l.m(i), 1), nz(l.mu(j), -1), nz(y, mij))
			// (3e)
			row(-inf, 0, nz(lam, 1), nz(y, -1))
			ys = append(ys, nz(y, 1))
			lambdas = append(lambdas, nz(lam, 1))
			h = append(h, nz(lam, float64(g.Entry(j, i))))
		}
		// (3d)
		if f == Printed {
			row(1, 1, ys...)
		} else {
			row(1, inf, ys...)
		}
		row(1, 1, lambdas...)
		// (3f)
		row(-inf, 1, nz(l.b0(i), 1), nz(l.b1(i), 1))
		row(-inf, 1, nz(l.a(i), 1), nz(l.b0(i), 1))
		row(0, inf, nz(l.a(i), 1), nz(l.b1(i), -1))
		// (3g)
		row(-inf, 0, nz(l.alpha(i), 1), nz(l.b0(i), -ma))
		row(-inf, 0, nz(l.beta(i), 1), nz(l.b1(i), -mb))
		// (3h): sum_j lambda_ij D[j][i] - alpha_i + beta_i = delta_i
		d := float64(g.Delta(i))
		row(d, d, h...)
	}
	return m, nil
}

// SizeOf returns the size of a model.
func SizeOf(m *highs.Model) Size {
	s := Size{Rows: len(m.RowLower), Cols: len(m.ColCosts), Nonzeros: len(m.ConstMatrix)}
	for _, t := range m.VarTypes {
		if t == highs.Integer {
			s.Binaries++
		}
	}
	return s
}

// Solve finds an equilibrium of g's continuous game with formulation f.
// It returns Status Unknown (and no error) when a time limit or ctx stops
// HiGHS, and Infeasible when HiGHS proves the printed formulation infeasible.
// For the corrected formulation, infeasibility contradicts Theorem 3 and is
// an error, as is a HiGHS answer that no candidate turns into an exact
// equilibrium.
func Solve(ctx context.Context, g *game.Game, f Formulation, opt Options) (*Result, error) {
	m, err := Build(g, f)
	if err != nil {
		return nil, err
	}
	res := &Result{Size: SizeOf(m)}
	s := opt.Solver
	if s == nil {
		if s, err = highs.NewSolver(ctx); err != nil {
			if isCtx(err) {
				return res, nil
			}
			return nil, err
		}
		defer s.Close()
	}
	hopt := highs.Options{TimeLimit: opt.TimeLimit, RandomSeed: opt.RandomSeed, Log: opt.Log}
	sol, err := s.Solve(ctx, m, hopt)
	if err != nil {
		if isCtx(err) {
			return res, nil
		}
		return nil, fmt.Errorf("continuous: %w", err)
	}
	res.Solves, res.Nodes, res.RunTime = 1, sol.Nodes, sol.RunTime
	switch sol.Status {
	case highs.Optimal:
	case highs.Infeasible:
		if f == Corrected {
			return nil, errors.New("continuous: HiGHS reports the corrected formulation infeasible, which contradicts Theorem 3 (numerical trouble?)")
		}
		res.Status = Infeasible
		return res, nil
	case highs.TimeLimit, highs.Interrupt, highs.IterationLimit, highs.SolutionLimit, highs.Unknown:
		if sol.ColValues == nil {
			return res, nil
		}
	default:
		return nil, fmt.Errorf("continuous: HiGHS ended with status %v", sol.Status)
	}
	if sol.ColValues == nil {
		return nil, fmt.Errorf("continuous: HiGHS reports %v without a solution", sol.Status)
	}
	l := layout{g.Players()}
	res.Raw = make([]float64, l.k)
	for i := range l.k {
		res.Raw[i] = sol.ColValues[l.a(i)]
	}
	if p, how := recoverProfile(g, l, sol.ColValues); p != nil {
		res.Status, res.Profile, res.Recovery = Found, p, how
		return res, nil
	}

	// Fix the binaries and solve the LP that remains, without presolve.
	lp := *m
	lp.ColLower = append([]float64(nil), m.ColLower...)
	lp.ColUpper = append([]float64(nil), m.ColUpper...)
	lp.VarTypes = nil
	for c, t := range m.VarTypes {
		if t == highs.Integer {
			v := math.Round(sol.ColValues[c])
			lp.ColLower[c], lp.ColUpper[c] = v, v
		}
	}
	hopt.Presolve = highs.PresolveOff
	sol2, err := s.Solve(ctx, &lp, hopt)
	if err != nil {
		if isCtx(err) {
			return res, nil // Status Unknown
		}
		return nil, fmt.Errorf("continuous: LP re-solve: %w", err)
	}
	res.Solves++
	res.RunTime += sol2.RunTime
	if sol2.Status == highs.Optimal && sol2.ColValues != nil {
		if p, how := recoverProfile(g, l, sol2.ColValues); p != nil {
			res.Status, res.Profile, res.Recovery = Found, p, how+"+lp"
			return res, nil
		}
	}
	return nil, fmt.Errorf("continuous: HiGHS's solution a = %v (%s) does not round to an exact equilibrium", res.Raw, f)
}

func isCtx(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

const (
	cornerTol = 1e-6 // a_i this close to 0 or 1 is taken as the corner
	tieTol    = 1e-6 // relative: mu_j this close to the max is taken as tied
)

// recoverProfile turns HiGHS's column values x into an exact profile that
// game.CheckContinuous accepts, or returns nil.
func recoverProfile(g *game.Game, l layout, x []float64) ([]*big.Rat, string) {
	k := l.k
	corner := make([]*big.Rat, k) // nil for interior players
	for i := range k {
		v := x[l.a(i)]
		switch {
		case x[l.b0(i)] > 0.5 || v <= cornerTol:
			corner[i] = new(big.Rat)
		case x[l.b1(i)] > 0.5 || v >= 1-cornerTol:
			corner[i] = big.NewRat(1, 1)
		}
	}
	verified := func(a []*big.Rat) bool {
		if a == nil {
			return false
		}
		_, ok, err := g.CheckContinuous(a)
		return err == nil && ok
	}
	var snapped []*big.Rat
	for _, tol := range []float64{1e-6, 1e-9} {
		a := make([]*big.Rat, k)
		for i := range k {
			if corner[i] != nil {
				a[i] = corner[i]
			} else {
				a[i] = simplestNear(x[l.a(i)], tol)
			}
		}
		if snapped == nil {
			snapped = a
		}
		if verified(a) {
			return a, "snap"
		}
	}

	// Tie equations, from y and then from the float point.
	fromY := make([][]int, k)
	fromTol := make([][]int, k)
	for i := range k {
		mx := math.Inf(-1)
		for j := range k {
			if j != i {
				mx = max(mx, x[l.mu(j)])
			}
		}
		for j := range k {
			if j == i {
				continue
			}
			if x[l.y(i, j)] > 0.5 {
				fromY[i] = append(fromY[i], j)
			}
			if x[l.mu(j)] >= mx-tieTol*max(1, math.Abs(mx)) {
				fromTol[i] = append(fromTol[i], j)
			}
		}
	}
	for _, ties := range [][][]int{fromY, fromTol} {
		if a := solveTies(g, corner, snapped, ties); verified(a) {
			return a, "ties"
		}
	}
	return nil, ""
}

// simplestNear returns the rational of least denominator within tol of x,
// clipped to [0, 1].
func simplestNear(x, tol float64) *big.Rat {
	lo, hi := new(big.Rat), big.NewRat(1, 1)
	if x-tol > 0 {
		lo.SetFloat64(x - tol)
	}
	if x+tol < 1 {
		hi.SetFloat64(x + tol)
	}
	if lo.Cmp(hi) > 0 { // x outside [0, 1] by more than tol
		if x < 0 {
			return new(big.Rat)
		}
		return big.NewRat(1, 1)
	}
	return simplest(lo, hi)
}

// simplest returns the rational of least denominator in [lo, hi], for
// 0 <= lo <= hi, by the continued-fraction (Stern–Brocot) descent.
func simplest(lo, hi *big.Rat) *big.Rat {
	// c = ceil(lo)
	c := new(big.Int).Quo(lo.Num(), lo.Denom())
	if !lo.IsInt() {
		c.Add(c, big.NewInt(1))
	}
	if cr := new(big.Rat).SetInt(c); cr.Cmp(hi) <= 0 {
		return cr
	}
	// lo and hi share the integer part f and neither is an integer:
	// simplest in [lo, hi] = f + 1 / simplest in [1/(hi-f), 1/(lo-f)].
	f := new(big.Rat).SetInt(c.Sub(c, big.NewInt(1)))
	l2 := new(big.Rat).Sub(hi, f)
	h2 := new(big.Rat).Sub(lo, f)
	r := simplest(l2.Inv(l2), h2.Inv(h2))
	return r.Add(r.Inv(r), f)
}

// solveTies fixes the corner players and solves, over the rationals, the
// equations mu_j(a) = mu_l(a) for consecutive members of each ties[i], for
// the interior actions. Unknowns left free take their value in guess. It
// returns nil when the equations are inconsistent.
func solveTies(g *game.Game, corner, guess []*big.Rat, ties [][]int) []*big.Rat {
	k := g.Players()
	var unk []int // interior players
	col := make([]int, k)
	for i := range k {
		col[i] = -1
		if corner[i] == nil {
			col[i] = len(unk)
			unk = append(unk, i)
		}
	}
	s := len(unk)
	// Rows: coefficients of the unknowns, then the right-hand side.
	var rows [][]*big.Rat
	for _, t := range ties {
		for q := 1; q < len(t); q++ {
			j, h := t[q-1], t[q]
			r := make([]*big.Rat, s+1)
			rhs := big.NewRat(g.Base(h)-g.Base(j), 1) // within ±2^62
			for c := range k {
				diff := g.Entry(j, c) - g.Entry(h, c) // within ±2^62
				if col[c] >= 0 {
					r[col[c]] = big.NewRat(diff, 1)
				} else if corner[c].Sign() != 0 {
					rhs.Sub(rhs, new(big.Rat).Mul(big.NewRat(diff, 1), corner[c]))
				}
			}
			r[s] = rhs
			rows = append(rows, r)
		}
	}
	// Reduced row echelon form.
	pivotOf := make([]int, s) // row of each pivot column, or -1
	for c := range pivotOf {
		pivotOf[c] = -1
	}
	rank := 0
	for c := 0; c < s && rank < len(rows); c++ {
		p := -1
		for r := rank; r < len(rows); r++ {
			if rows[r][c].Sign() != 0 {
				p = r
				break
			}
		}
		if p < 0 {
			continue
		}
		rows[rank], rows[p] = rows[p], rows[rank]
		inv := new(big.Rat).Inv(rows[rank][c])
		for q := c; q <= s; q++ {
			rows[rank][q].Mul(rows[rank][q], inv)
		}
		for r := range rows {
			if r == rank || rows[r][c].Sign() == 0 {
				continue
			}
			fac := new(big.Rat).Set(rows[r][c])
			for q := c; q <= s; q++ {
				rows[r][q].Sub(rows[r][q], new(big.Rat).Mul(fac, rows[rank][q]))
			}
		}
		pivotOf[c] = rank
		rank++
	}
	for r := rank; r < len(rows); r++ {
		if rows[r][s].Sign() != 0 {
			return nil // inconsistent
		}
	}
	a := make([]*big.Rat, k)
	for i := range k {
		if corner[i] != nil {
			a[i] = corner[i]
		} else if pivotOf[col[i]] < 0 {
			a[i] = guess[i]
		}
	}
	for c, r := range pivotOf {
		if r < 0 {
			continue
		}
		v := new(big.Rat).Set(rows[r][s])
		for q := c + 1; q < s; q++ {
			if pivotOf[q] < 0 && rows[r][q].Sign() != 0 {
				v.Sub(v, new(big.Rat).Mul(rows[r][q], guess[unk[q]]))
			}
		}
		a[unk[c]] = v
	}
	return a
}
