// Command nashbench generates 3-SAT instances, reduces them to open-or-closed
// source games (Theorem 1 of the paper), decides pure Nash equilibrium existence
// with several solvers, and benchmarks the solvers against each other.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/nashbench/nashbench/history"
	"github.com/nashbench/nashbench/internal/atomicfile"
	"github.com/nashbench/nashbench/isolate"
	"github.com/nashbench/nashbench/rundir"
)

// A command is one subcommand.
type command struct {
	name, summary string
	// run parses args with its own FlagSet and does the work. It returns an
	// exitError to choose the exit status; any other error exits 2 (bad input).
	run func(args []string, stdout, stderr io.Writer) error
}

// commands are the subcommands, sorted by name as the usage lists them.
var commands = []command{
	{"analyze", "equilibria, welfare, price of anarchy and the corollaries of one game", runAnalyze},
	{"bisect", "find the first commit where a benchmark's counter changed, building commits in worktrees", runBisect},
	{"compare", "compare two Go benchmark files; exit 1 on a significant regression", runCompare},
	{"diff", "compare two runs instance by instance: status changes, changed answers, speedups; exit 1 on a regression", runDiff},
	{"export", "write a formulation of the equilibrium question (OPB, CNF, LP) for external solvers", runExport},
	{"gen", "generate random or planted k-SAT instances as DIMACS files, or games (--game) as JSON", runGen},
	{"merge", "combine the rows of sharded sweeps into one run directory", runMerge},
	{"plot", "draw a sweep's plots (cactus, time-vs-n, hardness- and sat-vs-ratio) as SVG, PDF and PNG", runPlot},
	{"reduce", "write the Theorem 1 game of a DIMACS formula as game JSON", runReduce},
	{"regress", "compare the history's newest entry with the entries before it; exit 1 on a regression", runRegress},
	{"report", "write a run's HTML report (RUN_DIR), or the history's dashboard: one self-contained page", runReport},
	{"solve", "decide (and count) non-trivial pure equilibria of formulas and games", runSolve},
	{"solvers", "list every solver, built-in and external, with its input, version and whether it can run here", runSolvers},
	{"sweep", "run solvers over generated instances or a corpus, verified, into a run directory", runSweep},
	{"track", "run the tracking suite on the working tree or on commits; add the results to the history", runTrack},
	{"version", "print the versions of nashbench (revision, dirty), Go, HiGHS and gophersat (also --version)", runVersion},
}

func lookup(name string) (command, bool) {
	i := slices.IndexFunc(commands, func(c command) bool { return c.name == name })
	if i < 0 {
		return command{}, false
	}
	return commands[i], true
}

// exitError carries an exit status other than the default 2, or an error
// that has been told already (err nil), such as a flag the FlagSet reported.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return fmt.Sprint(e.err) }
func (e *exitError) Unwrap() error { return e.err }

func main() {
	isolate.Serve()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			if c, ok := lookup(args[1]); ok {
				return status(c.run([]string{"-h"}, stdout, stderr), stderr)
			}
		}
		usage(stdout)
		return 0
	}
	if args[0] == "--version" || args[0] == "-version" {
		args = append([]string{"version"}, args[1:]...)
	}
	c, ok := lookup(args[0])
	if !ok {
		fmt.Fprintf(stderr, "nashbench: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	return status(c.run(args[1:], stdout, stderr), stderr)
}

func status(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "nashbench: %v\n", ee.err)
		}
		return ee.code
	}
	fmt.Fprintf(stderr, "nashbench: %v\n", err)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: nashbench <command> [flags] [args]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'nashbench <command> -h' for a command's flags.")
}

// newFlagSet returns a FlagSet that reports errors instead of exiting, so
// commands can be tested in-process.
func newFlagSet(name, usageLine string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: nashbench %s %s\n", name, usageLine)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, whose flags may stand before, between or after the
// positional arguments (the flag package alone stops at the first
// positional one; "--" ends the flags), and returns the positional ones,
// of which it wants lo to hi (hi < 0: any number). Too few or too many
// print the usage and are the error want; with want "", an extra one is
// named instead.
func parse(fs *flag.FlagSet, args []string, lo, hi int, want string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
			return nil, err
		} else if err != nil {
			// The FlagSet has told the error and the usage; exit 2, as
			// flag.ExitOnError does.
			return nil, &exitError{2, nil}
		}
		rest := fs.Args()
		// fs.Parse consumed a "--" if it was what stopped it.
		if len(rest) > 0 && len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			pos, rest = append(pos, rest...), nil
		}
		if len(rest) == 0 {
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	switch {
	case len(pos) >= lo && (hi < 0 || len(pos) <= hi):
		return pos, nil
	case want == "":
		return nil, fmt.Errorf("%s: unexpected argument %q", fs.Name(), pos[hi])
	}
	fs.Usage()
	return nil, fmt.Errorf("%s: %s", fs.Name(), want)
}

// given names the flags set on the command line.
func given(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// writeOutput writes data to standard output when path is "" or "-", else
// atomically to the file at path. A file that cannot be written is a bad
// argument (exit 2, and its error names path); a failed write to standard
// output exits 1.
func writeOutput(cmd, path string, data []byte, stdout io.Writer) error {
	if path == "" || path == "-" {
		if _, err := stdout.Write(data); err != nil {
			return &exitError{1, fmt.Errorf("%s: %w", cmd, err)}
		}
		return nil
	}
	if err := atomicfile.Write(path, data); err != nil {
		return fmt.Errorf("%s: -o: %w", cmd, err)
	}
	return nil
}

// repository returns the top directory of the git repository around the
// current directory, and in dir, when it is "", its history directory.
func repository(ctx context.Context, dir *string) (string, error) {
	repo, err := history.Git(ctx, ".", "rev-parse", "--show-toplevel")
	if err == nil && *dir == "" {
		*dir = filepath.Join(repo, history.DefaultDir)
	}
	return repo, err
}

func runVersion(args []string, stdout, stderr io.Writer) error {
	if _, err := parse(newFlagSet("version", "", stderr), args, 0, 0, ""); err != nil {
		return err
	}
	if err := rundir.CurrentVersions().WriteText(stdout); err != nil {
		return &exitError{1, err}
	}
	return nil
}
