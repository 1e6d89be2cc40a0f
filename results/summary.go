package results

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/record"
)

// Summarize writes the tables of a sweep's statistics: per solver and size,
// the jobs by status, the median and quartiles of time (unsolved jobs
// counted as unsolved: a quantile that falls on one reads ">limit"), the
// longest solved job, the PAR-2 score and how many agree with the consensus
// answer; the empirical growth of each solver's time with n; per solver,
// size and ratio, the median time (the easy-hard-easy view); and the phase
// transition: the fraction of instances satisfiable per size and ratio with
// its 95% Wilson interval, and the crossover ratio per size.
func Summarize(w io.Writer, rows []record.Row) error {
	t := tablewriter.NewTable(w, tablewriter.WithHeaderAutoFormat(tw.Off))
	t.Header("solver", sizeName(rows), "jobs", "solved", "timeouts", "memouts", "refused", "errors", "median s", "Q1 s", "Q3 s", "max s", "PAR-2 s", "agree", "checked w/e/p/none")
	for _, c := range Cells(rows) {
		mx, par2 := "-", "-"
		if c.Solved > 0 {
			mx = seconds(float64(c.Max))
		}
		if !math.IsNaN(float64(c.PAR2)) {
			par2 = seconds(float64(c.PAR2))
		}
		if err := t.Append(c.Solver, strconv.Itoa(c.N), strconv.Itoa(c.Jobs), strconv.Itoa(c.Solved),
			strconv.Itoa(c.Timeouts), strconv.Itoa(c.Memouts), strconv.Itoa(c.Refused), strconv.Itoa(c.Errors),
			limited(float64(c.Median), c.Limit), limited(float64(c.Q1), c.Limit), limited(float64(c.Q3), c.Limit), mx, par2, fmt.Sprintf("%d/%d", c.Agree, c.Solved),
			fmt.Sprintf("%d/%d/%d/%d", c.Checked.Witness, c.Checked.Exhaustive, c.Checked.Proof, c.Checked.None)); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}

	if gs := GrowthRates(rows); len(gs) == 0 {
		fmt.Fprintln(w, "\ngrowth: not fitted: no solver solved more than half of its jobs at three sizes or more")
	} else {
		fmt.Fprintln(w, "\ngrowth: time ~ base^"+map[bool]string{false: "n", true: "k (k players)"}[allGames(rows)]+", fitted to the median over the sizes each solver mostly solves (95% bootstrap interval)")
		g := tablewriter.NewTable(w, tablewriter.WithHeaderAutoFormat(tw.Off))
		g.Header("solver", "base", "95% interval", "sizes")
		for _, x := range gs {
			if err := g.Append(x.Solver, fmt.Sprintf("%.3f", float64(x.Base)), interval(float64(x.Low), float64(x.High), "%.3f"), fmt.Sprintf("%d..%d", x.NMin, x.NMax)); err != nil {
				return err
			}
		}
		if err := g.Render(); err != nil {
			return err
		}
	}

	if ratios := CellsByRatio(rows); len(ratios) > len(Cells(rows)) {
		fmt.Fprintln(w, "\nhardness: median time per ratio")
		h := tablewriter.NewTable(w, tablewriter.WithHeaderAutoFormat(tw.Off))
		h.Header("solver", "n", "ratio", "jobs", "solved", "median s", "Q1 s", "Q3 s")
		for _, c := range ratios {
			if err := h.Append(c.Solver, strconv.Itoa(c.N), strconv.FormatFloat(c.Ratio, 'g', -1, 64), strconv.Itoa(c.Jobs), strconv.Itoa(c.Solved),
				limited(float64(c.Median), c.Limit), limited(float64(c.Q1), c.Limit), limited(float64(c.Q3), c.Limit)); err != nil {
				return err
			}
		}
		if err := h.Render(); err != nil {
			return err
		}
	}

	pts := PhaseTransition(rows)
	games := allGames(rows)
	p := tablewriter.NewTable(w, tablewriter.WithHeaderAutoFormat(tw.Off))
	if games { // one "ratio", 0: per number of players only
		fmt.Fprintln(w, "\nequilibria: fraction of games with a non-trivial pure equilibrium (95% Wilson interval)")
		p.Header("players", "games", "decided", "with one", "95% interval")
	} else {
		fmt.Fprintln(w, "\nphase transition: fraction satisfiable (95% Wilson interval)")
		p.Header("n", "ratio", "instances", "decided", "satisfiable", "95% interval")
	}
	for _, pt := range pts {
		frac, iv := "-", "-"
		if pt.Decided > 0 {
			frac = fmt.Sprintf("%.2f", float64(pt.Sat)/float64(pt.Decided))
			iv = interval(pt.Low, pt.High, "%.2f")
		}
		cells := []any{strconv.Itoa(pt.N), strconv.FormatFloat(pt.Ratio, 'g', -1, 64),
			strconv.Itoa(pt.Instances), strconv.Itoa(pt.Decided), frac, iv}
		if games {
			cells = slices.Delete(cells, 1, 2)
		}
		if err := p.Append(cells...); err != nil {
			return err
		}
	}
	if err := p.Render(); err != nil {
		return err
	}
	for _, note := range Unplotted(rows) {
		fmt.Fprintln(w, "\n"+note)
	}
	cs := Crossovers(pts)
	if len(cs) == 0 && len(ratios(rows)) > 1 {
		fmt.Fprintln(w, "\ncrossover: none: at no size does the fraction satisfiable fall through 1/2 between two of its ratios")
	}
	if len(cs) > 0 {
		fmt.Fprintln(w, "\ncrossover: the ratio at which half are satisfiable (interpolated; 95% bootstrap interval)")
		c := tablewriter.NewTable(w, tablewriter.WithHeaderAutoFormat(tw.Off))
		c.Header("n", "ratio", "95% interval")
		for _, x := range cs {
			if err := c.Append(strconv.Itoa(x.N), fmt.Sprintf("%.2f", x.Ratio), interval(float64(x.Low), float64(x.High), "%.2f")); err != nil {
				return err
			}
		}
		return c.Render()
	}
	return nil
}

// allGames reports whether every row is a game's (a game sweep's, whose N
// is the number of players): then the tables and plots say "players"
// where formulas' say "n".
func allGames(rows []record.Row) bool {
	for i := range rows {
		if rows[i].Kind != record.KindGame && rows[i].Family == "" {
			return false
		}
	}
	return len(rows) > 0
}

// sizeName names the size column: "players" for games, else "n".
func sizeName(rows []record.Row) string {
	if allGames(rows) {
		return "players"
	}
	return "n"
}

// SummarizeMissing writes what rows lack of their experiment, when they
// lack any job: how many jobs and from which shards, whose tasks failed,
// timed out or were cancelled.
func SummarizeMissing(w io.Writer, m *record.Missing) {
	if m == nil || m.Jobs == 0 {
		return
	}
	where := ""
	if m.Of > 1 {
		parts := make([]string, len(m.Shards))
		for i, s := range m.Shards {
			parts[i] = strconv.Itoa(s)
		}
		where = fmt.Sprintf(", from shard%s %s of %d", map[bool]string{true: "s"}[len(parts) > 1], strings.Join(parts, ","), m.Of)
	}
	verb := "have"
	if m.Jobs == 1 {
		verb = "has"
	}
	fmt.Fprintf(w, "\nmissing: %d of %s %s no row%s (a task failed, timed out or was cancelled); a sweep with --resume runs them\n", m.Jobs, plural.Count(m.Planned, "job", "jobs"), verb, where)
}

// limited formats a time quantile: ">limit" (with the limit when there is
// one) when it falls on unsolved jobs.
func limited(s, limit float64) string {
	if !math.IsInf(s, 1) {
		return seconds(s)
	}
	if limit > 0 {
		return ">" + seconds(limit)
	}
	return ">limit"
}

func interval(lo, hi float64, format string) string {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return "-"
	}
	return fmt.Sprintf("["+format+", "+format+"]", lo, hi)
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
