package isolate_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/internal/testtool"
	"github.com/nashbench/nashbench/isolate"
	"github.com/nashbench/nashbench/reduction"
	"github.com/nashbench/nashbench/solvers"
	_ "github.com/nashbench/nashbench/solvers/all"
	"github.com/nashbench/nashbench/solvers/enum"
	"github.com/nashbench/nashbench/verify"
)

// TestMain lets the test binary serve as the worker Run starts.
func TestMain(m *testing.M) {
	sleeper() // a stand-in for an external solver's program
	isolate.Serve()
	parent() // a program that runs a job, for the tests to kill
	os.Exit(m.Run())
}

// sleeperEnv makes the test binary a stand-in for an external solver's
// program (see TestMain): it touches as many MiB as the variable says,
// writes "ready" and sleeps until it is killed.
const sleeperEnv = "ISOLATE_TEST_SLEEPER"

// held is what a sleeper holds.
var held [][]byte

func sleeper() {
	v := os.Getenv(sleeperEnv)
	if v == "" {
		return
	}
	n, _ := strconv.Atoi(v)
	for range n {
		b := make([]byte, 1<<20)
		for i := range b {
			b[i] = 1
		}
		held = append(held, b)
	}
	fmt.Println("ready")
	time.Sleep(time.Hour)
	os.Exit(0)
}

// parentEnv makes the test binary run one job of the stubborn solver
// (which never ends) under a memory limit, for a test to kill it.
const parentEnv = "ISOLATE_TEST_PARENT"

func parent() {
	if os.Getenv(parentEnv) == "" {
		return
	}
	p := &solvers.Problem{Formula: &instances.CNF{Vars: 1, Clauses: [][]int{{1}}}}
	_, err := isolate.Config{Memory: 1 << 30}.Run(context.Background(), "isolate-test-stubborn", p, solvers.Options{})
	fmt.Fprintln(os.Stderr, "the stubborn job ended:", err)
	os.Exit(1)
}

func reductionProblem(t *testing.T, spec instances.Spec) *solvers.Problem {
	t.Helper()
	f, _, err := spec.Generate()
	require.NoError(t, err)
	p, err := solvers.FromFormula(f, reduction.Corrected)
	require.NoError(t, err)
	return p
}

func TestRunMatchesInProcess(t *testing.T) {
	for i, spec := range []instances.Spec{
		{N: 8, M: 20, K: 3, Seed: 1},
		{N: 10, M: 43, K: 3, Seed: 1, Index: 1},
		{N: 10, M: 43, K: 3, Seed: 1, Index: 2},
		{N: 12, M: 60, K: 3, Seed: 2},
		{N: 6, M: 40, K: 3, Seed: 3},
	} {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			p := reductionProblem(t, spec)
			for _, opt := range []solvers.Options{{}, {Count: true, List: 3}} {
				want, err := enum.Solver{}.Solve(context.Background(), p, opt)
				require.NoError(t, err)
				got, err := isolate.Run(context.Background(), "enum", p, opt)
				require.NoError(t, err)
				assert.Equal(t, want.Answer, got.Answer)
				assert.Equal(t, want.Count, got.Count)
				assert.Equal(t, want.Witness, got.Witness)
				assert.Equal(t, want.Listed, got.Listed)
				assert.Equal(t, want.Stats, got.Stats)
				require.NoError(t, verify.Result(p, got))
			}
		})
	}
}

func TestRunDeadline(t *testing.T) {
	// Counting the equilibria of a 36-variable game enumerates 2^36
	// profiles: minutes of work.
	p := reductionProblem(t, instances.Spec{N: 36, M: 20, K: 3, Seed: 1})
	const limit = 300 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	start := time.Now()
	r, err := isolate.Run(ctx, "enum", p, solvers.Options{Count: true})
	late := time.Since(start) - limit
	require.NoError(t, err)
	assert.Equal(t, solvers.Unknown, r.Answer)
	assert.False(t, r.Counted)
	// A loaded machine may take a while to kill and reap the worker; a
	// deadline not honoured would take the minutes of the whole count.
	assert.Less(t, late, testtool.StopAllowance)
	t.Logf("ended %v after the deadline", late)
	pid := isolate.LastPID()
	require.NotZero(t, pid)
	assert.ErrorIs(t, syscall.Kill(pid, 0), syscall.ESRCH, "worker %d still exists", pid)
}

func TestRunCancelled(t *testing.T) {
	p := reductionProblem(t, instances.Spec{N: 36, M: 20, K: 3, Seed: 1})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(200 * time.Millisecond)
		cancel()
	}()
	r, err := isolate.Run(ctx, "enum", p, solvers.Options{Count: true})
	require.NoError(t, err)
	assert.Equal(t, solvers.Unknown, r.Answer)
	assert.ErrorIs(t, syscall.Kill(isolate.LastPID(), 0), syscall.ESRCH)

	// Already over: no worker at all.
	r, err = isolate.Run(ctx, "enum", p, solvers.Options{})
	require.NoError(t, err)
	assert.Equal(t, solvers.Unknown, r.Answer)
}

func TestRunErrors(t *testing.T) {
	p := reductionProblem(t, instances.Spec{N: 5, M: 10, K: 3, Seed: 1})

	_, err := isolate.Run(context.Background(), "no-such-solver", p, solvers.Options{})
	assert.ErrorContains(t, err, "unknown solver")

	// A solver's error comes back with its message (and sentinel).
	_, err = isolate.Run(context.Background(), "gophersat", &solvers.Problem{Game: p.Game}, solvers.Options{})
	assert.ErrorIs(t, err, solvers.ErrNotFormula)
	_, err = isolate.Run(context.Background(), "enum", p, solvers.Options{MaxPlayers: 2})
	assert.ErrorContains(t, err, "more than the limit of 2")

	// Inside a worker, Run refuses rather than start workers recursively.
	t.Setenv(isolate.WorkerEnv, "1")
	_, err = isolate.Run(context.Background(), "enum", p, solvers.Options{})
	assert.ErrorContains(t, err, "isolate.Serve")
}

func TestServeBadInput(t *testing.T) {
	var out, errb bytes.Buffer
	assert.NotZero(t, isolate.ServeIO(strings.NewReader("{not json"), &out, &errb))
	assert.Contains(t, errb.String(), "reading the job")
	assert.Empty(t, out.String())

	errb.Reset()
	code := isolate.ServeIO(strings.NewReader(`{"solver":"enum","D":[[1]],"d":[0]}`), &out, &errb)
	assert.NotZero(t, code)
	assert.Contains(t, errb.String(), "at least 2 players")
}

// Test solvers, registered in the parent and in the worker (the same
// binary).
type testSolver func(ctx context.Context) (*solvers.Result, error)

func (f testSolver) Solve(ctx context.Context, _ *solvers.Problem, _ solvers.Options) (*solvers.Result, error) {
	return f(ctx)
}

func init() {
	solvers.Register("isolate-test-crash", func() solvers.Solver {
		return testSolver(func(context.Context) (*solvers.Result, error) {
			fmt.Fprintln(os.Stderr, "the last words of a crashing solver")
			os.Exit(7)
			return nil, nil
		})
	})
	// Prints to standard output, as some solvers do.
	solvers.Register("isolate-test-chatty", func() solvers.Solver {
		return testSolver(func(context.Context) (*solvers.Result, error) {
			fmt.Print("c some solver chatter {\"answer\": 1}")
			return &solvers.Result{Answer: solvers.None, Count: 7, Stats: map[string]float64{"x": 1}, Proof: &solvers.Proof{DRAT: []byte("1 0\n0\n")}}, nil
		})
	})
	// Exits successfully without a result.
	solvers.Register("isolate-test-silent", func() solvers.Solver {
		return testSolver(func(context.Context) (*solvers.Result, error) {
			fmt.Print("bye")
			os.Exit(0)
			return nil, nil
		})
	})
	// Like gophersat: ignores its context and never ends.
	solvers.Register("isolate-test-stubborn", func() solvers.Solver {
		return testSolver(func(context.Context) (*solvers.Result, error) {
			select {}
		})
	})
}

// portable is a solver whose worker twin is made from its Spec, not its
// name: it reports the number in its spec and whether it saw a deadline.
type portable struct{ n float64 }

func (p portable) Spec() (string, []byte, error) {
	return "isolate-test-kind", []byte(strconv.FormatFloat(p.n, 'g', -1, 64)), nil
}

func (p portable) Solve(ctx context.Context, _ *solvers.Problem, _ solvers.Options) (*solvers.Result, error) {
	_, ok := isolate.Deadline(ctx)
	deadline := 0.0
	if ok {
		deadline = 1
	}
	_, own := ctx.Deadline()
	return &solvers.Result{Answer: solvers.None, Stats: map[string]float64{"n": p.n, "deadline": deadline, "worker": b2f(isolate.InWorker()), "own": b2f(own)}}, nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func init() {
	solvers.Register("isolate-test-portable", func() solvers.Solver { return portable{n: 42} })
	solvers.RegisterKind("isolate-test-kind", func(data []byte) (solvers.Solver, error) {
		n, err := strconv.ParseFloat(string(data), 64)
		return portable{n: n + 1}, err
	})
}

// A Portable solver is made in the worker from its Spec, and sees the
// job's deadline through isolate.Deadline (its context has none).
func TestRunPortable(t *testing.T) {
	p := reductionProblem(t, instances.Spec{N: 5, M: 10, K: 3, Seed: 1})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := isolate.Run(ctx, "isolate-test-portable", p, solvers.Options{})
	require.NoError(t, err)
	assert.Equal(t, map[string]float64{"n": 43, "deadline": 1, "worker": 1, "own": 0}, r.Stats)
	r, err = isolate.Run(context.Background(), "isolate-test-portable", p, solvers.Options{})
	require.NoError(t, err)
	assert.Equal(t, 0.0, r.Stats["deadline"])
	assert.False(t, isolate.InWorker())
}

func TestRunCrash(t *testing.T) {
	p := reductionProblem(t, instances.Spec{N: 5, M: 10, K: 3, Seed: 1})
	_, err := isolate.Run(context.Background(), "isolate-test-crash", p, solvers.Options{})
	assert.ErrorContains(t, err, "the last words of a crashing solver")
	assert.ErrorContains(t, err, "exit status 7")

	_, err = isolate.Run(context.Background(), "isolate-test-silent", p, solvers.Options{})
	assert.ErrorContains(t, err, "wrote no result")

	r, err := isolate.Run(context.Background(), "isolate-test-chatty", p, solvers.Options{})
	require.NoError(t, err)
	assert.Positive(t, r.Elapsed)
	require.NotNil(t, r.Usage)
	r.Elapsed, r.Usage = 0, nil
	// The proof crosses the process boundary for the parent to check.
	assert.Equal(t, &solvers.Result{Answer: solvers.None, Count: 7, Stats: map[string]float64{"x": 1}, Proof: &solvers.Proof{DRAT: []byte("1 0\n0\n")}}, r)
}

func TestRunStubbornSolver(t *testing.T) {
	p := reductionProblem(t, instances.Spec{N: 5, M: 10, K: 3, Seed: 1})
	const limit = 200 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	start := time.Now()
	r, err := isolate.Run(ctx, "isolate-test-stubborn", p, solvers.Options{})
	require.NoError(t, err)
	assert.Equal(t, solvers.Unknown, r.Answer)
	// Typically milliseconds past the limit; the margin is for a loaded
	// machine (the stubborn solver never returns by itself).
	assert.Less(t, time.Since(start)-limit, 5*time.Second)
	assert.ErrorIs(t, syscall.Kill(isolate.LastPID(), 0), syscall.ESRCH)
}

// A worker whose parent goes away (its job pipe closes) exits.
func TestWorkerOutlivesNoParent(t *testing.T) {
	t.Run("one job", func(t *testing.T) { testOrphan(t, false) })
	t.Run("pooled", func(t *testing.T) { testOrphan(t, true) })
}

func testOrphan(t *testing.T, pooled bool) {
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), isolate.WorkerEnv+"=1")
	if pooled {
		cmd.Env = append(cmd.Env, isolate.LoopEnv+"=1")
	}
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	_, err = io.WriteString(stdin, `{"solver":"isolate-test-stubborn","D":[[1,0],[0,1]],"d":[0,0]}`)
	require.NoError(t, err)
	time.Sleep(100 * time.Millisecond) // the worker is solving
	require.NoError(t, stdin.Close())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		require.ErrorAs(t, err, &ee, stderr.String())
		assert.Equal(t, 4, ee.ExitCode())
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatal("the worker kept running after its job pipe closed")
	}
}

// An idle pooled worker ends quietly when its job pipe closes.
func TestPooledWorkerEndsWithInput(t *testing.T) {
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), isolate.WorkerEnv+"=1", isolate.LoopEnv+"=1")
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	out := bufio.NewReader(stdout)
	for _, job := range []string{`{"solver":"enum","D":[[1,0],[0,1]],"d":[0,0]}`, `{"solver":"enum","D":[[-1,0],[0,-1]],"d":[0,0]}`} {
		_, err = io.WriteString(stdin, job+"\n")
		require.NoError(t, err)
		for {
			line, err := out.ReadString('\n')
			require.NoError(t, err)
			if strings.HasPrefix(line, "nashbench-isolate-result: ") {
				break
			}
		}
	}
	require.NoError(t, stdin.Close())
	assert.NoError(t, cmd.Wait(), "an idle worker whose input ends exits 0")
}

// The worker measures the solve itself, so a job's time is not its
// process's start-up.
func TestElapsedMeasuredInWorker(t *testing.T) {
	p := reductionProblem(t, instances.Spec{N: 8, M: 34, K: 3, Seed: 1})
	start := time.Now()
	r, err := isolate.Run(context.Background(), "enum", p, solvers.Options{})
	wall := time.Since(start)
	require.NoError(t, err)
	assert.Positive(t, r.Elapsed)
	assert.Less(t, r.Elapsed, wall)
}

// A program that never called Serve cannot be its own worker: Run says so
// instead of starting a child that would run the program's main again.
func TestRunNeedsServe(t *testing.T) {
	isolate.SetServed(false)
	defer isolate.SetServed(true)
	p := reductionProblem(t, instances.Spec{N: 5, M: 10, K: 3, Seed: 1})
	_, err := isolate.Run(context.Background(), "enum", p, solvers.Options{})
	require.ErrorIs(t, err, isolate.ErrNotServed)
}

func TestSlotCPUs(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cpus  []int
		slots int
		want  [][]int // per slot
	}{
		{"one job per core", []int{0, 1}, 2, [][]int{{0}, {1}}},
		{"more jobs than cores", []int{0, 1}, 3, [][]int{{0}, {1}, {0}}},
		{"one job on two cores", []int{0, 1}, 1, [][]int{{0}}},
		{"two jobs on four cores", []int{0, 1, 2, 3}, 2, [][]int{{0}, {1}}},
		{"an allocation's cores", []int{4, 5, 8, 9}, 5, [][]int{{4}, {5}, {8}, {9}, {4}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got [][]int
			for slot := range tc.slots {
				got = append(got, isolate.SlotCPUs(tc.cpus, tc.slots, slot))
			}
			assert.Equal(t, tc.want, got)
		})
	}
	assert.Panics(t, func() { isolate.SlotCPUs([]int{0}, 1, 1) }, "slot out of range")
	assert.Panics(t, func() { isolate.SlotCPUs(nil, 1, 0) }, "no cores")
}
