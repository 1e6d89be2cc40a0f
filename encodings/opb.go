package encodings

import (
	"bufio"
	"context"
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
	write, _, err := EncodeOPB(context.Background(), g)
	if err != nil {
		return err
	}
	return write(w)
}

// EncodeOPB encodes g as WriteOPB does. It returns the writer of the OPB
// text, and a function mapping a model of it to the non-trivial
// equilibrium profile it stands for: model[v-1] is the value of x_v, as a
// PB solver prints it ("v x1 -x2 ..."), variables beyond the model's
// length false. In that profile null players play their best response,
// and free ones (null with delta = 0) are closed, except that one opens
// when every player would be closed. It refuses (solvers.IsRefused) the
// games gophersat-pb refuses.
func EncodeOPB(ctx context.Context, g *game.Game) (write func(io.Writer) error, profile func(model []bool) []bool, err error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	x, err := EncodePB(g)
	if err != nil {
		return nil, nil, err
	}
	return x.writeOPB, x.decode, nil
}

func (x *PB) writeOPB(w io.Writer) error {
	bw := bufio.NewWriter(w)
	if sat, ok := x.trivial(); ok {
		switch {
		case sat:
			fmt.Fprintln(bw, "* #variable= 0 #constraint= 0")
			fmt.Fprintln(bw, "* every player is null: the profile with each at its best response is a non-trivial equilibrium")
		case x.simp == nil:
			writeUnsat(bw, "every player is null and stays closed: the only equilibrium is all-closed")
		default:
			writeUnsat(bw, "unit propagation refutes the encoding: no non-trivial equilibrium")
		}
		return bw.Flush()
	}
	simp, pl, g := x.simp, x.plan, x.g
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
