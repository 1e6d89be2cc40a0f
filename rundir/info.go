package rundir

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/nashbench/nashbench/internal/atomicfile"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/solvers/external"
)

// infoFormat is the version of run.json's layout.
const infoFormat = 1

// Info is the content of run.json.
type Info struct {
	Format     int        `json:"format"`
	Experiment Experiment `json:"experiment"`
	// Shards is how many shards the experiment is split into in this
	// directory (1: unsharded; a merged run is unsharded).
	Shards int `json:"shards"`
	// Versions are those of the sweep that created the directory; a shard
	// run by another build records its own in its Machines entry.
	Versions Versions `json:"versions"`
	// Machines has one entry per shard (per input shard for a merge).
	Machines []Machine `json:"machines"`
	// MergedFrom lists the inputs of `nashbench merge`.
	MergedFrom []string `json:"merged_from,omitempty"`
	// ExternalSolvers are the builds of the experiment's external
	// solvers, by name; absent in run.json files of older nashbench
	// versions, which did not record them.
	ExternalSolvers []external.Build `json:"external_solvers,omitempty"`
}

// externalBuilds returns the builds of the named solvers that are
// external, ordered by name; with program false, their definitions alone.
func externalBuilds(names []string, program bool) []external.Build {
	var out []external.Build
	for _, name := range slices.Sorted(slices.Values(names)) {
		if sv, err := solvers.New(name); err == nil {
			if b, ok := external.BuildOf(context.Background(), sv, program); ok {
				out = append(out, b)
			}
		}
	}
	return out
}

// diffBuilds says how the external solver builds b differ from a, naming
// the first solver that differs and the runs by aName and bName ("" when
// none differs). A solver recorded in one list only differs: the other
// run did not say what it ran.
func diffBuilds(a, b []external.Build, aName, bName string) string {
	byName := func(bs []external.Build) map[string]*external.Build {
		m := map[string]*external.Build{}
		for i := range bs {
			m[bs[i].Definition.Name] = &bs[i]
		}
		return m
	}
	am, bm := byName(a), byName(b)
	names := slices.Collect(maps.Keys(am))
	for n := range bm {
		if am[n] == nil {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		x, y := am[n], bm[n]
		switch {
		case x == nil:
			return fmt.Sprintf("external solver %s: %s records no build of it, %s does", n, aName, bName)
		case y == nil:
			return fmt.Sprintf("external solver %s: %s records a build of it, %s does not", n, aName, bName)
		}
		if field, mine, theirs := x.Diff(y); field != "" {
			return fmt.Sprintf("external solver %s: %s %s in %s, %s in %s", n, field, mine, aName, theirs, bName)
		}
	}
	return ""
}

// ReadInfo reads the run.json of a run directory. Its error wraps
// fs.ErrNotExist when there is none.
func ReadInfo(dir string) (*Info, error) {
	path := filepath.Join(dir, InfoFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var ri Info
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&ri); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if ri.Format != infoFormat {
		return nil, fmt.Errorf("%s: format %d, this nashbench reads %d", path, ri.Format, infoFormat)
	}
	if ri.Shards < 1 {
		return nil, fmt.Errorf("%s: shards %d: want at least 1", path, ri.Shards)
	}
	return &ri, nil
}

// WriteInfo writes run.json into dir, atomically.
func WriteInfo(dir string, ri *Info) error {
	b, err := json.MarshalIndent(ri, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, InfoFile), append(b, '\n'))
}

// MergeInfo describes the merge of runs of one experiment: infos[i] is
// the run.json of sources[i]. It fails, naming the parameter, when two of
// them are different experiments.
func MergeInfo(infos []*Info, sources []string) (*Info, error) {
	if len(infos) == 0 || len(infos) != len(sources) {
		return nil, errors.New("merge: no runs")
	}
	first := infos[0]
	out := &Info{Format: infoFormat, Experiment: first.Experiment, Shards: 1, Versions: first.Versions, MergedFrom: sources,
		ExternalSolvers: first.ExternalSolvers}
	for i, ri := range infos {
		if d := first.Experiment.Diff(&ri.Experiment); len(d) > 0 {
			return nil, fmt.Errorf("%s and %s are different experiments: %s %s in the first, %s in the second",
				sources[0], sources[i], d[0].Field, orNone(d[0].A), orNone(d[0].B))
		}
		if d := diffBuilds(first.ExternalSolvers, ri.ExternalSolvers, sources[0], sources[i]); d != "" {
			return nil, fmt.Errorf("%s and %s ran different solvers: %s", sources[0], sources[i], d)
		}
		for _, m := range ri.Machines {
			if m.Source == "" {
				m.Source = sources[i]
			}
			if m.Versions == nil && ri.Versions != first.Versions {
				v := ri.Versions
				m.Versions = &v
			}
			out.Machines = append(out.Machines, m)
		}
	}
	return out, nil
}

// Read reads the rows of a run: every rows file of a run directory (all
// shards), or one rows file, with the one rule for a job met twice
// (record.Merge).
func Read(path string) ([]record.Row, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	files := []string{path}
	if st.IsDir() {
		if files, err = filepath.Glob(filepath.Join(path, rowsGlob)); err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no %s files", path, rowsGlob)
		}
	}
	rows, err := readAll(files)
	if err != nil {
		return nil, err
	}
	return record.Merge(rows)
}

// readAll reads and concatenates rows files.
func readAll(files []string) ([]record.Row, error) {
	var rows []record.Row
	for _, f := range files {
		rs, err := record.ReadFile(f, false)
		if err != nil {
			return nil, err
		}
		rows = append(rows, rs...)
	}
	return rows, nil
}

// ReadHistory reads the rows of every history file of a run directory:
// the earlier attempts of retried jobs.
func ReadHistory(dir string) ([]record.Row, error) {
	files, err := filepath.Glob(filepath.Join(dir, historyGlob))
	if err != nil {
		return nil, err
	}
	return readAll(files)
}

// HasRows reports whether a run directory holds any rows.
func HasRows(dir string) (bool, error) {
	files, err := filepath.Glob(filepath.Join(dir, rowsGlob))
	if err != nil {
		return false, err
	}
	for _, f := range files {
		if st, err := os.Stat(f); err == nil && st.Size() > 0 {
			return true, nil
		}
	}
	return false, nil
}

// WriteRows writes rows as a rows file, atomically.
func WriteRows(path string, rows []record.Row) error {
	var buf bytes.Buffer
	if err := record.Write(&buf, rows); err != nil {
		return err
	}
	return atomicfile.Write(path, buf.Bytes())
}
