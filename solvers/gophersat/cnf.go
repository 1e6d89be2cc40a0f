package gophersat

import (
	"fmt"
	"slices"

	"github.com/crillab/gophersat/solver"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
)

func checkFormula(p *solvers.Problem) error {
	if p.Formula == nil || p.Variant != reduction.Corrected {
		return solvers.ErrNotFormula
	}
	if err := p.Formula.Validate(); err != nil {
		return fmt.Errorf("gophersat: %w", err)
	}
	return nil
}

// cleanClauses returns f's clauses without repeated literals and without
// tautologies, and whether f has an empty clause.
func cleanClauses(f *instances.CNF) (clauses [][]int, empty bool) {
	for _, c := range f.Clauses {
		if len(c) == 0 {
			return nil, true
		}
		d := slices.Clone(c)
		slices.SortFunc(d, func(a, b int) int { return abs(a)*2 + sgnBit(a) - abs(b)*2 - sgnBit(b) })
		d = slices.Compact(d)
		taut := false
		for i := 1; i < len(d); i++ {
			if d[i] == -d[i-1] {
				taut = true
				break
			}
		}
		if !taut {
			clauses = append(clauses, d)
		}
	}
	return clauses, false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func sgnBit(x int) int {
	if x < 0 {
		return 1
	}
	return 0
}

// solveCNF decides (and counts the models of) F ∧ (x1 ∨ … ∨ xn) in-process.
func solveCNF(p *solvers.Problem, opt solvers.Options) (*solvers.Result, error) {
	f := p.Formula
	n := f.Vars
	res := &solvers.Result{Answer: solvers.None, Stats: solverStats(solver.Stats{}, 0)}
	res.Counted = opt.Count // zero until models are found
	clauses, empty := cleanClauses(f)
	if empty || n == 0 {
		if empty && opt.Certify {
			res.Proof = &solvers.Proof{DRAT: []byte("0\n")} // the formula's own empty clause
		}
		return res, nil // no model at all, or only the all-false one
	}
	all := make([]int, n)
	for v := range n {
		all[v] = v + 1
	}
	clauses = append(clauses, all)
	layout := p.Layout
	if layout.Vars != n || layout.Clauses != len(f.Clauses) { // a problem not made by FromFormula
		layout = reduction.Layout{Vars: n, Clauses: len(f.Clauses)}
	}
	s := solver.New(solver.ParseSliceNb(clauses, n))
	var (
		count int64
		bad   error
	)
	visit := func(m []bool) bool {
		model := m[:n]
		if !f.Satisfies(model) || !anyTrue(model) {
			bad = fmt.Errorf("gophersat: the solver returned %v, which is not a non-trivial model", model)
			return true
		}
		if count == 0 {
			res.Answer, res.Witness = solvers.Found, layout.Profile(model)
		}
		count++
		if len(res.Listed) < opt.List && opt.Count {
			res.Listed = append(res.Listed, layout.Profile(model))
		}
		return !opt.Count
	}
	var cert *certificate
	if opt.Certify {
		cert = certify(s)
	}
	solves := Enumerate(s, visit, n)
	if cert != nil {
		// Only a first solve that fails refutes the formula itself;
		// later ones refute it with models blocked.
		if proof := cert.proof(); res.Answer == solvers.None && solves == 1 {
			res.Proof = &solvers.Proof{DRAT: proof}
		}
	}
	if bad != nil {
		return nil, bad
	}
	res.Stats = solverStats(s.Stats, solves)
	if opt.Count {
		res.Count, res.Counted = count, true
	}
	return res, nil
}

func anyTrue(a []bool) bool {
	for _, x := range a {
		if x {
			return true
		}
	}
	return false
}
