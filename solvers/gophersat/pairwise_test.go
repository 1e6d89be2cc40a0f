package gophersat

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/enum"
	"github.com/nashbench/nashbench/verify"
)

// TestPairwiseTimed solves generated games of each family through the
// isolated (timed) route and compares with enum: the AI-race games of 20
// players that gophersat-pb times out on are decided in well under the
// limit.
func TestPairwiseTimed(t *testing.T) {
	for _, fam := range instances.GameFamilies() {
		for i := range 2 {
			g, err := instances.GameSpec{Family: fam, Players: 20, Seed: 1, Index: i}.Generate()
			require.NoError(t, err)
			p := &solvers.Problem{Game: g}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			got, err := Pairwise{}.Solve(ctx, p, solvers.Options{})
			cancel()
			require.NoError(t, err)
			want, err := enum.Solver{}.Solve(context.Background(), p, solvers.Options{})
			require.NoError(t, err)
			assert.Equal(t, want.Answer, got.Answer, "%s %d", fam, i)
			require.NoError(t, verify.Result(p, got))
			assert.Positive(t, got.Stats["constraints"])
		}
	}
}

// TestPairwiseCertify: under Certify a "no" comes with gophersat-pb's
// proof on gophersat-pb's CNF, which verify checks.
func TestPairwiseCertify(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 7))
	proofs := 0
	for range 40 {
		g, err := instances.GameSpec{Family: instances.FamilyRing, Players: 3 + rng.IntN(6), Seed: rng.Uint64()}.Generate()
		require.NoError(t, err)
		p := &solvers.Problem{Game: g}
		r, err := Pairwise{}.Solve(context.Background(), p, solvers.Options{Certify: true})
		require.NoError(t, err)
		if r.Answer == solvers.None {
			require.NotNil(t, r.Proof)
			proofs++
		}
		_, err = verify.Answer(context.Background(), p, r, -1)
		require.NoError(t, err)
	}
	assert.Positive(t, proofs)
}

// TestPairwiseRefusalNamesIt: a game beyond the range is refused with
// gophersat-pairwise's name.
func TestPairwiseRefusalNamesIt(t *testing.T) {
	big := int64(1) << 60
	g, err := game.New(nil, [][]int64{{big, 1}, {1, -big}}, []int64{0, 1})
	require.NoError(t, err)
	_, err = Pairwise{}.Solve(context.Background(), &solvers.Problem{Game: g}, solvers.Options{})
	require.Error(t, err)
	assert.True(t, solvers.IsRefused(err))
	assert.Contains(t, err.Error(), "gophersat-pairwise:")
}
