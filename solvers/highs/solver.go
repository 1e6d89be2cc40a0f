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
	"slices"
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
type Solver struct {
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
	return &Solver{eng: eng, in: in}, nil
}

// Close releases the wasm instance. It is idempotent.
func (s *Solver) Close() error {
	s.closed = true
	s.discard()
	return nil
}

func (s *Solver) discard() {
	if s.in != nil {
		_ = s.in.mod.Close(context.Background())
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
// from one solve to the next. ctx is checked before starting; the stop
// inside HiGHS is its time_limit, set from opt.TimeLimit or ctx's deadline,
// whichever is sooner. Infeasible, unbounded or time-limited runs are not
// errors: see Solution.Status.
func (s *Solver) Solve(ctx context.Context, m *Model, opt Options) (sol *Solution, err error) {
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
		if s.in, err = newInstance(ctx, s.eng); err != nil {
			return nil, err
		}
	}
	in := s.in
	defer func() {
		// Host functions unwind with panics that wazero turns into errors;
		// this catches anything else so that callers never see a panic.
		if r := recover(); r != nil {
			in.broken = true
			sol, err = nil, fmt.Errorf("highs: internal panic: %s", describe(r))
		}
		if in.broken {
			s.discard()
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
	log     io.Writer // set only for the duration of a solve
	version string
	inf     float64
}

func newInstance(ctx context.Context, eng *engine) (in *instance, err error) {
	mod, err := eng.rt.InstantiateModule(ctx, eng.cm, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	if err != nil {
		return nil, fmt.Errorf("highs: instantiating: %w", err)
	}
	in = &instance{mod: mod, mem: mod.ExportedMemory("u"), fns: make(map[string]api.Function, len(exportSigs))}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("highs: internal panic: %s", describe(r))
		}
		if err != nil {
			mod.Close(ctx)
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

// toCSC sorts the triplets column-major, sums duplicates and drops zeros,
// because HiGHS rejects repeated entries in a column.
func toCSC(n int, nz []Nonzero) csc {
	t := slices.Clone(nz)
	slices.SortFunc(t, func(a, b Nonzero) int {
		return cmp.Or(cmp.Compare(a.Col, b.Col), cmp.Compare(a.Row, b.Row))
	})
	var c csc
	c.start = make([]int32, n)
	k := 0
	for j := range n {
		c.start[j] = int32(len(c.index))
		for k < len(t) && t[k].Col == j {
			r, v := t[k].Row, t[k].Val
			for k++; k < len(t) && t[k].Col == j && t[k].Row == r; k++ {
				v += t[k].Val
			}
			if v != 0 {
				c.index = append(c.index, int32(r))
				c.value = append(c.value, v)
			}
		}
	}
	return c
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
	a := toCSC(n, m.ConstMatrix)
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
	nameOff := make([]uint32, len(opts))
	for i := range opts {
		nameOff[i] = l.str(opts[i].name)
		if opts[i].fn == setString {
			opts[i].value = uint64(l.str(opts[i].str))
		}
	}
	infoNames := []string{"primal_solution_status", "mip_node_count", "mip_gap"}
	for _, s := range infoNames {
		l.str(s)
	}
	l.align8()

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

	in.log = opt.Log
	defer func() { in.log = nil }()

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
