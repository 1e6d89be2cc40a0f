package bench

import (
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// Summarize writes two tables about rows: per solver and size, how many
// jobs were decided, timed out or failed, the median and max time of the
// decided ones, and how many agree with the consensus answer; and the
// phase-transition view, the fraction of instances satisfiable per size
// and clause/variable ratio.
func Summarize(w io.Writer, rows []Row) error {
	type key struct {
		solver string
		n      int
	}
	type cell struct {
		jobs, decided, timeouts, errors, agree int
		times                                  []float64
	}
	_, byInst := byInstance(rows)
	cells := map[key]*cell{}
	for i := range rows {
		r := &rows[i]
		k := key{r.Solver, r.N}
		c := cells[k]
		if c == nil {
			c = &cell{}
			cells[k] = c
		}
		c.jobs++
		switch {
		case r.Error != "":
			c.errors++
		case decided(r.Answer):
			c.decided++
			c.times = append(c.times, r.Seconds)
			if r.Answer == consensus(byInst[r.Instance]) {
				c.agree++
			}
		default:
			c.timeouts++
		}
	}
	keys := make([]key, 0, len(cells))
	for k := range cells {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].solver != keys[j].solver {
			return keys[i].solver < keys[j].solver
		}
		return keys[i].n < keys[j].n
	})
	t := tablewriter.NewTable(w, tablewriter.WithHeaderAutoFormat(tw.Off))
	t.Header("solver", "n", "jobs", "solved", "timeouts", "errors", "median s", "max s", "agree")
	for _, k := range keys {
		c := cells[k]
		med, mx := "-", "-"
		if len(c.times) > 0 {
			sort.Float64s(c.times)
			med, mx = seconds(median(c.times)), seconds(c.times[len(c.times)-1])
		}
		if err := t.Append(k.solver, strconv.Itoa(k.n), strconv.Itoa(c.jobs), strconv.Itoa(c.decided),
			strconv.Itoa(c.timeouts), strconv.Itoa(c.errors), med, mx, fmt.Sprintf("%d/%d", c.agree, c.decided)); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}

	pts := PhaseTransition(rows)
	p := tablewriter.NewTable(w, tablewriter.WithHeaderAutoFormat(tw.Off))
	p.Header("n", "ratio", "instances", "decided", "satisfiable")
	for _, pt := range pts {
		frac := "-"
		if pt.Decided > 0 {
			frac = fmt.Sprintf("%.2f", float64(pt.Sat)/float64(pt.Decided))
		}
		if err := p.Append(strconv.Itoa(pt.N), strconv.FormatFloat(pt.Ratio, 'g', -1, 64),
			strconv.Itoa(pt.Instances), strconv.Itoa(pt.Decided), frac); err != nil {
			return err
		}
	}
	return p.Render()
}

// Point is one (n, ratio) point of the phase-transition view.
type Point struct {
	N                  int
	Ratio              float64
	Instances, Decided int
	Sat                int
}

// PhaseTransition counts, per size and ratio, the instances whose consensus
// answer is sat.
func PhaseTransition(rows []Row) []Point {
	order, byInst := byInstance(rows)
	type key struct {
		n     int
		ratio float64
	}
	pts := map[key]*Point{}
	for _, inst := range order {
		rs := byInst[inst]
		k := key{rs[0].N, rs[0].Ratio}
		p := pts[k]
		if p == nil {
			p = &Point{N: k.n, Ratio: k.ratio}
			pts[k] = p
		}
		p.Instances++
		switch consensus(rs) {
		case "sat", "pne":
			p.Decided++
			p.Sat++
		case "unsat", "no-pne":
			p.Decided++
		}
	}
	out := make([]Point, 0, len(pts))
	for _, p := range pts {
		out = append(out, *p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N < out[j].N
		}
		return out[i].Ratio < out[j].Ratio
	})
	return out
}

func seconds(s float64) string {
	switch {
	case s < 0.001:
		return fmt.Sprintf("%.0fµs", s*1e6)
	case s < 1:
		return fmt.Sprintf("%.1fms", s*1e3)
	}
	return fmt.Sprintf("%.2fs", s)
}
