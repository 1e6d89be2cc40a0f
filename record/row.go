package record

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
)

// Row is one line of a sweep's rows file: a Record and the instance's
// parameters.
type Row struct {
	Record
	N       int     `json:"n"`
	M       int     `json:"m"`
	K       int     `json:"k,omitempty"`
	Ratio   float64 `json:"ratio"`
	Seed    *uint64 `json:"seed,omitempty"`  // generated instances only
	Index   *int    `json:"index,omitempty"` // generated instances only
	Planted bool    `json:"planted,omitempty"`
	// Family is a generated game's family (a game sweep's rows, whose N
	// is the game's players and M and Ratio 0); empty for formulas.
	Family string `json:"family,omitempty"`
	// Attempt numbers the runs of the job: 1, then 2, 3, ... for each
	// --retry-failed that ran it again (the earlier rows are in the run's
	// history file). Rows of older versions have none: they read as 1.
	Attempt int `json:"attempt,omitempty"`
	// Jobs is how many jobs the sweep ran side by side when it ran this
	// one: per-job times are comparable between rows with the same Jobs.
	Jobs int `json:"jobs,omitempty"`
}

// Key identifies a job: its instance and solver.
func (r *Row) Key() string { return r.Instance + "\x00" + r.Solver }

// Reader reads rows from JSON lines, one per line; blank lines are skipped.
// Like bufio.Scanner: call Scan until it returns false, then Err.
type Reader struct {
	sc   *bufio.Scanner
	name string
	line int
	row  Row
	err  error
}

// NewReader returns a Reader of r; name names the input in errors.
func NewReader(r io.Reader, name string) *Reader {
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 64<<20)
	return &Reader{sc: sc, name: name}
}

// Scan reads the next row, reporting whether there is one.
func (r *Reader) Scan() bool {
	if r.err != nil {
		return false
	}
	for r.sc.Scan() {
		r.line++
		b := r.sc.Bytes()
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		r.row = Row{}
		if err := json.Unmarshal(b, &r.row); err != nil {
			r.err = fmt.Errorf("%s:%d: %v", r.name, r.line, err)
			return false
		}
		if r.row.Instance == "" || r.row.Solver == "" {
			r.err = fmt.Errorf("%s:%d: a row needs instance and solver", r.name, r.line)
			return false
		}
		if r.row.Attempt < 1 {
			r.row.Attempt = 1
		}
		return true
	}
	if err := r.sc.Err(); err != nil {
		r.err = fmt.Errorf("%s: %w", r.name, err)
	}
	return false
}

// Row returns the row read by the last Scan; it is overwritten by the next.
func (r *Reader) Row() *Row { return &r.row }

// Err returns the first error met, or nil at the end of the input.
func (r *Reader) Err() error { return r.err }

// Line returns the line number of the last row read.
func (r *Reader) Line() int { return r.line }

// Parse reads every row of data; name names it in errors.
func Parse(data []byte, name string) ([]Row, error) {
	var rows []Row
	rd := NewReader(bytes.NewReader(data), name)
	for rd.Scan() {
		rows = append(rows, *rd.Row())
	}
	return rows, rd.Err()
}

// ErrPartial is the error of a file whose last line is incomplete.
var ErrPartial = errors.New("the last line is incomplete (an interrupted sweep?)")

// ReadFile reads a rows file. With repair, a partial last line (a sweep
// killed while writing) is cut off the file; without, it is an error that
// wraps ErrPartial.
func ReadFile(path string, repair bool) ([]Row, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if n := bytes.LastIndexByte(data, '\n'); n+1 < len(data) {
		if !repair {
			return nil, fmt.Errorf("%s: %w", path, ErrPartial)
		}
		if err := os.Truncate(path, int64(n+1)); err != nil {
			return nil, err
		}
		data = data[:n+1]
	}
	return Parse(data, path)
}

// Complete cuts a partial last line off data.
func Complete(data []byte) []byte { return data[:bytes.LastIndexByte(data, '\n')+1] }

// Write writes rows as JSON lines.
func Write(w io.Writer, rows []Row) error {
	enc := json.NewEncoder(w)
	for i := range rows {
		if err := enc.Encode(&rows[i]); err != nil {
			return err
		}
	}
	return nil
}

// Merge is the one rule for rows of one job met more than once (shards,
// resumed or retried runs, a duplicated line): one row per job, its latest
// attempt (the first row of it met); two rows of the same attempt must
// agree in answer, else it is an error, whatever the order of the rows.
// A row without an attempt (0) counts as attempt 1, as the Reader reads
// it. The result is ordered by instance, then solver.
func Merge(rows []Row) ([]Row, error) {
	type attempt struct {
		key string
		n   int
	}
	byKey := map[string]int{}
	// The first answer met of each attempt of each job: comparing a row
	// only with the row kept would miss a disagreement within an attempt
	// that a later attempt had already replaced ([1 sat, 2, 1 unsat]),
	// and report it in another order ([1 sat, 1 unsat, 2]).
	first := map[attempt]Answer{}
	var out []Row
	for _, r := range rows {
		if r.Attempt < 1 {
			r.Attempt = 1 // r is a copy: the input stays as it is
		}
		a := attempt{r.Key(), r.Attempt}
		if ans, seen := first[a]; seen {
			if ans != r.Answer {
				return nil, fmt.Errorf("two rows for %s with %s disagree: %s and %s", r.Instance, r.Solver, ans, r.Answer)
			}
			continue // the first row of this attempt stays
		}
		first[a] = r.Answer
		if i, dup := byKey[r.Key()]; dup {
			if r.Attempt > out[i].Attempt {
				out[i] = r
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

// Missing is what rows lack of their experiment: the jobs without a row
// and the shards they belong to. A batch task that failed, timed out or
// was cancelled leaves its shard's jobs missing.
type Missing struct {
	Planned int   `json:"planned"` // jobs of the experiment
	Jobs    int   `json:"jobs"`    // planned jobs without a row
	Shards  []int `json:"shards"`  // 1-based shards with missing jobs
	Of      int   `json:"of"`      // the shards of the run
}

// Retryable reports whether --retry-failed runs the job of r again: it
// timed out, ran out of memory, or failed. Refusals and verification
// failures are answers, not accidents, and stay. Rows without a status
// (older versions) count as failed when they have an error other than a
// verification failure, and as timed out when undecided without one.
func (r *Row) Retryable() bool {
	switch r.Status {
	case Error, Timeout, Memout:
		return true
	case "":
		return !r.Failed() && (r.Error != "" || !r.Answer.Decided())
	}
	return false
}
