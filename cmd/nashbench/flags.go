package main

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/nashbench/nashbench/solvers/external"
)

// durationFlag is a time.Duration flag whose parse errors say what is
// wrong: "5" lacks a unit (the flag package says only "parse error"). No
// duration here (a time limit) may be negative.
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
	if v < 0 {
		return errors.New("must not be negative (0: none)")
	}
	*d = durationFlag(v)
	return nil
}

// durationVar defines a duration flag like fs.DurationVar, with clearer
// parse errors. Write the usage with `duration` in backquotes, so that the
// help shows "-name duration" as it does for fs.Duration.
func durationVar(fs *flag.FlagSet, p *time.Duration, name string, value time.Duration, usage string) {
	*p = value
	fs.Var((*durationFlag)(p), name, usage)
}

// parseShard parses i/N (1-based), as sweep --shard and solve --part take
// it, into a 0-based i and N. flag names the flag in the error ("sweep
// --shard").
func parseShard(flag, s string) (i, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || y < 1 || x < 1 || x > y {
		return 0, 0, fmt.Errorf("%s %q: want i/N with 1 <= i <= N", flag, s)
	}
	return x - 1, y, nil
}

// parseMemory reads a memory size as sweep --mem takes it: a number of
// bytes, or a number with a binary unit (K, M, G and T are powers of 1024,
// optionally followed by B or iB, in any case), such as 512M, 4G or
// 1.5GiB. Sizes below 1M or above 1P are refused as surely mistaken.
func parseMemory(s string) (int64, error) {
	t := strings.TrimSuffix(strings.TrimSuffix(strings.ToUpper(strings.TrimSpace(s)), "B"), "I")
	mult := 1.0
	if t != "" {
		if i := strings.IndexByte("KMGT", t[len(t)-1]); i >= 0 {
			mult, t = math.Pow(1024, float64(i+1)), t[:len(t)-1]
		}
	}
	x, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(x) || x*mult < 1<<20 || x*mult > 1<<50 {
		return 0, fmt.Errorf("%q: want a size from 1M to 1P such as 512M or 4G", s)
	}
	return int64(x * mult), nil
}

// parseList parses a comma-separated list of numbers, the value of flag
// (such as --n), skipping empty items.
func parseList[T any](s, flag string, parse func(string) (T, error)) ([]T, error) {
	var out []T
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		v, err := parse(part)
		if err != nil {
			return nil, fmt.Errorf("sweep: %s: %q is not a number", flag, part)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("sweep: %s: empty list", flag)
	}
	return out, nil
}

// solversFileVar adds --solvers-file to a command's flags.
func solversFileVar(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "solvers-file", "", "JSON file of external solver definitions (default: $"+external.EnvFile+", else solvers.json in the nashbench directory of the user's configuration directory, if it exists)")
}
