package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/nashbench/nashbench/history"
)

func init() {
	register(command{
		name:    "report",
		summary: "write the history as one HTML page: the newest entry's verdicts and every metric's chart over the commits",
		run:     runReport,
	})
}

func runReport(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("report", "[--history DIR] -o OUT.html", stderr)
	dir := fs.String("history", "", "the history directory (default: "+history.DefaultDir+" of the git repository of the current directory)")
	out := fs.String("o", "", "the HTML file to write, or - for standard output (required)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		fs.Usage()
		return fmt.Errorf("report: unexpected argument %q (the history is --history DIR)", pos[0])
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
