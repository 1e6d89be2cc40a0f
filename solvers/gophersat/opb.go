package gophersat

import (
	"bufio"
	"fmt"
	"io"
	"strconv"

	"github.com/nashbench/nashbench/game"
)

// WriteOPB writes the PB encoding of g's non-trivial equilibrium question
// (the one "gophersat-pb" solves) in the OPB format of the pseudo-Boolean
// competitions: the instance is satisfiable iff g has a non-trivial pure
// equilibrium. Variables x1..xK are the actions of the players listed in
// the comments (1 = open); null players, fixed at their best response, have
// none, and the other variables are auxiliary. Constraints are written with
// positive variables only, one per line: "+3 x1 -2 x2 >= 1 ;".
func WriteOPB(w io.Writer, g *game.Game) error {
	ng, err := normalize(g)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	pl := newPlan(ng)
	if len(pl.active) == 0 {
		if pl.anyFixed || len(pl.free) > 0 {
			fmt.Fprintln(bw, "* #variable= 0 #constraint= 0")
			fmt.Fprintln(bw, "* every player is null: the profile with each at its best response is a non-trivial equilibrium")
		} else {
			writeUnsat(bw, "every player is null and stays closed: the only equilibrium is all-closed")
		}
		return bw.Flush()
	}
	enc := encode(pl)
	if enc.b.tooWide {
		return errTooWide
	}
	simp := enc.b.simplify()
	if simp.unsat {
		writeUnsat(bw, "unit propagation refutes the encoding: no non-trivial equilibrium")
		return bw.Flush()
	}
	fixed := 0
	for v := 1; v <= simp.nVars; v++ {
		if simp.value[v] != 0 {
			fixed++
		}
	}
	fmt.Fprintf(bw, "* #variable= %d #constraint= %d\n", simp.nVars, len(simp.cons)+fixed)
	fmt.Fprintln(bw, "* non-trivial pure Nash equilibria of an open-or-closed-source game (Lemma 1), nashbench gophersat-pb encoding")
	for q, i := range pl.active {
		fmt.Fprintf(bw, "* x%d: action of player %d (%s), 1 = open\n", q+1, i+1, g.Name(i))
	}
	for i := range pl.k {
		if pl.null[i] {
			fmt.Fprintf(bw, "* player %d (%s) is null and plays %d (free: %v)\n", i+1, g.Name(i), b2i(pl.start[i]), g.Delta(i) == 0)
		}
	}
	for v := 1; v <= simp.nVars; v++ {
		switch simp.value[v] {
		case 1:
			fmt.Fprintf(bw, "+1 x%d >= 1 ;\n", v)
		case -1:
			fmt.Fprintf(bw, "-1 x%d >= 0 ;\n", v)
		}
	}
	var line []byte
	for _, c := range simp.cons {
		line = line[:0]
		rhs := c.card
		for q, l := range c.lits {
			w := c.w[q]
			if l < 0 { // w * not x = w - w * x
				l, rhs = -l, rhs-w
				w = -w
			}
			if w > 0 {
				line = append(line, '+')
			}
			line = strconv.AppendInt(line, w, 10)
			line = append(line, " x"...)
			line = strconv.AppendInt(line, int64(l), 10)
			line = append(line, ' ')
		}
		line = append(line, ">= "...)
		line = strconv.AppendInt(line, rhs, 10)
		line = append(line, " ;\n"...)
		bw.Write(line)
	}
	return bw.Flush()
}

// writeUnsat writes an instance with no solution.
func writeUnsat(w io.Writer, why string) {
	fmt.Fprintln(w, "* #variable= 1 #constraint= 1")
	fmt.Fprintln(w, "* "+why)
	fmt.Fprintln(w, "+1 x1 >= 2 ;")
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// OPBProfile maps a solution of the OPB file that WriteOPB writes for g to
// the profile of g it stands for: value(v) is the value of variable xv.
// Variables x1..xK are the actions of the players that are not null, in
// player order; null players take their fixed actions, and when the
// profile would be all-closed a free player (null, delta = 0) is opened,
// as gophersat-pb does. The profile is not checked: package verify does.
func OPBProfile(g *game.Game, value func(v int) bool) ([]bool, error) {
	ng, err := normalize(g)
	if err != nil {
		return nil, err
	}
	pl := newPlan(ng)
	m := make([]bool, len(pl.active))
	for q := range m {
		m[q] = value(q + 1)
	}
	a := pl.profile(m)
	if w := pl.nonTrivial(a); w != nil {
		return w, nil
	}
	return a, nil
}
