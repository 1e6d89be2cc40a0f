package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/nashbench/nashbench/history"
	"github.com/nashbench/nashbench/rundir"
)

func init() {
	register(command{
		name:    "report",
		summary: "write a run's HTML report (RUN_DIR), or the history's dashboard: one self-contained page",
		run:     runReport,
	})
}

func runReport(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", "[--history DIR] -o OUT.html\n       nashbench report RUN_DIR [--against RUN] [-o OUT.html]", stderr)
	dir := fs.String("history", "", "the history directory (default: "+history.DefaultDir+" of the git repository of the current directory)")
	out := fs.String("o", "", "the HTML file to write, or - for standard output (required for the dashboard; default RUN_DIR/"+rundir.ReportFile+" for a run)")
	against := fs.String("against", "", "with RUN_DIR: compare the run with an earlier RUN (a run directory or rows file), instance by instance, as nashbench diff does")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *against != "" && len(pos) != 1:
		fs.Usage()
		return fmt.Errorf("report: --against needs a RUN_DIR to compare")
	case len(pos) > 1:
		fs.Usage()
		return fmt.Errorf("report: unexpected argument %q (one run directory, or none for the history's dashboard)", pos[1])
	case len(pos) == 1 && *dir != "":
		fs.Usage()
		return fmt.Errorf("report: --history is for the dashboard, not for a run directory (%s)", pos[0])
	case len(pos) == 1:
		return runReportRun(pos[0], *out, *against, stdout)
	}
	if *out == "" {
		fs.Usage()
		return fmt.Errorf("report: -o is required: the HTML file to write, or - for standard output")
	}
	if *dir == "" {
		repo, err := history.Git(context.Background(), ".", "rev-parse", "--show-toplevel")
		if err != nil {
			return fmt.Errorf("report: no --history given and not in a git repository")
		}
		*dir = filepath.Join(repo, history.DefaultDir)
	}
	entries, accepts, err := history.Load(*dir)
	if err != nil {
		return err
	}
	if len(entries) == 0 {
		return fmt.Errorf("report: %s has no entries (nashbench track adds them)", *dir)
	}
	var b bytes.Buffer
	if err := history.WriteReport(&b, entries, accepts); err != nil {
		return &exitError{1, fmt.Errorf("report: %w", err)}
	}
	return writeOutput("report", *out, b.Bytes(), stdout)
}

// runReportRun writes the report of the run directory dir into out
// (default dir/report.html) and prints the file's path.
func runReportRun(dir, out, against string, stdout io.Writer) error {
	if st, err := os.Stat(dir); err != nil {
		return fmt.Errorf("report: %w", err)
	} else if !st.IsDir() {
		return fmt.Errorf("report: %s is not a run directory", dir)
	}
	rows, missing, err := rundir.ReadRun(dir)
	if err != nil {
		return fmt.Errorf("report: %w (report RUN_DIR reads a sweep's run directory; the history's dashboard is report --history DIR -o OUT.html)", err)
	}
	var b bytes.Buffer
	if err := rundir.WriteReport(&b, dir, rows, missing, nil, "", against); err != nil {
		return &exitError{1, fmt.Errorf("report: %w", err)}
	}
	if out == "" {
		out = filepath.Join(dir, rundir.ReportFile)
	}
	if err := writeOutput("report", out, b.Bytes(), stdout); err != nil {
		return err
	}
	if out != "-" {
		fmt.Fprintln(stdout, out)
	}
	return nil
}
