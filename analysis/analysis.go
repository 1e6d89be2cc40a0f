// Package analysis analyzes one game: its pure equilibria and their welfare,
// the welfare optimum, the prices of anarchy and stability, an equilibrium
// of the continuous game, and what the corrected corollaries predict.
package analysis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/nashbench/nashbench/continuous"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/enum"
)

// Report is the analysis of one game, and what `nashbench analyze --json`
// prints, one object. Its field names are a contract:
//
//	game                 the path given
//	players              player names (P1, P2, ... when the file has none)
//	pure_count           number of pure equilibria of the discrete game, the
//	                     all-closed profile included when it is one
//	pure_complete        whether pure lists all of them (false when more
//	                     than --list exist)
//	pure                 pure equilibria, each {"profile": [0/1 per player],
//	                     "welfare": exact integer, "continuous": whether it
//	                     is also an equilibrium when actions range over
//	                     [0,1]}, the all-closed profile first when it is one,
//	                     the rest in lexicographic order (player 1 closed
//	                     before open)
//	optimum              a welfare-optimal profile {"profile", "welfare",
//	                     "continuous"}:
//	                     i opens iff delta_i + sum_{j!=i} Delta_ij > 0 (it is
//	                     optimal over continuous profiles too, W being affine)
//	price_of_anarchy     optimum welfare / worst pure equilibrium welfare
//	price_of_stability   optimum welfare / best pure equilibrium welfare
//	anarchy_gap          optimum welfare - worst pure equilibrium welfare
//	stability_gap        optimum welfare - best pure equilibrium welfare
//	continuous_status    "found" or "unknown" (time limit reached)
//	continuous           an equilibrium of the continuous game (theorem4 MIP,
//	                     checked exactly), or null: {"profile": exact
//	                     rationals as strings ("1/3"), "profile_float",
//	                     "welfare": exact rational string, "welfare_float",
//	                     "welfare_gap": optimum welfare - its welfare, exact
//	                     string, "nodes": MIP branch-and-bound nodes}
//	corollary1           per player, "open", "closed" or "undetermined":
//	                     the corrected Corollary 1 (each determined action is
//	                     strictly dominant, so every equilibrium plays it)
//	corollary2           per player, whether it gains by opening when every
//	                     player is closed (strict Corollary 2)
//
// Welfare W(a) = sum_i mu_i(a) can be negative or zero, where ratios say
// nothing, so the prices are numbers only when the optimum welfare and the
// equilibrium welfare in question are both positive (then they are >= 1),
// and null otherwise. The gaps are always defined (>= 0) when pure_complete
// is true and some pure equilibrium exists, and null otherwise.
type Report struct {
	Game             string        `json:"game"`
	Players          []string      `json:"players"`
	PureCount        int64         `json:"pure_count"`
	PureComplete     bool          `json:"pure_complete"`
	Pure             []PureProfile `json:"pure"`
	Optimum          PureProfile   `json:"optimum"`
	PriceOfAnarchy   *float64      `json:"price_of_anarchy"`
	PriceOfStability *float64      `json:"price_of_stability"`
	AnarchyGap       *json.Number  `json:"anarchy_gap"`
	StabilityGap     *json.Number  `json:"stability_gap"`
	ContinuousStatus string        `json:"continuous_status"`
	Continuous       *Continuous   `json:"continuous"`
	Corollary1       []string      `json:"corollary1"`
	Corollary2       []bool        `json:"corollary2"`
}

// PureProfile is a pure profile with its welfare.
type PureProfile struct {
	Profile    []int       `json:"profile"`
	Welfare    json.Number `json:"welfare"`
	Continuous bool        `json:"continuous"`

	a []bool
	w *big.Int
}

// Continuous is an equilibrium of the continuous game, in exact rationals.
type Continuous struct {
	Profile      []string  `json:"profile"`
	ProfileFloat []float64 `json:"profile_float"`
	Welfare      string    `json:"welfare"`
	WelfareFloat float64   `json:"welfare_float"`
	WelfareGap   string    `json:"welfare_gap"`
	Nodes        int64     `json:"nodes"`

	a []*big.Rat
}

// Options tune an analysis.
type Options struct {
	// Name is what the report calls the game (the file it came from).
	Name string
	// List is the most pure equilibria to list; the prices need all of
	// them. 0 means 1000.
	List int
	// Timeout is the time limit of the continuous MIP; 0 for none.
	Timeout time.Duration
}

// ErrInterrupted is returned when ctx ends while the pure equilibria are
// enumerated.
var ErrInterrupted = errors.New("analysis: interrupted")

// Analyze analyzes g: its pure equilibria and their welfare, the welfare
// optimum and the prices of anarchy and stability, one equilibrium of the
// continuous game (the corrected Theorem 4 MIP on HiGHS, checked exactly),
// and the corrected corollaries. Games whose payoffs the MIP cannot take
// are refused (solvers.RefusedError) before any work.
func Analyze(ctx context.Context, g *game.Game, opt Options) (*Report, error) {
	path, list, timeout := opt.Name, opt.List, opt.Timeout
	if list == 0 {
		list = 1000
	}
	k := g.Players()
	// Refuse games the MIP cannot take (payoffs beyond 2^53) before any work.
	if _, err := continuous.Build(g, continuous.Corrected); err != nil {
		return nil, &solvers.RefusedError{Reason: fmt.Sprintf("analyze: %s: %v", path, err)}
	}
	an := &Report{Game: path, Corollary2: g.Corollary2()}
	for i := range k {
		an.Players = append(an.Players, g.Name(i))
	}
	for _, p := range g.Corollary1() {
		an.Corollary1 = append(an.Corollary1, p.String())
	}

	// Pure equilibria: the enumerator lists the non-trivial ones; the
	// all-closed profile is checked on its own.
	res, err := enum.Solver{}.Solve(ctx, &solvers.Problem{Game: g}, solvers.Options{Count: true, List: list})
	if err != nil {
		return nil, fmt.Errorf("analyze: %s: %w", path, err)
	}
	if !res.Counted {
		return nil, ErrInterrupted
	}
	_, zeroEq, err := g.Check(make([]bool, k))
	if err != nil {
		return nil, err
	}
	profiles := res.Listed
	slices.SortFunc(profiles, func(a, b []bool) int {
		for i := range a {
			if a[i] != b[i] {
				if b[i] {
					return -1
				}
				return 1
			}
		}
		return 0
	})
	an.PureCount = res.Count
	if zeroEq {
		an.PureCount++
		profiles = append([][]bool{make([]bool, k)}, profiles...)
	}
	an.PureComplete = int64(len(res.Listed)) == res.Count
	for _, a := range profiles {
		if _, ok, err := g.Check(a); err != nil || !ok {
			return nil, fmt.Errorf("analyze: internal error: listed profile %v fails the equilibrium check", a)
		}
		p, err := newPureProfile(g, a)
		if err != nil {
			return nil, err
		}
		an.Pure = append(an.Pure, p)
	}
	if an.Optimum, err = newPureProfile(g, g.WelfareOptimum()); err != nil {
		return nil, err
	}

	// Prices, by the convention documented on analysis.
	if an.PureComplete && len(an.Pure) > 0 {
		worst := slices.MinFunc(an.Pure, func(a, b PureProfile) int { return a.w.Cmp(b.w) })
		best := slices.MaxFunc(an.Pure, func(a, b PureProfile) int { return a.w.Cmp(b.w) })
		opt := an.Optimum.w
		an.PriceOfAnarchy, an.AnarchyGap = price(opt, worst.w)
		an.PriceOfStability, an.StabilityGap = price(opt, best.w)
	}

	// A continuous equilibrium.
	cctx := ctx
	if timeout > 0 {
		var cancel context.CancelFunc
		cctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	cr, err := continuous.Solve(cctx, g, continuous.Corrected, continuous.Options{})
	if err != nil {
		return nil, fmt.Errorf("analyze: continuous equilibrium: %w", err)
	}
	an.ContinuousStatus = cr.Status.String()
	if cr.Status == continuous.Found {
		w, err := g.WelfareRat(cr.Profile)
		if err != nil {
			return nil, err
		}
		gap := new(big.Rat).SetInt(an.Optimum.w)
		gap.Sub(gap, w)
		c := &Continuous{Welfare: w.RatString(), WelfareGap: gap.RatString(), Nodes: cr.Nodes, a: cr.Profile}
		c.WelfareFloat, _ = w.Float64()
		for _, x := range cr.Profile {
			f, _ := x.Float64()
			c.Profile = append(c.Profile, x.RatString())
			c.ProfileFloat = append(c.ProfileFloat, f)
		}
		an.Continuous = c
	}
	return an, nil
}

func newPureProfile(g *game.Game, a []bool) (PureProfile, error) {
	w, err := g.WelfareBig(a)
	if err != nil {
		return PureProfile{}, err
	}
	_, cont, err := g.CheckContinuous(game.RatProfile(a))
	if err != nil {
		return PureProfile{}, err
	}
	p := PureProfile{a: a, w: w, Welfare: json.Number(w.String()), Continuous: cont}
	for _, x := range a {
		p.Profile = append(p.Profile, boolInt(x))
	}
	return p, nil
}

func boolInt(x bool) int {
	if x {
		return 1
	}
	return 0
}

// price returns opt/eq when both are positive, and opt - eq.
func price(opt, eq *big.Int) (*float64, *json.Number) {
	gap := json.Number(new(big.Int).Sub(opt, eq).String())
	if opt.Sign() <= 0 || eq.Sign() <= 0 {
		return nil, &gap
	}
	r, _ := new(big.Rat).SetFrac(opt, eq).Float64()
	return &r, &gap
}

// WriteText writes the report for people.
func (an *Report) WriteText(w io.Writer) {
	k := len(an.Players)
	fmt.Fprintf(w, "Game %s: %d players (%s)\n\n", an.Game, k, strings.Join(an.Players, ", "))

	count := fmt.Sprint(an.PureCount)
	if !an.PureComplete {
		count = fmt.Sprintf("%d, the first %d listed", an.PureCount, len(an.Pure))
	}
	fmt.Fprintf(w, "Pure equilibria (each player opens or not): %s\n", count)
	rows := [][2]string{}
	for _, p := range an.Pure {
		note := ""
		if p.Continuous {
			note = " (also a continuous equilibrium)"
		}
		rows = append(rows, [2]string{opens(an, p.a), "welfare " + p.w.String() + note})
	}
	writeRows(w, rows)

	fmt.Fprintln(w, "\nWelfare optimum (i opens iff delta_i + sum_j Delta_ij > 0):")
	writeRows(w, [][2]string{{opens(an, an.Optimum.a), "welfare " + an.Optimum.w.String()}})

	fmt.Fprintln(w)
	if an.AnarchyGap == nil {
		why := "no pure equilibrium"
		if !an.PureComplete {
			why = "not every pure equilibrium is listed (raise --list)"
		}
		fmt.Fprintf(w, "Price of anarchy and of stability: undefined (%s)\n", why)
	} else {
		fmt.Fprintf(w, "Price of anarchy   (optimum / worst equilibrium): %s\n", priceText(an.PriceOfAnarchy, *an.AnarchyGap))
		fmt.Fprintf(w, "Price of stability (optimum / best equilibrium):  %s\n", priceText(an.PriceOfStability, *an.StabilityGap))
	}

	fmt.Fprintln(w, "\nA continuous equilibrium (a_i in [0,1]; theorem4 MIP, checked exactly):")
	if c := an.Continuous; c != nil {
		parts := make([]string, k)
		for i, x := range c.a {
			parts[i] = an.Players[i] + " " + ratText(x)
		}
		writeRows(w, [][2]string{{strings.Join(parts, ", "), "welfare " + ratText(ratOf(c.Welfare))}})
		if c.WelfareGap != "0" {
			fmt.Fprintf(w, "  %s below the optimum\n", ratText(ratOf(c.WelfareGap)))
		}
	} else {
		fmt.Fprintln(w, "  none found within the time limit (raise --timeout)")
	}

	fmt.Fprintln(w, "\nCorollary 1 (corrected: by what each player gives; strictly dominant actions):")
	by := map[string][]string{}
	for i, p := range an.Corollary1 {
		by[p] = append(by[p], an.Players[i])
	}
	for _, p := range []string{"open", "closed", "undetermined"} {
		label := map[string]string{"open": "always opens", "closed": "never opens", "undetermined": "undetermined"}[p]
		fmt.Fprintf(w, "  %-13s %s\n", label+":", listOrNone(by[p]))
	}

	fmt.Fprintln(w, "\nCorollary 2 (strict: who gains by opening alone when all are closed):")
	var dev []string
	for i, d := range an.Corollary2 {
		if d {
			dev = append(dev, an.Players[i])
		}
	}
	if len(dev) == 0 {
		fmt.Fprintln(w, "  nobody, so all-closed is an equilibrium")
	} else {
		fmt.Fprintf(w, "  %s, so all-closed is not an equilibrium\n", strings.Join(dev, ", "))
	}
}

// writeRows prints two columns, the first padded to a common width.
func writeRows(w io.Writer, rows [][2]string) {
	width := 0
	for _, r := range rows {
		width = max(width, len([]rune(r[0])))
	}
	for _, r := range rows {
		fmt.Fprintf(w, "  %s%s   %s\n", r[0], strings.Repeat(" ", width-len([]rune(r[0]))), r[1])
	}
}

// opens describes a discrete profile by who opens.
func opens(an *Report, a []bool) string {
	var names []string
	for i, x := range a {
		if x {
			names = append(names, an.Players[i])
		}
	}
	switch len(names) {
	case 0:
		return "all closed"
	case len(a):
		return "all open"
	}
	return "open: " + strings.Join(names, ", ")
}

func listOrNone(xs []string) string {
	if len(xs) == 0 {
		return "-"
	}
	return strings.Join(xs, ", ")
}

func priceText(p *float64, gap json.Number) string {
	if p == nil {
		return fmt.Sprintf("undefined (welfare not positive), gap %s", gap)
	}
	return fmt.Sprintf("%.4g (gap %s)", *p, gap)
}

func ratOf(s string) *big.Rat {
	r, _ := new(big.Rat).SetString(s)
	return r
}

// ratText prints a rational exactly, with a decimal for non-integers.
func ratText(x *big.Rat) string {
	if x.IsInt() {
		return x.RatString()
	}
	f, _ := x.Float64()
	return fmt.Sprintf("%s (%.4g)", x.RatString(), f)
}
