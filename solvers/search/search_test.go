package search

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/testtool"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/enum"
	"github.com/nashbench/nashbench/verify"
)

// solveWith solves g and checks the result as bench would: the witness,
// and a "no" by its certificate when asked for one.
func solveWith(t testing.TB, s Solver, g *game.Game, opt solvers.Options) *solvers.Result {
	t.Helper()
	p := &solvers.Problem{Game: g}
	r, err := s.Solve(context.Background(), p, opt)
	require.NoError(t, err)
	require.NoError(t, verify.Result(p, r), "%v", g)
	if r.Answer == solvers.None && opt.Certify {
		require.NotNil(t, r.Proof)
		require.Equal(t, solvers.ProofSearch, r.Proof.Format())
		out, err := verify.Answer(context.Background(), p, r, 0)
		require.NoError(t, err, "%v\n%s", g, r.Proof.Data())
		require.Equal(t, record.CheckProof, out.Check)
	}
	return r
}

func enumCount(t testing.TB, g *game.Game) (int64, []bool) {
	t.Helper()
	r, err := enum.Solver{}.Solve(context.Background(), &solvers.Problem{Game: g}, solvers.Options{Count: true, MaxPlayers: 30})
	require.NoError(t, err)
	return r.Count, r.Witness
}

var interval = func() config {
	c := defaultConfig()
	c.pair = false
	return c
}()

// TestAgainstEnum: answers and counts match exhaustive search on many
// small games, with and without workers, with either bound, and every
// "no" comes with a certificate that checks.
func TestAgainstEnum(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 600
	if testing.Short() {
		n = 150
	}
	for i := range n {
		k := 2 + rng.IntN(9)
		var g *game.Game
		switch i % 4 {
		case 0:
			g = smallGame(rng, k, 1+rng.Int64N(3))
		case 1:
			g = smallGame(rng, k, 1000)
		case 2:
			g = raceGame(rng, k)
		default:
			g = uniformGame(rng, k)
		}
		want, _ := enumCount(t, g)
		for _, workers := range []int{1, 3} {
			s := Solver{}
			if i%3 == 0 {
				// The interval bound: its lemmas check by the pairwise one.
				s = Solver{cfg: &interval}
			}
			r := solveWith(t, s, g, solvers.Options{Count: true, List: 2, Workers: workers, Certify: true})
			require.True(t, r.Counted)
			require.Equal(t, want, r.Count, "game %d (workers %d): %v", i, workers, g)
			require.Equal(t, want > 0, r.Answer == solvers.Found, "game %d", i)
			require.Len(t, r.Listed, int(min(want, 2)))
			d := solveWith(t, s, g, solvers.Options{Workers: workers, Certify: true})
			require.Equal(t, want > 0, d.Answer == solvers.Found, "game %d (workers %d): %v", i, workers, g)
			assert.False(t, d.Counted)
		}
	}
}

// TestDeadline: a count that would take far longer stops at its
// deadline. The bound is the deadline plus testtool.StopAllowance, the
// tests' one allowance for a stop: a fixed second is too tight for a
// loaded machine under -race, and a count that ignored the deadline takes
// far longer than either.
func TestDeadline(t *testing.T) {
	g := seeded("uniform", 200, 0)
	const deadline = 100 * time.Millisecond
	for _, workers := range []int{1, 2} {
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		start := time.Now()
		r, err := Solver{}.Solve(ctx, &solvers.Problem{Game: g}, solvers.Options{Count: true, Workers: workers})
		cancel()
		require.NoError(t, err)
		assert.Less(t, time.Since(start), deadline+testtool.StopAllowance, "workers %d", workers)
		assert.False(t, r.Counted)
	}
}

func certifyCount(workers int) solvers.Options {
	return solvers.Options{Count: true, Certify: true, Workers: workers}
}

// TestWorkersDeterministic: answers, counts and listed equilibria do not
// depend on Workers, and at one worker the counters are the same on every
// run.
func TestWorkersDeterministic(t *testing.T) {
	type game struct {
		family string
		k, i   int
	}
	games := []game{{"race", 16, 1}, {"race", 20, 2}, {"uniform", 14, 3}, {"tight0", 18, 4}, {"tight0", 22, 5}, {"tight100", 20, 6}, {"uniform", 12, 7}}
	if !testing.Short() {
		games = append(games, game{"tight0", 28, 2}, game{"tight0", 36, 9}, game{"race", 40, 10})
	}
	for _, gm := range games {
		g := seeded(gm.family, gm.k, gm.i)
		var count *solvers.Result
		for _, w := range []int{1, 2, 4} {
			c := solveWith(t, Solver{}, g, solvers.Options{Count: true, List: 3, Workers: w, Certify: true})
			d := solveWith(t, Solver{}, g, solvers.Options{Workers: w, Certify: true})
			require.True(t, c.Counted)
			require.Equal(t, c.Count > 0, d.Answer == solvers.Found, "%+v", gm)
			if count == nil {
				count = c
				again := solveWith(t, Solver{}, g, solvers.Options{Count: true, List: 3, Workers: 1, Certify: true})
				require.Equal(t, c.Stats, again.Stats, "%+v: counters at one worker", gm)
				require.Equal(t, c.Witness, again.Witness)
				continue
			}
			require.Equal(t, count.Count, c.Count, "%+v: workers %d", gm, w)
			require.Equal(t, count.Listed, c.Listed, "%+v: workers %d", gm, w)
			require.Equal(t, count.Witness, c.Witness, "%+v: workers %d", gm, w)
		}
		if !testing.Short() && gm.k <= 22 {
			want, _ := enumCount(t, g)
			require.Equal(t, want, count.Count, "%+v", gm)
		}
	}
}

// TestProofCap: a search whose certificate outgrows its cap answers
// without one.
func TestProofCap(t *testing.T) {
	cfg := defaultConfig()
	cfg.proofEntries = 100
	for i := range 10 {
		g := seeded("tight0", 24, i)
		r := solveWith(t, Solver{}, g, solvers.Options{Certify: true})
		if r.Answer != solvers.None {
			continue
		}
		c, err := Solver{cfg: &cfg}.Solve(context.Background(), &solvers.Problem{Game: g}, solvers.Options{Certify: true})
		require.NoError(t, err)
		require.Equal(t, solvers.None, c.Answer)
		if len(r.Proof.Data()) > 10000 {
			assert.Nil(t, c.Proof)
			return
		}
	}
	t.Fatal("no game with a large certificate")
}

// TestProofJSON: a search certificate keeps its format through JSON (an
// isolated worker's result), and the other formats keep theirs.
func TestProofJSON(t *testing.T) {
	for _, format := range []string{solvers.ProofSearch, solvers.ProofLRAT, solvers.ProofDRAT} {
		p := solvers.NewProof(format, []byte("p nash 2 0\nlrat\n"))
		b, err := json.Marshal(p)
		require.NoError(t, err)
		var back solvers.Proof
		require.NoError(t, json.Unmarshal(b, &back))
		assert.Equal(t, format, back.Format(), "%s", b)
		assert.Equal(t, "p nash 2 0\nlrat\n", string(back.Data()))
	}
}

// TestFreePlayers: games with several free players (null, delta 0),
// whose equilibria come in 2^free copies, and the all-closed one then
// counts: counts and answers as enum's, at one worker and three.
func TestFreePlayers(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for i := range 60 {
		k := 3 + rng.IntN(8)
		g := smallGame(rng, k, 1+rng.Int64N(3))
		D, d := g.Matrix()
		for range 1 + rng.IntN(k-1) {
			u := rng.IntN(k)
			for j := range D {
				D[j][u] = 0
			}
		}
		g = mustGame(D, d)
		want, _ := enumCount(t, g)
		for _, w := range []int{1, 3} {
			r := solveWith(t, Solver{}, g, solvers.Options{Count: true, List: 4, Workers: w, Certify: true})
			require.Equal(t, want, r.Count, "game %d: %v", i, g)
			require.Len(t, r.Listed, int(min(want, 4)))
			dr := solveWith(t, Solver{}, g, solvers.Options{Workers: w, Certify: true})
			require.Equal(t, want > 0, dr.Answer == solvers.Found, "game %d: %v", i, g)
		}
	}
}
