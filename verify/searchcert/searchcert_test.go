package searchcert_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/testgen"
	"github.com/nashbench/nashbench/solvers"
	_ "github.com/nashbench/nashbench/solvers/search"
	"github.com/nashbench/nashbench/verify/searchcert"
)

// tightRace draws an AI-race game with d = 0: most have no non-trivial
// equilibrium.
func tightRace(rng *rand.Rand, k int) *game.Game { return testgen.Race(rng, k, 0) }

func small(rng *rand.Rand, k int, r int64) *game.Game { return testgen.Game(rng, k, r) }

// certificate returns the search's certificate for g, nil when g has a
// non-trivial equilibrium.
func certificate(t *testing.T, g *game.Game, workers int) []byte {
	t.Helper()
	s, err := solvers.New("search")
	require.NoError(t, err)
	r, err := s.Solve(context.Background(), &solvers.Problem{Game: g}, solvers.Options{Certify: true, Workers: workers})
	require.NoError(t, err)
	if r.Answer != solvers.None {
		return nil
	}
	require.Equal(t, solvers.ProofSearch, r.Proof.Format())
	return r.Proof.Data()
}

// noGames returns games without a non-trivial equilibrium and their
// certificates.
func noGames(t *testing.T, n int) ([]*game.Game, [][]byte) {
	rng := rand.New(rand.NewPCG(21, 22))
	var gs []*game.Game
	var certs [][]byte
	for len(gs) < n {
		g := tightRace(rng, 4+rng.IntN(12))
		if c := certificate(t, g, 1+rng.IntN(3)); c != nil {
			gs = append(gs, g)
			certs = append(certs, c)
		}
	}
	return gs, certs
}

func TestCheckAccepts(t *testing.T) {
	gs, certs := noGames(t, 40)
	for i, g := range gs {
		st, err := searchcert.Check(context.Background(), g, bytes.NewReader(certs[i]))
		require.NoError(t, err, "%v\n%s", g, certs[i])
		assert.Positive(t, st.LRAT.Lemmas)
		assert.Contains(t, st.Map(), "proof-theory-lemmas")
	}
}

// lemmaLines returns the indices of the lemma lines of a certificate.
func lemmaLines(lines []string) []int {
	var out []int
	in := false
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "p nash"):
			in = true
		case l == "lrat":
			return out
		case in && l != "":
			out = append(out, i)
		}
	}
	return out
}

// TestCheckRejects: changed certificates fail: a lemma with a literal
// flipped or dropped, a lemma whose bound does not hold, a header for
// another game, a truncated refutation, the certificate of another game.
func TestCheckRejects(t *testing.T) {
	gs, certs := noGames(t, 20)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(23, 24))
	for i, g := range gs {
		lines := strings.Split(string(certs[i]), "\n")
		ll := lemmaLines(lines)
		check := func(what string, ls []string) {
			t.Helper()
			_, err := searchcert.Check(ctx, g, strings.NewReader(strings.Join(ls, "\n")))
			assert.Error(t, err, "%s of certificate %d", what, i)
		}
		mutate := func(what string, f func(lits []string) []string) {
			ls := append([]string(nil), lines...)
			q := ll[rng.IntN(len(ll))]
			f0 := strings.Fields(ls[q])
			ls[q] = strings.Join(f0[:2], " ") + " " + strings.Join(f(f0[2:len(f0)-1]), " ") + " 0"
			check(what, ls)
		}
		// The pivot flipped: the player then strictly prefers the other side.
		mutate("a flipped pivot", func(l []string) []string {
			l[0] = neg(l[0])
			return l
		})
		// The explanations are minimal: without any one literal the bound
		// (with the same witnesses) fails.
		mutate("a dropped literal", func(l []string) []string {
			if len(l) == 1 {
				return []string{neg(l[0])}
			}
			q := 1 + rng.IntN(len(l)-1)
			return append(l[:q], l[q+1:]...)
		})
		ls := append([]string(nil), lines...)
		for q, l := range ls {
			if strings.HasPrefix(l, "p nash") {
				ls[q] = "p nash " + strconv.Itoa(g.Players()+1) + " " + strings.Fields(l)[3]
			}
		}
		check("the header of another game", ls)
		// Cut before the empty clause.
		last := len(lines) - 1
		for last > 0 && !strings.Contains(lines[last], " 0 ") || strings.Contains(lines[last], " d ") {
			last--
		}
		check("a truncated refutation", lines[:last])
		// A game of the same size that has an equilibrium: no certificate
		// may check against it.
		for {
			other := small(rng, g.Players(), 100)
			if certificate(t, other, 1) == nil {
				_, err := searchcert.Check(ctx, other, bytes.NewReader(certs[i]))
				assert.Error(t, err, "certificate %d on a game with an equilibrium", i)
				break
			}
		}
	}
	// A refutation of the non-triviality clause alone.
	g := gs[0]
	_, err := searchcert.Check(ctx, g, strings.NewReader("p nash "+strconv.Itoa(g.Players())+" 0\nlrat\n2 0 1 0\n"))
	assert.Error(t, err)
}

func neg(s string) string {
	if strings.HasPrefix(s, "-") {
		return s[1:]
	}
	return "-" + s
}

// TestLemmaSound: a lemma the checker accepts is true, by brute force
// over the completions of its partial profile, on random small games with
// ties and random lemmas; and a certificate for a game with a non-trivial
// equilibrium never checks.
func TestLemmaSound(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	accepted := 0
	for range 8000 {
		k := 3 + rng.IntN(5)
		g := small(rng, k, 1+rng.Int64N(4))
		i := rng.IntN(k)
		pivot := i + 1
		if rng.IntN(2) == 0 {
			pivot = -pivot
		}
		if k < 2 {
			continue
		}
		wa, wb := rng.IntN(k), rng.IntN(k)
		if wa == i || wb == i {
			continue
		}
		lits := []int{pivot}
		val := make([]int8, k)
		for u := range k {
			val[u] = -1
			if u != i && rng.IntN(2) == 0 {
				// The literal is false under the profile.
				if rng.IntN(2) == 0 {
					lits = append(lits, u+1)
					val[u] = 0
				} else {
					lits = append(lits, -(u + 1))
					val[u] = 1
				}
			}
		}
		var b strings.Builder
		b.WriteString("p nash " + strconv.Itoa(k) + " 1\n")
		b.WriteString(strconv.Itoa(wa+1) + " " + strconv.Itoa(wb+1) + " ")
		for _, x := range lits {
			b.WriteString(strconv.Itoa(x) + " ")
		}
		b.WriteString("0\nlrat\n")
		_, err := searchcert.Check(context.Background(), g, strings.NewReader(b.String()))
		require.Error(t, err) // no empty clause
		if strings.Contains(err.Error(), "lemma 1") {
			continue // the bound refused it
		}
		require.Contains(t, err.Error(), "LRAT")
		accepted++
		free := []int{}
		for u, v := range val {
			if v < 0 && u != i {
				free = append(free, u)
			}
		}
		a := make([]bool, k)
		for u, v := range val {
			a[u] = v == 1
		}
		for mask := range 1 << len(free) {
			for q, u := range free {
				a[u] = mask>>q&1 == 1
			}
			a[i] = true
			open := g.Utility(a, i)
			a[i] = false
			closed := g.Utility(a, i)
			if pivot > 0 {
				require.Greater(t, open, closed, "lemma %v of %v at %v", lits, g, a)
			} else {
				require.Less(t, open, closed, "lemma %v of %v at %v", lits, g, a)
			}
		}
	}
	require.Greater(t, accepted, 200)
}
