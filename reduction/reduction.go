// Package reduction maps a CNF formula to the game of Theorem 1, with integer
// payoffs, and maps profiles back to assignments.
package reduction

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/plural"
)

// Variant selects which version of Theorem 1's construction to build.
type Variant int

const (
	// Corrected gives clause and switch players delta = -1, so they strictly
	// prefer to stay closed; then the non-trivial equilibria are exactly the
	// models of the formula other than all-false. The default.
	Corrected Variant = iota
	// Literal is the construction as printed: clause and switch players have
	// delta = 0, so every formula, satisfiable or not, has a non-trivial
	// equilibrium (see ERRATA).
	Literal
)

func (v Variant) String() string {
	if v == Literal {
		return "literal"
	}
	return "corrected"
}

// MarshalText writes the variant as String does: run.json records it.
func (v Variant) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText reads a variant as ParseVariant does.
func (v *Variant) UnmarshalText(b []byte) error {
	x, err := ParseVariant(string(b))
	*v = x
	return err
}

// ParseVariant parses "corrected" or "literal".
func ParseVariant(s string) (Variant, error) {
	switch s {
	case "corrected", "":
		return Corrected, nil
	case "literal":
		return Literal, nil
	}
	return 0, fmt.Errorf("unknown reduction %q (want corrected or literal)", s)
}

// M is the paper's large constant; any M > 3 works. Scaled payoffs use M*(2n+2).
const M = 4

// MaxClauses bounds the formulas Reduce accepts: the game has n+m+1
// players, held in memory in proportion to n + m + literals (a structured
// game, see game.NewStructured).
const MaxClauses = game.MaxStructuredPlayers - 1

// CheckSize says whether a formula of vars variables and clauses clauses
// gives a reduction game of at most maxPlayers players (k = vars+clauses+1),
// so that callers can refuse it from a DIMACS header before reading or
// building anything. Pass game.MaxPlayers where the game will be written or
// read as its dense k x k matrix (reduce's JSON, enum's plan, the MIP and PB
// encodings), game.MaxStructuredPlayers where only its structure is built
// (Reduce itself). The empty formula (0 variables, 0 clauses) is refused
// too: its game would have the switch player alone, and games need two.
// A formula over the bound gets an error that wraps ErrTooManyPlayers.
func CheckSize(vars, clauses, maxPlayers int) error {
	switch {
	case vars < 0 || clauses < 0:
		return fmt.Errorf("reduction: negative size (%d variables, %d clauses)", vars, clauses)
	case vars == 0 && clauses == 0:
		return errors.New("reduction: the empty formula (0 variables, 0 clauses) has no game: its reduction has 1 player, and games need at least 2")
	case vars > maxPlayers || clauses > maxPlayers || vars+clauses+1 > maxPlayers:
		return fmt.Errorf("reduction: %s and %s make %d players, %w %d", plural.Count(vars, "variable", "variables"), plural.Count(clauses, "clause", "clauses"), vars+clauses+1, ErrTooManyPlayers, maxPlayers)
	}
	return nil
}

// ErrTooManyPlayers is wrapped by CheckSize's error for a formula whose game
// has more players than the bound; its text reads "more than" before the bound.
var ErrTooManyPlayers = errors.New("more than")

// Layout says which players of a reduction game play which role:
// players 0..Vars-1 are variable players (player t is variable t+1),
// Vars..Vars+Clauses-1 clause players, and the last one the switch player.
type Layout struct {
	Vars, Clauses int
}

// Switch returns the switch player's index.
func (l Layout) Switch() int { return l.Vars + l.Clauses }

// Players returns the number of players.
func (l Layout) Players() int { return l.Vars + l.Clauses + 1 }

// Reduce builds the game of Theorem 1 for f. With beta = 1/(2n+2) and every
// payoff multiplied by S = 2n+2, all payoffs are integers:
//
//	variable player t: mu = 0
//	clause player j:   mu = M*S - S*f_Cj(a) + sum_t a_t   (f_Cj = true literals of C_j)
//	switch player:     mu = M*S - (n+1)                   (M - 1/2, scaled)
//
// A satisfied clause gives mu <= M*S - S + n < M*S - (n+1); a violated one
// gives mu = M*S + sum_t a_t >= M*S.
func Reduce(f *instances.CNF, v Variant) (*game.Game, Layout, error) {
	if err := f.Validate(); err != nil {
		return nil, Layout{}, err
	}
	n, m := f.Vars, len(f.Clauses)
	if err := CheckSize(n, m, game.MaxStructuredPlayers); err != nil {
		return nil, Layout{}, err
	}
	l := Layout{Vars: n, Clauses: m}
	k := l.Players()
	S := int64(2*n + 2)
	selfDelta := int64(-1)
	if v == Literal {
		selfDelta = 0
	}
	// D is beta*sum_t a_t for every clause player (U marks the clause
	// players, V the variables), corrected by each clause's literals, and
	// the diagonal: all in the exceptions E.
	u, vv := make([]int64, k), make([]int64, k)
	for t := range n {
		vv[t] = 1
	}
	e := make([][]game.Term, k)
	base := make([]int64, k)
	names := make([]string, k)
	for t := range n {
		names[t] = "x" + strconv.Itoa(t+1)
	}
	for j, c := range f.Clauses {
		p := n + j
		names[p] = "C" + strconv.Itoa(j+1)
		u[p] = 1 // beta * sum_t a_t
		base[p] = M * S
		terms := make([]game.Term, 0, len(c)+1)
		for _, lit := range c {
			if lit > 0 { // a_t true adds one true literal
				terms = append(terms, game.Term{Col: lit - 1, Val: -S})
			} else { // 1 - a_t
				base[p] -= S
				terms = append(terms, game.Term{Col: -lit - 1, Val: S})
			}
		}
		e[p] = append(terms, game.Term{Col: p, Val: selfDelta})
	}
	sw := l.Switch()
	names[sw] = "switch"
	base[sw] = M*S - int64(n+1)
	e[sw] = []game.Term{{Col: sw, Val: selfDelta}}
	g, err := game.NewStructured(names, game.Structure{U: u, V: vv, E: e}, base)
	if err != nil {
		return nil, Layout{}, err
	}
	return g, l, nil
}

// Assignment maps a profile of the reduction game to an assignment of the
// formula (assign[t] is variable t+1).
func (l Layout) Assignment(profile []bool) []bool {
	return append([]bool(nil), profile[:l.Vars]...)
}

// Profile maps an assignment to the profile in which variable players play it
// and clause and switch players stay closed.
func (l Layout) Profile(assign []bool) []bool {
	p := make([]bool, l.Players())
	copy(p, assign)
	return p
}

// AllFalseSatisfies reports whether the all-false assignment satisfies f,
// that is, whether every clause has a negative literal. The corrected
// reduction's trivial profile hides exactly that model, so deciding f takes
// this linear check plus the non-trivial equilibrium question.
func AllFalseSatisfies(f *instances.CNF) bool {
	for _, c := range f.Clauses {
		neg := false
		for _, lit := range c {
			if lit < 0 {
				neg = true
				break
			}
		}
		if !neg {
			return false
		}
	}
	return true
}
