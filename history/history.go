// Package history keeps the tracking suite's results per commit, machine
// and solver versions as a directory of Go benchmark files, and finds the
// regressions in it.
//
// Each entry is one plain benchfmt file whose configuration lines name
// what was measured:
//
//	commit: 34ae6ee0c0…
//	commit-date: 2026-12-01T10:31:07Z
//	commit-subject: highs-compact without the pairwise budget …
//	run-date: 2026-12-03T12:00:00Z
//	machine: nashbench-ci
//	suite: track/2
//	go: go1.26.0
//	highs: 1.15.1
//	gophersat: v1.4.0
//
// followed by the `go test -bench` output. Files are named after the
// commit date, the commit, the machine and a hash of the solver versions,
// so that two people adding entries never write the same file. Accepted
// changes are files of their own (see Accept).
package history

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/nashbench/nashbench/internal/atomicfile"
	"github.com/nashbench/nashbench/results"
)

// DefaultDir is where a repository keeps its history.
const DefaultDir = "results/history"

// Configuration keys an entry has besides the solvers' versions.
var fixedKeys = map[string]bool{
	"commit": true, "commit-date": true, "commit-subject": true, "run-date": true,
	"machine": true, "dirty": true, "suite": true, "go": true, "mode": true,
	"goos": true, "goarch": true, "pkg": true, "cpu": true, "gomaxprocs": true,
}

// Entry is one run of the tracking suite: one commit (possibly with
// uncommitted changes), machine and set of solver versions.
type Entry struct {
	File    string // base name in the history directory
	Commit  string // full hash
	Subject string
	Date    time.Time // the commit's date
	RunDate time.Time // when the suite ran
	Machine string
	Dirty   bool   // the working tree had uncommitted changes
	Suite   string // name/version of the suite
	Mode    string // "quick" (the counter half) or "full"
	// Versions are the solvers' (and Go's) versions: every configuration
	// key that is not one of the fixed ones above.
	Versions map[string]string
	Bench    *results.BenchFile
}

// Short is the commit's first 7 digits, with "+dirty" for a working tree.
func (e *Entry) Short() string {
	s := e.Commit
	if len(s) > 7 {
		s = s[:7]
	}
	if e.Dirty {
		s += "+dirty"
	}
	return s
}

// Label names the entry in reports: its commit, and the solver versions
// given (those that differ from a neighbour's).
func (e *Entry) Label(versions ...string) string {
	l := e.Short()
	for _, k := range versions {
		l += " " + k + "=" + e.Versions[k]
	}
	return l
}

// less orders entries as their commits were made; runs of one commit (other
// machines, other solver versions) in the order they ran.
func less(a, b *Entry) bool {
	if !a.Date.Equal(b.Date) {
		return a.Date.Before(b.Date)
	}
	if a.Dirty != b.Dirty {
		return !a.Dirty
	}
	if !a.RunDate.Equal(b.RunDate) {
		return a.RunDate.Before(b.RunDate)
	}
	return a.File < b.File
}

// Load reads every entry (*.txt) and accepted change (accept-*) in dir,
// entries oldest first.
func Load(dir string) ([]*Entry, []Accept, error) {
	names, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("history: %w", err)
	}
	var es []*Entry
	var as []Accept
	for _, de := range names {
		name := de.Name()
		path := filepath.Join(dir, name)
		switch {
		case de.IsDir() || strings.HasPrefix(name, "."):
		case strings.HasPrefix(name, "accept-") && strings.HasSuffix(name, ".txt"):
			a, err := readAccept(path)
			if err != nil {
				return nil, nil, err
			}
			as = append(as, a)
		case strings.HasSuffix(name, ".txt"):
			e, err := ReadEntry(path)
			if err != nil {
				return nil, nil, err
			}
			es = append(es, e)
		}
	}
	sort.SliceStable(es, func(i, j int) bool { return less(es[i], es[j]) })
	sort.SliceStable(as, func(i, j int) bool { return as[i].Cut.Before(as[j].Cut) })
	return es, as, nil
}

// ReadEntry reads one entry file.
func ReadEntry(path string) (*Entry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	run, err := results.Read(bytes.NewReader(data), path)
	if err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	e := &Entry{File: filepath.Base(path), Bench: run, Versions: map[string]string{}}
	// Configuration lines are read here, not from the Run, so that an
	// entry's own header is authoritative (the first value of each key).
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		k, v, ok := configLine(sc.Text())
		if !ok || seen[k] {
			continue
		}
		seen[k] = true
		switch k {
		case "commit":
			e.Commit = v
		case "commit-subject":
			e.Subject = v
		case "machine":
			e.Machine = v
		case "suite":
			e.Suite = v
		case "mode":
			e.Mode = v
		case "dirty":
			e.Dirty = v == "true"
		case "commit-date", "run-date":
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %s: %q is not an RFC 3339 time", path, line, k, v)
			}
			if k == "commit-date" {
				e.Date = t
			} else {
				e.RunDate = t
			}
		default:
			if !fixedKeys[k] {
				e.Versions[k] = v
			}
		}
	}
	if e.Commit == "" || e.Date.IsZero() {
		return nil, fmt.Errorf("%s: not a history entry: no commit or commit-date line", path)
	}
	if e.Machine == "" {
		return nil, fmt.Errorf("%s: not a history entry: no machine line", path)
	}
	return e, nil
}

// configKey is benchfmt's rule for configuration keys.
var configKey = regexp.MustCompile(`^[a-z][^\sA-Z]*$`)

func configLine(line string) (key, value string, ok bool) {
	k, v, ok := strings.Cut(line, ":")
	if !ok || !configKey.MatchString(k) {
		return "", "", false
	}
	return k, strings.TrimSpace(v), true
}

// Header is what an entry's configuration lines say about its run.
type Header struct {
	Commit, Subject string
	Date, RunDate   time.Time
	Machine         string
	Dirty           bool
	Suite           string
	Mode            string // "quick" or "full"
}

// Write adds an entry to dir: the header's configuration lines, then the
// configuration and result lines of bench (`go test -bench` output; its
// PASS/ok lines are dropped). It replaces the entry of the same commit,
// machine and solver versions, if any, and returns the file's base name.
func Write(dir string, h Header, bench []byte) (string, error) {
	var body bytes.Buffer
	versions := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(bench))
	sc.Buffer(nil, 1<<20)
	results := 0
	for sc.Scan() {
		line := sc.Text()
		if k, v, ok := configLine(line); ok {
			if !fixedKeys[k] {
				versions[k] = v
			}
			body.WriteString(line + "\n")
		} else if strings.HasPrefix(line, "Benchmark") {
			body.WriteString(line + "\n")
			results++
		}
	}
	if results == 0 {
		return "", fmt.Errorf("history: the suite reported no benchmark results")
	}
	var head bytes.Buffer
	put := func(k, v string) {
		// A subject is one line; a key's value never spans lines.
		fmt.Fprintf(&head, "%s: %s\n", k, strings.Join(strings.Fields(v), " "))
	}
	put("commit", h.Commit)
	put("commit-date", h.Date.UTC().Format(time.RFC3339))
	put("commit-subject", h.Subject)
	put("run-date", h.RunDate.UTC().Format(time.RFC3339))
	put("machine", h.Machine)
	if h.Dirty {
		put("dirty", "true")
	}
	put("suite", h.Suite)
	if h.Mode != "" {
		put("mode", h.Mode)
	}
	name := FileName(h, versions)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return "", fmt.Errorf("history: %w", err)
	}
	if err := atomicfile.Write(filepath.Join(dir, name), append(head.Bytes(), body.Bytes()...)); err != nil {
		return "", fmt.Errorf("history: %w", err)
	}
	return name, nil
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// FileName is the entry's file name: commit date, commit, machine and a
// hash of the versions, so that entries sort by date in a listing and two
// machines or solver builds never share a file.
func FileName(h Header, versions map[string]string) string {
	keys := make([]string, 0, len(versions))
	for k := range versions {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	sum := sha256.New()
	for _, k := range keys {
		fmt.Fprintf(sum, "%s=%s\n", k, versions[k])
	}
	commit := h.Commit
	if len(commit) > 12 {
		commit = commit[:12]
	}
	if h.Dirty {
		commit += "-dirty"
	}
	machine := unsafeName.ReplaceAllString(h.Machine, "_")
	return fmt.Sprintf("%s-%s-%s-%s.txt", h.Date.UTC().Format("20060102T150405Z"), commit, machine, hex.EncodeToString(sum.Sum(nil))[:8])
}
