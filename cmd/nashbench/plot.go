package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/results"
	"github.com/nashbench/nashbench/rundir"
)

func init() {
	register(command{
		name:    "plot",
		summary: "draw a sweep's plots (cactus, time-vs-n, hardness- and sat-vs-ratio) as SVG, PDF and PNG",
		run:     runPlot,
	})
}

func runPlot(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("plot", "RUN_DIR", stderr)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errors.New("plot: want one run directory")
	}
	rows, err := rundir.Read(pos[0])
	if err != nil {
		return err
	}
	// A directory can hold shards and their merge: count each job once.
	if rows, err = record.Merge(rows); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	files, err := results.Plot(rows, pos[0])
	if err != nil {
		return &exitError{1, fmt.Errorf("plot: %w", err)}
	}
	for _, f := range files {
		fmt.Fprintln(stdout, f)
	}
	return nil
}
