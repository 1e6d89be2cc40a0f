// Package nashbench is a benchmarking harness for one question from game
// theory: does an "open or closed source" game have a non-trivial pure Nash
// equilibrium? The paper behind it (Why Open Source? A Game-Theoretic
// Analysis of the AI Race) proves the question NP-hard by a reduction from
// 3-SAT and proposes mixed-integer programs to answer it; nashbench makes
// those claims measurable.
//
// The packages follow the data flow, one line each (all of `go list ./...`
// but this one; cmd/nashbench's TestDocPackageMap keeps it so):
//
//	instances                 the inputs: CNF formulas (DIMACS, seeded k-SAT) and seeded game families
//	reduction                 Theorem 1: a formula to a game, and profiles back to assignments
//	game                      the game model and its exact equilibrium checks
//	encodings                 the question as PB (OPB) and CNF, for solvers, verify and export
//	encodings/lp              the question as MIPs (paper, compact, pairwise, top2) in CPLEX LP format
//	export                    the question as a file for external tools (OPB, CNF, CPLEX LP, Gambit NFG)
//	solvers                   the Solver interface and the registry that picks solvers by name
//	solvers/all               imported for its side effect: registers every built-in and shipped solver
//	solvers/enum              exhaustive enumeration of profiles, the baseline every solver is checked against
//	solvers/search            a complete search on the game itself (CDCL), with certificates of "no"
//	solvers/gophersat         the gophersat SAT/PB solver on the formula or the PB encoding
//	solvers/mip               the MIPs of encodings/lp solved by HiGHS
//	solvers/external          solver programs (SAT, PB, MIP) run from JSON definitions
//	isolate                   running a solver in a child process killed at its deadline
//	continuous                equilibria of the continuous game (Theorem 4 MIPs)
//	verify                    independent checks of every answer, "no" as well as "yes"
//	verify/drat               the checker of DRAT proofs of unsatisfiability
//	verify/lrat               the checker of LRAT proofs of unsatisfiability
//	verify/searchcert         the checker of the certificates of "no" that solvers/search writes
//	record                    a solver's outcome (Record), a sweep's row (Row), JSON lines
//	bench                     running and verifying solvers: solve, sweeps, Go benchmarks
//	rundir                    a run directory: its files, run.json, plan, locks, resume, merge
//	slurm                     sweeps as Slurm array jobs over a run directory
//	results                   statistics, summaries, plots, benchmark comparison
//	history                   the tracking suite's results per commit, and regressions
//	analysis                  the analysis of one game (welfare, prices of anarchy, ...)
//	cmd/nashbench             the command line
//	internal/highs            the HiGHS MIP solver compiled to WebAssembly, run in-process by wazero
//	internal/prune            the analysis of Lemma 1's conditions that prunes the encodings
//	internal/input            opening inputs from a path or standard input, plain or compressed
//	internal/input/inputtest  compressed inputs and a standard-input pipe for tests
//	internal/filehash         the SHA-256 of files that run.json and merge compare
//	internal/atomicfile       writing files that an interrupted run never leaves partial
//	internal/stats            the estimators of summaries (quantiles, Wilson intervals, bootstrap)
//	internal/page             self-contained HTML pages with inline style, script and SVG
//	internal/shell            shell words: --slurm-opts read, paths quoted in scripts and advice
//	internal/plural           counts spelled in messages ("1 instance", "2 instances")
//	internal/testgen          random games and formulas for tests
//	internal/testtool         the tests' rule for external programs that are missing
//
// This package holds no code but this overview and short benchmarks:
// `go test -bench ./bench` in the repository's root runs the tracking
// suite's headline benchmarks (BenchmarkSuite/bench/...); the full
// benchmark suite is in ./bench.
package nashbench
