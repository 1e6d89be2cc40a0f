// Package nashbench is a benchmarking harness for one question from game
// theory: does an "open or closed source" game have a non-trivial pure Nash
// equilibrium? The paper behind it (Why Open Source? A Game-Theoretic
// Analysis of the AI Race) proves the question NP-hard by a reduction from
// 3-SAT and proposes mixed-integer programs to answer it; nashbench makes
// those claims measurable.
//
// The packages follow the data flow:
//
//	instances   the inputs: CNF formulas (DIMACS, seeded generators) and
//	            seeded game families (race, uniform, ring)
//	reduction   Theorem 1: a formula to a game
//	game        the game model and its exact equilibrium checks
//	encodings   the question as PB (OPB) and CNF, for solvers, verify, export
//	solvers/... one package per solver behind solvers.Solver, picked by name;
//	            solvers/external runs solver programs from JSON definitions
//	isolate     running a solver in a child process killed at its deadline
//	continuous  equilibria of the continuous game (Theorem 4 MIPs)
//	verify      independent checks of every answer, "no" as well as "yes";
//	            verify/drat and verify/lrat check DRAT and LRAT proofs
//	record      a solver's outcome (Record), a sweep's row (Row), JSON lines
//	bench       running and verifying solvers: solve, sweeps, Go benchmarks
//	rundir      a run directory: its files, run.json, plan, locks, resume, merge
//	slurm       sweeps as Slurm array jobs over a run directory
//	results     statistics, summaries, plots, benchmark comparison
//	history     the tracking suite's results per commit, and regressions
//	analysis    the analysis of one game (welfare, prices of anarchy, ...)
//	cmd/nashbench  the command line
//	internal/...   what the packages share but a library user does not need:
//	               the HiGHS engine (WebAssembly), statistics, the cap
//	               that prunes encodings (prune), test generators, atomic
//	               files, HTML pages
//
// This package holds no code but this overview and short benchmarks:
// `go test -bench ./bench` in the repository's root runs the tracking
// suite's headline benchmarks (BenchmarkSuite/bench/...); the full
// benchmark suite is in ./bench.
package nashbench
