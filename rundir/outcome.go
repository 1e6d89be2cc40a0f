package rundir

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/results"
)

// Outcome is the end of a run (a sweep, or a merge of its shards): what
// Finish wrote, and what went wrong, so that a caller can print it and
// choose an exit status.
type Outcome struct {
	Dir     string   // the run directory
	Summary *Summary // what WriteSummary wrote; nil if it could not summarize
	// Err is WriteSummary's error: an output was not written, though the
	// rows are safe.
	Err           error
	Disagreements []results.Disagreement
	// Missing is what the rows lack of their experiment, nil when unknown
	// or nothing.
	Missing *record.Missing
	// Failed are the rows whose solver failed (an error or a memout), as
	// opposed to an answer that failed verification.
	Failed []record.Row
}

// Finish writes the summaries of a finished run's rows into dir as
// WriteSummary does (rowsName and missing as there), and collects the
// disagreements and the failed jobs. The rows are judged even when an
// output cannot be written.
func Finish(dir, rowsName string, rows []record.Row, missing *record.Missing) *Outcome {
	o := &Outcome{Dir: dir, Disagreements: results.Disagreements(rows)}
	o.Summary, o.Err = WriteSummary(dir, rowsName, rows, missing)
	if missing != nil && missing.Jobs > 0 {
		o.Missing = missing
	}
	for i := range rows {
		if (rows[i].Status == record.Error || rows[i].Status == record.Memout) && !rows[i].Failed() {
			o.Failed = append(o.Failed, rows[i])
		}
	}
	return o
}

// Write tells the outcome: the summary's text to stdout; to stderr the
// plots that could not be drawn, a line per disagreement (DISAGREEMENT),
// the missing jobs (MISSING) and each failed job (FAILED), and last the
// files written, so that the final line says where everything went.
func (o *Outcome) Write(stdout, stderr io.Writer) {
	if o.Summary != nil {
		fmt.Fprint(stdout, o.Summary.Text)
		defer fmt.Fprintf(stderr, "nashbench: %s\n", o.Summary.Wrote(o.Dir))
		if o.Summary.NoPlots != "" {
			fmt.Fprintf(stderr, "nashbench: no plots: %s\n", o.Summary.NoPlots)
		}
	}
	for _, d := range o.Disagreements {
		fmt.Fprintf(stderr, "DISAGREEMENT: %s: %s\n", d.Instance, d.Detail)
	}
	if o.Missing != nil {
		var sm strings.Builder
		results.SummarizeMissing(&sm, o.Missing)
		fmt.Fprintf(stderr, "MISSING: %s\n", strings.TrimPrefix(strings.TrimSpace(sm.String()), "missing: "))
	}
	for _, r := range o.Failed {
		fmt.Fprintf(stderr, "FAILED: %s with %s: %s\n", r.Instance, r.Solver, r.Error)
	}
}

// Status is the exit status of the run, with its error: 2 when an output
// was not written (the worst, since the summary is incomplete), 1 for
// disagreements or failed verifications, 3 for failed jobs, else 0 and nil.
// Missing jobs alone are not a failure: a merge of unfinished shards is
// still a merge.
func (o *Outcome) Status() (int, error) {
	switch {
	case o.Err != nil:
		return 2, o.Err
	case len(o.Disagreements) > 0:
		return 1, fmt.Errorf("%s or failed verifications (rows in %s)", plural.Count(len(o.Disagreements), "disagreement", "disagreements"), o.Dir)
	case len(o.Failed) > 0:
		return 3, fmt.Errorf("%s failed (rows in %s)", plural.Count(len(o.Failed), "job", "jobs"), o.Dir)
	}
	return 0, nil
}

// Wrote names the files of s written into dir, for a last line that says
// where everything went: each file by name, and the plots by name with
// their formats ("wrote summary.txt, ... and the plots answers, time (.svg
// .pdf) in DIR").
func (s *Summary) Wrote(dir string) string {
	var named, plots, exts []string
	for _, f := range s.Files {
		base := filepath.Base(f)
		ext := filepath.Ext(base)
		switch ext {
		case ".svg", ".pdf", ".png":
			if stem := strings.TrimSuffix(base, ext); !slices.Contains(plots, stem) {
				plots = append(plots, stem)
			}
			if !slices.Contains(exts, ext) {
				exts = append(exts, ext)
			}
		default:
			named = append(named, base)
		}
	}
	line := "wrote " + strings.Join(named, ", ")
	if len(plots) > 0 {
		line += fmt.Sprintf(" and the plots %s (%s)", strings.Join(plots, ", "), strings.Join(exts, " "))
	}
	return line + " in " + dir
}
