package external

import (
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/mip"
)

// Needs implements solvers.Needer: the programs of the definition's
// command and certify_command, which the machine that runs a job must
// have.
func (s *Solver) Needs() []solvers.Need {
	needs := []solvers.Need{{Name: s.def.Command[0], Program: true}}
	if c := s.def.CertifyCommand; len(c) > 0 && c[0] != s.def.Command[0] {
		needs = append(needs, solvers.Need{Name: c[0], Program: true})
	}
	return needs
}

// Warning implements solvers.Warner: the paper's MIP carries its caveat
// whichever program solves it.
func (s *Solver) Warning() string {
	if s.def.Input == "lp" && s.def.Formulation == "paper" {
		return mip.PaperWarning
	}
	return ""
}
