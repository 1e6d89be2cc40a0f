// Command nashbench generates 3-SAT instances, reduces them to open-or-closed
// source games (Theorem 1 of the paper), decides pure Nash equilibrium existence
// with several solvers, and benchmarks the solvers against each other.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/nashbench/nashbench/internal/atomicfile"
	"github.com/nashbench/nashbench/isolate"
)

// A command is one subcommand; each lives in its own file and registers itself.
type command struct {
	name    string
	summary string
	// run parses args with its own FlagSet and does the work. It returns an
	// exitError to choose the exit status; any other error exits 2 (bad input).
	run func(args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

// exitError carries an exit status other than the default 2.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func main() {
	isolate.Serve()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			if c, ok := commands[args[1]]; ok {
				return status(c.run([]string{"-h"}, stdout, stderr), stderr)
			}
		}
		usage(stdout)
		return 0
	}
	if args[0] == "--version" || args[0] == "-version" {
		args = append([]string{"version"}, args[1:]...)
	}
	c, ok := commands[args[0]]
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
	// The flag package has printed the error and the usage already; printing
	// it again would say it twice. Exit 2, as flag.ExitOnError does.
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
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
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'nashbench <command> -h' for a command's flags.")
}

// usageError is a flag parse error that the FlagSet has already reported.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

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

// parseArgs parses flags that may stand before, between or after positional
// arguments (the flag package alone stops at the first positional one), and
// returns the positional arguments. "--" ends flag parsing.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, &usageError{err}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// fs.Parse consumed a "--" if it was what stopped it.
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
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
