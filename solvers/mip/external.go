package mip

import (
	"context"
	"fmt"

	"github.com/nashbench/nashbench/encodings/lp"
	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/solvers"
)

// ForSolver builds the named formulation ("compact" or "paper") of g for
// another floating-point MIP solver named solver (an external one, such as
// cbc or glpsol, which reads it as an LP file): from the same normalized
// game as highs-compact and highs-paper, refusing games beyond the same
// exact ranges (CompactRange, PaperRange) with a refusal that names solver.
// Those ranges were measured on HiGHS; the external solvers' tests check
// them on scaled games at the edge. A paper model whose Go side would need
// more than DefaultMaxModelBytes is refused before it is built. The
// builders stop when ctx ends, returning ctx.Err().
func ForSolver(ctx context.Context, g *game.Game, formulation, solver string) (*lp.Formulation, error) {
	var limit int64
	switch formulation {
	case "compact":
		limit = CompactRange
	case "paper":
		limit = PaperRange
	default:
		return nil, fmt.Errorf("mip: unknown formulation %q for %s (have compact, paper)", formulation, solver)
	}
	n, err := inRange(g, solver, limit)
	if err != nil {
		return nil, err
	}
	if formulation == "paper" {
		if sz := paperSize(n); sz.GoBytes() > DefaultMaxModelBytes {
			return nil, solvers.Refuse("%s: the paper model would have %d columns, %d rows and %d nonzeros, needing about %s to build: over the limit of %s",
				solver, sz.Columns, sz.Rows, sz.Nonzeros, gib(sz.GoBytes()), gib(DefaultMaxModelBytes))
		}
	}
	return lp.Build(ctx, n, formulation, nil)
}
