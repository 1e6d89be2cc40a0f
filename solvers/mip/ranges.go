package mip

import (
	"errors"
	"math"
	"math/bits"

	"github.com/nashbench/nashbench/encodings/lp"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/internal/highs"
	"github.com/nashbench/nashbench/solvers"
)

// Spread is the progress spread of g, max_j max mu_j - min_j min mu_j over
// all profiles (lp.Spread): every number in the models is a difference of
// progress values, a progress value within ±Spread of the middle, or a
// big-M or selector weight bounded by a small multiple of it. It
// saturates at 2^62.
func Spread(g *game.Game) int64 { return lp.Spread(g) }

// Ranges of exact decisions: HiGHS works in floating point with absolute
// tolerances, so once the numbers of a model are large against the unit
// step of integer payoffs it can call a feasible model infeasible or accept
// a profile that is not an equilibrium, long before 2^53. The limits below
// are on Spread of the normalized game and were chosen from a differential
// test against exhaustive checking (TestMeasureRange, over thousands of
// scaled random games; TestDecidesExactlyOrRefuses keeps checking them)
// with a margin of 2^5 below the least spread at which any wrong answer or
// rejected witness was seen.
const (
	// CompactRange bounds the progress spread highs-compact accepts: the
	// least spread at which it ever failed was in [2^22, 2^23) (scaled
	// random games of 2 to 8 players), at least 2^5 above.
	CompactRange = int64(1) << 17
	// PaperRange bounds the progress spread highs-paper accepts: it failed
	// from [2^20, 2^21) on games with large column offsets (before
	// shiftColumns removed those) and from 2^24 on others (2 to 6 players),
	// at least 2^5 above.
	PaperRange = int64(1) << 15
	// PairwiseRange bounds the progress spread highs-pairwise accepts: the
	// compact model's limit. Measured as CompactRange was (TestMeasureRange
	// -range.forms pairwise, 900 scaled games of 2 to 8 players per
	// magnitude), the first wrong answer came at a spread of 2^33, where the
	// compact model's first failures came from 2^23.
	PairwiseRange = CompactRange
	// Top2Range bounds the progress spread highs-top2 accepts: the
	// compact model's limit. Measured as CompactRange was (TestMeasureRange
	// -range.forms top2, 900 scaled games of 2 to 8 players per magnitude),
	// its first wrong answer came at a spread of 2^23, as the compact
	// model's did: 2^6 above the limit.
	Top2Range = CompactRange
)

// inRange returns the game to build solver's model from (lp.Fit), or a
// refusal when its progress spread exceeds limit.
func inRange(g *game.Game, solver string, limit int64) (*game.Game, error) {
	n, s, err := lp.Fit(g, limit)
	if errors.Is(err, lp.ErrTooLarge) {
		// Far beyond the limit: say so in its terms.
		s = Spread(g)
		if m, err := game.Normalize(g); err == nil {
			s = Spread(m)
		}
	} else if err != nil {
		return nil, err
	}
	if s > limit {
		return nil, solvers.Refuse("%s decides exactly only while the progress spread (max mu - min mu over all profiles, after dividing out the gcd of the payoffs) stays within 2^%d (this game: %d, about 2^%.1f); use enum or gophersat-pb",
			solver, bits.Len64(uint64(limit))-1, s, math.Log2(float64(s)))
	}
	return n, nil
}

// modelCounts counts a model's integer columns, rows and constraint nonzeros.
func modelCounts(m *highs.Model) (binaries, rows, nonzeros int) {
	for _, t := range m.VarTypes {
		if t == highs.Integer {
			binaries++
		}
	}
	for _, e := range m.ConstMatrix {
		if e.Val != 0 {
			nonzeros++
		}
	}
	return binaries, len(m.RowLower), nonzeros
}
