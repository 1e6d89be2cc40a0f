package results

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/nashbench/nashbench/bench"
)

// The machine-readable forms of a sweep's results: summary.json (the
// statistics of Summarize) and rows.csv (the rows, one per job, for
// spreadsheets, R and pandas). Their field names are a contract with users'
// scripts: extend, never rename.

// num is a JSON number, or null for NaN and ±Inf, which JSON cannot hold:
// a median of mostly unsolved jobs is above the time limit and reads null.
type num float64

func (x num) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}

type jsonCell struct {
	Solver   string  `json:"solver"`
	N        int     `json:"n"`
	Ratio    float64 `json:"ratio,omitempty"`
	Jobs     int     `json:"jobs"`
	Solved   int     `json:"solved"`
	Timeouts int     `json:"timeouts"`
	Memouts  int     `json:"memouts"`
	Refused  int     `json:"refused"`
	Errors   int     `json:"errors"`
	Agree    int     `json:"agree"`
	// The solved jobs by check kind.
	Checked map[string]int `json:"checked"`
	Limit   float64        `json:"limit"`
	Median  num            `json:"median"`
	Q1      num            `json:"q1"`
	Q3      num            `json:"q3"`
	Max     num            `json:"max"`
	PAR2    num            `json:"par2"`
}

type jsonPoint struct {
	N         int     `json:"n"`
	Ratio     float64 `json:"ratio"`
	Instances int     `json:"instances"`
	Decided   int     `json:"decided"`
	Sat       int     `json:"sat"`
	Fraction  num     `json:"fraction"`
	Low       float64 `json:"low"`
	High      float64 `json:"high"`
}

type jsonCrossover struct {
	N     int     `json:"n"`
	Ratio float64 `json:"ratio"`
	Low   num     `json:"low"`
	High  num     `json:"high"`
}

type jsonGrowth struct {
	Solver string `json:"solver"`
	Base   num    `json:"base"`
	Low    num    `json:"low"`
	High   num    `json:"high"`
	NMin   int    `json:"n_min"`
	NMax   int    `json:"n_max"`
}

// WriteSummaryJSON writes the statistics of rows as JSON: "cells" per
// solver and size, "points" per solver, size and ratio, "phase" (fraction
// satisfiable per size and ratio with its Wilson interval), "crossover" and
// "growth". Times are in seconds; null stands for above the time limit (a
// quantile on unsolved jobs) or undefined (PAR-2 without a limit, an
// interval the bootstrap could not give).
func WriteSummaryJSON(w io.Writer, rows []bench.Row) error {
	return WriteRunSummaryJSON(w, rows, nil)
}

// WriteRunSummaryJSON writes the statistics of rows as WriteSummaryJSON
// does, and with missing (not nil) also "missing": the jobs of the
// experiment that have no row, and the shards they belong to.
func WriteRunSummaryJSON(w io.Writer, rows []bench.Row, missing *bench.Missing) error {
	var s struct {
		Cells     []jsonCell      `json:"cells"`
		Points    []jsonCell      `json:"points"`
		Phase     []jsonPoint     `json:"phase"`
		Crossover []jsonCrossover `json:"crossover"`
		Growth    []jsonGrowth    `json:"growth"`
		Missing   *bench.Missing  `json:"missing,omitempty"`
	}
	s.Missing = missing
	conv := func(cs []bench.Cell) []jsonCell {
		out := make([]jsonCell, 0, len(cs))
		for _, c := range cs {
			mx := c.Max
			if c.Solved == 0 {
				mx = math.NaN()
			}
			out = append(out, jsonCell{c.Solver, c.N, c.Ratio, c.Jobs, c.Solved, c.Timeouts, c.Memouts, c.Refused, c.Errors,
				c.Agree, map[string]int{"witness": c.ByWitness, "exhaustive": c.ByExhaustive, "proof": c.ByProof, "none": c.Unchecked}, c.Limit, num(c.Median), num(c.Q1), num(c.Q3), num(mx), num(c.PAR2)})
		}
		return out
	}
	s.Cells = conv(bench.Cells(rows))
	s.Points = conv(bench.CellsByRatio(rows))
	pts := bench.PhaseTransition(rows)
	s.Phase = make([]jsonPoint, 0, len(pts))
	for _, p := range pts {
		frac := math.NaN()
		if p.Decided > 0 {
			frac = float64(p.Sat) / float64(p.Decided)
		}
		s.Phase = append(s.Phase, jsonPoint{p.N, p.Ratio, p.Instances, p.Decided, p.Sat, num(frac), p.Low, p.High})
	}
	s.Crossover = []jsonCrossover{}
	for _, c := range bench.Crossovers(pts) {
		s.Crossover = append(s.Crossover, jsonCrossover{c.N, c.Ratio, num(c.Low), num(c.High)})
	}
	s.Growth = []jsonGrowth{}
	for _, g := range bench.GrowthRates(rows) {
		s.Growth = append(s.Growth, jsonGrowth{g.Solver, num(g.Base), num(g.Low), num(g.High), g.NMin, g.NMax})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(&s)
}

// rowColumns are rows.csv's fixed columns, in order; the solver counts
// follow as "stats.<name>" columns, sorted. New columns go at the end of
// the fixed ones, so that readers by position keep working.
var rowColumns = []string{"instance", "kind", "solver", "reduction", "n", "m", "k", "ratio", "seed", "index", "planted",
	"attempt", "status", "answer", "check", "count_check", "verified", "count", "trivial_pne",
	"seconds", "check_seconds", "timeout", "jobs", "workers", "wall_seconds", "cpu_seconds", "max_rss_bytes", "error", "cpus"}

// WriteRowsCSV writes rows as CSV with a header line: the fields of
// rows.jsonl (empty where a row has none), then one column per solver
// count.
func WriteRowsCSV(w io.Writer, rows []bench.Row) error {
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
			strconv.FormatBool(r.Planted), strconv.Itoa(attempt), r.Status, r.Answer, r.Check, r.CountCheck, b(r.Verified),
			i64(r.Count), b(r.TrivialPNE), f(r.Seconds), f(r.CheckSeconds), f(r.Timeout), opt(r.Jobs), opt(r.Workers), f(r.WallSeconds), f(r.CPUSeconds), i64(&r.MaxRSSBytes), r.Error, cpuList(r.CPUs)}
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
