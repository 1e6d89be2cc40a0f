package mip

import (
	"github.com/nashbench/nashbench/internal/highs"
	"github.com/nashbench/nashbench/solvers"
)

// Needs implements solvers.Needer: a job loads HiGHS's WebAssembly module,
// from $NASHBENCH_HIGHS_WASM when set (see highs.Wasm).
func (s *Solver) Needs() []solvers.Need {
	return []solvers.Need{{Name: "highs.wasm", Env: highs.EnvWasm, Load: highs.Wasm}}
}

// PaperWarning is the caveat of the paper's formulation (Theorem 2's
// MIP), by any MIP solver: measured, highs-paper timed out at 30 s on
// every n = 10 formula's reduction game, using 1.5 GB.
const PaperWarning = "the paper's MIP (Theorem 2) is expected to take minutes from n = 10 (measured: every n = 10 formula timed out at 30 s); the compact MIP gives the same answers in milliseconds"

// Warning implements solvers.Warner for the paper's formulation.
func (s *Solver) Warning() string {
	if s.name == "paper" {
		return PaperWarning
	}
	return ""
}
