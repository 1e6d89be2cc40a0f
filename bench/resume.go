package bench

import (
	"errors"
	"fmt"
	iofs "io/fs"
	"strconv"
	"strings"

	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/rundir"
)

// experimentFlags maps the fields of run.json's experiment to the
// nashbench sweep flags that set them.
var experimentFlags = []struct{ field, flag string }{
	{"sizes", "n"}, {"ratios", "ratio"}, {"count", "count"}, {"k", "k"}, {"seed", "seed"},
	{"planted", "planted"}, {"corpus", "corpus"}, {"game", "game"}, {"players", "players"}, {"solvers", "solvers"},
	{"timeout_seconds", "timeout"}, {"reduction", "reduction"}, {"memory_bytes", "mem"}, {"certify", "certify"},
	{"check_limit_seconds", "check-limit"},
}

// Reconcile makes s, a sweep that resumes the run in s.Out, continue the
// experiment recorded in the run's run.json, refusing the settings given
// that contradict it: those of s's Experiment, Shard and Shards that the
// caller set rather than left at their defaults.
//
// given names those settings by the nashbench sweep flags that set them
// (n, ratio, count, k, seed, planted, corpus, game, players, solvers,
// timeout, reduction, mem, certify, check-limit and shard), as the errors
// do. A run directory with rows but no run.json (an older nashbench's) is
// continued only when every flag of the experiment is given; one with
// neither is a fresh run, and s is left as it is. allShards, for a
// resubmission of every shard (package slurm), skips the check of s's
// shard against the run's.
func (s *Sweep) Reconcile(given map[string]bool, allShards bool) error {
	info, err := rundir.ReadInfo(s.Out)
	if errors.Is(err, iofs.ErrNotExist) {
		has, err := rundir.HasRows(s.Out)
		if err != nil || !has {
			return err // nothing to continue: a fresh run with these flags
		}
		need := []string{"n", "ratio", "count", "k", "seed", "planted", "solvers", "timeout", "reduction"}
		if s.Corpus != "" {
			need = []string{"corpus", "solvers", "timeout", "reduction"}
		}
		if s.Game != "" {
			need = []string{"game", "players", "count", "seed", "solvers", "timeout"}
		}
		var missing []string
		for _, f := range need {
			if !given[f] {
				missing = append(missing, "--"+f)
			}
		}
		if len(missing) > 0 {
			return fmt.Errorf("%s has rows but no %s (an older nashbench wrote it), so its parameters are unknown: give every flag of that run to continue it (missing: %s)",
				s.Out, rundir.InfoFile, strings.Join(missing, " "))
		}
		return nil
	}
	if err != nil {
		return err
	}
	for _, d := range info.Experiment.Diff(&s.Experiment) {
		for _, f := range experimentFlags {
			if f.field == d.Field && given[f.flag] {
				return fmt.Errorf("--%s %s contradicts the run in %s: its %s has %s %s", f.flag, runValue(d.Field, d.B), s.Out, rundir.InfoFile, d.Field, runValue(d.Field, d.A))
			}
		}
	}
	switch {
	case allShards:
	case given["shard"] && s.Shards != info.Shards:
		return fmt.Errorf("--shard %d/%d contradicts the run in %s, which is split into %s", s.Shard+1, s.Shards, s.Out, plural.Count(info.Shards, "shard", "shards"))
	case !given["shard"] && info.Shards > 1:
		return fmt.Errorf("the run in %s is split into %s: give --shard i/%d", s.Out, plural.Count(info.Shards, "shard", "shards"), info.Shards)
	}
	s.Experiment = info.Experiment
	return nil
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
			return fmt.Sprintf("%s (%s)", formatMemory(n), plural.Count(int(n), "byte", "bytes"))
		}
	case "timeout_seconds":
		if v == "0s" {
			return "0s (no time limit)"
		}
	}
	if v == "" {
		return "(none)"
	}
	return v
}

// formatMemory writes n in the largest binary unit (K, M, G, T, as sweep
// --mem takes them) that leaves at most 4 significant digits: 1073741824
// is 1G.
func formatMemory(n int64) string {
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
