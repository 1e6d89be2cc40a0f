package highs

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"
)

// Solver owns one HiGHS wasm instance (its own linear memory). A Solver is
// not safe for concurrent use; separate Solvers solve concurrently.
//
// If the wasm traps, aborts or exits, that instance is discarded and the
// error returned; the next Solve starts a fresh instance.
//
// Close releases the instance. A Solver that becomes unreachable without
// Close releases it too, when the garbage collector finds it, as an
// *os.File does; call Close to release it at once.
type Solver struct {
	*state
}

// state is the part of a Solver that its cleanup releases (a cleanup must
// not refer to the object it is attached to).
type state struct {
	eng    *engine
	in     *instance
	closed bool
}

// NewSolver provisions and compiles HiGHS on first use in the process, then
// instantiates it (a few ms).
func NewSolver(ctx context.Context) (*Solver, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	eng, err := getEngine(ctx)
	if err != nil {
		return nil, err
	}
	in, err := newInstance(ctx, eng)
	if err != nil {
		return nil, err
	}
	s := &Solver{&state{eng: eng, in: in}}
	runtime.AddCleanup(s, (*state).discard, s.state)
	return s, nil
}

// Close releases the wasm instance. It is idempotent.
func (s *Solver) Close() error {
	s.closed = true
	s.discard()
	return nil
}

func (s *state) discard() {
	if s.in != nil {
		s.in.close()
		s.in = nil
	}
}

// MemoryBytes is the size of the instance's linear memory, which only
// grows; tests use it to check that repeated solves do not leak.
func (s *Solver) MemoryBytes() uint64 {
	if s.in == nil {
		return 0
	}
	return uint64(s.in.mod.Memory().Size())
}

// Solve runs HiGHS on m. Each call uses a fresh Highs object inside the
// instance (Highs_create/Highs_destroy), so no option or model state leaks
// from one solve to the next. Infeasible, unbounded or time-limited runs are
// not errors: see Solution.Status.
//
// Stopping: HiGHS's time_limit is set from opt.TimeLimit or ctx's deadline,
// whichever is sooner, and ends a run with status TimeLimit; but HiGHS looks
// at it only now and then (not at all while it takes in a model, for
// example), and runs can overrun it by seconds. So when ctx can end, the
// solve runs on its own goroutine, and once ctx is done Solve returns
// ctx.Err() at once, giving up on the instance: the wasm unwinds at its next
// clock read, heap growth or log write (see stopIfDone), usually within
// milliseconds and at most within the longest stretch HiGHS goes without
// one (seconds on models with millions of nonzeros), and the instance is then
// closed. The next Solve starts a fresh instance.
func (s *Solver) Solve(ctx context.Context, m *Model, opt Options) (*Solution, error) {
	if s.closed {
		return nil, ErrClosed
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	if err := opt.validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	limit := opt.TimeLimit
	if dl, ok := ctx.Deadline(); ok {
		rem := time.Until(dl)
		if rem <= 0 {
			return nil, context.DeadlineExceeded
		}
		if limit == 0 || rem < limit {
			limit = rem
		}
	}
	if s.in != nil && s.in.broken {
		s.discard()
	}
	if s.in == nil {
		in, err := newInstance(ctx, s.eng)
		if err != nil {
			return nil, err
		}
		s.in = in
	}
	in := s.in
	var (
		sol *Solution
		err error
	)
	if ctx.Done() == nil {
		sol, err = in.safeSolve(ctx, m, opt, limit)
	} else {
		type outcome struct {
			sol *Solution
			err error
		}
		done := make(chan outcome, 1)
		in.owner.Store(ownerSolver)
		go func() {
			sol, err := in.safeSolve(ctx, m, opt, limit)
			if !in.owner.CompareAndSwap(ownerSolver, ownerNone) {
				// Solve gave up on this instance: it is ours to close.
				in.close()
				return
			}
			done <- outcome{sol, err}
		}()
		select {
		case o := <-done:
			sol, err = o.sol, o.err
		case <-ctx.Done():
			if in.owner.CompareAndSwap(ownerSolver, ownerGoroutine) {
				// Wait for a log write in progress, if any, so that
				// opt.Log is not written to after Solve returns.
				in.logMu.Lock()
				in.log = nil
				in.logMu.Unlock()
				s.in = nil
				return nil, ctx.Err()
			}
			// It finished just now: take its outcome.
			o := <-done
			sol, err = o.sol, o.err
		}
	}
	if in.broken {
		s.discard()
	}
	return sol, err
}

// Who closes an instance that a Solve with a context that can end runs on
// a goroutine (instance.owner).
const (
	ownerSolver    = 0 // the Solver, as usual
	ownerNone      = 1 // the goroutine has finished and handed it back
	ownerGoroutine = 2 // Solve gave up on it: the goroutine closes it
)

// safeSolve is solve with every panic turned into an error, so that callers
// never see one (host functions unwind with panics that wazero turns into
// errors; this catches anything else), and errors due to ctx ending turned
// into ctx.Err().
func (in *instance) safeSolve(ctx context.Context, m *Model, opt Options, limit time.Duration) (sol *Solution, err error) {
	defer func() {
		if r := recover(); r != nil {
			in.broken = true
			sol, err = nil, fmt.Errorf("highs: internal panic: %s", describe(r))
		}
		if err != nil && ctx.Err() != nil {
			sol, err = nil, ctx.Err()
		}
	}()
	return in.solve(ctx, m, opt, limit)
}

// instance is one instantiated HiGHS module.
type instance struct {
	mod     api.Module
	mem     api.Memory
	fns     map[string]api.Function
	broken  bool
	owner   atomic.Int32 // see ownerSolver
	closed  atomic.Bool
	logMu   sync.Mutex // held by fd_write while it writes to log
	log     io.Writer  // set only for the duration of a solve
	version string
	inf     float64
}

func newInstance(ctx context.Context, eng *engine) (in *instance, err error) {
	mod, err := eng.rt.InstantiateModule(ctx, eng.cm, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	if err != nil {
		return nil, fmt.Errorf("highs: instantiating: %w", err)
	}
	live.Add(1)
	in = &instance{mod: mod, mem: mod.ExportedMemory("u"), fns: make(map[string]api.Function, len(exportSigs))}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("highs: internal panic: %s", describe(r))
		}
		if err != nil {
			in.close()
			in = nil
		}
	}()
	for name := range exportSigs {
		in.fns[name] = mod.ExportedFunction(name)
	}
	if _, err = in.call(ctx, "v"); err != nil {
		return nil, err
	}
	r, err := in.call(ctx, "H")
	if err != nil {
		return nil, err
	}
	in.version = in.cString(uint32(r))
	h, err := in.call(ctx, "F")
	if err != nil {
		return nil, err
	}
	if h == 0 {
		return nil, errors.New("highs: Highs_create returned NULL")
	}
	size, err := in.call(ctx, "Yb", h)
	if err != nil {
		return nil, err
	}
	if size != 4 {
		return nil, fmt.Errorf("highs: sizeof(HighsInt)=%d, want 4", size)
	}
	inf, err := in.call(ctx, "Xb", h)
	if err != nil {
		return nil, err
	}
	in.inf = api.DecodeF64(inf)
	if _, err = in.call(ctx, "G", h); err != nil {
		return nil, err
	}
	return in, nil
}

// live counts the instances not yet closed, for tests of leaks and of the
// instances a Solve gives up on.
var live atomic.Int64

// close releases the instance's module and its linear memory.
func (in *instance) close() {
	if in.closed.CompareAndSwap(false, true) {
		_ = in.mod.Close(context.Background())
		live.Add(-1)
	}
}

// call invokes an export by its minified name; any failure marks the
// instance broken, since its heap is then in an unknown state.
func (in *instance) call(ctx context.Context, name string, args ...uint64) (uint64, error) {
	if in.broken {
		return 0, errors.New("highs: instance is broken")
	}
	ctx = context.WithValue(ctx, instKey{}, in)
	res, err := in.fns[name].Call(ctx, args...)
	if err != nil {
		in.broken = true
		what := exportSigs[name].cName
		var exit *sys.ExitError
		if errors.As(err, &exit) {
			return 0, fmt.Errorf("highs: HiGHS exited with code %d in %s; instance discarded", exit.ExitCode(), what)
		}
		return 0, fmt.Errorf("highs: wasm failed in %s, instance discarded: %w", what, err)
	}
	if len(res) == 0 {
		return 0, nil
	}
	return res[0], nil
}

func (in *instance) setLog(w io.Writer) {
	in.logMu.Lock()
	in.log = w
	in.logMu.Unlock()
}

func (in *instance) cString(p uint32) string {
	b, ok := in.mem.Read(p, 256)
	if !ok {
		return ""
	}
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// layout is one malloc'd block holding every array and string a solve
// passes to HiGHS, so there is exactly one free per solve.
type layout struct {
	buf  []byte
	strs map[string]uint32
}

func (l *layout) f64s(xs []float64) uint32 {
	off := uint32(len(l.buf))
	for _, x := range xs {
		l.buf = binary.LittleEndian.AppendUint64(l.buf, math.Float64bits(x))
	}
	return off
}

func (l *layout) zeros(n int) uint32 {
	off := uint32(len(l.buf))
	l.buf = append(l.buf, make([]byte, n)...)
	return off
}

func (l *layout) i32s(xs []int32) uint32 {
	off := uint32(len(l.buf))
	for _, x := range xs {
		l.buf = binary.LittleEndian.AppendUint32(l.buf, uint32(x))
	}
	return off
}

func (l *layout) str(s string) uint32 {
	if off, ok := l.strs[s]; ok {
		return off
	}
	off := uint32(len(l.buf))
	l.buf = append(append(l.buf, s...), 0)
	l.strs[s] = off
	return off
}

func (l *layout) align8() {
	for len(l.buf)%8 != 0 {
		l.buf = append(l.buf, 0)
	}
}

type csc struct {
	start, index []int32
	value        []float64
}

// toCSC orders the triplets column-major (rows ascending), sums duplicates
// and drops zeros, because HiGHS rejects repeated entries in a column. It
// buckets by column, so it takes linear time on the long sparse columns
// these models have, and checks ctx now and then (it runs while a deadline
// may pass, see Solver.Solve).
func toCSC(ctx context.Context, n int, nz []Nonzero) (csc, error) {
	type entry struct {
		row int32
		val float64
	}
	count := make([]int32, n+1)
	for _, e := range nz {
		count[e.Col+1]++
	}
	for j := range n {
		count[j+1] += count[j]
	}
	t := make([]entry, len(nz))
	next := slices.Clone(count[:n])
	for k, e := range nz {
		if k%(1<<20) == 0 && ctx.Err() != nil {
			return csc{}, ctx.Err()
		}
		t[next[e.Col]] = entry{int32(e.Row), e.Val}
		next[e.Col]++
	}
	c := csc{start: make([]int32, n), index: make([]int32, 0, len(nz)), value: make([]float64, 0, len(nz))}
	for j := range n {
		if j%(1<<14) == 0 && ctx.Err() != nil {
			return csc{}, ctx.Err()
		}
		c.start[j] = int32(len(c.index))
		col := t[count[j]:count[j+1]]
		if !slices.IsSortedFunc(col, func(a, b entry) int { return cmp.Compare(a.row, b.row) }) {
			// Stable, so that duplicates are summed in input order.
			slices.SortStableFunc(col, func(a, b entry) int { return cmp.Compare(a.row, b.row) })
		}
		for k := 0; k < len(col); {
			r, v := col[k].row, col[k].val
			for k++; k < len(col) && col[k].row == r; k++ {
				v += col[k].val
			}
			if v != 0 {
				c.index = append(c.index, r)
				c.value = append(c.value, v)
			}
		}
	}
	return c, nil
}

func (in *instance) toHighs(x float64) float64 {
	switch {
	case math.IsInf(x, 1):
		return in.inf
	case math.IsInf(x, -1):
		return -in.inf
	}
	return x
}

func (in *instance) fromHighs(x float64) float64 {
	switch {
	case x >= in.inf:
		return math.Inf(1)
	case x <= -in.inf:
		return math.Inf(-1)
	}
	return x
}

func (in *instance) mapped(xs []float64, n int, def float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		x := def
		if xs != nil {
			x = xs[i]
		}
		out[i] = in.toHighs(x)
	}
	return out
}

type optionCall struct {
	fn    string // minified setter
	name  string
	value uint64 // i32 or f64 bits, or a string's offset (patched)
	str   string
}

func (in *instance) solve(ctx context.Context, m *Model, opt Options, limit time.Duration) (*Solution, error) {
	n, nr := len(m.ColCosts), len(m.RowLower)
	a, err := toCSC(ctx, n, m.ConstMatrix)
	if err != nil {
		return nil, err
	}
	integrality := make([]int32, n)
	isMIP := false
	for j, t := range m.VarTypes {
		if t == Integer {
			integrality[j] = 1
			isMIP = true
		}
	}

	l := layout{strs: map[string]uint32{}}
	pCost := l.f64s(m.ColCosts)
	pColLo := l.f64s(in.mapped(m.ColLower, n, 0))
	pColUp := l.f64s(in.mapped(m.ColUpper, n, math.Inf(1)))
	pRowLo := l.f64s(in.mapped(m.RowLower, nr, 0))
	pRowUp := l.f64s(in.mapped(m.RowUpper, nr, 0))
	pAVal := l.f64s(a.value)
	pColVal := l.zeros(8 * n)
	pRowVal := l.zeros(8 * nr)
	pOut := l.zeros(8) // one info value at a time
	pAStart := l.i32s(a.start)
	pAIndex := l.i32s(a.index)
	pInteg := l.i32s(integrality)

	const (
		setBool, setInt, setDouble, setString = "ia", "ja", "ka", "la"
	)
	logOn := uint64(0)
	if opt.Log != nil {
		logOn = 1
	}
	opts := []optionCall{
		{fn: setBool, name: "output_flag", value: logOn},
		{fn: setBool, name: "log_to_console", value: logOn},
		{fn: setInt, name: "threads", value: 1},
		{fn: setString, name: "parallel", str: "off"},
		{fn: setInt, name: "random_seed", value: uint64(opt.RandomSeed)},
	}
	if opt.Presolve != "" {
		opts = append(opts, optionCall{fn: setString, name: "presolve", str: opt.Presolve})
	}
	if limit > 0 {
		opts = append(opts, optionCall{fn: setDouble, name: "time_limit", value: api.EncodeF64(limit.Seconds())})
	}
	if opt.NoFeasibilityJump {
		opts = append(opts, optionCall{fn: setBool, name: "mip_heuristic_run_feasibility_jump", value: 0})
	}
	if opt.MIPRelGap != nil {
		opts = append(opts, optionCall{fn: setDouble, name: "mip_rel_gap", value: api.EncodeF64(*opt.MIPRelGap)})
	}
	for _, name := range slices.Sorted(maps.Keys(opt.Doubles)) {
		opts = append(opts, optionCall{fn: setDouble, name: name, value: api.EncodeF64(opt.Doubles[name])})
	}
	for _, name := range slices.Sorted(maps.Keys(opt.Ints)) {
		opts = append(opts, optionCall{fn: setInt, name: name, value: uint64(uint32(int32(opt.Ints[name])))})
	}
	for _, name := range slices.Sorted(maps.Keys(opt.Bools)) {
		v := uint64(0)
		if opt.Bools[name] {
			v = 1
		}
		opts = append(opts, optionCall{fn: setBool, name: name, value: v})
	}
	nameOff := make([]uint32, len(opts))
	for i := range opts {
		nameOff[i] = l.str(opts[i].name)
		if opts[i].fn == setString {
			opts[i].value = uint64(l.str(opts[i].str))
		}
	}
	infoNames := []string{"primal_solution_status", "mip_node_count", "mip_gap", "simplex_iteration_count"}
	for _, s := range infoNames {
		l.str(s)
	}
	l.align8()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	base, err := in.call(ctx, "uc", uint64(len(l.buf)))
	if err != nil {
		return nil, err
	}
	if base == 0 {
		return nil, fmt.Errorf("highs: malloc(%d) failed: model too large for the 2 GiB wasm heap", len(l.buf))
	}
	defer func() {
		if !in.broken {
			in.call(ctx, "tc", base)
		}
	}()
	if !in.mem.Write(uint32(base), l.buf) {
		return nil, errors.New("highs: malloc returned an out-of-range block")
	}
	p := func(off uint32) uint64 { return base + uint64(off) }

	h, err := in.call(ctx, "F")
	if err != nil {
		return nil, err
	}
	if h == 0 {
		return nil, errors.New("highs: Highs_create returned NULL")
	}
	defer func() {
		if !in.broken {
			in.call(ctx, "G", h)
		}
	}()

	in.setLog(opt.Log)
	defer in.setLog(nil)

	for i, o := range opts {
		v := o.value
		if o.fn == setString {
			v = p(uint32(v))
		}
		st, err := in.call(ctx, o.fn, h, p(nameOff[i]), v)
		if err != nil {
			return nil, err
		}
		if int32(st) == -1 {
			return nil, fmt.Errorf("highs: HiGHS rejected option %s", o.name)
		}
	}

	sense := uint64(1)
	if m.Maximize {
		sense = api.EncodeI32(-1)
	}
	st, err := in.call(ctx, "V", h, uint64(n), uint64(nr), uint64(len(a.index)), 1 /* colwise */, sense,
		api.EncodeF64(m.Offset), p(pCost), p(pColLo), p(pColUp), p(pRowLo), p(pRowUp),
		p(pAStart), p(pAIndex), p(pAVal), p(pInteg))
	if err != nil {
		return nil, err
	}
	if int32(st) == -1 {
		return nil, errors.New("highs: HiGHS rejected the model (Highs_passMip returned an error; set Options.Log to see why)")
	}

	runSt, err := in.call(ctx, "N", h)
	if err != nil {
		return nil, err
	}
	ms, err := in.call(ctx, "Ga", h)
	if err != nil {
		return nil, err
	}
	sol := &Solution{Status: ModelStatus(int32(ms)), Version: in.version}
	if int32(runSt) == -1 && sol.Status != Infeasible && sol.Status != Unbounded && sol.Status != UnboundedOrInfeasible {
		return nil, fmt.Errorf("highs: Highs_run failed, model status %v", sol.Status)
	}
	obj, err := in.call(ctx, "Ka", h)
	if err != nil {
		return nil, err
	}
	sol.Objective = in.fromHighs(api.DecodeF64(obj))
	rt, err := in.call(ctx, "_a", h)
	if err != nil {
		return nil, err
	}
	sol.RunTime = time.Duration(api.DecodeF64(rt) * float64(time.Second))

	getInfo := func(fn, name string) (uint64, error) {
		st, err := in.call(ctx, fn, h, p(l.strs[name]), p(pOut))
		if err != nil {
			return 0, err
		}
		if int32(st) == -1 {
			return 0, fmt.Errorf("highs: no info %s", name)
		}
		v, _ := in.mem.ReadUint64Le(uint32(p(pOut)))
		return v, nil
	}
	pss, err := getInfo("Aa", "primal_solution_status")
	if err != nil {
		return nil, err
	}
	if isMIP {
		nodes, err := getInfo("Ca", "mip_node_count")
		if err != nil {
			return nil, err
		}
		sol.Nodes = int64(nodes)
		gap, err := getInfo("Ba", "mip_gap")
		if err != nil {
			return nil, err
		}
		sol.MIPGap = api.DecodeF64(gap)
	}
	// For a MIP, HiGHS 1.15 stores its total of LP iterations
	// (HighsMipSolver's total_lp_iterations_, which the C API has no info
	// for) in this int info, as -1 when it exceeds the HighsInt range.
	iters, err := getInfo("Aa", "simplex_iteration_count")
	if err != nil {
		return nil, err
	}
	sol.LPIterations = int64(int32(uint32(iters)))
	const solutionFeasible = 2
	if int32(uint32(pss)) == solutionFeasible {
		if _, err := in.call(ctx, "Ea", h, p(pColVal), 0, p(pRowVal), 0); err != nil {
			return nil, err
		}
		sol.ColValues = in.readF64s(uint32(p(pColVal)), n)
		sol.RowValues = in.readF64s(uint32(p(pRowVal)), nr)
	}
	return sol, nil
}

func (in *instance) readF64s(off uint32, n int) []float64 {
	out := make([]float64, n)
	b, ok := in.mem.Read(off, uint32(8*n))
	if !ok {
		panic("highs: solution outside wasm memory")
	}
	for i := range out {
		out[i] = in.fromHighs(math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:])))
	}
	return out
}
