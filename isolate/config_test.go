//go:build linux

package isolate_test

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/nashbench/nashbench/instances"
	"github.com/nashbench/nashbench/isolate"
	"github.com/nashbench/nashbench/solvers"
)

// Test solvers, registered in the test binary and so in its workers:
// test-hog touches MiB of memory (Options.List of them) and holds it for
// 200 ms of CPU time; test-where reports the cores it may run on and
// GOMAXPROCS.
type hog struct{}

var sink [][]byte

func (hog) Solve(ctx context.Context, p *solvers.Problem, opt solvers.Options) (*solvers.Result, error) {
	for range opt.List {
		b := make([]byte, 1<<20)
		for i := range b {
			b[i] = 1
		}
		sink = append(sink, b)
	}
	// 200 ms of CPU time, however loaded the machine (within reason).
	start, giveUp := cpuTime(), time.Now().Add(10*time.Second)
	for cpuTime()-start < 200*time.Millisecond && time.Now().Before(giveUp) {
	}
	return &solvers.Result{Answer: solvers.None}, nil
}

// cpuTime is the CPU time this process has used.
func cpuTime() time.Duration {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type where struct{}

func (where) Solve(ctx context.Context, p *solvers.Problem, opt solvers.Options) (*solvers.Result, error) {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		return nil, err
	}
	first := -1
	for c := range 1024 {
		if set.IsSet(c) {
			first = c
			break
		}
	}
	return &solvers.Result{Answer: solvers.None, Stats: map[string]float64{
		"cores": float64(set.Count()), "first": float64(first), "gomaxprocs": float64(runtime.GOMAXPROCS(0)),
	}}, nil
}

// badAlloc fails as an external C++ solver does when an allocation fails
// (its error carries the program's standard error).
type badAlloc struct{}

func (badAlloc) Solve(context.Context, *solvers.Problem, solvers.Options) (*solvers.Result, error) {
	return nil, errors.New("cadical: signal: aborted; its stderr ends: terminate called after throwing an instance of 'std::bad_alloc'")
}

func init() {
	solvers.Register("test-badalloc", func() solvers.Solver { return badAlloc{} })
	solvers.Register("test-hog", func() solvers.Solver { return hog{} })
	solvers.Register("test-where", func() solvers.Solver { return where{} })
}

func tiny() *solvers.Problem {
	return &solvers.Problem{Formula: &instances.CNF{Vars: 1, Clauses: [][]int{{1}}}}
}

func TestUsageIsMeasured(t *testing.T) {
	r, err := isolate.Run(context.Background(), "test-hog", tiny(), solvers.Options{List: 100})
	require.NoError(t, err)
	require.NotNil(t, r.Usage)
	assert.GreaterOrEqual(t, r.Usage.CPU, 150*time.Millisecond, "the busy loop's CPU time")
	assert.GreaterOrEqual(t, r.Usage.Wall, r.Elapsed, "the process outlives the solve")
	assert.Greater(t, r.Usage.MaxRSS, int64(100<<20), "100 MiB touched")
	assert.Less(t, r.Usage.MaxRSS, int64(1<<30))

	// A timed-out job still reports what it used.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	r, err = isolate.Run(ctx, "test-hog", tiny(), solvers.Options{List: 1})
	require.NoError(t, err)
	assert.Equal(t, solvers.Unknown, r.Answer)
	require.NotNil(t, r.Usage)
	assert.Positive(t, r.Usage.CPU)
}

func TestPinned(t *testing.T) {
	cpus := isolate.CPUs()
	for _, set := range [][]int{{cpus[0]}, {cpus[len(cpus)-1]}, cpus} {
		r, err := isolate.Config{CPUSet: set}.Run(context.Background(), "test-where", tiny(), solvers.Options{})
		require.NoError(t, err)
		assert.Equal(t, float64(len(set)), r.Stats["cores"], "bound to %v", set)
		assert.Equal(t, float64(set[0]), r.Stats["first"])
		assert.Equal(t, float64(len(set)), r.Stats["gomaxprocs"], "one P per core")
		require.NotNil(t, r.Usage)
		assert.Equal(t, set, r.Usage.CPUs, "the cores are recorded")
	}
	r, err := isolate.Run(context.Background(), "test-where", tiny(), solvers.Options{})
	require.NoError(t, err)
	assert.Equal(t, float64(runtime.NumCPU()), r.Stats["cores"], "free by default")
	assert.Empty(t, r.Usage.CPUs)
}

// CPUs follows the affinity mask, as a batch system (Slurm's task
// affinity) sets it, so that job slots bind within the allocation.
func TestCPUsFollowAffinity(t *testing.T) {
	assert.Len(t, isolate.CPUs(), runtime.NumCPU())
	if runtime.NumCPU() < 2 {
		t.Skip("needs two cores")
	}
	runtime.LockOSThread() // the mask is this thread's
	defer runtime.UnlockOSThread()
	var old, one unix.CPUSet
	require.NoError(t, unix.SchedGetaffinity(0, &old))
	defer func() { require.NoError(t, unix.SchedSetaffinity(0, &old)) }()
	last := isolate.CPUs()[runtime.NumCPU()-1]
	one.Set(last)
	require.NoError(t, unix.SchedSetaffinity(0, &one))
	assert.Equal(t, []int{last}, isolate.CPUs())
}

func TestMemoryLimit(t *testing.T) {
	t.Logf("memory limits by %s here", isolate.MemoryMechanism())
	t.Run("default", func(t *testing.T) { testMemoryLimit(t) })
	t.Run("rlimit", func(t *testing.T) {
		if isolate.RaceEnabled {
			// ThreadSanitizer maps shadow memory as the heap grows, which
			// an address-space cap refuses: scripts/test runs this test
			// once more without -race.
			t.Skip("the race detector's shadow memory does not fit an address-space rlimit; scripts/test runs this without -race")
		}
		isolate.UseRlimit(true)
		defer isolate.UseRlimit(false)
		require.Equal(t, "rlimit", isolate.MemoryMechanism())
		testMemoryLimit(t)
	})
}

func testMemoryLimit(t *testing.T) {
	lim := isolate.Config{Memory: 1 << 30}
	_, err := lim.Run(context.Background(), "test-hog", tiny(), solvers.Options{List: 1500})
	require.Error(t, err)
	assert.True(t, errors.Is(err, isolate.ErrMemout), "%v", err)
	assert.Contains(t, err.Error(), "out of memory")
	// What the worker used up to its end is known.
	if u := isolate.UsageOf(err); assert.NotNil(t, u, "a memout's usage") {
		assert.Positive(t, u.Wall)
		assert.Positive(t, u.CPU)
		assert.Greater(t, u.MaxRSS, int64(100<<20), "at least 100 MiB touched")
	}

	// Within the limit the job runs as usual.
	r, err := lim.Run(context.Background(), "test-hog", tiny(), solvers.Options{List: 20})
	require.NoError(t, err)
	assert.Equal(t, solvers.None, r.Answer)
}

// A failed allocation is a memout only under a limit that makes
// allocations fail (the rlimit); otherwise it is the solver's error, with
// its reason.
func TestAllocationFailure(t *testing.T) {
	for _, tc := range []struct {
		name   string
		rlimit bool
		memory int64
		memout bool
	}{
		{"no limit", false, 0, false},
		{"rlimit", true, 1 << 30, true},
		// A cgroup's members are not refused memory, they are killed, so
		// a message about memory there is some other limit's.
		{"default (" + isolate.MemoryMechanism() + ")", false, 1 << 30, isolate.MemoryMechanism() == "rlimit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			isolate.UseRlimit(tc.rlimit)
			defer isolate.UseRlimit(false)
			_, err := isolate.Config{Memory: tc.memory}.Run(context.Background(), "test-badalloc", tiny(), solvers.Options{})
			require.Error(t, err)
			assert.Equal(t, tc.memout, errors.Is(err, isolate.ErrMemout), "%v", err)
			if !tc.memout {
				assert.Contains(t, err.Error(), "std::bad_alloc", "the reason")
			}
		})
	}
}
