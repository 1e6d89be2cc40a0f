// rows.go reads, writes and merges the rows files of sweeps.

package bench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/nashbench/nashbench/internal/atomicfile"
)

// Row is one line of a sweep's rows file: a Record and the instance's
// parameters. Field names are a contract with users' scripts.
type Row struct {
	Record
	N       int     `json:"n"`
	M       int     `json:"m"`
	K       int     `json:"k,omitempty"`
	Ratio   float64 `json:"ratio"`
	Seed    *uint64 `json:"seed,omitempty"`  // generated instances only
	Index   *int    `json:"index,omitempty"` // generated instances only
	Planted bool    `json:"planted,omitempty"`
	// Attempt numbers the runs of the job: 1, then 2, 3, ... for each
	// --retry-failed that ran it again (the earlier rows are in the
	// history file). Rows of older versions have none: they read as 1.
	Attempt int `json:"attempt,omitempty"`
	// Jobs is how many jobs the sweep ran side by side when it ran this
	// one: per-job times are comparable between rows with the same Jobs.
	Jobs int `json:"jobs,omitempty"`
}

// Key identifies a job: its instance and solver.
func (r *Row) Key() string { return r.Instance + "\x00" + r.Solver }

// RowsFile names the rows file of a shard in a run directory.
func RowsFile(dir string, shard, shards int) string {
	if shards <= 1 {
		return filepath.Join(dir, "rows.jsonl")
	}
	return filepath.Join(dir, fmt.Sprintf("rows-%d-of-%d.jsonl", shard+1, shards))
}

// ReadRows reads a rows file. With repair, a partial last line (a sweep
// killed while writing) is cut off the file; without, it is an error.
func ReadRows(path string, repair bool) ([]Row, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if n := bytes.LastIndexByte(data, '\n'); n+1 < len(data) {
		if !repair {
			return nil, fmt.Errorf("%s: the last line is incomplete (an interrupted sweep?)", path)
		}
		if err := os.Truncate(path, int64(n+1)); err != nil {
			return nil, err
		}
		data = data[:n+1]
	}
	return parseRows(path, data)
}

// completeLines cuts a partial last line off data.
func completeLines(data []byte) []byte {
	return data[:bytes.LastIndexByte(data, '\n')+1]
}

// parseRows parses the rows of a rows file's data; path names it in errors.
func parseRows(path string, data []byte) ([]Row, error) {
	var rows []Row
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 64<<20)
	for line := 1; sc.Scan(); line++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var r Row
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, line, err)
		}
		if r.Instance == "" || r.Solver == "" {
			return nil, fmt.Errorf("%s:%d: a row needs instance and solver", path, line)
		}
		if r.Attempt < 1 {
			r.Attempt = 1
		}
		rows = append(rows, r)
	}
	return rows, sc.Err()
}

// ReadRun reads every rows file of a run directory (all shards), or one
// rows file.
func ReadRun(path string) ([]Row, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	files := []string{path}
	if st.IsDir() {
		files, err = filepath.Glob(filepath.Join(path, "rows*.jsonl"))
		if err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("%s: no rows*.jsonl files", path)
		}
	}
	return readAll(files)
}

// readAll reads and concatenates rows files.
func readAll(files []string) ([]Row, error) {
	var rows []Row
	for _, f := range files {
		rs, err := ReadRows(f, false)
		if err != nil {
			return nil, err
		}
		rows = append(rows, rs...)
	}
	return rows, nil
}

// Merge combines rows from shards: one row per job, its latest attempt (a
// duplicate of the same attempt must agree in answer with the first, else
// it is an error), in a fixed order: by instance, then solver.
func Merge(rows []Row) ([]Row, error) {
	byKey := map[string]int{}
	var out []Row
	for _, r := range rows {
		if i, dup := byKey[r.Key()]; dup {
			switch {
			case r.Attempt > out[i].Attempt:
				out[i] = r
				continue
			case r.Attempt < out[i].Attempt:
				continue
			}
			if out[i].Answer != r.Answer {
				return nil, fmt.Errorf("two rows for %s with %s disagree: %s and %s", r.Instance, r.Solver, out[i].Answer, r.Answer)
			}
			continue
		}
		byKey[r.Key()] = len(out)
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Instance != out[j].Instance {
			return out[i].Instance < out[j].Instance
		}
		return out[i].Solver < out[j].Solver
	})
	return out, nil
}

// WriteRows writes rows as JSON lines, atomically.
func WriteRows(path string, rows []Row) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range rows {
		if err := enc.Encode(&rows[i]); err != nil {
			return err
		}
	}
	return atomicfile.Write(path, buf.Bytes())
}
