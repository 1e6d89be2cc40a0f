package gophersat

import (
	"bytes"
	"context"
	"fmt"

	"github.com/crillab/gophersat/solver"

	"github.com/nashbench/nashbench/encodings"
	"github.com/nashbench/nashbench/solvers"
)

// certificate collects gophersat's certificate (Solver.Certified): every
// clause it learns and every unit it fixes, as DRAT lemma lines in the
// order it derives them (each is RUP by what came before), and "0" when it
// derives the empty clause. gophersat v1.4.0 emits no deletions, although
// it forgets about three quarters of what it learns: a checker keeps
// every lemma, which makes checking grow faster than solving on hard
// formulas.
type certificate struct {
	ch   chan string
	done chan struct{}
	buf  bytes.Buffer
}

// certify makes s write its certificate to a new certificate. Call proof
// once s is done.
func certify(s *solver.Solver) *certificate {
	c := &certificate{ch: make(chan string, 1024), done: make(chan struct{})}
	s.Certified, s.CertChan = true, c.ch
	go func() {
		for line := range c.ch {
			c.buf.WriteString(line)
			c.buf.WriteByte('\n')
		}
		close(c.done)
	}()
	return c
}

// proof ends the certificate and returns it as a DRAT refutation. gophersat
// writes no "0" when it finds the formula unsatisfiable before searching
// (while building its problem); the empty clause is then RUP by unit
// propagation on the formula alone, and is added: a checker still checks
// it.
func (c *certificate) proof() []byte {
	close(c.ch)
	<-c.done
	b := c.buf.Bytes()
	if !bytes.HasSuffix(b, []byte("\n0\n")) && !bytes.Equal(b, []byte("0\n")) {
		b = append(b, "0\n"...)
	}
	return b
}

// solveCertifiedCNF decides the game's CNF encoding (encodings.EncodeCNF)
// with gophersat certified: what gophersat-pb does under Options.Certify,
// since its pseudo-Boolean reasoning (cutting planes) writes no DRAT. A
// model is mapped back to the equilibrium it stands for and checked
// against the game; a refutation comes with gophersat's proof, which
// refutes exactly the encoding that package verify checks it against.
func solveCertifiedCNF(ctx context.Context, p *solvers.Problem) (*solvers.Result, error) {
	f, profile, err := encodings.EncodeCNF(ctx, p.Game)
	if err != nil {
		return nil, err
	}
	res := &solvers.Result{Answer: solvers.None}
	clauses, empty := cleanClauses(f)
	if empty {
		res.Stats = solverStats(solver.Stats{}, 0)
		res.Proof = &solvers.Proof{DRAT: []byte("0\n")}
		return res, nil
	}
	s := solver.New(solver.ParseSliceNb(clauses, f.Vars))
	cert := certify(s)
	mu.Lock()
	status := s.Solve()
	var model []bool
	if status == solver.Sat {
		model = s.Model()
	}
	mu.Unlock()
	proof := cert.proof()
	res.Stats = solverStats(s.Stats, 1)
	res.Stats["vars"], res.Stats["clauses"] = float64(f.Vars), float64(len(f.Clauses))
	switch status {
	case solver.Sat:
		a := profile(model)
		if _, ok, err := p.Game.Check(a); err != nil || !ok {
			return nil, fmt.Errorf("gophersat-pb: the CNF encoding admitted %v, which is not an equilibrium", a)
		}
		res.Answer, res.Witness = solvers.Found, a
	case solver.Unsat:
		res.Proof = &solvers.Proof{DRAT: proof}
	default:
		res.Answer = solvers.Unknown
	}
	return res, nil
}
