package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"
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

// parseList parses sweep's comma-separated list of numbers, the value of
// flag (such as --n), skipping empty items.
func parseList[T any](s, flag string, parse func(string) (T, error)) ([]T, error) {
	var out []T
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
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

// parseShard parses i/N (1-based), the value of flag ("cmd --flag"), into a
// 0-based i and N.
func parseShard(flag, s string) (int, int, error) {
	i, n, ok := strings.Cut(s, "/")
	a, err1 := strconv.Atoi(i)
	b, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || b < 1 || a < 1 || a > b {
		return 0, 0, fmt.Errorf("%s %q: want i/N with 1 <= i <= N", flag, s)
	}
	return a - 1, b, nil
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
