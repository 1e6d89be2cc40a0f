// Package encodings writes the question whether an open-or-closed-source
// game has a non-trivial pure Nash equilibrium as a pseudo-Boolean problem
// (the encoding of Lemma 1, also as an OPB file) and as CNF (each of its
// constraints translated into clauses, also as a DIMACS file). It is a
// package of its own because the solver gophersat-pb, the external PB and
// SAT solvers, `nashbench export` and package verify, which checks proofs
// of unsatisfiability against the very CNF a solver refuted, all need the
// same encoding, and verify must not depend on a solver.
package encodings
