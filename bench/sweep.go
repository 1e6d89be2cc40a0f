package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nashbench/nashbench/internal/plural"
	"github.com/nashbench/nashbench/isolate"
	"github.com/nashbench/nashbench/record"
	"github.com/nashbench/nashbench/rundir"
	"github.com/nashbench/nashbench/solvers"
)

// Sweep runs an experiment into a run directory: every solver on every
// instance, each job in its own process with its own time limit, each
// answer verified, and the rows appended to the run's rows file as the
// jobs finish.
type Sweep struct {
	rundir.Experiment
	// Jobs is how many jobs run side by side; 0 means one per core. With
	// the default runner each job's process is bound to the cores of its
	// slot (isolate.SlotCPUs): a core of its own.
	Jobs int
	Out  string // the run directory
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

	// Exec executes one job; nil runs each in a child process (isolate), bound
	// to its slot's core and limited to Memory. Tests set it.
	Exec Executor `json:"-"`
	// Progress receives progress reports, after a header that says what
	// runs and where; Bar draws a bar (a terminal) rather than plain
	// periodic lines.
	Progress io.Writer `json:"-"`
	Bar      bool      `json:"-"`
}

func (s *Sweep) check() error {
	if err := s.Experiment.Validate(); err != nil {
		return err
	}
	switch {
	case s.Shards < 1 || s.Shard < 0 || s.Shard >= s.Shards:
		return fmt.Errorf("shard %d of %d: want 1 <= i <= N", s.Shard+1, s.Shards)
	case s.Out == "":
		return errors.New("no output directory")
	case s.Jobs < 0 || s.Jobs > 1024:
		return fmt.Errorf("%d parallel jobs: want 1..1024 (0 for one per core)", s.Jobs)
	case s.RetryFailed && !s.Resume:
		return errors.New("retrying failed jobs needs resuming")
	}
	return nil
}

// Execute runs the sweep's jobs of its shard and returns the rows of that
// shard, those from earlier runs included when resuming. A job that fails
// becomes a row with its error; Execute's own error is for what stops the
// whole sweep (bad configuration, an unwritable directory or rows file,
// interruption).
func (s *Sweep) Execute(ctx context.Context) (_ []record.Row, err error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	var out io.Writer // s.Progress after the header; nil: no reports
	if s.Progress != nil {
		h := &header{w: s.Progress, text: "sweep: " + s.String() + "\nsweep: writing to " + s.Out + "\n"}
		defer func() {
			if err == nil {
				h.flush()
			}
		}()
		out = h
	}
	// Read a corpus before touching the run directory: a missing or bad
	// corpus must not leave a run.json that refuses the corrected retry.
	var insts []rundir.Instance
	if s.Corpus != "" {
		var err error
		if insts, err = s.Instances(true); err != nil {
			return nil, err
		}
	}
	sh, err := rundir.Open(s.Out, &s.Experiment, s.Shard, s.Shards, rundir.Options{Resume: s.Resume, RetryFailed: s.RetryFailed, Warn: out})
	if err != nil {
		return nil, err
	}
	defer sh.Close()
	if insts == nil { // after Open, which may take the run's order
		if insts, err = s.Instances(true); err != nil {
			return nil, err
		}
		if err := rundir.WriteInstances(s.Out, insts); err != nil {
			return nil, err
		}
	}
	done := sh.Done()
	have := map[string]bool{}
	for i := range done {
		have[done[i].Key()] = true
	}
	var jobs []rundir.Job
	for _, j := range s.Plan(insts, s.Shard, s.Shards) {
		if !have[j.Key()] {
			jobs = append(jobs, j)
		}
	}
	slots := s.Jobs
	if slots == 0 {
		slots = runtime.NumCPU()
	}
	slots = max(1, min(slots, len(jobs)))
	// The cores this process may use: under a batch system (Slurm's task
	// affinity or cgroups) those of its allocation, not cores 0, 1, ...
	cpus := isolate.CPUs()
	runner := func(slot int) Executor {
		if s.Exec != nil {
			return s.Exec
		}
		return isolate.Config{CPUSet: isolate.SlotCPUs(cpus, slots, slot), Memory: s.Memory}.Run
	}
	if len(jobs) > 0 {
		s.prepare(ctx, out)
	}
	prog := newProgress(out, s.Bar, len(jobs), len(done))
	defer prog.finish()
	var (
		mu       sync.Mutex // rows, the rows file, progress, firstErr
		rows     = slices.Clone(done)
		firstErr error
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	// add appends a finished job's row. One write per row: a killed sweep
	// leaves whole rows and at most one partial last line, which a resume
	// cuts off.
	add := func(row record.Row) error {
		mu.Lock()
		defer mu.Unlock()
		if err := sh.Append(&row); err != nil {
			return err
		}
		rows = append(rows, row)
		prog.step(&row)
		return nil
	}
	queue := make(chan rundir.Job)
	var wg sync.WaitGroup
	for slot := range slots {
		run := runner(slot)
		wg.Go(func() {
			for j := range queue {
				row, ok, err := s.runJob(ctx, run, j)
				if err == nil && ok {
					row.Jobs = slots
					err = add(row)
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

// header writes text before the first write through it, or at flush
// when the sweep succeeds without one: the header then follows the checks
// that may refuse the run (a directory that already has rows, a resume
// that contradicts the run, ...) instead of preceding their errors.
type header struct {
	w    io.Writer
	text string
	once sync.Once
}

func (h *header) flush() { h.once.Do(func() { io.WriteString(h.w, h.text) }) }

func (h *header) Write(p []byte) (int, error) {
	h.flush()
	return h.w.Write(p)
}

// prepare loads the files the jobs need (solvers.Needer) once in this
// process before the first job, so that a slow first use (HiGHS's wasm,
// fetched from npm into the user cache) is announced rather than a silent
// first job: a step that takes more than a second says what it does. A
// failure is only reported: the jobs then fail with their reasons, as
// they would have. Reports go to out (none when nil).
func (s *Sweep) prepare(ctx context.Context, out io.Writer) {
	if out != nil {
		for _, w := range solvers.WarningsOf(s.Solvers) {
			fmt.Fprintf(out, "sweep: warning: %s\n", w)
		}
	}
	needs, err := solvers.NeedsOf(s.Solvers)
	if err != nil {
		return // Validate has named the solver
	}
	for _, n := range needs {
		if n.Program || n.Load == nil {
			continue
		}
		start := time.Now()
		done := make(chan error, 1)
		go func() {
			_, err := n.Load(ctx)
			done <- err
		}()
		var err error
		select {
		case err = <-done:
		case <-time.After(time.Second):
			if out != nil {
				fmt.Fprintf(out, "sweep: preparing %s (once per machine: a download on first use) ...\n", n.Name)
			}
			err = <-done
			if err == nil && out != nil {
				fmt.Fprintf(out, "sweep: %s ready after %s\n", n.Name, time.Since(start).Round(100*time.Millisecond))
			}
		}
		if err != nil && out != nil {
			fmt.Fprintf(out, "sweep: warning: cannot prepare %s: %v (its jobs will fail with this reason)\n", n.Name, err)
		}
	}
}

// runJob runs one job and returns its row; ok is false when the sweep was
// interrupted (not timed out) during the job, which then leaves no row so
// that --resume runs it again.
func (s *Sweep) runJob(ctx context.Context, run Executor, j rundir.Job) (row record.Row, ok bool, err error) {
	if ctx.Err() != nil {
		return record.Row{}, false, nil
	}
	inst := j.Instance
	in, err := Load(inst.File(s.Out), s.Reduction)
	row = inst.Params
	if err != nil {
		row.Record = unreadable(inst.Path, j.Solver, record.Error, err) // its file was written by the sweep
		return row, true, nil
	}
	in.Path = inst.Path
	// One goroutine: a solve's work is then the same at any --jobs (rows
	// record workers 1 beside jobs and cpus).
	rec, err := Solve(ctx, run, j.Solver, in, solvers.Options{Workers: 1, Certify: s.Certify},
		Limits{Timeout: time.Duration(s.Timeout), CheckLimit: time.Duration(s.CheckLimit)})
	if err != nil {
		return record.Row{}, false, err
	}
	if ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled) {
		return record.Row{}, false, nil
	}
	row.Record = rec
	return row, true, nil
}

// progress reports a sweep's progress: a bar redrawn in place on a
// terminal, otherwise a plain line; both at least every interval, whether
// or not a job ended, with the jobs left and an estimate of the time left.
type progress struct {
	mu          sync.Mutex
	w           io.Writer
	bar         bool
	total, done int
	start       time.Time
	last        string // the bar's last job
	stop        chan struct{}
	ticker      sync.WaitGroup
}

// progressInterval is the longest a sweep stays silent.
const progressInterval = 5 * time.Second

func newProgress(w io.Writer, bar bool, total, resumed int) *progress {
	p := &progress{w: w, bar: bar, total: total, start: time.Now(), stop: make(chan struct{})}
	// A first line as soon as the jobs are planned, so that a caller
	// printing a header before the first progress line (the CLI's "writing
	// to") prints it before the first job ends, and never before a refusal.
	switch {
	case w != nil && resumed > 0:
		fmt.Fprintf(w, "resuming: %s already done, %s to run\n", plural.Count(resumed, "row", "rows"), plural.Count(total, "job", "jobs"))
	case w != nil:
		fmt.Fprintf(w, "sweep: %s to run\n", plural.Count(total, "job", "jobs"))
	}
	if w != nil && total > 0 {
		p.ticker.Go(func() {
			t := time.NewTicker(progressInterval)
			defer t.Stop()
			for {
				select {
				case <-p.stop:
					return
				case <-t.C:
					p.mu.Lock()
					p.print()
					p.mu.Unlock()
				}
			}
		})
	}
	return p
}

// status is the progress line: jobs done and left, time spent and an
// estimate of the time left (from the pace so far).
func (p *progress) status() string {
	el := time.Since(p.start)
	s := fmt.Sprintf("%d/%d jobs done, %d left, %s elapsed", p.done, p.total, p.total-p.done, el.Round(time.Second))
	if p.done > 0 && p.done < p.total {
		left := time.Duration(float64(el) * float64(p.total-p.done) / float64(p.done))
		s += ", about " + left.Round(time.Second).String() + " left"
	}
	return s
}

// print writes the progress; p.mu is held.
func (p *progress) print() {
	if p.bar {
		const width = 30
		fill := width * p.done / max(p.total, 1)
		fmt.Fprintf(p.w, "\r[%s%s] %s  %s   ", strings.Repeat("#", fill), strings.Repeat(".", width-fill), p.status(), p.last)
		return
	}
	fmt.Fprintf(p.w, "sweep: %s\n", p.status())
}

func (p *progress) step(r *record.Row) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if p.w == nil {
		return
	}
	if p.bar {
		p.last = fmt.Sprintf("%s %s: %s", r.Solver, filepath.Base(r.Instance), r.Answer)
		p.print()
		return
	}
	if p.done == p.total {
		p.print()
	}
}

func (p *progress) finish() {
	close(p.stop)
	p.ticker.Wait()
	if p.w != nil && p.bar && p.done > 0 {
		fmt.Fprintln(p.w)
	}
}
