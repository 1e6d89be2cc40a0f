package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/nashbench/nashbench/analysis"
	"github.com/nashbench/nashbench/bench"
	"github.com/nashbench/nashbench/solvers"
)

func init() {
	register(command{
		name:    "analyze",
		summary: "equilibria, welfare, price of anarchy and the corollaries of one game",
		run:     runAnalyze,
	})
}

func runAnalyze(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("analyze", "[--json] [--list 1000] [--timeout 60s] GAME.json", stderr)
	asJSON := fs.Bool("json", false, "print one JSON object (fields documented in package analysis)")
	list := fs.Int("list", 1000, "most pure equilibria to list; prices need all of them")
	timeout := durationVar(fs, "timeout", 60*time.Second, "time limit of the continuous MIP, a `duration` such as 60s (0: none)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errors.New("analyze: give exactly one game file")
	}
	if *list < 1 {
		return fmt.Errorf("analyze: --list %d: want at least 1", *list)
	}
	if *timeout < 0 {
		return fmt.Errorf("analyze: --timeout %v: must not be negative (0: no limit)", *timeout)
	}
	g, err := bench.LoadGame(pos[0])
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	an, err := analysis.Analyze(ctx, g, analysis.Options{Name: pos[0], List: *list, Timeout: *timeout})
	switch {
	case errors.Is(err, analysis.ErrInterrupted):
		return &exitError{130, errors.New("analyze: interrupted")}
	case solvers.IsRefused(err):
		return err // bad input: exit 2
	case err != nil:
		return &exitError{1, err}
	}
	if ctx.Err() != nil {
		return &exitError{130, errors.New("analyze: interrupted")}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		if err := enc.Encode(an); err != nil {
			return &exitError{1, err}
		}
		return nil
	}
	an.WriteText(stdout)
	return nil
}
