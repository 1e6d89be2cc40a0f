package verify_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/solvers"
	_ "github.com/nashbench/nashbench/solvers/search"
	"github.com/nashbench/nashbench/verify"
)

// TestSearchCertificate: a "no" of the native search under Certify is
// checked by its certificate against the game (check proof, with the
// checker's counters), beyond where the exhaustive search would run, and
// a changed certificate fails the verification.
func TestSearchCertificate(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	ctx := context.Background()
	s, err := solvers.New("search")
	require.NoError(t, err)
	c, ok := s.(solvers.Certifier)
	require.True(t, ok)
	require.True(t, c.Certifies())
	checked := 0
	for checked < 3 {
		// AI-race games with d = 0, 24 players: mostly without a
		// non-trivial equilibrium.
		k := 24
		D := make([][]int64, k)
		for i := range D {
			D[i] = make([]int64, k)
			for j := range D[i] {
				D[i][j] = rng.Int64N(101)
				if i == j {
					D[i][j] -= 50
				}
			}
		}
		g, err := game.New(nil, D, make([]int64, k))
		require.NoError(t, err)
		p := &solvers.Problem{Game: g}
		r, err := s.Solve(ctx, p, solvers.Options{Certify: true})
		require.NoError(t, err)
		if r.Answer != solvers.None {
			continue
		}
		checked++
		require.Equal(t, solvers.ProofSearch, r.Proof.Format())
		out, err := verify.Answer(ctx, p, r, -1)
		require.NoError(t, err)
		assert.Equal(t, record.CheckProof, out.Check)
		assert.Positive(t, out.Stats()["proof-theory-lemmas"])
		assert.Positive(t, out.Stats()["proof-lemmas"])

		// Counting: the count, 0, is proved by the same certificate.
		rc, err := s.Solve(ctx, p, solvers.Options{Certify: true, Count: true})
		require.NoError(t, err)
		require.True(t, rc.Counted)
		require.Zero(t, rc.Count)
		out, err = verify.Answer(ctx, p, rc, -1)
		require.NoError(t, err)
		assert.Equal(t, record.CheckProof, out.Check)
		assert.Equal(t, record.CheckProof, out.CountCheck)

		bad := *r
		data := append([]byte(nil), r.Proof.Data()...)
		bad.Proof = solvers.NewProof(solvers.ProofSearch, data[:len(data)/2])
		_, err = verify.Answer(ctx, p, &bad, -1)
		assert.ErrorContains(t, err, "does not check")
	}
}
