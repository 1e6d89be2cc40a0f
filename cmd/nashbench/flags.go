package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/nashbench/nashbench/internal/plural"
)

// durationFlag is a time.Duration flag whose parse errors say what is
// wrong: "5" lacks a unit (the flag package says only "parse error").
type durationFlag time.Duration

func (d *durationFlag) String() string { return time.Duration(*d).String() }

func (d *durationFlag) Set(s string) error {
	v, err := time.ParseDuration(s)
	if err != nil {
		if _, ferr := strconv.ParseFloat(s, 64); ferr == nil {
			return fmt.Errorf("a duration needs a unit, such as %ss or %sms", s, s)
		}
		return errors.New("not a duration (such as 30s, 1m30s or 500ms)")
	}
	*d = durationFlag(v)
	return nil
}

// durationVar defines a duration flag like fs.Duration, with clearer parse
// errors. Write the usage with `duration` in backquotes, so that the help
// shows "-name duration" as it does for fs.Duration.
func durationVar(fs *flag.FlagSet, name string, value time.Duration, usage string) *time.Duration {
	d := value
	fs.Var((*durationFlag)(&d), name, usage)
	return &d
}

// runValue formats a run.json value that a flag contradicts, as Diff gives
// it, for a message: sizes in bytes also in binary units, and 0 as what it
// means.
func runValue(field, v string) string {
	switch field {
	case "memory_bytes":
		n, err := strconv.ParseInt(v, 10, 64)
		switch {
		case err != nil:
		case n == 0:
			return "0 (no memory limit)"
		default:
			return fmt.Sprintf("%s (%s)", humanBytes(n), plural.Count(int(n), "byte", "bytes"))
		}
	case "timeout_seconds":
		if v == "0s" {
			return "0s (no time limit)"
		}
	}
	return orNone(v)
}

// humanBytes writes n in the largest binary unit of parseBytes (K, M, G,
// T) that leaves at most 4 significant digits: 1073741824 is 1G.
func humanBytes(n int64) string {
	for _, u := range []struct {
		suffix string
		size   int64
	}{{"T", 1 << 40}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}} {
		if n >= u.size {
			return strconv.FormatFloat(float64(n)/float64(u.size), 'g', 4, 64) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// aliasValue is a second name of a flag: setting either sets the first.
type aliasValue struct{ flag.Value }

// IsBoolFlag keeps a boolean flag's alias usable without a value.
func (a aliasValue) IsBoolFlag() bool {
	b, ok := a.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// String is the first flag's value ("" for the zero aliasValue that
// flag.PrintDefaults makes).
func (a aliasValue) String() string {
	if a.Value == nil {
		return ""
	}
	return a.Value.String()
}
