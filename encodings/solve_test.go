package encodings

import (
	"github.com/crillab/gophersat/solver"
)

// The tests solve encodings with the gophersat library directly (package
// solvers/gophersat imports this one). They run one at a time, so they
// need no lock around gophersat's global state.

// enumerate solves with s until it runs out of models or visit says stop,
// blocking each model on variables 1..n by a clause added to the same
// solver, as solvers/gophersat does; it returns the number of Solve calls.
func enumerate(s *solver.Solver, visit func(model []bool) (stop bool), n int) (solves int) {
	for {
		solves++
		if s.Solve() != solver.Sat {
			return solves
		}
		if visit(s.Model()) {
			return solves
		}
		m := s.Model()
		lits := make([]int32, n)
		for v := range n {
			lits[v] = int32(v + 1)
			if m[v] {
				lits[v] = -lits[v]
			}
		}
		s.AppendClause(solver.NewClause(solver.IntsToLits(lits...)))
	}
}

// satisfiable reports whether s has a model, solved as solvers/gophersat
// solves an encoding: clauses and cardinality constraints passed as such,
// the rest as PB constraints.
func satisfiable(s *simplified) bool {
	if s.unsat {
		return false
	}
	pb := &solver.Problem{NbVars: s.nVars, Model: make(solver.Model, s.nVars)}
	for v := 1; v <= s.nVars; v++ {
		switch s.value[v] {
		case 1:
			pb.Units = append(pb.Units, solver.IntToLit(int32(v)))
			pb.Model[v-1] = 1
		case -1:
			pb.Units = append(pb.Units, solver.IntToLit(int32(-v)))
			pb.Model[v-1] = -1
		}
	}
	for _, c := range s.cons {
		lits := make([]solver.Lit, len(c.lits))
		for q, l := range c.lits {
			lits[q] = solver.IntToLit(int32(l))
		}
		same := true
		for _, w := range c.w {
			same = same && w == c.w[0]
		}
		switch {
		case same && (c.card+c.w[0]-1)/c.w[0] == 1:
			pb.Clauses = append(pb.Clauses, solver.NewClause(lits))
		case same:
			pb.Clauses = append(pb.Clauses, solver.NewCardClause(lits, int((c.card+c.w[0]-1)/c.w[0])))
		default:
			w := make([]int, len(c.w))
			for q, x := range c.w {
				w[q] = int(x)
			}
			pb.Clauses = append(pb.Clauses, solver.NewPBClause(lits, w, int(c.card)))
		}
	}
	if len(pb.Clauses) == 0 {
		pb.Status = solver.Sat
	}
	return solver.New(pb).Solve() == solver.Sat
}

func maskOf(a []bool) uint64 {
	var m uint64
	for i, x := range a {
		if x {
			m |= 1 << i
		}
	}
	return m
}
