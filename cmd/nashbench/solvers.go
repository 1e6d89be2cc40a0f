package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/external"
)

func init() {
	register(command{
		name:    "solvers",
		summary: "list every solver, built-in and external, with its input, version and whether it can run here",
		run:     runSolvers,
	})
}

// solversFileFlag adds --solvers-file to a command's flags.
func solversFileFlag(fs *flag.FlagSet) *string {
	return fs.String("solvers-file", "", "JSON file of external solver definitions (default: $"+external.EnvFile+", else solvers.json in the nashbench directory of the user's configuration directory, if it exists)")
}

func runSolvers(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("solvers", "[--solvers-file F] [--json]", stderr)
	asJSON := fs.Bool("json", false, "one JSON object per solver")
	solversFile := solversFileFlag(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("solvers: unexpected argument %q", pos[0])
	}
	file, err := external.Load(*solversFile)
	if err != nil {
		return fmt.Errorf("solvers: %w", err)
	}
	infos := solvers.List(context.Background())
	if *asJSON {
		enc := json.NewEncoder(stdout)
		for _, in := range infos {
			if err := enc.Encode(in); err != nil {
				return &exitError{1, err}
			}
		}
		return nil
	}
	if file != "" {
		fmt.Fprintf(stdout, "external definitions: shipped, and %s\n\n", file)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tKIND\tINPUT\tVERSION\tSTATUS")
	for _, in := range infos {
		kind := in.Kind
		if in.Source != "" && in.Source != external.ShippedSource {
			kind += " (" + in.Source + ")"
		}
		input := in.Input
		if in.Certifies {
			input += ", proofs"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", in.Name, kind, input, orDash(in.Version), in.Status)
	}
	if err := tw.Flush(); err != nil {
		return &exitError{1, err}
	}
	return nil
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}
