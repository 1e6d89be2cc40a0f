package history

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nashbench/nashbench/internal/plural"
)

// Tracker says how to track: which suite, where the entries go, and what
// they record.
type Tracker struct {
	Repo  string // the repository's top directory
	Dir   string // the history directory
	Suite Suite
	Quick bool
	// Machine names the machine in the entries.
	Machine string
	// SolversFile is the external solver definitions that Suite.Extra
	// needs, "" for none.
	SolversFile string
}

// Check refuses a tracker whose solvers file does not exist, before
// anything runs (TrackTree and TrackCommits check it too).
func (t *Tracker) Check() error {
	_, err := t.env()
	return err
}

// env is what the suite's environment adds: the definitions file, as an
// absolute path (the suite runs in other directories), that must exist.
func (t *Tracker) env() ([]string, error) {
	if t.SolversFile == "" {
		return nil, nil
	}
	abs, err := filepath.Abs(t.SolversFile)
	if err == nil {
		_, err = os.Stat(abs)
	}
	if err != nil {
		return nil, fmt.Errorf("solvers file: %w", err)
	}
	// The variable of solvers/external (EnvFile), which the benchmarks read.
	return []string{"NASHBENCH_SOLVERS_FILE=" + abs}, nil
}

func (t *Tracker) mode() string {
	if t.Quick {
		return "quick"
	}
	return "full"
}

// TrackTree runs the suite on the working tree of the repository (dirty
// when it has uncommitted changes outside the history directory), writes
// its entry and says so on w: the entry's file, the suite and the time.
func TrackTree(ctx context.Context, t Tracker, w io.Writer) error {
	if err := t.Check(); err != nil {
		return err
	}
	start := time.Now()
	head, err := Describe(ctx, t.Repo, "HEAD")
	if err != nil {
		return err
	}
	// Changes to the history itself do not make the tree dirty.
	pathspec := []string{"status", "--porcelain", "--", "."}
	if rel, err := filepath.Rel(t.Repo, t.Dir); err == nil && !strings.HasPrefix(rel, "..") {
		pathspec = append(pathspec, ":(exclude)"+filepath.ToSlash(rel))
	}
	status, err := Git(ctx, t.Repo, pathspec...)
	if err != nil {
		return err
	}
	name, err := t.one(ctx, t.Repo, head, status != "")
	if err == nil {
		_, err = fmt.Fprintf(w, "%s: %s suite %s in %s\n", filepath.Join(t.Dir, name), t.mode(), t.Suite.ID(), time.Since(start).Round(time.Second))
	}
	return err
}

// TrackCommits runs the suite on each first-parent commit of spec (A..B,
// or one commit), each in its own worktree, writing a line per commit to
// w (failures to warn) and a last one that counts them, and returns the
// commits that failed. An interruption stops it; the entries written so
// far stay.
func TrackCommits(ctx context.Context, t Tracker, spec string, w, warn io.Writer) (failed []string, err error) {
	if err := t.Check(); err != nil {
		return nil, err
	}
	start := time.Now()
	cs, err := Range(ctx, t.Repo, spec)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "nashbench-track-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	for i, c := range cs {
		t0 := time.Now()
		wt, remove, err := Worktree(ctx, t.Repo, tmp, c.Hash)
		if err != nil {
			return failed, err
		}
		name, err := t.one(ctx, wt, c, false)
		remove()
		if ctx.Err() != nil {
			return failed, fmt.Errorf("interrupted at %s; the entries written so far stay", c.Hash[:7])
		}
		if err != nil {
			failed = append(failed, c.Hash[:7])
			fmt.Fprintf(warn, "[%d/%d] %s %s: FAILED: %v\n", i+1, len(cs), c.Hash[:7], c.Subject, err)
			continue
		}
		fmt.Fprintf(w, "[%d/%d] %s %s: %s (%s)\n", i+1, len(cs), c.Hash[:7], c.Subject, name, time.Since(t0).Round(time.Second))
	}
	_, err = fmt.Fprintf(w, "%s tracked in %s\n", plural.Count(len(cs)-len(failed), "commit", "commits"), time.Since(start).Round(time.Second))
	return failed, err
}

// one runs the suite in the tree at dir, which holds commit c (with
// uncommitted changes when dirty), and writes its entry.
func (t *Tracker) one(ctx context.Context, dir string, c Commit, dirty bool) (string, error) {
	goVersion, err := GoVersion(ctx, dir)
	if err != nil {
		return "", err
	}
	args, senv := t.Suite.Command(t.Quick)
	env, err := t.env()
	if err != nil {
		return "", err
	}
	out, err := GoTest(ctx, dir, args, append(senv, env...))
	if err != nil {
		return "", err
	}
	h := Header{Commit: c.Hash, Subject: c.Subject, Date: c.Date, RunDate: time.Now(),
		Machine: t.Machine, Dirty: dirty, Suite: t.Suite.ID(), Mode: t.mode()}
	return Write(t.Dir, h, append([]byte("go: "+goVersion+"\n"), out...))
}
