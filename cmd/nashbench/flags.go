package main

import (
	"errors"
	"flag"
	"fmt"
	"strconv"
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
