// Package searchcert checks the certificates with which the native search
// (solvers/search, format solvers.ProofSearch) proves that a game has no
// non-trivial pure Nash equilibrium. It shares no code with the solver: it
// recomputes every bound from the game itself, and leaves the
// propositional part to the LRAT checker of package verify/lrat.
//
// # Format
//
// A certificate is text:
//
//	c <comment>                      (any number, first)
//	p nash <players> <m>
//	<m lemma lines>                  a b, literals, then 0
//	lrat
//	<an LRAT refutation>             text or binary, as verify/lrat reads
//
// Literal +u says that player u (1-based) opens, -u that it stays closed.
// The formula that the LRAT part refutes has clause 1, the non-triviality
// clause (x1 ∨ … ∨ xk), and clauses 2..m+1, the lemmas' literals in order.
//
// # Lemmas
//
// A lemma line names two players a and b, its witnesses, then its
// literals. The first literal, the pivot, names a player i (neither a nor
// b); the other literals name other players, each once. Let P be the
// partial profile that makes them false. The lemma is valid when, in
// every profile that extends P, player i strictly prefers the pivot's
// action to the other one, so that no profile that falsifies the lemma
// is an equilibrium. The checker sees it by a bound. For j != i let z_j be
// j's progress with a_i = 0, and c_j = D[j][i]; i's gain from opening is
//
//	gain = delta_i + max_j z_j - max_j (z_j + c_j).
//
// Let p(w, m) be the least value of z_w - z_m over the profiles that
// extend P: d_w - d_m plus, for every player u other than i,
// (D[w][u] - D[m][u]) a_u when P sets u, else min(0, D[w][u] - D[m][u]).
//
//   - Pivot +i (i must open: gain > 0) holds when every m != i with
//     p(b, m) <= c_m - c_b has delta_i - c_m > 0 or
//     delta_i - c_m + p(a, m) > 0. The rival m that attains max (z + c)
//     after i opens has z_m + c_m >= z_b + c_b, so p(b, m) <= c_m - c_b,
//     and gain = delta_i - c_m + max z - z_m >= delta_i - c_m +
//     max(0, z_a - z_m) > 0.
//   - Pivot -i (i must stay closed: gain < 0) holds when every l != i with
//     p(a, l) <= 0 has delta_i - c_l < 0 or delta_i - p(b, l) - c_b < 0.
//     The rival l that attains max z has z_l >= z_a, so p(a, l) <= 0, and
//     gain <= delta_i + z_l - max(z_l + c_l, z_b + c_b) =
//     delta_i + min(-c_l, z_l - z_b - c_b) < 0.
//
// Every partial sum of p(w, m) is the difference of two players'
// progress at some profile, within ±2^62 (each progress is within ±2^61,
// game.Bound), and so are c_m - c_b, p(a, m) - c_m (a difference z_a -
// (z_m + c_m) at some profile) and -p(b, l) - c_b; delta_i and c_m are
// entries of D, within ±2^61. The sums compared with 0 are then within
// ±(2^62 + 2^61), so the check is exact in int64.
//
// # Soundness
//
// Every non-trivial equilibrium satisfies clause 1 and every valid lemma,
// so it satisfies every clause the LRAT part derives; the LRAT part derives
// the empty clause, so there is none.
package searchcert

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/verify/lrat"
)

// Stats counts what a check did: the lemmas checked on the game, and the
// LRAT checker's counters.
type Stats struct {
	Lemmas int // lemmas checked by the bound
	LRAT   lrat.Stats
}

// Map returns the counters as a record's stats: proof-theory-lemmas, and
// the LRAT checker's proof-lemmas, proof-deletions and proof-hints.
func (s Stats) Map() map[string]float64 {
	return map[string]float64{
		"proof-theory-lemmas": float64(s.Lemmas),
		"proof-lemmas":        float64(s.LRAT.Lemmas),
		"proof-deletions":     float64(s.LRAT.Deletions),
		"proof-hints":         float64(s.LRAT.Hints),
	}
}

// Check reads a certificate and checks it against g: every lemma by its
// bound, then the LRAT refutation of the non-triviality clause and the
// lemmas. A nil error means that g has no non-trivial pure equilibrium.
func Check(ctx context.Context, g *game.Game, cert io.Reader) (Stats, error) {
	var st Stats
	k := g.Players()
	r := bufio.NewReaderSize(cert, 1<<16)
	line := 0
	next := func() (string, error) {
		for {
			s, err := r.ReadString('\n')
			if err != nil && (err != io.EOF || s == "") {
				if err == io.EOF {
					return "", fmt.Errorf("searchcert: line %d: unexpected end", line+1)
				}
				return "", err
			}
			line++
			s = strings.TrimSpace(s)
			if s == "" || s[0] == 'c' {
				continue
			}
			return s, nil
		}
	}
	head, err := next()
	if err != nil {
		return st, err
	}
	f := strings.Fields(head)
	if len(f) != 4 || f[0] != "p" || f[1] != "nash" {
		return st, fmt.Errorf("searchcert: line %d: want \"p nash <players> <lemmas>\", have %q", line, head)
	}
	players, err1 := strconv.Atoi(f[2])
	m, err2 := strconv.Atoi(f[3])
	if err1 != nil || err2 != nil || m < 0 {
		return st, fmt.Errorf("searchcert: line %d: bad header %q", line, head)
	}
	if players != k {
		return st, fmt.Errorf("searchcert: the certificate is about %d players, the game has %d", players, k)
	}
	c := newChecker(g)
	nt := make([]int, k)
	for u := range nt {
		nt[u] = u + 1
	}
	clauses := [][]int{nt}
	for q := range m {
		if q%1024 == 0 && ctx.Err() != nil {
			return st, ctx.Err()
		}
		s, err := next()
		if err != nil {
			return st, err
		}
		a, b, lits, err := parseLemma(s, k)
		if err != nil {
			return st, fmt.Errorf("searchcert: line %d (lemma %d): %w", line, q+1, err)
		}
		if err := c.lemma(a, b, lits); err != nil {
			return st, fmt.Errorf("searchcert: line %d (lemma %d, clause %d): %w", line, q+1, q+2, err)
		}
		st.Lemmas++
		clauses = append(clauses, lits)
	}
	s, err := next()
	if err != nil {
		return st, err
	}
	if s != "lrat" {
		return st, fmt.Errorf("searchcert: line %d: want \"lrat\" after %d lemmas, have %q", line, m, s)
	}
	ls, err := lrat.Check(ctx, &instances.CNF{Vars: k, Clauses: clauses}, r)
	st.LRAT = ls
	if err != nil {
		return st, fmt.Errorf("searchcert: the LRAT part (after line %d): %w", line, err)
	}
	return st, nil
}

// parseLemma reads one lemma line: witnesses a and b (1..k), then
// nonzero literals within ±k, then 0.
func parseLemma(s string, k int) (a, b int, lits []int, err error) {
	f := strings.Fields(s)
	if len(f) < 4 || f[len(f)-1] != "0" {
		return 0, 0, nil, errors.New("want two witnesses, literals, then 0")
	}
	a, err1 := strconv.Atoi(f[0])
	b, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil || a < 1 || a > k || b < 1 || b > k {
		return 0, 0, nil, fmt.Errorf("bad witnesses %q %q", f[0], f[1])
	}
	lits = make([]int, 0, len(f)-3)
	for _, t := range f[2 : len(f)-1] {
		x, err := strconv.Atoi(t)
		if err != nil || x == 0 || x > k || x < -k {
			return 0, 0, nil, fmt.Errorf("bad literal %q", t)
		}
		lits = append(lits, x)
	}
	return a - 1, b - 1, lits, nil
}

// checker holds the game's columns and values, per pair of players, of
// the least difference of their progress with no player's action known.
type checker struct {
	k       int
	col     [][]int64 // col[u][j] = D[j][u]
	base    []int64
	val     []int8 // the lemma's partial profile: -1 unset
	pa, pb  []int64
	mark    []int // lemma number that last named the player
	lemmaNo int
}

func newChecker(g *game.Game) *checker {
	k := g.Players()
	c := &checker{k: k, col: make([][]int64, k), base: make([]int64, k), val: make([]int8, k),
		pa: make([]int64, k), pb: make([]int64, k), mark: make([]int, k)}
	for u := range k {
		c.col[u] = make([]int64, k)
		c.val[u] = -1
	}
	var row []int64
	for j := range k {
		row = g.Row(j, row)
		c.base[j] = g.Base(j)
		for u, v := range row {
			c.col[u][j] = v
		}
	}
	return c
}

// diffs sets out[m] = p(w, m) for player i under the partial profile
// c.val (see the package comment).
func (c *checker) diffs(i, w int, out []int64) {
	for m := range out {
		out[m] = c.base[w] - c.base[m]
	}
	for u, col := range c.col {
		if u == i {
			continue
		}
		cw := col[w]
		switch c.val[u] {
		case -1:
			for m, v := range col {
				out[m] += min(0, cw-v)
			}
		case 1:
			for m, v := range col {
				out[m] += cw - v
			}
		}
	}
}

// lemma checks one lemma by the bound (see the package comment).
func (c *checker) lemma(a, b int, lits []int) error {
	c.lemmaNo++
	pivot := lits[0]
	i := abs(pivot) - 1
	if a == i || b == i {
		return fmt.Errorf("a witness is the pivot's player %d", i+1)
	}
	for u := range c.val {
		c.val[u] = -1
	}
	c.mark[i] = c.lemmaNo
	for _, x := range lits[1:] {
		u := abs(x) - 1
		if c.mark[u] == c.lemmaNo {
			return fmt.Errorf("player %d appears twice", u+1)
		}
		c.mark[u] = c.lemmaNo
		// The literal is false: -u false means u opens.
		c.val[u] = 0
		if x < 0 {
			c.val[u] = 1
		}
	}
	c.diffs(i, a, c.pa)
	c.diffs(i, b, c.pb)
	ci := c.col[i]
	delta, cb := ci[i], ci[b]
	for m := range c.k {
		if m == i {
			continue
		}
		cm := ci[m]
		if pivot > 0 {
			if c.pb[m] <= cm-cb && !(delta-cm > 0 || delta+(c.pa[m]-cm) > 0) {
				return fmt.Errorf("player %d need not open: player %d may lead after it does", i+1, m+1)
			}
		} else {
			if c.pa[m] <= 0 && !(delta-cm < 0 || delta+(-c.pb[m]-cb) < 0) {
				return fmt.Errorf("player %d need not stay closed: player %d may lead", i+1, m+1)
			}
		}
	}
	return nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
