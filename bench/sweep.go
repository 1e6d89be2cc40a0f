package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/atomicfile"
	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/isolate"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	"github.com/nashbench/nashbench/verify"
)

// Sweep is an experiment: every solver on every instance, each job in its
// own process with its own time limit, each answer verified, and the rows
// appended to a JSON-lines file as the jobs finish.
type Sweep struct {
	// Generated instances: Count per (n, ratio) point, of K-SAT, drawn
	// with Seed (instance i of a point from PCG(Seed, i)).
	Ns      []int
	Ratios  []float64
	Count   int
	K       int
	Seed    uint64
	Planted bool
	// Corpus, when set, replaces the generated instances by the .cnf files
	// below this directory.
	Corpus string

	Solvers []string
	Timeout time.Duration // per job; 0 for none
	// Memory caps each job's memory in bytes, with the processes it starts
	// (see isolate.Config); 0 for none. A job that hits it is a memout.
	Memory int64
	// Jobs is how many jobs run side by side; 0 means one per core. With
	// the default runner each job's process is bound to the cores of its
	// slot (isolate.SlotCPUs): a core of its own.
	Jobs int `json:"-"`
	// CheckLimit bounds the exhaustive check of negative answers (see
	// Limits: 0 is the default, negative turns it off).
	CheckLimit time.Duration
	Reduction  reduction.Variant
	// Certify asks the solvers that can for proofs of negative answers
	// (solvers.Options.Certify), which are checked (check "proof").
	Certify bool
	Out     string // the run directory
	// Resume continues the run in Out, skipping the jobs it has rows for.
	// Its run.json must describe this experiment; a directory without one
	// (an older version's) is taken to hold this experiment.
	Resume bool
	// RetryFailed (with Resume) runs again the jobs whose rows are
	// retryable, moving those rows to the history file.
	RetryFailed bool
	// Shard (0-based) of Shards: this process runs the jobs on the
	// instances whose index in the full list is Shard modulo Shards.
	Shard, Shards int

	// Run runs one job; nil runs each in a child process (isolate), bound
	// to its slot's core and limited to Memory. Tests set it.
	Run Runner `json:"-"`
	// Progress receives progress reports; Bar draws a bar (a terminal)
	// rather than plain periodic lines.
	Progress io.Writer `json:"-"`
	Bar      bool      `json:"-"`
}

// instance is one formula of a sweep.
type instance struct {
	path string // as recorded in rows: relative to the run directory for generated ones
	file string // where to read it
	row  Row    // the parameters
}

func (s *Sweep) check() error {
	switch {
	case len(s.Solvers) == 0:
		return errors.New("no solvers")
	case s.Shards < 1 || s.Shard < 0 || s.Shard >= s.Shards:
		return fmt.Errorf("shard %d of %d: want 1 <= i <= N", s.Shard+1, s.Shards)
	case s.Out == "":
		return errors.New("no output directory")
	case s.Timeout < 0:
		return errors.New("negative timeout")
	case s.Memory < 0:
		return errors.New("negative memory limit")
	case s.Jobs < 0 || s.Jobs > 1024:
		return fmt.Errorf("%d parallel jobs: want 1..1024 (0 for one per core)", s.Jobs)
	case s.RetryFailed && !s.Resume:
		return errors.New("retrying failed jobs needs resuming")
	}
	// A repeated solver or size would run its jobs twice and count them
	// twice in the summary.
	for i, name := range s.Solvers {
		if _, err := solvers.New(name); err != nil {
			return err
		}
		if slices.Contains(s.Solvers[:i], name) {
			return fmt.Errorf("solver %s is given twice", name)
		}
	}
	if s.Corpus != "" {
		return nil
	}
	switch {
	case len(s.Ns) == 0 || len(s.Ratios) == 0:
		return errors.New("no sizes or ratios")
	case s.Count < 1 || s.Count > 100000:
		return fmt.Errorf("count %d: want 1..100000 instances per point", s.Count)
	}
	for _, r := range s.Ratios {
		if math.IsNaN(r) || math.IsInf(r, 0) || r < 0 || r > 1000 {
			return fmt.Errorf("ratio %v: want a number in 0..1000", r)
		}
	}
	for i, n := range s.Ns {
		if slices.Contains(s.Ns[:i], n) {
			return fmt.Errorf("size n=%d is given twice", n)
		}
		seen := map[int]float64{} // m -> ratio: two ratios giving one m are one point
		for _, r := range s.Ratios {
			spec := instances.Spec{N: n, M: instances.ClausesForRatio(n, r), K: s.K}
			if err := spec.Validate(); err != nil {
				return fmt.Errorf("n=%d ratio=%v: %w", n, r, err)
			}
			if r0, dup := seen[spec.M]; dup && r0 == r {
				return fmt.Errorf("ratio %v is given twice", r)
			} else if dup {
				return fmt.Errorf("at n=%d the ratios %v and %v both give %s: give distinct points", n, r0, r, plural.Count(spec.M, "clause", "clauses"))
			}
			seen[spec.M] = r
		}
	}
	return nil
}

// specs lists the specs of the sweep's generated instances, in order.
func (s *Sweep) specs() []instances.Spec {
	var out []instances.Spec
	for _, n := range s.Ns {
		for _, r := range s.Ratios {
			for i := range s.Count {
				out = append(out, instances.Spec{N: n, M: instances.ClausesForRatio(n, r), K: s.K, Ratio: r, Planted: s.Planted, Seed: s.Seed, Index: i})
			}
		}
	}
	return out
}

// instances lists the sweep's formulas in a fixed order, writing generated
// ones into the run directory (the same bytes every time).
func (s *Sweep) instances() ([]instance, error) {
	if s.Corpus != "" {
		return corpus(s.Corpus)
	}
	dir := filepath.Join(s.Out, "instances")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var out []instance
	var buf bytes.Buffer
	for _, spec := range s.specs() {
		f, model, err := spec.Generate()
		if err != nil {
			return nil, err
		}
		buf.Reset()
		if err := instances.WriteDIMACS(&buf, f, spec.Comments(model)...); err != nil {
			return nil, err
		}
		rel := filepath.Join("instances", spec.FileName())
		file := filepath.Join(s.Out, rel)
		if old, err := os.ReadFile(file); err != nil || !bytes.Equal(old, buf.Bytes()) {
			if err := atomicfile.Write(file, buf.Bytes()); err != nil {
				return nil, err
			}
		}
		seed, index := s.Seed, spec.Index
		out = append(out, instance{path: rel, file: file, row: Row{
			N: spec.N, M: spec.M, K: s.K, Ratio: spec.Ratio, Seed: &seed, Index: &index, Planted: s.Planted,
		}})
	}
	return out, nil
}

// corpusFiles lists the .cnf files below dir, in a fixed order.
func corpusFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.EqualFold(filepath.Ext(path), ".cnf") {
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no .cnf files", dir)
	}
	return out, nil
}

func corpus(dir string) ([]instance, error) {
	files, err := corpusFiles(dir)
	if err != nil {
		return nil, err
	}
	out := make([]instance, 0, len(files))
	for _, path := range files {
		f, err := instances.ReadFile(path)
		if err != nil {
			return nil, err
		}
		r := Row{N: f.Vars, M: len(f.Clauses)}
		if f.Vars > 0 {
			r.Ratio = math.Round(float64(len(f.Clauses))/float64(f.Vars)*100) / 100
		}
		out = append(out, instance{path: path, file: path, row: r})
	}
	return out, nil
}

// Execute runs the sweep's jobs of its shard and returns the rows of that
// shard, those from earlier runs included when resuming. A job that fails
// becomes a row with its error; Execute's own error is for what stops the
// whole sweep (bad configuration, an unwritable directory, interruption).
func (s *Sweep) Execute(ctx context.Context) ([]Row, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	// Read a corpus before touching the run directory: a missing or bad
	// corpus must not leave a run.json that refuses the corrected retry.
	var insts []instance
	if s.Corpus != "" {
		var err error
		if insts, err = corpus(s.Corpus); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(s.Out, 0o755); err != nil {
		return nil, err
	}
	rd, err := s.openRunDir()
	if err != nil {
		return nil, err
	}
	defer rd.close()
	path := RowsFile(s.Out, s.Shard, s.Shards)
	done, err := ReadRows(path, s.Resume)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if s.RetryFailed {
		if done, err = rd.retire(path, done); err != nil {
			return nil, err
		}
	}
	if insts == nil {
		if insts, err = s.instances(); err != nil {
			return nil, err
		}
	}
	have := map[string]bool{}
	for i := range done {
		have[done[i].Key()] = true
	}
	type job struct {
		inst   *instance
		solver string
	}
	// Shards split the instances, so that every solver's answer on an
	// instance is in the same shard and can be cross-checked there.
	var jobs []job
	for i := range insts {
		if i%s.Shards != s.Shard {
			continue
		}
		for _, sv := range s.Solvers {
			r := Row{Record: Record{Instance: insts[i].path, Solver: sv}}
			if !have[r.Key()] {
				jobs = append(jobs, job{&insts[i], sv})
			}
		}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	slots := s.Jobs
	if slots == 0 {
		slots = runtime.NumCPU()
	}
	slots = max(1, min(slots, len(jobs)))
	// The cores this process may use: under a batch system (Slurm's task
	// affinity or cgroups) those of its allocation, not cores 0, 1, ...
	cpus := isolate.CPUs()
	runner := func(slot int) Runner {
		if s.Run != nil {
			return s.Run
		}
		return isolate.Config{CPUSet: isolate.SlotCPUs(cpus, slots, slot), Memory: s.Memory}.Run
	}
	prog := newProgress(s.Progress, s.Bar, len(jobs), len(done))
	defer prog.finish()
	var (
		mu       sync.Mutex // rows, the rows file, progress, firstErr
		rows     = done
		firstErr error
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	// record appends a finished job's row. One write per row: a killed
	// sweep leaves whole rows and at most one partial last line, which
	// ReadRows drops on resume.
	record := func(row Row) error {
		mu.Lock()
		defer mu.Unlock()
		row.Attempt = rd.attempt(row.Key())
		line, err := json.Marshal(&row)
		if err != nil {
			return err
		}
		if _, err := f.Write(append(line, '\n')); err != nil {
			return err
		}
		rows = append(rows, row)
		prog.step(&row)
		return nil
	}
	queue := make(chan job)
	var wg sync.WaitGroup
	for slot := range slots {
		run := runner(slot)
		wg.Go(func() {
			for j := range queue {
				row, ok, err := s.runJob(ctx, run, j.inst, j.solver)
				if err == nil && ok {
					row.Jobs = slots
					err = record(row)
				}
				if err != nil {
					fail(err)
				}
			}
		})
	}
feed:
	for _, j := range jobs {
		mu.Lock()
		stop := firstErr != nil
		mu.Unlock()
		if stop {
			break
		}
		select {
		case queue <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(queue)
	wg.Wait()
	if firstErr != nil {
		return rows, firstErr
	}
	if len(rows)-len(done) < len(jobs) {
		return rows, ctx.Err() // interrupted: --resume runs the rest
	}
	return rows, nil
}

// runJob runs one job and returns its row; ok is false when the sweep was
// interrupted (not timed out) during the job, which then leaves no row so
// that --resume runs it again.
func (s *Sweep) runJob(ctx context.Context, run Runner, inst *instance, solver string) (row Row, ok bool, err error) {
	if ctx.Err() != nil {
		return Row{}, false, nil
	}
	in, err := Load(inst.file, s.Reduction)
	row = inst.row
	if err != nil {
		row.Record = Record{Instance: inst.path, Kind: "cnf", Solver: solver, Answer: "unknown", Status: StatusError, Check: verify.CheckNone, Error: err.Error()}
		return row, true, nil
	}
	in.Path = inst.path
	// One goroutine: a solve's work is then the same at any --jobs (rows
	// record workers 1 beside jobs and cpus).
	rec, err := Solve(ctx, run, solver, in, solvers.Options{Workers: 1, Certify: s.Certify}, Limits{Timeout: s.Timeout, CheckLimit: s.CheckLimit})
	if err != nil {
		return Row{}, false, err
	}
	if ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled) {
		return Row{}, false, nil
	}
	row.Record = rec
	return row, true, nil
}

// Disagreement is an instance on which the rows contradict each other or
// the truth: two decided answers differ, a planted (satisfiable) instance is
// called unsat, or a witness failed verification.
type Disagreement struct {
	Instance string
	Detail   string
}

// Check finds the disagreements in rows.
func Check(rows []Row) []Disagreement {
	order, byInst := byInstance(rows)
	var out []Disagreement
	for _, inst := range order {
		var parts []string
		answers := map[string]bool{}
		planted := false
		for _, r := range byInst[inst] {
			planted = planted || r.Planted
			if r.Failed() {
				out = append(out, Disagreement{inst, r.Solver + ": " + r.Error})
			}
			if decided(r.Answer) {
				answers[r.Answer] = true
			}
			parts = append(parts, r.Solver+"="+r.Answer)
		}
		if len(answers) > 1 {
			out = append(out, Disagreement{inst, "solvers disagree: " + strings.Join(parts, ", ")})
		}
		if planted && answers["unsat"] {
			out = append(out, Disagreement{inst, "a planted (satisfiable) instance was called unsat: " + strings.Join(parts, ", ")})
		}
	}
	return out
}

// byInstance groups rows by instance, listing the instances in the order
// of their first row.
func byInstance(rows []Row) (order []string, byInst map[string][]*Row) {
	byInst = map[string][]*Row{}
	for i := range rows {
		r := &rows[i]
		if _, ok := byInst[r.Instance]; !ok {
			order = append(order, r.Instance)
		}
		byInst[r.Instance] = append(byInst[r.Instance], r)
	}
	return order, byInst
}

func decided(answer string) bool { return answer != "unknown" && answer != "" }

// consensus returns the decided answer of an instance's rows, preferring
// the reference solver's, or "". Answers that failed verification do not
// count.
func consensus(rows []*Row) string {
	ans := ""
	for _, r := range rows {
		if !decided(r.Answer) || r.Failed() {
			continue
		}
		if r.Solver == Reference {
			return r.Answer
		}
		if ans == "" {
			ans = r.Answer
		}
	}
	return ans
}

// Reference is the solver whose answer is the ground truth of
// satisfiability in cross-checks.
const Reference = "gophersat"

// progress reports a sweep's progress: a bar redrawn in place on a
// terminal, otherwise a plain line at most every interval.
type progress struct {
	w              io.Writer
	bar            bool
	total, done    int
	offset         int
	start, lastOut time.Time
	interval       time.Duration
}

func newProgress(w io.Writer, bar bool, total, resumed int) *progress {
	p := &progress{w: w, bar: bar, total: total, offset: resumed, start: time.Now(), interval: 10 * time.Second}
	// A first line as soon as the jobs are planned, so that a caller
	// printing a header before the first progress line (the CLI's "writing
	// to") prints it before the first job ends, and never before a refusal.
	switch {
	case w != nil && resumed > 0:
		fmt.Fprintf(w, "resuming: %s already done, %s to run\n", plural.Count(resumed, "row", "rows"), plural.Count(total, "job", "jobs"))
	case w != nil:
		fmt.Fprintf(w, "sweep: %s to run\n", plural.Count(total, "job", "jobs"))
	}
	return p
}

func (p *progress) step(r *Row) {
	p.done++
	if p.w == nil {
		return
	}
	now := time.Now()
	if p.bar {
		const width = 30
		fill := width * p.done / max(p.total, 1)
		fmt.Fprintf(p.w, "\r[%s%s] %d/%d  %s %s: %s   ", strings.Repeat("#", fill), strings.Repeat(".", width-fill),
			p.done, p.total, r.Solver, filepath.Base(r.Instance), r.Answer)
		return
	}
	if now.Sub(p.lastOut) >= p.interval || p.done == p.total {
		p.lastOut = now
		fmt.Fprintf(p.w, "sweep: %d/%d jobs done, %s elapsed\n", p.done, p.total, now.Sub(p.start).Round(time.Second))
	}
}

func (p *progress) finish() {
	if p.w != nil && p.bar && p.done > 0 {
		fmt.Fprintln(p.w)
	}
}
