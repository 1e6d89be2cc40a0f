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
