package main

import (
	"fmt"
	"io"

	"github.com/nashbench/nashbench/rundir"
)

func init() {
	register(command{
		name:    "version",
		summary: "print the versions of nashbench (revision, dirty), Go, HiGHS and gophersat (also --version)",
		run:     runVersion,
	})
}

func runVersion(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", "", stderr)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("version: unexpected argument %q", pos[0])
	}
	v := rundir.CurrentVersions()
	rev := v.Nashbench
	if rev == "" {
		rev = "(devel: built without VCS information, e.g. -buildvcs=false)"
	}
	if v.NashbenchModified {
		rev += " (with uncommitted changes)"
	}
	fmt.Fprintf(stdout, "nashbench  %s\nbinary     sha256 %s\ngo         %s\nhighs      %s\ngophersat  %s\nwazero     %s\n",
		rev, orNone(v.BinarySHA256), v.Go, v.HiGHS, orNone(v.Gophersat), orNone(v.Wazero))
	return nil
}
