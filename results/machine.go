package results

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/nashbench/nashbench/record"
)

// The machine-readable forms of a sweep's results: summary.json (the
// statistics of Summarize) and rows.csv (the rows, one per job, for
// spreadsheets, R and pandas). Their field names are a contract with users'
// scripts: extend, never rename.

// WriteSummaryJSON writes the statistics of rows as JSON: "cells" per
// solver and size, "points" per solver, size and ratio, "phase" (fraction
// satisfiable per size and ratio with its Wilson interval), "crossover" and
// "growth". Times are in seconds; null stands for above the time limit (a
// quantile on unsolved jobs) or undefined (PAR-2 without a limit, an
// interval the bootstrap could not give).
func WriteSummaryJSON(w io.Writer, rows []record.Row) error {
	return WriteRunSummaryJSON(w, rows, nil)
}

// WriteRunSummaryJSON writes the statistics of rows as WriteSummaryJSON
// does, and with missing (not nil) also "missing": the jobs of the
// experiment that have no row, and the shards they belong to.
func WriteRunSummaryJSON(w io.Writer, rows []record.Row, missing *record.Missing) error {
	pts := PhaseTransition(rows)
	s := struct {
		Cells     []Cell          `json:"cells"`
		Points    []Cell          `json:"points"`
		Phase     []Point         `json:"phase"`
		Crossover []Crossover     `json:"crossover"`
		Growth    []Growth        `json:"growth"`
		Missing   *record.Missing `json:"missing,omitempty"`
	}{Cells: Cells(rows), Points: CellsByRatio(rows), Phase: pts, Crossover: Crossovers(pts), Growth: GrowthRates(rows), Missing: missing}
	// Empty lists are [], not null.
	s.Cells, s.Points, s.Phase = nonNil(s.Cells), nonNil(s.Points), nonNil(s.Phase)
	s.Crossover, s.Growth = nonNil(s.Crossover), nonNil(s.Growth)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(&s)
}

// rowColumns are rows.csv's fixed columns, in order; the solver counts
// follow as "stats.<name>" columns, sorted. New columns go at the end of
// the fixed ones, so that readers by position keep working.
var rowColumns = []string{"instance", "kind", "solver", "reduction", "n", "m", "k", "ratio", "seed", "index", "planted",
	"attempt", "status", "answer", "check", "count_check", "verified", "count", "trivial_pne",
	"seconds", "check_seconds", "timeout", "jobs", "workers", "wall_seconds", "cpu_seconds", "max_rss_bytes", "error", "cpus", "input_sha256", "family"}

// WriteRowsCSV writes rows as CSV with a header line: the fields of
// rows.jsonl (empty where a row has none), then one column per solver
// count.
func WriteRowsCSV(w io.Writer, rows []record.Row) error {
	var statNames []string
	seen := map[string]bool{}
	for i := range rows {
		for k := range rows[i].Stats {
			if !seen[k] {
				seen[k] = true
				statNames = append(statNames, k)
			}
		}
	}
	slices.Sort(statNames)
	cw := csv.NewWriter(w)
	header := slices.Clone(rowColumns)
	for _, k := range statNames {
		header = append(header, "stats."+k)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	i64 := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	b := func(p *bool) string {
		if p == nil {
			return ""
		}
		return strconv.FormatBool(*p)
	}
	opt := func(x int) string {
		if x == 0 {
			return ""
		}
		return strconv.Itoa(x)
	}
	for i := range rows {
		r := &rows[i]
		seed, index, k := "", "", ""
		if r.Seed != nil {
			seed = strconv.FormatUint(*r.Seed, 10)
		}
		if r.Index != nil {
			index = strconv.Itoa(*r.Index)
		}
		if r.K != 0 {
			k = strconv.Itoa(r.K)
		}
		attempt := max(r.Attempt, 1)
		rec := []string{r.Instance, r.Kind, r.Solver, r.Reduction, strconv.Itoa(r.N), strconv.Itoa(r.M), k, f(r.Ratio), seed, index,
			strconv.FormatBool(r.Planted), strconv.Itoa(attempt), string(r.Status), string(r.Answer), string(r.Check), string(r.CountCheck), b(r.Verified),
			i64(r.Count), b(r.TrivialPNE), f(r.Seconds), f(r.CheckSeconds), f(r.Timeout), opt(r.Jobs), opt(r.Workers), f(r.WallSeconds), f(r.CPUSeconds), i64(&r.MaxRSSBytes), r.Error, cpuList(r.CPUs), r.InputSHA256, r.Family}
		for _, name := range statNames {
			v, ok := r.Stats[name]
			s := ""
			if ok {
				s = f(v)
			}
			rec = append(rec, s)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// cpuList writes a row's cores separated by spaces ("0 1"), which needs no
// quoting in CSV; empty when the job was not bound.
func cpuList(cpus []int) string {
	f := make([]string, len(cpus))
	for i, c := range cpus {
		f[i] = strconv.Itoa(c)
	}
	return strings.Join(f, " ")
}

// nonNil returns xs, or an empty slice for nil.
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
