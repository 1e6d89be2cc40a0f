package external

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"

	"github.com/nashbench/nashbench/internal/filehash"
	"github.com/nashbench/nashbench/solvers"
)

// Build identifies an external solver as a run used it: the definition,
// where it came from, and the program it ran. Runs whose builds differ
// are not one experiment (see Build.Diff). Field names are part of
// run.json: extend, never rename.
type Build struct {
	Definition Definition `json:"definition"`
	// Source is "shipped" or the absolute path of the definitions file.
	Source string `json:"source"`
	// Program is empty in a run submitted to a batch system until its
	// first task has run; its fields sit beside Definition in run.json.
	Program
}

// Program is the program of Definition.Command as found on a machine.
type Program struct {
	// Path is where it was found, SHA256 its content; both empty when
	// Missing says why it cannot run.
	Path    string `json:"path,omitempty"`
	SHA256  string `json:"sha256,omitempty"`
	Version string `json:"version,omitempty"`
	Missing string `json:"missing,omitempty"`
}

// BuildOf returns the build of s when it is an external solver; with
// program false, the definition alone (nothing is looked up or run).
func BuildOf(ctx context.Context, s solvers.Solver, program bool) (Build, bool) {
	es, ok := s.(*Solver)
	if !ok {
		return Build{}, false
	}
	d := es.def
	b := Build{Definition: d, Source: d.source}
	if b.Source != solvers.ShippedSource && b.Source != "" {
		if abs, err := filepath.Abs(b.Source); err == nil {
			b.Source = abs
		}
	}
	if !program {
		return b, true
	}
	path, err := lookProgram(d.Command[0])
	if err == nil {
		if abs, aerr := filepath.Abs(path); aerr == nil {
			path = abs
		}
		b.Path = path
		if b.SHA256, err = filehash.SHA256(path); err != nil {
			err = fmt.Errorf("missing: %w", err)
		}
	}
	if err != nil {
		b.Path, b.Missing = "", err.Error()
		return b, true
	}
	b.Version = es.version(ctx)
	return b, true
}

// ProgramRecorded says whether b records the program (its SHA-256, or
// why it is missing) and not the definition only, as a run submitted to a
// batch system does until its first task has run.
func (b *Build) ProgramRecorded() bool { return b.SHA256 != "" || b.Missing != "" }

// Diff names what of o differs from b in what decides the solver's
// answers, with both values: the program's SHA-256 (or its absence) or a
// field of the definition. The source, path and version string do not
// count: one definition in two files, or one binary installed in two
// places, is one build; nor does the program when either does not record
// it. field is "" when they agree.
func (b *Build) Diff(o *Build) (field, mine, theirs string) {
	if b.ProgramRecorded() && o.ProgramRecorded() && b.SHA256 != o.SHA256 {
		return "program sha256", sumOrMissing(b), sumOrMissing(o)
	}
	x, y := definitionFields(b.Definition), definitionFields(o.Definition)
	keys := make([]string, 0, len(x)+len(y))
	for k := range x {
		keys = append(keys, k)
	}
	for k := range y {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range slices.Compact(keys) {
		if !reflect.DeepEqual(x[k], y[k]) {
			return "definition field " + k, jsonText(x[k]), jsonText(y[k])
		}
	}
	return "", "", ""
}

func sumOrMissing(b *Build) string {
	if b.SHA256 != "" {
		return b.SHA256
	}
	if b.Missing != "" {
		return "(none: " + b.Missing + ")"
	}
	return "(none)"
}

// definitionFields is a definition as its JSON fields, to name the one
// that differs.
func definitionFields(d Definition) map[string]any {
	raw, _ := json.Marshal(d)
	m := map[string]any{}
	_ = json.Unmarshal(raw, &m)
	// Words and the way a version is read do not decide an answer.
	for _, k := range []string{"description", "version", "version_pattern"} {
		delete(m, k)
	}
	return m
}

func jsonText(v any) string {
	if v == nil {
		return "(none)"
	}
	raw, _ := json.Marshal(v)
	return string(raw)
}
