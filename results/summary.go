package results

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/nashbench/nashbench/bench"
)

// Summarize writes two tables about rows: per solver and size, the jobs by
// status, the median time (unsolved jobs counted as unsolved: a median
// that falls on one reads ">limit"), the longest solved job, the PAR-2
// score and how many agree with the consensus answer; and the
// phase-transition view, the fraction of instances satisfiable per size
// and clause/variable ratio.
func Summarize(w io.Writer, rows []bench.Row) error {
	t := tablewriter.NewTable(w, tablewriter.WithHeaderAutoFormat(tw.Off))
	t.Header("solver", "n", "jobs", "solved", "timeouts", "memouts", "refused", "errors", "median s", "max s", "PAR-2 s", "agree")
	for _, c := range bench.Cells(rows) {
		med, mx, par2 := seconds(c.Median), "-", "-"
		if math.IsInf(c.Median, 1) {
			med = ">limit"
			if c.Limit > 0 {
				med = ">" + seconds(c.Limit)
			}
		}
		if c.Solved > 0 {
			mx = seconds(c.Max)
		}
		if !math.IsNaN(c.PAR2) {
			par2 = seconds(c.PAR2)
		}
		if err := t.Append(c.Solver, strconv.Itoa(c.N), strconv.Itoa(c.Jobs), strconv.Itoa(c.Solved),
			strconv.Itoa(c.Timeouts), strconv.Itoa(c.Memouts), strconv.Itoa(c.Refused), strconv.Itoa(c.Errors),
			med, mx, par2, fmt.Sprintf("%d/%d", c.Agree, c.Solved)); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}

	pts := bench.PhaseTransition(rows)
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

func seconds(s float64) string {
	switch {
	case s < 0.001:
		return fmt.Sprintf("%.0fµs", s*1e6)
	case s < 1:
		return fmt.Sprintf("%.1fms", s*1e3)
	}
	return fmt.Sprintf("%.2fs", s)
}
