package prune

// plant weakens the analysis when the linker sets it
// (-ldflags=-X=github.com/nashbench/nashbench/internal/prune.plant=no-constant),
// which only a test does: it builds the tracking suite so, to show that the
// regression gate fails on a real counter regression. "no-constant" drops
// the pruning by constant candidates: every answer stays exact, the models
// grow. A link-time string, not a build tag, so that the planted build
// reuses every compiled package.
var plant string
