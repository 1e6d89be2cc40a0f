// Package isolate runs a registered solver in a child process, so that a solve
// that overruns its deadline can be stopped for good: the child is killed,
// whatever the solver was doing. Solvers that cannot be interrupted
// (gophersat) rely on it for their time limits, and the sweep runner runs each
// job through it.
//
// The child is the running executable itself, started with WorkerEnv=1. Every
// program that calls Run (directly, or through a solver that isolates itself,
// such as gophersat with a time limit) must therefore call Serve first thing
// in main (and in TestMain for test binaries), and must link the solvers it
// names. Run refuses with ErrNotServed in a program that has not, rather
// than start a child that would run the program's main again.
package isolate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nashbench/nashbench/game"
	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
)

// WorkerEnv is the environment variable that makes Serve turn the process
// into a worker when it is set to "1".
const WorkerEnv = "NASHBENCH_WORKER"

// cpuEnv tells a worker which cores to bind itself to (Config.CPUSet, as
// a comma-separated list), and
// rlimitEnv how much address space it may map beyond what it has at
// start-up (Config.Memory without a cgroup).
const (
	cpuEnv    = "NASHBENCH_WORKER_CPU"
	rlimitEnv = "NASHBENCH_WORKER_RLIMIT"
)

// waitDelay bounds how long Run waits for the child's output pipes to close
// once it has been killed or has exited. It is generous: on a loaded
// machine, copying a worker's output after it exited took over 500 ms.
const waitDelay = 5 * time.Second

// resultMarker starts the worker's result line on its standard output.
const resultMarker = "nashbench-isolate-result: "

// exitSolverError is the worker's exit status when the solver returned an
// error (as opposed to a crash); the message is on its standard error.
// exitRefused is the same for a refusal (solvers.RefusedError).
const (
	exitSolverError = 3
	exitRefused     = 5
)

// stderrTail is how much of the child's standard error an error message
// carries.
const stderrTail = 4096

// job is what the parent writes to the worker's standard input.
type job struct {
	Solver  string            `json:"solver"`
	Names   []string          `json:"names,omitempty"`
	D       [][]int64         `json:"D,omitempty"`
	Base    []int64           `json:"d,omitempty"`
	Formula *instances.CNF    `json:"formula,omitempty"`
	Variant reduction.Variant `json:"variant"`
	Layout  reduction.Layout  `json:"layout"`
	Options solvers.Options   `json:"options"`
	// Spec makes the solver when the worker cannot by its name alone
	// (solvers.Portable).
	Spec *spec `json:"spec,omitempty"`
	// Deadline is the job's deadline, which the parent enforces by killing
	// the worker; the solve sees it through Deadline, not its context.
	Deadline time.Time `json:"deadline,omitzero"`
}

// spec is a solvers.Portable solver's Spec.
type spec struct {
	Kind string          `json:"kind"`
	Data json.RawMessage `json:"data"`
}

// result is what the worker writes to its standard output.
type result struct {
	Answer  solvers.Answer     `json:"answer"`
	Witness []bool             `json:"witness,omitempty"`
	Counted bool               `json:"counted,omitempty"`
	Count   int64              `json:"count"`
	Listed  [][]bool           `json:"listed,omitempty"`
	Stats   map[string]float64 `json:"stats,omitempty"`
	// Elapsed is the solve's wall time measured in the worker, without
	// the process start-up that the parent would see.
	Elapsed time.Duration `json:"elapsed"`
	// CPUs are the cores the worker was bound to, or none when it was
	// left free.
	CPUs []int `json:"cpus,omitempty"`
	// Proof comes back for the parent to check (package verify).
	Proof *solvers.Proof `json:"proof,omitempty"`
	// Error and Refused carry a solver's failure in a pooled worker,
	// which goes on serving after it.
	Error   string `json:"error,omitempty"`
	Refused bool   `json:"refused,omitempty"`
}

// lastPID is set to each child's process id once it has started; tests use it
// to check that no child outlives Run.
var (
	pidMu   sync.Mutex
	lastPID int
)

// served records that the program called Serve, and so can be its own
// worker: Run refuses to start a child otherwise, since the child would run
// the program's main from the start.
var served atomic.Bool

// ErrNotServed is returned by Run in a program that has not called Serve.
var ErrNotServed = errors.New("isolate: this program cannot run solvers in child processes (gophersat with a time limit, sweeps): call isolate.Serve() first thing in main, and in TestMain for tests")

// Serve makes the process a worker when WorkerEnv is "1": it reads one job
// from standard input, solves it in-process without a deadline, writes the
// result to standard output and exits. Otherwise it returns at once, and
// the program may call Run. Call it first thing in main and in TestMain.
func Serve() {
	if os.Getenv(WorkerEnv) != "1" {
		served.Store(true)
		return
	}
	if v := os.Getenv(cpuEnv); v != "" {
		cpus, err := parseCPUs(v)
		if err == nil {
			err = pinAll(cpus)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "isolate worker: %s=%s: %v\n", cpuEnv, v, err)
			os.Exit(2)
		}
	}
	if v := os.Getenv(rlimitEnv); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err == nil {
			err = limitSelf(n)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "isolate worker: %s=%s: %v\n", rlimitEnv, v, err)
			os.Exit(2)
		}
	}
	if os.Getenv(loopEnv) == "1" {
		os.Exit(serveLoop(os.Stdin, os.Stdout))
	}
	os.Exit(serve(os.Stdin, os.Stdout, os.Stderr, true))
}

// serve runs one job; with watch, it exits the process when stdin closes
// before the job is done.
func serve(stdin io.Reader, stdout, stderr io.Writer, watch bool) int {
	dec := json.NewDecoder(stdin)
	var j job
	if err := dec.Decode(&j); err != nil {
		fmt.Fprintf(stderr, "isolate worker: reading the job: %v\n", err)
		return 2
	}
	// The parent keeps standard input open while it waits for us; when it
	// goes away (killed, crashed), the pipe closes and so do we, so that no
	// worker outlives its parent.
	if watch {
		go func() {
			_, _ = io.Copy(io.Discard, io.MultiReader(dec.Buffered(), stdin))
			os.Exit(exitOrphaned)
		}()
	}
	res, err := solveJob(&j)
	if err != nil {
		fmt.Fprintln(stderr, err)
		if solvers.IsRefused(err) {
			return exitRefused
		}
		return exitSolverError
	}
	if err := writeResult(stdout, res); err != nil {
		fmt.Fprintf(stderr, "isolate worker: writing the result: %v\n", err)
		return 2
	}
	return 0
}

// exitOrphaned is the worker's status when its parent closed the job pipe
// before the solve ended.
const exitOrphaned = 4

func solveJob(j *job) (*result, error) {
	var s solvers.Solver
	var err error
	if j.Spec != nil {
		s, err = solvers.FromSpec(j.Spec.Kind, j.Spec.Data)
	} else {
		s, err = solvers.New(j.Solver)
	}
	if err != nil {
		return nil, err
	}
	p := &solvers.Problem{Formula: j.Formula, Variant: j.Variant, Layout: j.Layout}
	switch {
	case j.Base != nil:
		if p.Game, err = game.New(j.Names, j.D, j.Base); err != nil {
			return nil, err
		}
	case j.Formula != nil:
		// The game of a formula is its reduction, rebuilt here in time
		// and memory in proportion to the formula.
		if p, err = solvers.FromFormula(j.Formula, j.Variant); err != nil {
			return nil, err
		}
	}
	// No deadline: the parent enforces it by killing us, and solvers that
	// would otherwise isolate themselves solve in-process.
	ctx := context.Background()
	if !j.Deadline.IsZero() {
		ctx = context.WithValue(ctx, deadlineKey{}, j.Deadline)
	}
	if pr, ok := s.(solvers.Preparer); ok {
		if err := pr.Prepare(ctx); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	r, err := s.Solve(ctx, p, j.Options)
	elapsed := time.Since(start)
	if err != nil {
		return nil, err
	}
	stats := make(map[string]float64, len(r.Stats))
	for k, v := range r.Stats {
		if !math.IsNaN(v) && !math.IsInf(v, 0) { // JSON has no NaN or Inf
			stats[k] = v
		}
	}
	var cpus []int
	if os.Getenv(cpuEnv) != "" {
		// What the kernel says this process is bound to, not what it was
		// asked: the parent checks the two agree.
		cpus = allowedCPUs()
	}
	return &result{Answer: r.Answer, Witness: r.Witness, Counted: r.Counted, Count: r.Count, Listed: r.Listed, Stats: stats, Elapsed: elapsed, CPUs: cpus, Proof: r.Proof}, nil
}

// InWorker reports whether this process is a worker (see Serve). A solver
// that starts processes of its own keeps them in the worker's process
// group there, which the parent kills at the deadline.
func InWorker() bool { return os.Getenv(WorkerEnv) == "1" }

type deadlineKey struct{}

// Deadline returns the deadline of a solve: ctx's own, or in a worker the
// deadline the parent enforces (the worker solves without one). Solvers
// that pass a time limit on to a program of their own use it.
func Deadline(ctx context.Context) (time.Time, bool) {
	if d, ok := ctx.Deadline(); ok {
		return d, true
	}
	d, ok := ctx.Value(deadlineKey{}).(time.Time)
	return d, ok
}

// Config says how Run places and limits its child.
type Config struct {
	// CPUSet binds the child, its threads and the processes it starts, to
	// these cores (0-based), and runs its Go runtime with GOMAXPROCS at
	// their number; empty leaves it free. SlotCPUs gives job slots their
	// cores.
	CPUSet []int
	// Memory caps the memory of the child with its descendants, in bytes:
	// a memory cgroup of its own where one can be made (MemoryMechanism
	// says which), else an rlimit on its address space; 0 for none. A
	// child that hits it ends with an error that wraps ErrMemout.
	Memory int64
}

// CPUs lists the cores this process may run on, in order, for
// Config.CPUSet: on Linux its affinity mask (under a batch system such as
// Slurm, the cores of its allocation, which need not start at 0), else
// 0 to runtime.NumCPU()-1.
func CPUs() []int {
	if cpus := allowedCPUs(); len(cpus) > 0 {
		return cpus
	}
	cpus := make([]int, runtime.NumCPU())
	for i := range cpus {
		cpus[i] = i
	}
	return cpus
}

// ErrMemout is wrapped by Run's error when the child ran out of the memory
// Config.Memory allows it.
var ErrMemout = errors.New("out of memory")

// MemoryMechanism says how Config.Memory is enforced on this machine:
// "cgroup v2", "cgroup v1", or "rlimit" (a cap on the address space the
// child maps beyond what it had when it started, which solvers that
// reserve address space they never touch may hit early).
func MemoryMechanism() string {
	m := newMemLimit(1 << 30)
	defer m.close()
	return m.mechanism()
}

// Run solves p with the named solver in a child process, free to use any
// core and without a memory limit (Config{}.Run).
func Run(ctx context.Context, solver string, p *solvers.Problem, opt solvers.Options) (*solvers.Result, error) {
	return Config{}.Run(ctx, solver, p, opt)
}

// SlotCPUs is the core of cpus that job slot slot of slots is bound to:
// slot i the i-th, modulo their number. A slot gets one core even when
// there are fewer slots than cores: the sweep runs each solve on one
// goroutine, and measured with --jobs 1 on 2 cores, binding a job to both
// cost enum and highs-compact 15-20% more CPU time than one core (the
// process moves between cores) and saved nothing. It panics unless
// 0 <= slot < slots and cpus is not empty.
func SlotCPUs(cpus []int, slots, slot int) []int {
	if len(cpus) == 0 || slot < 0 || slot >= slots {
		panic(fmt.Sprintf("isolate.SlotCPUs: slot %d of %d on %d cores", slot, slots, len(cpus)))
	}
	return []int{cpus[slot%len(cpus)]}
}

// parseCPUs reads cpuEnv's list.
func parseCPUs(v string) ([]int, error) {
	var cpus []int
	for f := range strings.SplitSeq(v, ",") {
		c, err := strconv.Atoi(f)
		if err != nil || c < 0 {
			return nil, fmt.Errorf("bad core %q", f)
		}
		cpus = append(cpus, c)
	}
	return cpus, nil
}

// Run solves p with the named solver in a child process placed and limited
// as c says. When ctx ends first, the child is killed and waited for, and
// Run returns a Result with Answer Unknown and nothing counted, and no
// error. A solver error comes back as an error with the solver's message;
// a crashed child or unreadable output as an error carrying the tail of the
// child's standard error. Results carry the child's Usage as the operating
// system measured it, timeouts included, and so do the errors of a child
// that ran (a *UsageError: see UsageOf), memouts and crashes included.
func (c Config) Run(ctx context.Context, solver string, p *solvers.Problem, opt solvers.Options) (*solvers.Result, error) {
	in, ended, err := start(ctx, "Run", solver, p, opt)
	if ended != nil || err != nil {
		return ended, err
	}
	var env []string
	var cpuSet []int
	if len(c.CPUSet) > 0 {
		cpuSet = slices.Sorted(slices.Values(c.CPUSet))
		cpuSet = slices.Compact(cpuSet)
		list := make([]string, len(cpuSet))
		for i, cpu := range cpuSet {
			list[i] = strconv.Itoa(cpu)
		}
		// One P per core: on one core, the runtime's GC workers compete
		// with the solve as they would on a one-core machine.
		env = append(env, cpuEnv+"="+strings.Join(list, ","), "GOMAXPROCS="+strconv.Itoa(len(cpuSet)))
	}
	var mem *memLimit
	if c.Memory > 0 {
		mem = newMemLimit(c.Memory)
		defer mem.close()
		env = append(env, mem.env()...)
	}
	cmd, err := workerCommand(ctx, solver, env...)
	if err != nil {
		return nil, err
	}
	cmd.WaitDelay = waitDelay
	var stdout bytes.Buffer
	stderr := &tailBuffer{max: stderrTail}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("isolate: %w", err)
	}
	if err := cmd.Start(); err != nil {
		if ctx.Err() != nil {
			return unknown(), nil
		}
		return nil, fmt.Errorf("isolate: starting a worker: %w", err)
	}
	started := time.Now()
	pidMu.Lock()
	lastPID = cmd.Process.Pid
	pidMu.Unlock()
	if mem != nil {
		if err := mem.apply(cmd.Process.Pid); err != nil {
			_ = KillGroup(cmd)
			_ = cmd.Wait()
			err = fmt.Errorf("isolate: limiting the worker's memory (%s): %w", mem.mechanism(), err)
			return nil, withUsage(err, usageOf(cmd, time.Since(started)))
		}
	}
	// The pipe stays open until the child exits (Wait closes it): the
	// worker takes its closing as the parent's death. Write in the
	// background, as a large job can fill the pipe before the child reads.
	go func() { _, _ = stdin.Write(in) }()
	waitErr := cmd.Wait()
	usage := usageOf(cmd, time.Since(started))
	if usage != nil {
		usage.CPUs = cpuSet
	}
	res, err := c.reap(ctx, solver, mem, waitErr, stdout.Bytes(), stderr, cpuSet, usage)
	if err != nil {
		return nil, withUsage(err, usage)
	}
	res.Usage = usage
	return res, nil
}

// reap interprets how the worker ended (waitErr) and what it wrote.
func (c Config) reap(ctx context.Context, solver string, mem *memLimit, waitErr error, out []byte, stderr *tailBuffer, cpuSet []int, usage *solvers.Usage) (*solvers.Result, error) {
	if mem != nil && waitErr != nil && mem.outOfMemory(stderr.String()) {
		var peak int64
		if usage != nil {
			peak = usage.MaxRSS
		}
		return nil, fmt.Errorf("isolate: worker for %s ran out of memory (limit %d MiB by %s, peak resident %d MiB): %w",
			solver, c.Memory>>20, mem.mechanism(), peak>>20, ErrMemout)
	}
	if waitErr != nil && ctx.Err() != nil {
		return unknown(), nil // killed, or ended some other way past the deadline
	}
	if waitErr != nil {
		// The solver's message is the worker's standard error, never
		// empty (see tailBuffer.ends).
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = fmt.Sprintf("isolate: worker for %s: the solver failed without a message (%v; %s)", solver, waitErr, stderr.ends())
		}
		var ee *exec.ExitError
		if errors.As(waitErr, &ee) && ee.ExitCode() == exitRefused {
			return nil, &solvers.RefusedError{Reason: msg}
		}
		if errors.As(waitErr, &ee) && ee.ExitCode() == exitSolverError {
			return nil, errors.New(msg)
		}
		return nil, fmt.Errorf("isolate: worker for %s failed: %v; %s", solver, waitErr, stderr.ends())
	}
	var r result
	var err error
	at := bytes.LastIndex(out, []byte("\n"+resultMarker))
	if at < 0 {
		err = errors.New("no result line")
	} else {
		line, _, _ := bytes.Cut(out[at+1+len(resultMarker):], []byte("\n"))
		err = json.Unmarshal(line, &r)
	}
	if err != nil {
		return nil, fmt.Errorf("isolate: worker for %s wrote no result (%v; does the program call isolate.Serve first thing in main or TestMain?); %s", solver, err, stderr.ends())
	}
	if r.Answer != solvers.Found && r.Answer != solvers.None && r.Answer != solvers.Unknown {
		return nil, fmt.Errorf("isolate: worker for %s answered %d", solver, r.Answer)
	}
	if cpuSet != nil && !slices.Equal(r.CPUs, cpuSet) {
		return nil, fmt.Errorf("isolate: worker for %s ran on cores %v, not on %v as asked (does the program call isolate.Serve first thing in main?)", solver, r.CPUs, cpuSet)
	}
	return r.solverResult(), nil
}

// UsageError is an error of Run for a job whose worker ran: a solver's
// error or refusal, a memout, a crash, a kill by anything but the job's
// deadline. It carries the worker's Usage as the operating system
// measured it, so that a failed job is measured like a solved one; Unwrap
// gives the error itself.
type UsageError struct {
	Err  error
	Used *solvers.Usage
}

func (e *UsageError) Error() string { return e.Err.Error() }

func (e *UsageError) Unwrap() error { return e.Err }

// Usage is the worker's resource use.
func (e *UsageError) Usage() *solvers.Usage { return e.Used }

// UsageOf returns the Usage that an error of Run carries, or nil.
func UsageOf(err error) *solvers.Usage {
	if ue, ok := errors.AsType[*UsageError](err); ok {
		return ue.Used
	}
	return nil
}

// withUsage wraps err in a UsageError with u, or returns it as it is when
// u is nil.
func withUsage(err error, u *solvers.Usage) error {
	if u == nil {
		return err
	}
	return &UsageError{Err: err, Used: u}
}

// solverResult is the solve's result as the worker sent it.
func (r *result) solverResult() *solvers.Result {
	return &solvers.Result{Answer: r.Answer, Witness: r.Witness, Counted: r.Counted, Count: r.Count, Listed: r.Listed, Stats: r.Stats, Elapsed: r.Elapsed, Proof: r.Proof}
}

// workerCommand is a worker process of this executable for solver, with
// env added to its environment, in a process group of its own that is
// killed when ctx ends.
func workerCommand(ctx context.Context, solver string, env ...string) (*exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("isolate: %w", err)
	}
	cmd := exec.CommandContext(ctx, exe)
	cmd.Args = workerArgs(solver)
	cmd.Env = append(append(os.Environ(), WorkerEnv+"=1"), env...)
	if raceEnabled {
		cmd.Env = append(cmd.Env, "GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	}
	NewGroup(cmd)
	return cmd, nil
}

// workerArgs are a worker's arguments, its name included, which ps shows
// (the worker knows itself by WorkerEnv, not by them): "nashbench worker
// SOLVER". A test binary that forgot to call Serve in TestMain would run
// its tests; -test.run=^$ makes it run none (Serve exits before flags are
// parsed, so a proper worker never sees it). The test flags end at the
// first argument that is no flag, so there the name is all argv[0], and
// ps shows "nashbench worker SOLVER -test.run=^$".
func workerArgs(solver string) []string {
	if testing.Testing() {
		return []string{"nashbench worker " + solver, "-test.run=^$"}
	}
	return []string{"nashbench", "worker", solver}
}

// writeResult writes res on a line of its own after a marker, so that
// whatever a solver prints to standard output cannot be mistaken for it.
func writeResult(w io.Writer, res *result) error {
	b, err := json.Marshal(res)
	if err == nil {
		_, err = fmt.Fprintf(w, "\n%s%s\n", resultMarker, b)
	}
	return err
}

// allocationFailed tells, from a worker's standard error, that it died
// for want of memory: under an address-space rlimit, the Go runtime's heap
// or a new thread's stack cannot be mapped, and an external solver's
// allocation fails (C++'s std::bad_alloc, C's malloc returning NULL).
func allocationFailed(stderr string) bool {
	stderr = strings.ToLower(stderr)
	for _, sign := range []string{"out of memory", "cannot allocate memory", "pthread_create failed", "bad_alloc"} {
		if strings.Contains(stderr, sign) {
			return true
		}
	}
	return false
}

// usageOf reads the resource use of the exited child, its reaped
// descendants included (wait4's rusage).
func usageOf(cmd *exec.Cmd, wall time.Duration) *solvers.Usage {
	ps := cmd.ProcessState
	if ps == nil {
		return nil
	}
	return &solvers.Usage{Wall: wall, CPU: ps.UserTime() + ps.SystemTime(), MaxRSS: maxRSS(ps)}
}

// start is the beginning of Run and Pooled, named caller: it refuses to run
// inside a worker or unserved, and encodes the job. ended is the Result
// when ctx has already ended.
func start(ctx context.Context, caller, solver string, p *solvers.Problem, opt solvers.Options) (in []byte, ended *solvers.Result, err error) {
	if os.Getenv(WorkerEnv) == "1" {
		return nil, nil, fmt.Errorf("isolate: %s called inside a worker: the program must call isolate.Serve first thing in main (or TestMain)", caller)
	}
	if !served.Load() {
		return nil, nil, ErrNotServed
	}
	if in, err = encodeJob(ctx, solver, p, opt); err != nil {
		return nil, nil, err
	}
	if ctx.Err() != nil {
		return nil, unknown(), nil
	}
	return in, nil, nil
}

// encodeJob describes a solve for a worker, as the worker reads it.
func encodeJob(ctx context.Context, solver string, p *solvers.Problem, opt solvers.Options) ([]byte, error) {
	j, err := newJob(ctx, solver, p, opt)
	if err != nil {
		return nil, err
	}
	in, err := json.Marshal(j)
	if err != nil {
		return nil, fmt.Errorf("isolate: encoding the job: %w", err)
	}
	return in, nil
}

// newJob describes a solve for a worker.
func newJob(ctx context.Context, solver string, p *solvers.Problem, opt solvers.Options) (*job, error) {
	s, err := solvers.New(solver)
	if err != nil {
		return nil, err
	}
	j := &job{Solver: solver, Formula: p.Formula, Variant: p.Variant, Layout: p.Layout, Options: opt}
	if ps, ok := s.(solvers.Portable); ok {
		kind, data, err := ps.Spec()
		if err != nil {
			return nil, fmt.Errorf("isolate: %s: %w", solver, err)
		}
		j.Spec = &spec{Kind: kind, Data: data}
	}
	j.Deadline, _ = ctx.Deadline()
	if p.Game != nil && p.Formula == nil {
		// Only a game that is not a formula's reduction travels as a
		// matrix; the worker rebuilds a reduction from its formula.
		j.Names = p.Game.Names
		j.D, j.Base = p.Game.Matrix()
	}
	return j, nil
}

func unknown() *solvers.Result { return &solvers.Result{Answer: solvers.Unknown} }

// tailBuffer keeps the first max/4 and the last max bytes written to it: a Go
// runtime's fatal error ("runtime: out of memory") heads a long goroutine
// dump, and a solver's own last words end it.
type tailBuffer struct {
	mu      sync.Mutex
	max     int
	head    []byte
	buf     []byte
	dropped bool
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(p)
	if room := t.max/4 - len(t.head); room > 0 {
		take := min(room, len(p))
		t.head = append(t.head, p[:take]...)
		p = p[take:]
	}
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
		t.dropped = true
	}
	return n, nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dropped {
		return string(t.head) + "\n[...]\n" + string(t.buf)
	}
	return string(t.head) + string(t.buf)
}

// ends describes the end of the worker's standard error for an error
// message: "its stderr ends: ...", or that it wrote none (a worker killed
// before it wrote anything), never an empty quote.
func (t *tailBuffer) ends() string {
	if s := strings.TrimSpace(t.String()); s != "" {
		return "its stderr ends: " + s
	}
	return "it wrote nothing to stderr"
}
