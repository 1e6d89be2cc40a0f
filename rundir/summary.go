package rundir

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/nashbench/nashbench/internal/atomicfile"
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
	Files []string // the files written, summaries first, then plots
	// NoPlots says why no plots were drawn ("" when they were, or for a
	// shard, which is plotted once merged).
	NoPlots string
}

// WriteSummary writes the summaries of rows, the rows of the rows file
// rowsName (a base name), into dir: the text summary, its JSON form and
// the rows as CSV; for an unsharded run also the plots. missing, when not
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
		{strings.TrimSuffix(txt, ".txt") + ".json", js.Bytes()},
		{filepath.Join(dir, strings.TrimSuffix(rowsName, ".jsonl")+".csv"), csv.Bytes()},
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
	return s, nil
}
