// Package game is the paper's open-or-closed-source game with integer payoffs:
// progress mu(a) = D a + d, utility u_i = mu_i - max_{j != i} mu_j, and an exact
// check of the pure Nash condition (Lemma 1).
package game

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/nashbench/nashbench/internal/plural"
)

// Bound is the largest |mu_i| (and |delta_i|) a game may reach over all
// profiles. Keeping every mu within ±2^61 lets the equilibrium checks add or
// subtract two of them, or a mu and a delta, without overflow, so they need no
// per-operation checks.
const Bound = int64(1) << 61

// MaxPlayers caps the number of players of a game made by New, which
// holds D's k*k entries; MaxStructuredPlayers caps those of NewStructured,
// which hold memory in proportion to k and the exceptions.
const (
	MaxPlayers           = 1 << 14
	MaxStructuredPlayers = 1 << 22
)

// Game is an n-player open-or-closed-source game with integer payoffs.
// Player i's progress is mu_i(a) = sum_j D[i][j] a_j + d[i]: D[i][i] is
// delta_i, what i gains by opening, and D[i][j] (j != i) is Delta_ji in the
// paper's notation, what i receives when j opens. D and d are kept
// unexported because New's overflow bound (Bound) holds only for the entries
// it checked; Entry, Base, Row and Matrix read them.
//
// A game made by New holds D as a matrix. One made by NewStructured holds
// it as u v^T + E with E sparse, so that a reduction game of a formula with
// thousands of variables costs memory and time in proportion to the
// formula, not to k^2.
type Game struct {
	Names []string // optional; nil or one per player

	base []int64   // d in the paper
	mat  [][]int64 // D, for games made by New; nil for structured ones
	st   *structure

	lo, hi []int64 // bounds of mu_i over all profiles
	null   []bool  // Null(i), computed once
}

// New checks shapes and that no mu can leave ±Bound, and returns the game.
// It keeps the given slices.
func New(names []string, D [][]int64, base []int64) (*Game, error) {
	k := len(base)
	if k < 2 {
		return nil, fmt.Errorf("game: need at least 2 players, have %d", k)
	}
	if k > MaxPlayers {
		return nil, fmt.Errorf("game: %d players exceed the limit of %d", k, MaxPlayers)
	}
	if len(D) != k {
		return nil, fmt.Errorf("game: D has %s, want %d (one per player)", plural.Count(len(D), "row", "rows"), k)
	}
	if names != nil && len(names) != k {
		return nil, fmt.Errorf("game: %s for %d players", plural.Count(len(names), "name", "names"), k)
	}
	g := &Game{Names: names, mat: D, base: base, lo: make([]int64, k), hi: make([]int64, k)}
	for i, row := range D {
		if len(row) != k {
			return nil, fmt.Errorf("game: row %d of D has %s, want %d", i+1, plural.Count(len(row), "entry", "entries"), k)
		}
		lo, hi := base[i], base[i]
		if lo > Bound || lo < -Bound {
			return nil, fmt.Errorf("game: d[%d] = %d is beyond ±2^61", i+1, lo)
		}
		for _, v := range row {
			if v > Bound || v < -Bound {
				return nil, fmt.Errorf("game: row %d of D: entry %d is beyond ±2^61", i+1, v)
			}
			// Both stay within ±2^62 + 2^61 < 2^63 before the check below.
			if v < 0 {
				lo += v
			} else {
				hi += v
			}
			if lo < -Bound || hi > Bound {
				return nil, &playerError{i, "progress can leave ±2^61 (payoffs too large)"}
			}
		}
		g.lo[i], g.hi[i] = lo, hi
	}
	g.null = make([]bool, k)
	nonzero := make([]int, k) // per column, off-diagonal nonzero entries
	for i, row := range D {
		for j, v := range row {
			if j != i && v != 0 {
				nonzero[j]++
			}
		}
	}
	for j := range k {
		g.null[j] = nonzero[j] == 0
	}
	return g, nil
}

// playerError is a problem with one player, which the JSON reader places on
// that player's row. Players are numbered from 1 for users, as in P1.
type playerError struct {
	player int // 0-based
	msg    string
}

func (e *playerError) Error() string {
	return fmt.Sprintf("game: player %d's %s", e.player+1, e.msg)
}

// Players returns the number of players.
func (g *Game) Players() int { return len(g.base) }

// Delta returns delta_i, what player i gains by opening.
func (g *Game) Delta(i int) int64 { return g.Entry(i, i) }

// Entry returns D[i][j]: delta_i when i == j, else what i receives when j
// opens.
func (g *Game) Entry(i, j int) int64 {
	if g.st != nil {
		return g.st.entry(i, j)
	}
	return g.mat[i][j]
}

// Base returns d_i, player i's progress when every player is closed.
func (g *Game) Base(i int) int64 { return g.base[i] }

// Row copies row i of D into dst (allocated when too short) and returns it.
func (g *Game) Row(i int, dst []int64) []int64 {
	if g.st != nil {
		return g.st.row(i, dst)
	}
	return append(dst[:0], g.mat[i]...)
}

// Matrix returns copies of D and d, for building a changed game with New.
// For a structured game it costs k*k entries.
func (g *Game) Matrix() (D [][]int64, d []int64) {
	D = make([][]int64, g.Players())
	for i := range D {
		D[i] = g.Row(i, nil)
	}
	return D, slices.Clone(g.base)
}

// String formats D and d, for messages and test failures; games of more
// than 64 players are only summarized.
func (g *Game) String() string {
	if g.Players() > 64 {
		return fmt.Sprintf("a game of %d players", g.Players())
	}
	D, d := g.Matrix()
	return fmt.Sprintf("D=%v d=%v", D, d)
}

// Name returns player i's name, or "P<i+1>" when the game has none.
func (g *Game) Name(i int) string {
	if g.Names != nil && g.Names[i] != "" {
		return g.Names[i]
	}
	return fmt.Sprintf("P%d", i+1)
}

// Mu writes mu(a) into dst (allocated when too short) and returns it.
func (g *Game) Mu(a []bool, dst []int64) []int64 {
	k := g.Players()
	if cap(dst) < k {
		dst = make([]int64, k)
	}
	dst = dst[:k]
	if g.st != nil {
		g.st.mu(g.base, a, dst)
		return dst
	}
	for i, row := range g.mat {
		s := g.base[i]
		for j, v := range row {
			if a[j] {
				s += v
			}
		}
		dst[i] = s
	}
	return dst
}

// Utility returns u_i(a) = mu_i(a) - max_{j != i} mu_j(a).
func (g *Game) Utility(a []bool, i int) int64 {
	mu := g.Mu(a, nil)
	return mu[i] - maxExcept(mu, i)
}

// Welfare returns W(a), the sum of all players' progress. It is exact while
// the sum fits in an int64, and an error otherwise.
func (g *Game) Welfare(a []bool) (int64, error) {
	var w int64
	for _, m := range g.Mu(a, nil) {
		s := w + m
		if (m > 0 && s < w) || (m < 0 && s > w) {
			return 0, errors.New("game: welfare overflows int64")
		}
		w = s
	}
	return w, nil
}

// MuBounds returns, for each player j, the least and greatest mu_j over all
// profiles.
func (g *Game) MuBounds() (lo, hi []int64) { return g.lo, g.hi }

// Null reports whether player i's action changes nobody else's progress.
// Such a player's best response is fixed by the sign of delta_i: open when
// positive, closed when negative, either when zero (then its action changes
// no one's payoff at all, its own included).
func (g *Game) Null(i int) bool { return g.null[i] }

func maxExcept(mu []int64, i int) int64 {
	m := int64(math.MinInt64)
	for j, v := range mu {
		if j != i && v > m {
			m = v
		}
	}
	return m
}
