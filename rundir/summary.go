package rundir

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/nashbench/nashbench/internal/atomicfile"
	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/results"
)

// OutputError is the error of an output that could not be written (a
// summary, a plot): the rows are safe, their presentation is not.
type OutputError struct{ Err error }

func (e *OutputError) Error() string { return e.Err.Error() }
func (e *OutputError) Unwrap() error { return e.Err }

// Summary is what WriteSummary wrote.
type Summary struct {
	Text  string   // the text summary, as in summary.txt
	Files []string // the files written, summaries first, then plots, then the report
	// NoPlots says why no plots were drawn ("" when they were, or for a
	// shard, which is plotted once merged).
	NoPlots string
}

// WriteSummary writes the summaries of rows, the rows of the rows file
// rowsName (a base name), into dir: the text summary, its JSON form and
// the rows as CSV; for an unsharded run also the plots and the HTML report
// (ReportFile, see WriteReport). missing, when not
// nil, is what the rows lack of their experiment. A file that cannot be
// written is an *OutputError.
func WriteSummary(dir, rowsName string, rows []record.Row, missing *record.Missing) (*Summary, error) {
	var sb strings.Builder
	if err := results.Summarize(&sb, rows); err != nil {
		return nil, err
	}
	results.SummarizeMissing(&sb, missing)
	s := &Summary{Text: sb.String()}
	txt := SummaryFile(dir, rowsName)
	var js, csv bytes.Buffer
	if err := results.WriteRunSummaryJSON(&js, rows, missing); err != nil {
		return s, err
	}
	if err := results.WriteRowsCSV(&csv, rows); err != nil {
		return s, err
	}
	files := []struct {
		path string
		data []byte
	}{
		{txt, []byte(s.Text)},
		{summaryJSONFile(txt), js.Bytes()},
		{rowsCSVFile(dir, rowsName), csv.Bytes()},
	}
	for _, f := range files {
		if err := atomicfile.Write(f.path, f.data); err != nil {
			return s, &OutputError{err}
		}
		s.Files = append(s.Files, f.path)
	}
	if rowsName != filepath.Base(RowsFile(dir, 0, 1)) {
		return s, nil // shards are plotted once merged
	}
	plots, err := results.Plot(rows, dir)
	switch {
	case errors.Is(err, results.ErrNothingToPlot):
		s.NoPlots = err.Error()
	case err != nil:
		return s, &OutputError{fmt.Errorf("plots: %w", err)}
	}
	s.Files = append(s.Files, plots...)
	if plots == nil {
		plots = []string{} // none drawn: none to look for either
	}
	var page bytes.Buffer
	if err := WriteReport(&page, dir, rows, missing, plots, s.NoPlots, ""); err != nil {
		return s, &OutputError{fmt.Errorf("report: %w", err)}
	}
	report := filepath.Join(dir, ReportFile)
	if err := atomicfile.Write(report, page.Bytes()); err != nil {
		return s, &OutputError{err}
	}
	s.Files = append(s.Files, report)
	return s, nil
}

// WriteReport writes the HTML report of a run directory's rows to w (see
// results.WriteHTML), described by the directory's run.json when it has
// one. missing, when not nil, is what the rows lack of their experiment.
// The report inlines the SVG files among plots; when plots is nil, the
// plots the directory holds, or, when it holds none, plots drawn afresh in
// a temporary directory (noPlots then says why there are none). against,
// when not "", names another run (a directory or rows file) that the
// report compares this one with, instance by instance (results.DiffRuns).
func WriteReport(w io.Writer, dir string, rows []record.Row, missing *record.Missing, plots []string, noPlots, against string) error {
	r := &results.HTMLReport{Rows: rows, Missing: missing, Plots: plots, NoPlots: noPlots}
	if against != "" {
		other, err := Read(against)
		if err != nil {
			return err
		}
		// This run is the second: its changes since the other.
		r.Against, r.Diff = against, results.DiffRuns(other, rows, results.DiffSettings{})
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	r.Title = "nashbench run: " + filepath.Base(abs)
	r.Facts = append(r.Facts, results.Fact{Name: "run directory", Value: abs})
	if info, err := ReadInfo(dir); err == nil {
		r.Facts = append(r.Facts, infoFacts(info)...)
	}
	if plots == nil {
		for _, stem := range []string{"cactus", "time-vs-n", "hardness-vs-ratio", "sat-vs-ratio"} {
			if f := filepath.Join(dir, stem+".svg"); fileExists(f) {
				r.Plots = append(r.Plots, f)
			}
		}
	}
	if plots == nil && len(r.Plots) == 0 {
		tmp, err := os.MkdirTemp("", "nashbench-plots-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		r.Plots, err = results.Plot(rows, tmp)
		switch {
		case errors.Is(err, results.ErrNothingToPlot):
			r.NoPlots = err.Error()
		case err != nil:
			return fmt.Errorf("plots: %w", err)
		}
	}
	return results.WriteHTML(w, r)
}

func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// infoFacts describes a run by its run.json, for its report.
func infoFacts(info *Info) []results.Fact {
	e := &info.Experiment
	var facts []results.Fact
	add := func(name, value string) {
		if value != "" {
			facts = append(facts, results.Fact{Name: name, Value: value})
		}
	}
	if e.Corpus != "" {
		add("instances", "the corpus "+e.Corpus)
	} else {
		sizes := make([]string, len(e.Sizes))
		for i, n := range e.Sizes {
			sizes[i] = strconv.Itoa(n)
		}
		ratios := make([]string, len(e.Ratios))
		for i, x := range e.Ratios {
			ratios[i] = strconv.FormatFloat(x, 'g', -1, 64)
		}
		kind := "random"
		if e.Planted {
			kind = "planted (satisfiable)"
		}
		add("instances", fmt.Sprintf("%s %d-SAT, n = %s, ratio %s, %s per point, seed %d",
			kind, e.K, strings.Join(sizes, ", "), strings.Join(ratios, ", "), plural.Count(e.Count, "instance", "instances"), e.Seed))
	}
	add("solvers", strings.Join(e.Solvers, ", ")+" (reduction "+e.Reduction.String()+")")
	limits := []string{"no time limit"}
	if e.Timeout > 0 {
		limits[0] = "timeout " + e.Timeout.String() + " per job"
	}
	if e.Memory > 0 {
		limits = append(limits, fmt.Sprintf("memory %.1f GiB", float64(e.Memory)/(1<<30)))
	}
	if e.Certify {
		limits = append(limits, "proofs of negative answers asked for (--certify)")
	}
	add("limits", strings.Join(limits, "; "))
	v := info.Versions
	var vs []string
	for _, p := range [][2]string{{"nashbench", shortRev(v.Nashbench, v.NashbenchModified)}, {"go", v.Go}, {"gophersat", v.Gophersat}, {"highs", v.HiGHS}, {"wazero", v.Wazero}} {
		if p[1] != "" {
			vs = append(vs, p[0]+" "+p[1])
		}
	}
	add("versions", strings.Join(vs, ", "))
	var ms []string
	for _, m := range info.Machines {
		desc := []string{m.Hostname}
		if m.CPU != "" {
			desc = append(desc, m.CPU)
		}
		desc = append(desc, plural.Count(m.Cores, "core", "cores"))
		if m.MemoryBytes > 0 {
			desc = append(desc, fmt.Sprintf("%.1f GiB", float64(m.MemoryBytes)/(1<<30)))
		}
		desc = append(desc, m.OS)
		s := strings.Join(desc, ", ")
		if m.Shard != "" && m.Shard != "1/1" {
			s = "shard " + m.Shard + ": " + s
		}
		if m.Started != "" {
			s += " (started " + m.Started + ")"
		}
		ms = append(ms, s)
	}
	add("machines", strings.Join(ms, "; "))
	add("merged from", strings.Join(info.MergedFrom, ", "))
	return facts
}

// shortRev shortens a VCS revision to 12 digits, marking a modified tree.
func shortRev(rev string, modified bool) string {
	if len(rev) == 40 {
		rev = rev[:12]
	}
	if rev != "" && modified {
		rev += " (modified)"
	}
	return rev
}
